"""The tidy tables of the corpus: one fact per row, one value per cell.

Each table is declared once, here: its columns (name, type, and the schema field that
describes it), its key, its references to other tables, and the function that turns one
record into rows. The Data Package descriptor, the SQLite tables, the Datasette metadata
and the statistics are all built from these declarations, and a test holds each column's
type and description to the JSON Schema, so the outputs cannot drift from the contract.

Dates: a partial date ("2025-10") becomes two typed dates, the first and the last day it
can be, with its precision (day, month or year) beside them, and the words of the source
in a column of their own. A value the record marks inferred, disputed or uncertain keeps
its value here; the caveat itself is a row of `caveats`, and its competing values rows of
`claims`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from ..lint.rules.context import places, span

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    # JSON Pointer into the latest schema to the field this column holds; its description
    # (and enum, if any) describe the column. None for a column the tables derive.
    field: str | None = None
    description: str | None = None  # for derived columns, or to say more than the schema


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # (columns here, other table, its columns)
    references: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]
    rows: Callable[[dict], Iterable[Row]]
    search: tuple[str, ...] = ()  # columns indexed for full-text search
    facets: tuple[str, ...] = ()  # columns worth faceting on when browsing

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


TABLES: dict[str, Table] = {}


def table(name: str, description: str, columns: list[Column], *, key, references=(), search=(), facets=()):
    """Register the decorated row function as the rows of table `name`."""

    def register(rows):
        TABLES[name] = Table(name, description, tuple(columns), tuple(key),
                             tuple((tuple(mine), other, tuple(theirs)) for mine, other, theirs in references),
                             rows, tuple(search), tuple(facets))
        return rows

    return register


# Shorthands for the declarations below.
def D(definition: str, prop: str) -> str:
    return f"/$defs/{definition}/properties/{prop}"


def P(prop: str, *more: str) -> str:
    return "/properties/" + "/properties/".join((prop, *more))


RECORD_ID = Column("record_id", "string", P("id"), "Id of the record (the meeting) this row belongs to.")
TO_MEETING = (("record_id",), "meetings", ("record_id",))
TO_PARTY = (("party_id",), "parties", ("party_id",))
PRECISION = ("day", "month", "year")


def pointer(*steps) -> str:
    """JSON Pointer of a place in a record, as caveats and findings write it."""
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in steps)


def date_columns(prefix: str, field: str | None, what: str) -> list[Column]:
    return [
        Column(f"{prefix}_from", "date", field, f"First day {what} can be: the day itself when known to the day."),
        Column(f"{prefix}_to", "date", None, f"Last day {what} can be: the last day of the month or year for a "
                                             "partial date, the end for a span."),
        Column(f"{prefix}_precision", "string", None, "How precisely the sources give it: day, month or year."),
    ]


def date_values(prefix: str, value: str | None, until: str | None = None) -> Row:
    """A (partial) date as first day, last day and precision; an end date widens the span."""
    covered = span(value)
    if covered is None:
        return {f"{prefix}_from": None, f"{prefix}_to": None, f"{prefix}_precision": None}
    last = covered[1]
    widened = span(until)
    if widened:
        last = max(last, widened[1])
    return {f"{prefix}_from": covered[0], f"{prefix}_to": last, f"{prefix}_precision": precision(value)}


def precision(value: str) -> str:
    return PRECISION[2 - value.count("-")]


def first_day(value: str | None) -> date | None:
    covered = span(value)
    return covered[0] if covered else None


def last_day(value: str | None) -> date | None:
    covered = span(value)
    return covered[1] if covered else None


def items(record: dict, field: str) -> list[dict]:
    return [item for item in record.get(field) or [] if isinstance(item, dict)]


def caveat_kinds(record: dict, prefix: str) -> set[str]:
    """Kinds of the caveats on `prefix` or anything below it."""
    return {caveat["kind"] for caveat in items(record, "caveats")
            if caveat.get("path") == prefix or str(caveat.get("path", "")).startswith(prefix + "/")}


def party_roles(party: dict) -> list[str]:
    """A party's roles; 'participant' when it gives none, as the schema says."""
    return list(party.get("roles") or [party.get("role", "participant")])


# --- meetings -----------------------------------------------------------------------------

