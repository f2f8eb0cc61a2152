"""Does `communique check` stay linear on hostile input? Builds three crafted corpora at two
sizes each, times `communique check` on each (whole processes, the median of several
runs), and prints how much longer the double size took: about 2 means linear.

    python bench/crafted.py [--repeat 3] [--scale 1]

  unknown-keys    one file of N keys the schema does not know (a finding each)
  same-name       N records of one person's name under N different person ids (X008)
  year-only       N records of one person, each dated only to a year, one title (X009)

Sizes: 10,000 and 20,000 keys; 1,000 and 2,000 records; 2,000 and 4,000 records (times
--scale). It is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMUNIQUE = BIN / "communique"


def unknown_keys(folder: Path, n: int) -> list[str]:
    text = 'schema_version: "1.0"\nid: example-meeting\n' + "".join(f"unknown_{i}: {i}\n" for i in range(n))
    (folder / "example-meeting.yaml").write_text(text, encoding="utf-8")
    return [str(folder / "example-meeting.yaml")]


def _record(i: int, person_id: str, name: str, dates: str) -> str:
    return (f'schema_version: "1.0"\nid: meeting-{i:05d}\ntitle: Meeting {i}\nkind: meeting\n{dates}\n'
            f'parties:\n  - {{id: "no", name: Norway, kind: state, country: "NO"}}\n'
            f'co_chairs:\n  - {{person_id: {person_id}, name: {name}, title: Foreign Minister, party: "no", '
            f'role: chair}}\nagenda: []\nagreements: []\nsources:\n  - {{id: s1, kind: other}}\n')


def same_name(folder: Path, n: int) -> list[str]:
    for i in range(n):
        text = _record(i, f"kari-nordmann-{i:05d}", "Kari Nordmann", f'dates: {{start: "2025-{1 + i % 12:02d}-10"}}')
        (folder / f"meeting-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return [str(folder)]


def year_only(folder: Path, n: int) -> list[str]:
    for i in range(n):
        text = _record(i, "kari-nordmann", "Kari Nordmann", 'dates: {within: "2025"}')
        (folder / f"meeting-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return [str(folder)]


CORPORA = [("unknown-keys", unknown_keys, 10_000), ("same-name", same_name, 1_000), ("year-only", year_only, 2_000)]


def timed(args: list[str], repeat: int) -> tuple[float, int]:
    runs, output = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run([str(COMMUNIQUE), "check", "--format", "json", "--jobs", "1", *args],
                                capture_output=True)
        runs.append(time.perf_counter() - start)
        output = len(result.stdout)
    return statistics.median(runs), output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()
    print(f"{'corpus':<14} {'size':>8} {'median s':>9} {'output':>10} {'x2 took':>8}")
    for name, build, base in CORPORA:
        previous = None
        for size in (int(base * options.scale), int(2 * base * options.scale)):
            with tempfile.TemporaryDirectory() as folder:
                seconds, output = timed(build(Path(folder), size), options.repeat)
            ratio = f"{seconds / previous:.2f}" if previous else ""
            print(f"{name:<14} {size:>8,} {seconds:>9.2f} {output:>9,}B {ratio:>8}")
            previous = seconds


if __name__ == "__main__":
    main()
