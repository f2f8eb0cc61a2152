"""Write a synthetic corpus of N records, valid against schema 1.0, for benchmarks.

    python bench/make_corpus.py OUT_DIR [N [SOURCES_DIR]]

Records are 3-6 KB like hand-encoded ones, in series of ten consecutive rounds whose
next_round agrees with the following record, so that every cross-record rule has work to
do and the corpus lints clean. With SOURCES_DIR, a source text per record holds its
evidence quotes, for the quote check. Content is seeded filler: every run writes the same.
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


# Name syllables: any two differ in both letters, so names of different people are never
# one edit apart (which the similar-names rule would rightly flag).
_FIRST, _SECOND = "bcdfghjklm", "aeiouyrstn"


def person_name(number: int) -> str:
    digits = f"{number:05d}"
    return "".join(_FIRST[int(d)] + _SECOND[int(d)] for d in digits).capitalize()


def series_plan(series_index: int, rng: random.Random) -> list[tuple[date, str, str]]:
    """Date, city and country of each of a series' ten rounds, so that next_round can agree."""
    first = date(2000, 1, 1) + timedelta(days=series_index % 3000)
    return [(first + timedelta(days=round_no * 120), rng.choice(CITIES), rng.choice(COUNTRIES))
            for round_no in range(1, 12)]


def record(index: int, rng: random.Random, plan: list) -> tuple[str, str, str, list[str]]:
    series_index = index // 10
    series = f"series-{series_index:05d}"
    round_no = index % 10 + 1
    record_id = f"{series}-{round_no:02d}"
    start, city, country = plan[round_no - 1]
    next_start, next_city, next_country = plan[round_no]
    a, b = COUNTRIES[series_index % len(COUNTRIES)], COUNTRIES[(series_index + 7) % len(COUNTRIES)]
    source = f"src-{index:06d}"
    chair_a, chair_b = person_name(2 * series_index), person_name(2 * series_index + 1)
    lines = [
        "# yaml-language-server: $schema=../schema/1.0/record.schema.json",
        'schema_version: "1.0"',
        f"id: {record_id}",
        f"title: Round {round_no} of synthetic dialogue {series_index}",
        "kind: dialogue",
        "level: ministerial",
        "series:",
        f"  id: {series}",
        f"  name: Synthetic dialogue {series_index}",
        f"  round: {round_no}",
        "dates:",
        f'  start: "{start.isoformat()}"',
        f'  end: "{(start + timedelta(days=1)).isoformat()}"',
        f"  sources: [{source}]",
        "venue:",
        f"  city: {city}",
        f'  country: "{country}"',
        "parties:",
        f'  - {{id: "{a.lower()}", name: State {a}, kind: state, country: "{a}"}}',
        f'  - {{id: "{b.lower()}", name: State {b}, kind: state, country: "{b}"}}',
        "co_chairs:",
        f"  - {{person_id: {chair_a.lower()}, name: {chair_a} Example, title: Foreign Minister, party: \"{a.lower()}\", role: co-chair}}",
        f"  - {{person_id: {chair_b.lower()}, name: {chair_b} Example, title: Foreign Minister, party: \"{b.lower()}\", role: co-chair}}",
        "agenda:",
    ]
    topics = rng.randint(3, 7)
    for t in range(topics):
        lines += [f"  - id: topic-{t}", f"    topic: {sentence(rng, 3)}", f"    sources: [{source}]"]
    lines.append("agreements:")
    quotes = []
    for n in range(rng.randint(4, 12)):
        quote = sentence(rng, rng.randint(6, 14))
        quotes.append(quote)
        lines += [
            f"  - id: agreement-{n}",
            f"    kind: {rng.choice(KINDS)}",
            f"    text: {sentence(rng, rng.randint(8, 16)).capitalize()}.",
            f'    parties: ["{a.lower()}", "{b.lower()}"]',
            f"    agenda_item: topic-{rng.randrange(topics)}",
            "    evidence:",
            f"      - source: {source}",
            f"        quote: {quote}",
        ]
    lines += [
        "next_round:",
        f"  round: {round_no + 1}",
        "  venue:",
        f"    city: {next_city}",
        f'    country: "{next_country}"',
        f'  when: "{next_start.year}"',
        "sources:",
        f"  - id: {source}",
        "    kind: news-report",
        f'    published: "{(start + timedelta(days=2)).isoformat()}"',
    ]
    return record_id, "\n".join(lines) + "\n", source, quotes


def main() -> None:
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    sources = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    out.mkdir(parents=True, exist_ok=True)
    if sources:
        sources.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20251121)
    plan: list = []
    for index in range(count):
        if index % 10 == 0:
            plan = series_plan(index // 10, rng)
        record_id, text, source, quotes = record(index, rng, plan)
        (out / f"{record_id}.yaml").write_text(text, encoding="utf-8")
        if sources:  # a source text in which every quote of the record appears
            body = " ".join(f"{sentence(rng, 5).capitalize()}, {quote}." for quote in quotes)
            (sources / f"{source}.txt").write_text(body + "\n", encoding="utf-8")
    print(f"wrote {count} records to {out}" + (f" and their sources to {sources}" if sources else ""))


if __name__ == "__main__":
    main()