@table("meetings", "One row per record: a meeting, with its series, dates, venue and outcome.", [
    Column("record_id", "string", P("id")),
    Column("title", "string", P("title")),
    Column("wikidata", "string", P("wikidata")),
    Column("kind", "string", P("kind")),
    Column("level", "string", P("level")),
    Column("status", "string", None, "Whether the meeting took place: held (also when the record does not say), "
                                     "planned, postponed, cancelled or downgraded (held at a lower level than "
                                     "announced); see status_change in the record."),
    Column("series_id", "string", P("series", "id")),
    Column("round", "integer", P("series", "round")),
    Column("edition", "string", P("series", "edition")),
    Column("start", "date", P("dates", "start"),
           "First day the meeting can have been held: dates.start, or the first day of dates.within."),
    Column("end", "date", P("dates", "end"),
           "Last day the meeting can have been held: dates.end (or start, for one day), or the last day "
           "of dates.within."),
    Column("date_precision", "string", None, "How precisely the sources date the meeting: day, month or year."),
    Column("dates_as_stated", "string", P("dates", "as_stated")),
    Column("weekday", "string", P("dates", "weekday")),
    Column("dates_inferred", "boolean", None, "True when a caveat marks the dates as the encoder's inference."),
    Column("dates_disputed", "boolean", None, "True when a caveat records sources that disagree on the dates "
                                              "(see claims)."),
    Column("venue_city", "string", D("place", "city")),
    Column("venue_country", "string", None, "ISO 3166-1 alpha-2 code of the country of the venue."),
    Column("venue_site", "string", D("place", "site")),
    Column("venue_wikidata", "string", D("place", "wikidata")),
    Column("occasion", "string", D("occasion", "text")),
    Column("anniversary", "integer", D("occasion", "anniversary")),
    Column("result", "string", D("outcome", "result")),
    Column("outcome", "string", D("outcome", "summary")),
    Column("notes", "string", P("notes")),
    Column("schema_version", "string", P("schema_version")),
    Column("file", "string", None, "Path of the record file, relative to the folder of the configuration (or "
                                   "the working folder when there is none), with / between folders."),
], key=["record_id"], references=[(("series_id",), "series", ("series_id",))],
   search=["title", "outcome"], facets=["kind", "level", "status", "series_id", "result", "venue_country"])
def meetings(record: dict) -> Iterable[Row]:
    series, dates = record.get("series") or {}, record.get("dates") or {}
    venue, occasion, outcome = record.get("venue") or {}, record.get("occasion") or {}, record.get("outcome") or {}
    if "start" in dates:
        known = {"start": first_day(dates["start"]), "end": last_day(dates.get("end", dates["start"])),
                 "date_precision": "day"}
    elif "within" in dates:
        known = {"start": first_day(dates["within"]), "end": last_day(dates["within"]),
                 "date_precision": precision(dates["within"])}
    else:
        known = {"start": None, "end": None, "date_precision": None}
    caveats = caveat_kinds(record, "/dates")
    yield {
        "record_id": record["id"], "title": record.get("title"), "wikidata": record.get("wikidata"),
        "kind": record.get("kind"),
        "level": record.get("level"), "status": record.get("status", "held"), "series_id": series.get("id"),
        "round": series.get("round"),
        "edition": series.get("edition"), **known, "dates_as_stated": dates.get("as_stated"),
        "weekday": dates.get("weekday"), "dates_inferred": "inferred" in caveats,
        "dates_disputed": "disputed" in caveats, "venue_city": venue.get("city"),
        "venue_country": venue.get("country"), "venue_site": venue.get("site"),
        "venue_wikidata": venue.get("wikidata"), "occasion": occasion.get("text"), "anniversary": occasion.get("anniversary"),
        "result": outcome.get("result"), "outcome": outcome.get("summary"), "notes": record.get("notes"),
        "schema_version": record.get("schema_version"), "file": None,  # set by record_rows()
    }


# --- series, parties, people: one row each across the corpus (see corpus_rows) --------------

@table("series", "One row per series, named by its most recent record.", [
    Column("series_id", "string", P("series", "id")),
    Column("name", "string", P("series", "name")),
    Column("periodicity", "string", P("series", "periodicity")),
    Column("wikidata", "string", P("series", "wikidata")),
], key=["series_id"])
def series(record: dict) -> Iterable[Row]:
    own = record.get("series") or {}
    if own.get("id"):
        yield {"series_id": own["id"], "name": own.get("name"), "periodicity": own.get("periodicity"),
               "wikidata": own.get("wikidata")}
    for _, reference in round_references(record):
        if reference.get("series"):
            yield {"series_id": reference["series"], "name": None, "periodicity": None, "wikidata": None}


