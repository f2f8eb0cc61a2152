"""`export --format timelinejs`: the meetings as a TimelineJS 3 timeline (Knight Lab's
JSON format: a title slide and a list of events), with a row (`group`) per series, for a
page that embeds TimelineJS.

TimelineJS shows `text` and a group's name as HTML: whatever a record holds is escaped
here, so a title, a summary or a series name cannot become markup in someone's page. Each event is written as its record is
read; the title is a constant, so nothing waits for the end of the corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import TextIO

from .formats import Mapping, meeting_span

TITLE = {"text": {"headline": "Meetings of the corpus", "text": "Written by <code>communique export --format "
                  "timelinejs</code>: a row for each series."}}

MAPPING = [
    Mapping("id", "unique_id"),
    Mapping("dates.start, dates.within", "start_date", "year, month and day as far as the record knows them; "
            "a meeting dated only by bounds (not_before, not_after) has no start and is left out (counted)"),
    Mapping("dates.end", "end_date", "when it differs from start"),
    Mapping("title", "text.headline", "escaped; the status is added for a meeting not held as announced"),
    Mapping("venue, outcome.summary, series.round", "text.text", "escaped HTML"),
    Mapping("series.name (else series.id)", "group", "escaped; one row per series; a one-off meeting has no group"),
]


def date_object(value: str) -> dict:
    """A TimelineJS date from an ISO date known to the day, month or year."""
    return dict(zip(("year", "month", "day"), (str(int(part)) for part in value.split("-"))))


def event(record: dict) -> dict | None:
    start, end, _ = meeting_span(record)
    if not start:
        return None
    headline = record.get("title") or record["id"]
    status = record.get("status") or "held"
    if status != "held":
        headline += f" ({status})"
    lines = []
    series = record.get("series") or {}
    if series.get("round"):
        lines.append(f"Round {series['round']} of {series.get('name') or series['id']}")
    venue = record.get("venue") or {}
    if venue:
        lines.append(", ".join(v for v in (venue.get("site"), venue.get("city"), venue["country"]) if v))
    summary = (record.get("outcome") or {}).get("summary")
    if summary:
        lines.append(summary)
    found = {"start_date": date_object(start)}
    if end:
        found["end_date"] = date_object(end)
    found["text"] = {"headline": escape(headline), "text": "".join(f"<p>{escape(line)}</p>" for line in lines)}
    if series:
        found["group"] = escape(series.get("name") or series["id"])  # TimelineJS shows it as HTML too
    found["unique_id"] = record["id"]
    return found


class Writer:
    """`{"title": ..., "events": [...]}`, an event as each record is read."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.count, self.left_out = stream, 0, Counter()
        self.stream.write('{"title": ' + json.dumps(TITLE) + ',\n "events": [')

    def add(self, record: dict) -> None:
        found = event(record)
        if found is None:
            self.left_out["meetings dated only by bounds (no start date)"] += 1
            return
        self.stream.write(("\n  " if not self.count else ",\n  ") + json.dumps(found, ensure_ascii=False))
        self.count += 1

    def close(self) -> list[str]:
        self.stream.write("\n ]\n}\n" if self.count else "]}\n")
        return [f"timelinejs: left out {what}: {count}" for what, count in sorted(self.left_out.items())]
