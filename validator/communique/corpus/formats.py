"""The export formats that other tools read (JSON-LD, QuickStatements, PLOVER, TimelineJS):
which module writes each, and what they share.

Each format has a module of its own with a `Writer` of one shape: `Writer(stream)`,
`add(record)` as each record is read, and `close()`, which ends the output and returns
notes for standard error (what could not be written, and why). A writer keeps at most a
small summary per series, never whole records, so an export of any size runs in bounded
memory. Each module also declares `MAPPING`, the record field each target property comes
from: the docs (docs/tables.md, written by tools/regenerate.py) are generated from it, and
a test holds every mapped property to the output, so the docs cannot drift from the writer.

A module is imported only when its format is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

# --format value -> the module under communique.corpus that writes it
MODULES = {"jsonld": "jsonld", "quickstatements": "quickstatements", "plover": "plover", "timelinejs": "timelinejs"}

# The Wikidata entity IRIs that `wikidata` ids (schema 1.3) stand for.
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class Mapping:
    """One line of a format's mapping: a record field, the target property it becomes, and
    how (a condition, a derived value, or why something is left out)."""

    field: str
    target: str
    note: str = ""


def module(output_format: str):
    """The module that writes `output_format` (imported on first use)."""
    return import_module(f"{__package__}.{MODULES[output_format]}")


def writer(stream, output_format: str):
    return module(output_format).Writer(stream)


def qid(entry: dict | None) -> str | None:
    """The Wikidata id a record gives for a thing (schema 1.3), if it looks like one."""
    value = (entry or {}).get("wikidata")
    if isinstance(value, str) and value[:1] == "Q" and value[1:].isdigit():
        return value
    return None


def parties_by_id(record: dict) -> dict[str, dict]:
    return {party["id"]: party for party in record.get("parties") or [] if "id" in party}


def roles(party: dict) -> list[str]:
    """Every part a party played: `roles`, or `role`, or participant when the record gives none."""
    return list(party.get("roles") or [party.get("role") or "participant"])


def people(record: dict):
    """Every named person of a meeting, once each (by person_id), in the record's order:
    co-chairs, participants, named delegation members."""
    seen = set()
    named = list(record.get("co_chairs") or []) + list(record.get("participants") or [])
    for delegation in record.get("delegations") or []:
        named += [dict(member, party=member.get("party") or delegation.get("party"))
                  for member in delegation.get("members") or [] if member.get("name")]
    for person in named:
        key = person.get("person_id") or person.get("name")
        if key and key not in seen:
            seen.add(key)
            yield person


def meeting_span(record: dict) -> tuple[str, str | None, str]:
    """(start, end, precision) of a meeting as the record dates it: a day, or the month or
    year of `within`; ("", None, "") when it gives only bounds (not_before, not_after),
    which no single date can stand for."""
    dates = record.get("dates") or {}
    if dates.get("start"):
        end = dates.get("end")
        return dates["start"], (end if end and end != dates["start"] else None), "day"
    within = dates.get("within")
    if within:
        return within, None, "month" if len(within) == 7 else "day" if len(within) == 10 else "year"
    return "", None, ""


def places(record: dict) -> list[dict]:
    """Where a meeting was held: its venue, then each further stop, as the record gives them."""
    return ([record["venue"]] if record.get("venue") else []) + list(record.get("stops") or [])


def sources_by_id(record: dict) -> dict[str, dict]:
    return {source["id"]: source for source in record.get("sources") or [] if "id" in source}