@table("series_aliases", "Other names a series went by, as each record gives them.", [
    RECORD_ID,
    Column("series_id", "string", P("series", "id")),
    Column("name", "string", D("series_alias", "name")),
    Column("first_round", "integer", D("series_alias", "first_round")),
    Column("last_round", "integer", D("series_alias", "last_round")),
    Column("as_stated", "string", D("series_alias", "as_stated")),
], key=["record_id", "name"], references=[TO_MEETING, (("series_id",), "series", ("series_id",))])
def series_aliases(record: dict) -> Iterable[Row]:
    own = record.get("series") or {}
    for alias in items(own, "aliases"):
        yield {"record_id": record["id"], "series_id": own.get("id"), "name": alias["name"],
               "first_round": alias.get("first_round"), "last_round": alias.get("last_round"),
               "as_stated": alias.get("as_stated")}


@table("parties", "One row per party id across the corpus, named by its most recent record.", [
    Column("party_id", "string", D("party", "id")),
    Column("name", "string", D("party", "name")),
    Column("kind", "string", D("party", "kind")),
    Column("country", "string", None, "ISO 3166-1 alpha-2 code, for a state or an authority governing one."),
    Column("wikidata", "string", D("party", "wikidata")),
], key=["party_id"], facets=["kind"])
def parties(record: dict) -> Iterable[Row]:
    named = items(record, "parties") + [third for agreement in items(record, "agreements")
                                        for third in items(agreement, "third_parties")]
    for party in named:
        yield {"party_id": party["id"], "name": party.get("name"), "kind": party.get("kind"),
               "country": party.get("country"), "wikidata": party.get("wikidata")}


@table("meeting_parties", "One row per party of a meeting: who took part, as the record names them.", [
    RECORD_ID,
    Column("party_id", "string", D("party", "id")),
    Column("name", "string", D("party", "name")),
    Column("unnamed", "boolean", D("party", "unnamed")),
    Column("as_stated", "string", D("party", "as_stated")),
    Column("kind", "string", D("party", "kind")),
    Column("country", "string", None, "ISO 3166-1 alpha-2 code, for a state or an authority governing one."),
    Column("convened", "boolean", None, "True when the party convened the meeting or invited the others "
                                        "(convened_by)."),
], key=["record_id", "party_id"], references=[TO_MEETING, TO_PARTY], facets=["kind", "party_id"])
def meeting_parties(record: dict) -> Iterable[Row]:
    convened = set((record.get("convened_by") or {}).get("parties") or [])
    for party in items(record, "parties"):
        yield {"record_id": record["id"], "party_id": party["id"], "name": party.get("name"),
               "unnamed": bool(party.get("unnamed")), "as_stated": party.get("as_stated"),
               "kind": party.get("kind"), "country": party.get("country"), "convened": party["id"] in convened}


@table("party_roles", "One row per part a party played in a meeting (participant when the record gives none).", [
    RECORD_ID,
    Column("party_id", "string", D("party", "id")),
    Column("role", "string", D("party", "role")),
], key=["record_id", "party_id", "role"],
   references=[TO_MEETING, (("record_id", "party_id"), "meeting_parties", ("record_id", "party_id"))],
   facets=["role"])
def roles(record: dict) -> Iterable[Row]:
    for party in items(record, "parties"):
        for role in dict.fromkeys(party_roles(party)):
            yield {"record_id": record["id"], "party_id": party["id"], "role": role}


@table("memberships", "One row per organisation of a meeting that a party of it is a member of.", [
    RECORD_ID,
    Column("party_id", "string", D("party", "id")),
    Column("member_of", "string", None, "Id of the organisation (a party of the same meeting)."),
], key=["record_id", "party_id", "member_of"],
   references=[TO_MEETING, (("record_id", "party_id"), "meeting_parties", ("record_id", "party_id")),
               (("record_id", "member_of"), "meeting_parties", ("record_id", "party_id"))])
def memberships(record: dict) -> Iterable[Row]:
    for party in items(record, "parties"):
        for organisation in dict.fromkeys(party.get("member_of") or []):
            yield {"record_id": record["id"], "party_id": party["id"], "member_of": organisation}


@table("people", "One row per person id across the corpus, named as in their most recent record.", [
    Column("person_id", "string", D("person", "person_id")),
    Column("name", "string", D("person", "name")),
    Column("wikidata", "string", D("person", "wikidata")),
], key=["person_id"])
def people(record: dict) -> Iterable[Row]:
    for _, person, _ in persons(record):
        if person.get("person_id"):  # an official known by post alone (1.2) is no one to follow
            yield {"person_id": person["person_id"], "name": person.get("name"), "wikidata": person.get("wikidata")}


