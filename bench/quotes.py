"""Time Q001 (the quote check) against one large source text: quotes that are found, and
quotes that are not, whose closest passage is searched for.

    python bench/quotes.py [--megabytes 5] [--quotes 5 20] [--repeat 3]

Writes a synthetic source of that many megabytes (sentences of words drawn at random, so
that no passage repeats) and one record citing it with N evidence quotes; each quote is a
sentence of the source with one word changed (missing: its closest passage is searched for),
or left as it is (found). Times `communique check --select Q001 --no-cache` as a whole
process, and prints the median of the runs. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("talks dialogue ministers agreed convene round delegation security trade border water energy "
         "cooperation joint statement sides both next spring autumn capital meeting commission working group "
         "visa transit railway pipeline investment council summit declaration framework review progress").split()


def make_source(path: Path, megabytes: float, rng: random.Random) -> list[str]:
    """A source of about `megabytes` MB; its sentences, to quote from."""
    sentences, size = [], 0
    while size < megabytes * 1_000_000:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 24))).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    path.write_text("\n".join(sentences), encoding="utf-8")
    return sentences


def make_record(path: Path, quotes: list[str]) -> None:
    items = "\n".join(f"      - source: big\n        quote: \"{quote}\"" for quote in quotes)
    path.write_text(f"""schema_version: "1.0"
id: example-meeting
title: Example dialogue
kind: dialogue
parties:
  - {{id: no, name: Norway, kind: state}}
  - {{id: se, name: Sweden, kind: state}}
co_chairs:
  - {{person_id: kari-nordmann, name: Kari Nordmann, title: Foreign Minister, party: no, role: co-chair}}
  - {{person_id: sven-svensson, name: Sven Svensson, title: Foreign Minister, party: se, role: co-chair}}
agenda: []
agreements:
  - id: meet-again
    kind: meet-again
    text: Meet again.
    parties: [no, se]
    evidence:
{items}
sources:
  - {{id: big, kind: news-report}}
""", encoding="utf-8")


def quotes_from(sentences: list[str], count: int, missing: bool, rng: random.Random) -> list[str]:
    picked = [rng.choice(sentences[len(sentences) // 2:]) for _ in range(count)]  # from the second half
    if not missing:
        return picked
    return [sentence.replace(" ", " zanzibar ", 1) for sentence in picked]  # one word no sentence has


def timed(command: list[str], env: dict, missing: int) -> float:
    """One whole run's time; it must have reported every missing quote (Q001), and nothing else."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    codes = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("/") and ": " in line]
    if codes != ["Q001"] * missing or "Traceback" in result.stderr:
        sys.exit(f"{' '.join(command)} did not report {missing} missing quotes:\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--quotes", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(18)
    workdir = Path(tempfile.mkdtemp(prefix="communique-bench-quotes-"))
    (workdir / "sources").mkdir()
    sentences = make_source(workdir / "sources" / "big.txt", args.megabytes, rng)
    env = {**os.environ, "COMMUNIQUE_CACHE_DIR": str(workdir / "cache")}
    print(f"source of {args.megabytes} MB; `check --select Q001 --no-cache`, median of {args.repeat} runs")
    for count in args.quotes:
        for missing in (False, True):
            record = workdir / f"example-meeting-{count}-{'missing' if missing else 'found'}.yaml"
            make_record(record, quotes_from(sentences, count, missing, rng))
            command = [sys.executable, "-m", "communique", "check", "--select", "Q001", "--no-cache",
                       "--sources", str(workdir / "sources"), str(record)]
            times = [timed(command, env, count if missing else 0) for _ in range(args.repeat)]
            print(f"  {count:3d} quotes {'missing' if missing else 'found  '}  median {statistics.median(times):8.3f} s"
                  f"  (min {min(times):.3f}, max {max(times):.3f})")


if __name__ == "__main__":
    main()
