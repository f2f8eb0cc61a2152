"""Exporting the corpus as plain data for analysts: JSON Lines, one JSON array, or a flat
CSV table of agreements that opens in a spreadsheet.

CSV is opened in spreadsheets, which run a cell that looks like a formula; so text cells
are made spreadsheet-safe (`spreadsheet_safe`) unless the user asks for raw values. JSON
is read by programs, not spreadsheets, and always holds the values as they are.

Only records that load and match the schema are exported (corpus.collect reads them); the
others are reported as findings (and make the exit code 1), so an export never silently
drops a record.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from typing import Any, Iterable, TextIO

CYCLES_EVERY = 500  # records written between passes of the collector (the JSON array)

AGREEMENT_COLUMNS = ["record_id", "title", "date", "series", "round", "venue_city", "venue_country",
                     "agreement_id", "kind", "parties", "addressee", "agenda_item", "text", "evidence"]


def meeting_date(record: dict) -> str:
    dates = record.get("dates") or {}
    return dates.get("start") or dates.get("within") or ""


def agreement_rows(records: Iterable[dict]) -> Iterable[dict[str, Any]]:
    """One row per agreement, with the record's identifying columns repeated."""
    for record in records:
        series = record.get("series") or {}
        venue = record.get("venue") or {}
        for agreement in record.get("agreements") or []:
            yield {
                "record_id": record["id"],
                "title": record.get("title", ""),
                "date": meeting_date(record),
                "series": series.get("id", ""),
                "round": series.get("round", ""),
                "venue_city": venue.get("city", ""),
                "venue_country": venue.get("country", ""),
                "agreement_id": agreement.get("id", ""),
                "kind": agreement.get("kind", ""),
                "parties": ";".join(agreement.get("parties") or []),
                "addressee": agreement.get("addressee", ""),
                "agenda_item": agreement.get("agenda_item", ""),
                "text": agreement.get("text", ""),
                "evidence": " | ".join(f"{e.get('source')}: {e.get('quote')}" for e in agreement.get("evidence") or []),
            }


def render(records: list[dict], output_format: str, raw: bool = False) -> str:
    """The records in `output_format`; `raw` leaves CSV cells as the records have them."""
    buffer = io.StringIO()
    writer = Writer(buffer, output_format, raw)
    for record in records:
        writer.add(record)
    writer.close()
    return buffer.getvalue()


class Writer:
    """Writes records to a text stream one at a time, as `render` would write them all, so
    that an export never holds the corpus: JSON Lines a line each, the JSON array an item
    each, CSV the rows of each record's agreements."""

    def __init__(self, stream: TextIO, output_format: str, raw: bool = False) -> None:
        self.stream, self.format, self.count = stream, output_format, 0
        self.safe = (lambda value: value) if raw else spreadsheet_safe
        if output_format == "csv":
            self.csv = csv.DictWriter(stream, fieldnames=AGREEMENT_COLUMNS, lineterminator="\n")
            self.csv.writeheader()

    def add(self, record: dict) -> None:
        if self.format == "jsonl":
            self.stream.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        elif self.format == "json":
            # An item of json.dumps(records, indent=2): one level deeper than on its own.
            item = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            self.stream.write(("[\n  " if not self.count else ",\n  ") + item)
            if self.count % CYCLES_EVERY == CYCLES_EVERY - 1 and not gc.isenabled():
                # With an indent, json encodes in Python, with closures that refer to one
                # another: a reference cycle a call, which only the collector frees, and the
                # corpus is read with it off. A young-generation pass frees what these calls left.
                gc.collect(0)
        else:
            self.csv.writerows({key: self.safe(value) for key, value in row.items()} for row in agreement_rows([record]))
        self.count += 1

    def close(self) -> None:
        """End the output (the JSON array's bracket)."""
        if self.format == "json":
            self.stream.write("\n]\n" if self.count else "[]\n")


# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"): these first
# characters, also after leading spaces, which spreadsheets skip; and a tab, carriage return
# or line break first, behind which some spreadsheets still read a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
# A number such as -3 or +1.5e3 begins like a formula but is only a number: it stays as it is.
PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV text cell that a spreadsheet shows as text, never runs: one that starts like a
    formula gets a leading apostrophe, as OWASP advises, so that opening the export cannot
    run a formula a record smuggled in (`=cmd|' /C calc'!A0`, `@SUM(`, `+HYPERLINK(`).
    Anything not text (numbers, dates, booleans, empty cells) and text that is a plain
    number are left alone: they cannot hold a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS) or (value.lstrip().startswith(FORMULA_STARTS)
                                            and not PLAIN_NUMBER.fullmatch(value.strip())):
        return "'" + value
    return value