def persons(record: dict) -> Iterable[tuple[str, dict, str]]:
    """(JSON Pointer, person, capacity) of every named person of a record."""
    for index, person in enumerate(record.get("co_chairs") or []):
        yield pointer("co_chairs", index), person, "co-chair"
    for index, delegation in enumerate(record.get("delegations") or []):
        for m_index, member in enumerate(delegation.get("members") or []):
            yield pointer("delegations", index, "members", m_index), {"party": delegation.get("party"), **member}, \
                "delegation"
    for index, person in enumerate(record.get("participants") or []):
        yield pointer("participants", index), person, "participant"


@table("participations", "One row per person named in a meeting: as co-chair, delegation member or participant.", [
    RECORD_ID,
    Column("path", "string", None, "JSON Pointer to the person in the record."),
    Column("person_id", "string", D("person", "person_id")),
    Column("name", "string", None, "Name as this record spells it."),
    Column("party_id", "string", D("person", "party")),
    Column("capacity", "string", None, "Where the record lists the person: co-chair (co_chairs), delegation "
                                       "(delegations' members) or participant (participants)."),
    Column("role", "string", D("person", "role")),
    Column("title", "string", D("person", "title")),
], key=["record_id", "path"], references=[TO_MEETING, (("person_id",), "people", ("person_id",)), TO_PARTY],
   facets=["capacity", "role", "party_id"])
def participations(record: dict) -> Iterable[Row]:
    for path, person, capacity in persons(record):
        yield {"record_id": record["id"], "path": path, "person_id": person.get("person_id"), "name": person.get("name"),
               "party_id": person.get("party"), "capacity": capacity, "role": person.get("role"),
               "title": person.get("title")}


@table("delegations", "One row per delegation a record describes.", [
    RECORD_ID,
    Column("path", "string", None, "JSON Pointer to the delegation in the record."),
    Column("party_id", "string", D("delegation", "party")),
    Column("size", "integer", D("delegation", "size")),
    Column("as_stated", "string", D("delegation", "as_stated")),
], key=["record_id", "path"], references=[TO_MEETING, TO_PARTY])
def delegations(record: dict) -> Iterable[Row]:
    for index, delegation in enumerate(record.get("delegations") or []):
        yield {"record_id": record["id"], "path": pointer("delegations", index), "party_id": delegation.get("party"),
               "size": delegation.get("size"), "as_stated": delegation.get("as_stated")}


# --- what was discussed and agreed ---------------------------------------------------------

@table("agenda_items", "One row per agenda item of a meeting.", [
    RECORD_ID,
    Column("item_id", "string", D("agenda_item", "id")),
    Column("topic", "string", D("agenda_item", "topic")),
    Column("summary", "string", D("agenda_item", "summary")),
], key=["record_id", "item_id"], references=[TO_MEETING], search=["topic", "summary"])
def agenda_items(record: dict) -> Iterable[Row]:
    for item in items(record, "agenda"):
        yield {"record_id": record["id"], "item_id": item["id"], "topic": item.get("topic"),
               "summary": item.get("summary")}


@table("agreements", "One row per agreement: what the sides agreed, reaffirmed, called for or welcomed.", [
    RECORD_ID,
    Column("agreement_id", "string", D("agreement", "id")),
    Column("kind", "string", D("agreement", "kind")),
    Column("text", "string", D("agreement", "text")),
    Column("addressee", "string", D("agreement", "addressee")),
    # Not declared a foreign key: Frictionless refuses a composite key with one part empty
    # (an agreement under no agenda item); a test holds every item_id to agenda_items.
    Column("item_id", "string", D("agreement", "agenda_item")),
], key=["record_id", "agreement_id"], references=[TO_MEETING],
   search=["text"], facets=["kind"])
def agreements(record: dict) -> Iterable[Row]:
    for agreement in items(record, "agreements"):
        yield {"record_id": record["id"], "agreement_id": agreement["id"], "kind": agreement.get("kind"),
               "text": agreement.get("text"), "addressee": agreement.get("addressee"),
               "item_id": agreement.get("agenda_item")}


TO_AGREEMENT = (("record_id", "agreement_id"), "agreements", ("record_id", "agreement_id"))


@table("agreement_parties", "One row per party that made, or is bound by, an agreement.", [
    RECORD_ID,
    Column("agreement_id", "string", D("agreement", "id")),
    Column("party_id", "string", None, "Id of a party of the meeting that made or is bound by the agreement."),
], key=["record_id", "agreement_id", "party_id"],
   references=[TO_AGREEMENT, (("record_id", "party_id"), "meeting_parties", ("record_id", "party_id"))])
