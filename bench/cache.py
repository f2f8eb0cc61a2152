"""Time `communique check` on 10,000 records with and without the cache of per-file results.

    pip install -e .
    python bench/cache.py [--records 10000] [--repeat 5]

On the synthetic corpus (bench/make_corpus.py) with its source texts, each run a whole
process, in turns after a warm-up, with a cache folder of the benchmark's own:

  --no-cache          every record checked (the cold run)
  cache filled        the cache emptied before each run, then filled by it
  unchanged corpus    every result from the cache
  one record edited   that record (and the cross-record rules) checked again
  one record named    `check FILE` of one record in the corpus (as pre-commit runs it),
                      without the cache and from it

With --slips (the default, 2%), that share of the records carries a slip that `--fix`
repairs (a kind written with a capital), so a run also counts what `--fix` could do.

Prints each one's median, its ratio to the cold run, and its peak memory (the largest of its
runs, from the kernel's accounting of the finished process). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, ROOT, bench_env, timed  # noqa: E402


def run(command: list[str], env: dict, before=None) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one run."""
    if before is not None:
        before()
    wall, peak, _, _ = timed(command, env)
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slips", type=float, default=0.02, help="share of records with a fixable slip")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="communique-bench-cache-"))
    try:
        corpus, sources, cache = workdir / "records", workdir / "sources", workdir / "cache"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(corpus), str(args.records),
                        str(sources)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(corpus.iterdir())
        slipped = files[::round(1 / args.slips)] if args.slips else []
        for path in slipped:  # S104, fixed by `--fix`: 'Dialogue' -> 'dialogue'
            path.write_text(path.read_text(encoding="utf-8").replace("\nkind: dialogue", "\nkind: Dialogue", 1),
                            encoding="utf-8")
        env = bench_env(COMMUNIQUE_CACHE_DIR=str(cache))
        check = [str(BIN / "communique"), "check", "--sources", str(sources), str(corpus)]
        edited = sorted(corpus.iterdir())[args.records // 2]
        original = edited.read_text(encoding="utf-8")
        turn = [0]

        def edit() -> None:  # a different text each time, so that the record is never in the cache
            turn[0] += 1
            edited.write_text(original + f"# edit {turn[0]}\n", encoding="utf-8")

        runs = {
            "--no-cache (cold)": (check[:2] + ["--no-cache"] + check[2:], None),
            "cache filled": (check, lambda: shutil.rmtree(cache, ignore_errors=True)),
            "unchanged corpus": (check, None),
            "one record edited": (check, edit),
            "one record named, --no-cache": (check[:2] + ["--no-cache"] + check[2:4] + [str(files[1])], None),
            "one record named, cached": (check[:4] + [str(files[1])], None),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        peaks: dict[str, list[float]] = {name: [] for name in runs}
        for round_number in range(args.repeat + 1):
            for name, (command, before) in runs.items():
                if name in ("unchanged corpus", "one record named, cached"):
                    run(command, env)  # fills the cache with what this run reads, so nothing is left to check
                elapsed, peak = run(command, env, before)
                if round_number:
                    times[name].append(elapsed)
                    peaks[name].append(peak)
        print(f"{args.records} synthetic records with their sources, {len(slipped)} with a slip --fix repairs; "
              f"{os.cpu_count()} CPUs; "
              f"median of {args.repeat} runs after a warm-up, in turns")
        cold = statistics.median(times["--no-cache (cold)"])
        for name, values in times.items():
            median = statistics.median(values)
            print(f"  {name:<29} median {median:7.3f} s  (min {min(values):.3f}, max {max(values):.3f})  "
                  f"ratio to the cold run: {median / cold:.3f}  peak {max(peaks[name]):6.1f} MiB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
