"""Exporting the corpus as plain data for analysts: JSON Lines, one JSON array, or a flat
CSV table of agreements that opens in a spreadsheet.

Only records that load and match the schema are exported (corpus.collect reads them); the
others are reported as findings (and make the exit code 1), so an export never silently
drops a record.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable


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


def render(records: list[dict], output_format: str) -> str:
    if output_format == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n" for record in records)
    if output_format == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AGREEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in agreement_rows(records))
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: one that starts like a formula (=, +, -,
    @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises, so that
    opening the export cannot run a formula a record smuggled in. JSON exports are left as
    they are."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