def agreement_parties(record: dict) -> Iterable[Row]:
    for agreement in items(record, "agreements"):
        for party in dict.fromkeys(agreement.get("parties") or []):
            yield {"record_id": record["id"], "agreement_id": agreement["id"], "party_id": party}


@table("third_parties", "One row per party outside the meeting that an agreement names.", [
    RECORD_ID,
    Column("agreement_id", "string", D("agreement", "id")),
    Column("party_id", "string", D("third_party", "id")),
    Column("name", "string", D("third_party", "name")),
    Column("kind", "string", D("third_party", "kind")),
], key=["record_id", "agreement_id", "party_id"], references=[TO_AGREEMENT, TO_PARTY])
def third_parties(record: dict) -> Iterable[Row]:
    for agreement in items(record, "agreements"):
        for third in items(agreement, "third_parties"):
            yield {"record_id": record["id"], "agreement_id": agreement["id"], "party_id": third["id"],
                   "name": third.get("name"), "kind": third.get("kind")}


@table("amounts", "One row per sum of money an agreement states.", [
    RECORD_ID,
    Column("agreement_id", "string", D("agreement", "id")),
    Column("position", "integer", None, "Place of the amount in the agreement's list, from 1."),
    Column("value", "number", D("amount", "value")),
    Column("currency", "string", None, "ISO 4217 code of the currency."),
    Column("by", "string", D("amount", "by")),
    Column("as_stated", "string", D("amount", "as_stated")),
], key=["record_id", "agreement_id", "position"], references=[TO_AGREEMENT], facets=["currency"])
def amounts(record: dict) -> Iterable[Row]:
    for agreement in items(record, "agreements"):
        for position, amount in enumerate(items(agreement, "amounts"), 1):
            yield {"record_id": record["id"], "agreement_id": agreement["id"], "position": position,
                   "value": amount["value"], "currency": amount["currency"], "by": amount.get("by"),
                   "as_stated": amount.get("as_stated")}


@table("frameworks", "One row per framework (plan, programme, process, instrument) a record names.", [
    RECORD_ID,
    Column("framework_id", "string", D("framework", "id")),
    Column("name", "string", D("framework", "name")),
    Column("abbreviation", "string", D("framework", "abbreviation")),
    Column("kind", "string", D("framework", "kind")),
    Column("year", "integer", D("framework", "year")),
], key=["record_id", "framework_id"], references=[TO_MEETING], facets=["kind"])
def frameworks(record: dict) -> Iterable[Row]:
    for framework in items(record, "frameworks"):
        yield {"record_id": record["id"], "framework_id": framework["id"], "name": framework.get("name"),
               "abbreviation": framework.get("abbreviation"), "kind": framework.get("kind"),
               "year": framework.get("year")}


@table("framework_links", "One row per reference to a framework: the meeting held under it, an agenda item or "
                          "an agreement that concerns it.", [
    RECORD_ID,
    Column("framework_id", "string", D("framework", "id")),
    Column("path", "string", None, "JSON Pointer to what refers to the framework: /held_under, an "
                                   "agenda item or an agreement."),
    Column("link", "string", None, "held-under, agenda-item or agreement."),
], key=["record_id", "framework_id", "path"],
   references=[(("record_id", "framework_id"), "frameworks", ("record_id", "framework_id"))], facets=["link"])
def framework_links(record: dict) -> Iterable[Row]:
    def row(framework, path, link):
        return {"record_id": record["id"], "framework_id": framework, "path": path, "link": link}

    for framework in dict.fromkeys(record.get("held_under") or []):
        yield row(framework, "/held_under", "held-under")
    for field, link in (("agenda", "agenda-item"), ("agreements", "agreement")):
        for item in items(record, field):
            for framework in dict.fromkeys(item.get("frameworks") or []):
                yield row(framework, pointer(field, item["id"]), link)


@table("proposals", "One row per proposal left open when a meeting ended.", [
    RECORD_ID,
    Column("position", "integer", None, "Place of the proposal in outcome.pending, from 1."),
    Column("text", "string", D("proposal", "text")),
    Column("by", "string", None, "Ids of the parties that made it, joined by ', ' (the record lists them)."),
], key=["record_id", "position"], references=[TO_MEETING])
def proposals(record: dict) -> Iterable[Row]:
    for position, proposal in enumerate(items(record.get("outcome") or {}, "pending"), 1):
        yield {"record_id": record["id"], "position": position, "text": proposal.get("text"),
               "by": ", ".join(proposal.get("by") or []) or None}


