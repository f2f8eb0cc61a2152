"""What record rules see: one valid document, and helpers to read it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ... import schema
from ...documents.files import DEFAULT_MAX_SOURCE_BYTES
from ...documents.loading import Document
from ...schema import walk as schema_walk


@dataclass
class RecordContext:
    document: Document
    sources_dir: Path | None
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES  # the largest source text read (`max-source-bytes`)
    _places: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def items(self, field: str):
        """(index, item) pairs of a top-level list field, absent meaning empty."""
        return enumerate(self.data.get(field) or [])

    def places(self, name: str) -> tuple[tuple[tuple, Any], ...]:
        """(json path, value) of every `name` property below the top level of the record,
        wherever the record's schema version allows one; found once per record, for the
        several rules that read the same places (evidence: five of them), and so a tuple."""
        found = self._places.get(name)
        if found is None:
            found = self._places[name] = tuple(places(self.data, name))
        return found


def places(data: dict[str, Any], name: str) -> list[tuple[tuple, Any]]:
    """(json path, value) of every `name` property (one of PLACED_FIELDS) below the top level
    of a record, wherever its schema version allows one: found through the schema, not by
    walking every node."""
    return [place for pattern in _patterns(schema.version_of(data), name)
            for place in schema_walk.values_at(data, pattern)]


# The fields rules look for wherever they stand; one walk of a schema finds them all.
PLACED_FIELDS = ("sources", "evidence", "country")


@lru_cache(maxsize=None)
def _all_patterns(version: str) -> dict[str, tuple[tuple, ...]]:
    return schema_walk.field_patterns(schema.load_cached(version), PLACED_FIELDS)


def _patterns(version: str, name: str) -> tuple[tuple, ...]:
    return _all_patterns(version)[name]


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\Z")


def span(value: str | None) -> tuple[date, date] | None:
    """The first and last day a (partial) date covers: "2026" is all of 2026."""
    if not isinstance(value, str):
        return None
    match = _PARTIAL.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day:
            exact = date(year, month, day)
            return exact, exact
        if month:
            first = date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def meeting_span(data: dict[str, Any]) -> tuple[date, date] | None:
    """The days a record's meeting covers, from dates.start/end or dates.within."""
    dates = data.get("dates") or {}
    if "start" in dates:
        start = span(dates["start"])
        end = span(dates.get("end", dates["start"]))
        if start and end:
            return start[0], max(start[1], end[1])
        return start
    return span(dates.get("within"))


def round_span(reference: dict[str, Any]) -> tuple[date, date] | None:
    """The days a round reference covers, from when (and until)."""
    when = span(reference.get("when"))
    until = span(reference.get("until"))
    if when and until:
        return when[0], max(when[1], until[1])
    return when


def disjoint(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    """True only when both spans are known and share no day: they cannot agree."""
    return bool(a and b) and (a[1] < b[0] or b[1] < a[0])


def describe(day_span: tuple[date, date]) -> str:
    first, last = day_span
    if last == date.max:  # a meeting known only by its not_before
        return f"{first.isoformat()} or later"
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
