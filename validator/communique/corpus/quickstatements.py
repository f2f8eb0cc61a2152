"""`export --format quickstatements`: Wikidata QuickStatements (the V1 command format) that
create an item for each meeting, or amend the meeting's item when the record gives its id.

A batch is reviewed and run by a person in the QuickStatements tool; this writes it and
runs nothing. Item-valued statements are written only where the record gives the value's
Wikidata id (schema 1.3's `wikidata` on the meeting, its series, parties, people and
places): an id is never guessed from a name. What could not be written for want of an id
is counted and said on standard error when the export ends, since V1 has no comments.

Syntax (V1, Help:QuickStatements): one command a line, fields separated by tabs. `CREATE`
makes an item that the following `LAST` lines amend; `Q123 P31 Q5` adds a statement to an
existing item; after the value come qualifier pairs (`P1545 "7"`) and then reference pairs
(`S854 "https://..."`); `Len "..."` and `Den "..."` set the English label and description.
A time is `+2025-11-21T00:00:00Z/11`, the number being its precision: 11 day, 10 month
(day written 00), 9 year (month and day 00).
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from .formats import Mapping, meeting_span, parties_by_id, people, places, qid, sources_by_id

# P31 (instance of) for every meeting: Q2761147, "meeting" (the general class of
# gatherings; summits, talks and dialogues are all meetings, and a narrower class would
# be a guess from the record's `kind`).
INSTANCE_OF = "Q2761147"
PRECISION = {"day": 11, "month": 10, "year": 9}
# Only a meeting that took place is given a time: a planned, postponed or cancelled one
# did not happen on the date the record gives (which is the announced one).
DATED_STATUSES = ("held", "downgraded")

MAPPING = [
    Mapping("wikidata", "subject", "the meeting's item when the record gives it; otherwise CREATE and LAST"),
    Mapping("title", "Len", "English label, for a new item only (an existing item's label is left alone)"),
    Mapping("kind, venue.city, dates", "Den", "English description, for a new item only"),
    Mapping("(every meeting)", "P31", f"instance of {INSTANCE_OF} (meeting)"),
    Mapping("series.wikidata, series.round", "P179", "part of the series, with qualifier P1545 (series ordinal)"),
    Mapping("parties[].wikidata; co_chairs, participants, delegation members' wikidata", "P710",
            "participant; a party or person without an id is left out, and counted on standard error"),
    Mapping("venue.wikidata, stops[].wikidata", "P276", "location"),
    Mapping("dates.start (one day), dates.within", "P585", "point in time: /11 day, /10 month, /9 year; "
            "only for a meeting held (status held or downgraded)"),
    Mapping("dates.start, dates.end (several days)", "P580, P582", "start and end time, /11"),
    Mapping("previous and next round (series.round +/- 1)", "P155, P156",
            "follows / followed by, between two meetings of a series whose items are both known"),
    Mapping("sources[].url (of the field's sources)", "S854", "reference URL, one reference per source"),
    Mapping("sources[].published", "S577", "the reference's publication date, beside its URL"),
]


def time_value(value: str, precision: str) -> str:
    """A partial ISO date as a V1 time: unknown month and day written 00."""
    year, month, day = (value.split("-") + ["00", "00"])[:3]
    return f"+{year}-{month}-{day}T00:00:00Z/{PRECISION[precision]}"


def text_value(value: str) -> str | None:
    """A V1 string: in double quotes, which V1 cannot escape; None when the text holds one."""
    value = " ".join(value.split())  # no tab or line break inside a field
    return None if '"' in value else f'"{value}"'


class Writer:
    """The commands for each meeting as it is read; the P155/P156 links between rounds when
    the export ends (from a small map per series: round -> item id, for meetings with one)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.rounds: dict[str, dict[int, str]] = {}
        self.left_out: Counter = Counter()
        self.examples: dict[str, set] = {}

    def _skip(self, what: str, example: str) -> None:
        self.left_out[what] += 1
        examples = self.examples.setdefault(what, set())
        if len(examples) < 5:
            examples.add(example)

    def _line(self, subject: str, prop: str, value: str, qualifiers=(), references=()) -> None:
        """A statement, once for each reference (QuickStatements adds each to one statement)."""
        head = "\t".join([subject, prop, value] + [part for pair in qualifiers for part in pair])
        for reference in references or [()]:
            self.stream.write("\t".join([head] + [part for pair in reference for part in pair]) + "\n")

    def add(self, record: dict) -> None:
        sources = sources_by_id(record)

        def cited(ids) -> list[list[tuple[str, str]]]:
            """A reference for each of these sources with a URL."""
            references = []
            for source in (sources.get(key) for key in ids or []):
                url = text_value(source["url"]) if source and source.get("url") else None
                if url:
                    reference = [("S854", url)]
                    if source.get("published"):
                        reference.append(("S577", time_value(source["published"], "day")))
                    references.append(reference)
            return references

        item = qid(record)
        subject = item or "LAST"
        if item is None:
            self.stream.write("CREATE\n")
            label = text_value(record.get("title") or "")
            if label and label != '""':
                self._line(subject, "Len", label)
            else:
                self._skip("labels (a title with a double quote, which V1 cannot write)", record["id"])
            description = text_value(self._description(record))
            if description:
                self._line(subject, "Den", description)
        self._line(subject, "P31", INSTANCE_OF)
        series = record.get("series") or {}
        if series:
            if qid(series):
                qualifiers = [("P1545", f'"{series["round"]}"')] if series.get("round") else []
                self._line(subject, "P179", qid(series), qualifiers)
                if item and isinstance(series.get("round"), int):
                    self.rounds.setdefault(series["id"], {})[series["round"]] = item
            else:
                self._skip("part of the series (P179): series without a wikidata id", series.get("id", ""))
        parties = parties_by_id(record)
        for key, party in parties.items():
            if qid(party):
                self._line(subject, "P710", qid(party), references=cited(party.get("sources")))
            else:
                self._skip("participant (P710): parties without a wikidata id", key)
        for person in people(record):
            if qid(person):
                self._line(subject, "P710", qid(person), references=cited(person.get("sources")))
            else:
                self._skip("participant (P710): people without a wikidata id", person.get("person_id") or person["name"])
        for place in places(record):
            if qid(place):
                self._line(subject, "P276", qid(place), references=cited(place.get("sources")))
            else:
                self._skip("location (P276): places without a wikidata id", place.get("city") or place["country"])
        self._dates(record, subject, cited((record.get("dates") or {}).get("sources")))

    def _dates(self, record: dict, subject: str, references) -> None:
        start, end, precision = meeting_span(record)
        if not start:
            if record.get("dates"):
                self._skip("time: meetings dated only by bounds (not_before, not_after)", record["id"])
            return
        if (record.get("status") or "held") not in DATED_STATUSES:
            self._skip("time: meetings not held (planned, postponed, cancelled)", record["id"])
            return
        if end:
            self._line(subject, "P580", time_value(start, precision), references=references)
            self._line(subject, "P582", time_value(end, "day"), references=references)
        else:
            self._line(subject, "P585", time_value(start, precision), references=references)

    @staticmethod
    def _description(record: dict) -> str:
        city = (record.get("venue") or {}).get("city")
        start = meeting_span(record)[0]
        return "diplomatic " + (record.get("kind") or "meeting") + (f" in {city}" if city else "") \
            + (f", {start}" if start else "")

    def close(self) -> list[str]:
        """Link consecutive rounds whose items are both known, and say what was left out."""
        for rounds in self.rounds.values():
            for number, item in sorted(rounds.items()):
                following = rounds.get(number + 1)
                if following:
                    self._line(item, "P156", following)
                    self._line(following, "P155", item)
        return [f"quickstatements: left out {count} {what} (e.g. {', '.join(sorted(self.examples[what]))})"
                for what, count in sorted(self.left_out.items())]