@table("side_events", "One row per event held alongside a meeting.", [
    RECORD_ID,
    Column("event_id", "string", D("side_event", "id")),
    Column("title", "string", D("side_event", "title")),
    Column("kind", "string", D("side_event", "kind")),
    *date_columns("when", D("side_event", "when"), "the event"),
    Column("venue_city", "string", D("place", "city")),
    Column("summary", "string", D("side_event", "summary")),
], key=["record_id", "event_id"], references=[TO_MEETING], facets=["kind"])
def side_events(record: dict) -> Iterable[Row]:
    for event in items(record, "side_events"):
        yield {"record_id": record["id"], "event_id": event["id"], "title": event.get("title"),
               "kind": event.get("kind"), **date_values("when", event.get("when")),
               "venue_city": (event.get("venue") or {}).get("city"), "summary": event.get("summary")}


@table("stops", "One row per further place of a visit or meeting, besides its venue.", [
    RECORD_ID,
    Column("position", "integer", None, "Place of the stop in the record's stops, from 1."),
    Column("city", "string", D("stop", "city")),
    Column("country", "string", None, "ISO 3166-1 alpha-2 code of the country of the stop."),
    Column("site", "string", D("stop", "site")),
    Column("start", "date", "/$defs/stop/properties/dates/properties/start",
           "Day the visit reached the stop."),
    Column("end", "date", "/$defs/stop/properties/dates/properties/end",
           "Last day there, for more than one day (else the start)."),
], key=["record_id", "position"], references=[TO_MEETING], facets=["country"])
def stops(record: dict) -> Iterable[Row]:
    for position, stop in enumerate(items(record, "stops"), 1):
        dates = stop.get("dates") or {}
        yield {"record_id": record["id"], "position": position, "city": stop.get("city"),
               "country": stop.get("country"), "site": stop.get("site"), "start": first_day(dates.get("start")),
               "end": last_day(dates.get("end") or dates.get("start"))}


@table("documents", "One row per official document a meeting produced.", [
    RECORD_ID,
    Column("document_id", "string", D("document", "id")),
    Column("kind", "string", D("document", "kind")),
    Column("title", "string", D("document", "title")),
    Column("issuer", "string", D("document", "issuer")),
    Column("issued", "date", "/$defs/document/properties/issued/properties/date"),
    Column("issued_weekday", "string", "/$defs/document/properties/issued/properties/weekday"),
    Column("issued_as_stated", "string", "/$defs/document/properties/issued/properties/as_stated"),
    Column("issued_by", "string", None, "Ids of the parties that issued it, joined by ', '."),
], key=["record_id", "document_id"], references=[TO_MEETING], search=["title"], facets=["kind"])
def documents(record: dict) -> Iterable[Row]:
    for document in items(record, "documents"):
        issued = document.get("issued") or {}
        yield {"record_id": record["id"], "document_id": document["id"], "kind": document.get("kind"),
               "title": document.get("title"), "issuer": document.get("issuer"),
               "issued": first_day(issued.get("date")), "issued_weekday": issued.get("weekday"),
               "issued_as_stated": issued.get("as_stated"),
               "issued_by": ", ".join(document.get("issued_by") or []) or None}


# --- rounds: what each record says of other rounds ----------------------------------------

def round_references(record: dict) -> Iterable[tuple[str, dict]]:
    """(JSON Pointer, round reference) of next_round, previous_rounds and related_rounds."""
    if isinstance(record.get("next_round"), dict):
        yield pointer("next_round"), record["next_round"]
    for field in ("previous_rounds", "related_rounds"):
        for index, reference in enumerate(record.get(field) or []):
            yield pointer(field, index), reference


@table("rounds", "One row per round a record mentions: the next round, earlier rounds, rounds of other series.", [
    RECORD_ID,
    Column("path", "string", None, "JSON Pointer to the mention: /next_round, /previous_rounds/N or "
                                   "/related_rounds/N."),
    Column("series_id", "string", D("round_reference", "series"),
           "Id of the series the round belongs to (the record's own for next and previous rounds)."),
    Column("round", "integer", D("round_reference", "round")),
    Column("edition", "string", D("round_reference", "edition")),
    Column("status", "string", D("round_reference", "status")),
    *date_columns("when", D("round_reference", "when"), "the round"),
    Column("not_before", "date", D("round_reference", "not_before"),
           "First day of the earliest time the sources allow for it."),
    Column("not_after", "date", D("round_reference", "not_after"),
           "Last day of the latest time the sources allow for it."),
    Column("venue_city", "string", D("place", "city")),
    Column("venue_country", "string", None, "ISO 3166-1 alpha-2 code of the country of the venue."),
    Column("as_stated", "string", D("round_reference", "as_stated")),
], key=["record_id", "path"], references=[TO_MEETING, (("series_id",), "series", ("series_id",))],
   facets=["status", "series_id"])
