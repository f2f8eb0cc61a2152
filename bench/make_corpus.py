"""Write a synthetic corpus of N records, valid against schema 1.0, for benchmarks.

    python bench/make_corpus.py OUT_DIR [N]

Records are 3-6 KB like hand-encoded ones, spread over series of consecutive rounds so
that cross-record checks have something to compare. Content is random filler, seeded, so
every run writes the same files.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

WORDS = ("cooperation trade security climate energy migration dialogue partnership stability region "
         "development investment education health water border peace rights governance transport").split()
COUNTRIES = ["BE", "PK", "NO", "SE", "FI", "DE", "FR", "TR", "QA", "JP", "KE", "BR", "IN", "ID", "MX"]
CITIES = ["Brussels", "Islamabad", "Oslo", "Stockholm", "Helsinki", "Berlin", "Paris", "Ankara", "Doha", "Tokyo"]
KINDS = ["commitment", "reaffirmation", "call", "concern", "welcome", "support", "emphasis"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def record(index: int, rng: random.Random) -> tuple[str, str]:
    series = f"series-{index // 10:05d}"
    round_no = index % 10 + 1
    record_id = f"{series}-{round_no:02d}"
    start = date(2000, 1, 1) + timedelta(days=(index // 10) % 3000 + round_no * 120)
    a, b = rng.sample(COUNTRIES, 2)
    source = f"src-{index:06d}"
    lines = [
        "# yaml-language-server: $schema=../schema/1.0/record.schema.json",
        'schema_version: "1.0"',
        f"id: {record_id}",
        f"title: Round {round_no} of synthetic dialogue {index // 10}",
        "kind: dialogue",
        "level: ministerial",
        "series:",
        f"  id: {series}",
        f"  name: Synthetic dialogue {index // 10}",
        f"  round: {round_no}",
        "dates:",
        f"  start: {start.isoformat()}",
        f"  end: {(start + timedelta(days=1)).isoformat()}",
        f"  sources: [{source}]",
        "venue:",
        f"  city: {rng.choice(CITIES)}",
        f"  country: {a}",
        "parties:",
        f"  - {{id: {a.lower()}, name: State {a}, kind: state, country: {a}}}",
        f"  - {{id: {b.lower()}, name: State {b}, kind: state, country: {b}}}",
        "co_chairs:",
        f"  - {{person_id: person-{a.lower()}-{index // 10}, name: Person {a} {index // 10}, title: Foreign Minister, party: {a.lower()}, role: co-chair}}",
        f"  - {{person_id: person-{b.lower()}-{index // 10}, name: Person {b} {index // 10}, title: Foreign Minister, party: {b.lower()}, role: co-chair}}",
        "agenda:",
    ]
    topics = rng.randint(3, 7)
    for t in range(topics):
        lines += [f"  - id: topic-{t}", f"    topic: {sentence(rng, 3)}", f"    sources: [{source}]"]
    lines.append("agreements:")
    for n in range(rng.randint(4, 12)):
        quote = sentence(rng, rng.randint(6, 14))
        lines += [
            f"  - id: agreement-{n}",
            f"    kind: {rng.choice(KINDS)}",
            f"    text: {sentence(rng, rng.randint(8, 16)).capitalize()}.",
            f"    parties: [{a.lower()}, {b.lower()}]",
            f"    agenda_item: topic-{rng.randrange(topics)}",
            "    evidence:",
            f"      - source: {source}",
            f"        quote: {quote}",
        ]
    lines += [
        "next_round:",
        f"  round: {round_no + 1}",
        "  venue:",
        f"    city: {rng.choice(CITIES)}",
        f"    country: {b}",
        f'  when: "{start.year + 1}"',
        "sources:",
        f"  - id: {source}",
        "    kind: news-report",
        f"    published: {(start + timedelta(days=2)).isoformat()}",
    ]
    return record_id, "\n".join(lines) + "\n"


def main() -> None:
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20251121)
    for index in range(count):
        record_id, text = record(index, rng)
        (out / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {count} records to {out}")


if __name__ == "__main__":
    main()
