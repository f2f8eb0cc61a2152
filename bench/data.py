"""Time the data outputs on the synthetic corpus: the SQLite and Data Package exports, the
static site and the statistics, beside `communique validate` (reading and validating every
record, the part all of them share).

    pip install -e .
    python bench/data.py [--records 10000] [--repeat 3] [--corpus FOLDER]

Prints each command's median wall time, records per second, peak memory (the kernel's
accounting of the finished process) and its ratio to validate. A measurement, not a test.
Every command streams its records, so peak memory should stay flat as the corpus grows:
try --records 100000 (its corpus is several hundred MB; --corpus reuses one made before
with bench/make_corpus.py, and is kept).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, ROOT, measure, report  # noqa: E402  (the timing helpers of bench/run.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a corpus made before by make_corpus.py with --records records")
    args = parser.parse_args()
    communique = str(BIN / "communique")
    workdir = Path(tempfile.mkdtemp(prefix="communique-bench-data-"))
    try:
        corpus = args.corpus or workdir / "records"
        if args.corpus is None:
            subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(corpus), str(args.records)],
                           check=True, stdout=subprocess.DEVNULL)
        size = sum(p.stat().st_size for p in corpus.iterdir()) / args.records
        print(f"{args.records} synthetic records, {size / 1024:.1f} KB on average; {os.cpu_count()} CPUs; "
              f"median of {args.repeat} runs after a warm-up")
        runs = measure({
            "validate": [communique, "validate", "--no-cache", str(corpus)],  # every record read afresh
            "export --format sqlite": [communique, "export", "--format", "sqlite", "-o", str(workdir / "corpus.db"),
                                       str(corpus)],
            "export --format datapackage": [communique, "export", "--format", "datapackage", "-o",
                                            str(workdir / "package"), str(corpus)],
            **{f"export --format {name}": [communique, "export", "--format", name, "-o",
                                           str(workdir / f"corpus.{name}"), str(corpus)]
               for name in ("jsonl", "json", "csv")},
            "site": [communique, "site", "-o", str(workdir / "site"), str(corpus)],
            "stats": [communique, "stats", str(corpus)],
        }, args.repeat)
        report("Data outputs", runs, args.records, "validate")
        pages = sum(1 for _ in (workdir / "site").rglob("*.html"))
        megabytes = sum(p.stat().st_size for p in (workdir / "site").rglob("*") if p.is_file()) / 2**20
        print(f"site: {pages} pages, {megabytes:.1f} MiB; database: "
              f"{(workdir / 'corpus.db').stat().st_size / 2**20:.1f} MiB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