def rounds(record: dict) -> Iterable[Row]:
    own_series = (record.get("series") or {}).get("id")
    for path, reference in round_references(record):
        venue = reference.get("venue") or {}
        yield {"record_id": record["id"], "path": path,
               "series_id": reference.get("series") or (None if path.startswith("/related") else own_series),
               "round": reference.get("round"), "edition": reference.get("edition"),
               "status": reference.get("status", "planned" if path == "/next_round" else None),
               **date_values("when", reference.get("when"), reference.get("until")),
               "not_before": first_day(reference.get("not_before")), "not_after": last_day(reference.get("not_after")),
               "venue_city": venue.get("city"), "venue_country": venue.get("country"),
               "as_stated": reference.get("as_stated")}


# --- where each fact comes from -----------------------------------------------------------

@table("sources", "One row per source text a record was encoded from.", [
    RECORD_ID,
    Column("source_id", "string", D("source", "id")),
    Column("kind", "string", D("source", "kind")),
    Column("title", "string", D("source", "title")),
    Column("publisher", "string", D("source", "publisher")),
    Column("published", "date", D("source", "published")),
    Column("url", "string", D("source", "url")),
    Column("describes", "string", D("source", "describes")),
], key=["record_id", "source_id"], references=[TO_MEETING], facets=["kind", "publisher"])
def sources(record: dict) -> Iterable[Row]:
    for source in items(record, "sources"):
        yield {"record_id": record["id"], "source_id": source["id"], "kind": source.get("kind"),
               "title": source.get("title"), "publisher": source.get("publisher"),
               "published": first_day(source.get("published")), "url": source.get("url"),
               "describes": source.get("describes")}


TO_SOURCE = (("record_id", "source_id"), "sources", ("record_id", "source_id"))


def holder_pointer(record: dict, path: tuple) -> str:
    """JSON Pointer of a node, naming list items that have an id by their id (as caveats do)."""
    steps, node = [], record
    for step in path:
        child = node[step]
        if isinstance(node, list) and isinstance(child, dict) and isinstance(child.get("id"), str):
            steps.append(child["id"])
        else:
            steps.append(step)
        node = child
    return pointer(*steps)


@table("evidence", "One row per evidence quote, with the source it cites and the field it supports.", [
    RECORD_ID,
    Column("path", "string", None, "JSON Pointer to what the quote supports (an agreement, the outcome, a round)."),
    Column("position", "integer", None, "Place of the quote in that field's evidence, from 1."),
    Column("agreement_id", "string", None, "Id of the agreement, when the quote supports one."),
    Column("source_id", "string", D("evidence", "source")),
    Column("quote", "string", D("evidence", "quote")),
], key=["record_id", "path", "position"], references=[TO_SOURCE], search=["quote"], facets=["source_id"])
def evidence(record: dict) -> Iterable[Row]:
    for path, value in places(record, "evidence"):
        if isinstance(value, list):
            holder = holder_pointer(record, path[:-1])
            agreement = record["agreements"][path[1]]["id"] if path[0] == "agreements" and len(path) == 3 else None
            for position, quote in enumerate(value, 1):
                yield {"record_id": record["id"], "path": holder, "position": position, "agreement_id": agreement,
                       "source_id": quote.get("source"), "quote": quote.get("quote")}


@table("citations", "One row per source a field of a record cites in its `sources` list.", [
    RECORD_ID,
    Column("path", "string", None, "JSON Pointer to the field whose `sources` list cites the source."),
    Column("source_id", "string", None, "Id of the cited source (a source of the same record)."),
], key=["record_id", "path", "source_id"], references=[TO_SOURCE], facets=["source_id"])
def citations(record: dict) -> Iterable[Row]:
    for path, value in places(record, "sources"):
        if isinstance(value, list):
            holder = holder_pointer(record, path[:-1])
            for source in dict.fromkeys(value):
                yield {"record_id": record["id"], "path": holder, "source_id": source}


@table("caveats", "One row per caveat: a value the encoder inferred, one the sources dispute, or one uncertain.", [
    RECORD_ID,
    Column("position", "integer", None, "Place of the caveat in the record's caveats, from 1."),
    Column("path", "string", D("caveat", "path")),
    Column("kind", "string", D("caveat", "kind")),
    Column("note", "string", D("caveat", "note")),
], key=["record_id", "position"], references=[TO_MEETING], search=["note"], facets=["kind"])
def caveats(record: dict) -> Iterable[Row]:
    for position, caveat in enumerate(items(record, "caveats"), 1):
        yield {"record_id": record["id"], "position": position, "path": caveat.get("path"),
               "kind": caveat.get("kind"), "note": caveat.get("note")}


@table("claims", "One row per value that a source gives for a disputed field.", [
    RECORD_ID,
    Column("caveat", "integer", None, "Place of the caveat in the record's caveats, from 1."),
    Column("position", "integer", None, "Place of the claim in the caveat's claims, from 1."),
    Column("value", "string", D("claim", "value"), "The value as it would stand in the field, as JSON "
                                                   "(a string in quotes, a list in brackets)."),
    Column("sources", "string", None, "Ids of the sources that give it, joined by ', '."),
], key=["record_id", "caveat", "position"],
   references=[(("record_id", "caveat"), "caveats", ("record_id", "position"))])
def claims(record: dict) -> Iterable[Row]:
    for number, caveat in enumerate(items(record, "caveats"), 1):
        for position, claim in enumerate(items(caveat, "claims"), 1):
            yield {"record_id": record["id"], "caveat": number, "position": position,
                   "value": json.dumps(claim.get("value"), ensure_ascii=False),
                   "sources": ", ".join(claim.get("sources") or [])}


# --- the whole corpus ---------------------------------------------------------------------

# Tables with one row per id across the corpus: the value from the most recent record wins,
# and a reference to an id no record names still gets a row, so that every key resolves.
CORPUS_WIDE = {"series": "series_id", "parties": "party_id", "people": "person_id"}


def record_rows(record: dict, path: str) -> dict[str, list[Row]]:
    """Every table's rows for one record (for the corpus-wide tables, what it says of them)."""
    rows = {name: list(spec.rows(record)) for name, spec in TABLES.items()}
    rows["meetings"][0]["file"] = path
    return rows


def build(entries: Iterable) -> dict[str, list[Row]]:
    """Every table's rows for `entries` (collect.Entry, with its rows or its data), in memory.
    Meetings come in date order; in the corpus-wide tables the most recent record wins."""
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    for name, chunk in stream(sorted(entries, key=lambda entry: entry.recency)):
        rows[name].extend(chunk)
    return rows


def stream(entries: Iterable, chunk: int = 1000) -> Iterator[tuple[str, list[Row]]]:
    """(table name, rows) in pieces: each table's pieces, joined, are its rows as `build`
    gives them. `entries` must come in recency order (collect.Spool.in_recency_order). Only
    what must wait for the last record is held: the corpus-wide tables (one row per id) in
    memory, and the meetings, which go out in date order, in a temporary file."""
    merged: dict[str, dict[str, Row]] = {name: {} for name in CORPUS_WIDE}
    with _DateOrder() as meetings:
        for entry in entries:
            own = entry.rows if entry.rows is not None else record_rows(entry.data, entry.file or entry.path)
            for name, table_rows in own.items():
                if name in CORPUS_WIDE:
                    _merge(merged[name], table_rows, CORPUS_WIDE[name])
                elif name == "meetings":
                    meetings.add(table_rows)
                elif table_rows:
                    yield name, table_rows
        for name, key in CORPUS_WIDE.items():
            yield name, sorted(merged[name].values(), key=lambda row: row[key])
        pending: list[Row] = []
        for row in meetings.in_order():
            pending.append(row)
            if len(pending) == chunk:
                yield "meetings", pending
                pending = []
        if pending:
            yield "meetings", pending


class _DateOrder:
    """Meeting rows kept on disk and given back in date order (then by id), as build sorts
    them: a large corpus's meetings would not fit in memory, their sort keys do."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="communique-meetings-")
        self._keys: list[tuple] = []

    def add(self, rows: list[Row]) -> None:
        import pickle

        for row in rows:
            self._keys.append((row["start"] or date.max, row["record_id"], self._file.tell()))
            pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def in_order(self) -> Iterator[Row]:
        import pickle

        for _, _, offset in sorted(self._keys):
            self._file.seek(offset)
            yield pickle.load(self._file)

    def __enter__(self) -> _DateOrder:
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def _merge(into: dict[str, Row], rows: Iterable[Row], key: str) -> None:
    for row in rows:
        known = into.get(row[key])
        if known is None:
            into[row[key]] = dict(row)
        else:
            known.update({name: value for name, value in row.items() if value is not None})


def recency(record: dict) -> tuple:
    """Sort key of a record by when its meeting began (undated first), then by id."""
    from ..lint.rules.context import meeting_span

    days = meeting_span(record)
    return (days[0] if days else date.min, record.get("id", ""))
