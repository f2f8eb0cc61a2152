"""The tidy tables: one fact a row, keys that hold, dates that are dates."""

from __future__ import annotations

import json
from datetime import date

import pytest
from communique.corpus.describe import description, field_schema
from communique.corpus.tables import TABLES

from .conftest import by_key

SCHEMA_TYPES = {"string": {"string"}, "integer": {"integer"}, "number": {"number", "integer"},
                "boolean": {"boolean"}, "date": {"string"}}


def test_rows_hold_exactly_the_declared_columns(rows):
    for name, table_rows in rows.items():
        for row in table_rows:
            assert list(row) == TABLES[name].column_names, name


@pytest.mark.parametrize("table", TABLES.values(), ids=lambda table: table.name)
def test_columns_agree_with_the_schema_and_are_described(table):
    for column in table.columns:
        assert description(column).strip(), f"{table.name}.{column.name} has no description"
        if column.field is None:
            continue
        node = field_schema(column.field)
        declared = node.get("type")
        if declared is None and "enum" in node:
            declared = "string" if all(isinstance(v, str) for v in node["enum"]) else None
        if declared is None and "const" in node:
            declared = {bool: "boolean", str: "string", int: "integer"}[type(node["const"])]
        if declared is None and ("anyOf" in node or "$ref" in node):  # a partial date: string forms
            declared = "string"
        declared = set(declared) if isinstance(declared, list) else {declared}
        if column.name == "value" and table.name == "claims":
            continue  # any JSON value, written as JSON text
        assert declared & SCHEMA_TYPES[column.type], f"{table.name}.{column.name}: {declared} vs {column.type}"
        if column.type == "date":
            assert node.get("format") == "date" or "anyOf" in node, f"{table.name}.{column.name} is not a date"


def test_keys_are_unique_and_present(rows):
    for name, table_rows in rows.items():
        key = TABLES[name].key
        values = [tuple(row[column] for column in key) for row in table_rows]
        assert all(None not in value and "" not in value for value in values), name
        assert len(values) == len(set(values)), f"{name} repeats a key"


def test_every_reference_resolves(rows):
    for name, table_rows in rows.items():
        for mine, other, theirs in TABLES[name].references:
            known = {tuple(row[column] for column in theirs) for row in rows[other]}
            for row in table_rows:
                value = tuple(row[column] for column in mine)
                if None in value:
                    continue  # an optional reference left empty
                assert value in known, f"{name}{mine}={value} is not in {other}"
    # The one reference not declared (see tables.agreements): an agreement's agenda item.
    items = {(row["record_id"], row["item_id"]) for row in rows["agenda_items"]}
    linked = [(row["record_id"], row["item_id"]) for row in rows["agreements"] if row["item_id"]]
    assert linked and all(pair in items for pair in linked)


def test_every_record_is_a_meeting_with_or_without_agreements(collected, rows):
    assert sorted(row["record_id"] for row in rows["meetings"]) == sorted(e.record_id for e in collected.entries)
    with_agreements = {row["record_id"] for row in rows["agreements"]}
    without = [row for row in rows["meetings"] if row["record_id"] not in with_agreements]
    assert {"af-pk-talks-01"} <= {row["record_id"] for row in without}


def test_partial_dates_become_first_and_last_day_with_precision(rows):
    [month] = by_key(rows["meetings"], record_id="af-pk-talks-01")
    assert (month["start"], month["end"], month["date_precision"]) == (date(2025, 10, 1), date(2025, 10, 31), "month")
    assert month["dates_inferred"] is True
    [days] = by_key(rows["meetings"], record_id="af-pk-talks-03")
    assert (days["start"], days["end"], days["date_precision"]) == (date(2025, 11, 6), date(2025, 11, 7), "day")
    [year] = by_key(rows["rounds"], record_id="pk-eu-political-dialogue-10", path="/next_round")
    assert (year["when_from"], year["when_to"], year["when_precision"]) == (date(2026, 1, 1), date(2026, 12, 31), "year")
    assert year["status"] == "planned" and year["round"] == 11


def test_disputed_values_keep_the_value_and_list_the_claims(rows):
    [meeting] = by_key(rows["meetings"], record_id="pk-eu-strategic-dialogue-07")
    assert meeting["start"] == date(2025, 11, 21) and meeting["dates_disputed"] is True
    disputed = by_key(rows["caveats"], record_id="pk-eu-strategic-dialogue-07", kind="disputed")
    on_dates = next(row for row in disputed if row["path"] == "/dates/start")
    claims = by_key(rows["claims"], record_id="pk-eu-strategic-dialogue-07", caveat=on_dates["position"])
    assert [json.loads(row["value"]) for row in claims] == ["2025-11-21", "2025-11-19"]
    assert claims[1]["sources"] == "004_d6a01f982b87aca4"


def test_unnamed_parties_are_rows_with_the_words_of_the_source(rows):
    unnamed = [row for row in rows["meeting_parties"] if row["unnamed"]]
    assert unnamed and all(row["as_stated"] and row["name"] is None for row in unnamed)


def test_roles_default_to_participant_and_list_every_role(rows):
    roles = by_key(rows["party_roles"], record_id="pk-eu-strategic-dialogue-07")
    assert {row["role"] for row in roles} == {"participant"}
    several = {}
    for row in rows["party_roles"]:
        several.setdefault((row["record_id"], row["party_id"]), []).append(row["role"])
    assert any(len(found) > 1 for found in several.values())


def test_people_are_one_row_per_id_and_participations_one_per_mention(rows):
    people = {row["person_id"] for row in rows["people"]}
    assert "ishaq-dar" in people
    [dar] = by_key(rows["participations"], person_id="ishaq-dar")
    assert (dar["capacity"], dar["role"], dar["party_id"]) == ("co-chair", "co-chair", "pk")
    assert dar["title"] == "Deputy Prime Minister and Foreign Minister"
    members = by_key(rows["participations"], capacity="delegation")
    assert members and all(row["party_id"] for row in members)  # a member speaks for the delegation's party


def test_evidence_is_one_row_per_quote_tied_to_what_it_supports(rows):
    quotes = by_key(rows["evidence"], record_id="pk-eu-counter-terrorism-dialogue-09", agreement_id="combat-terrorism")
    assert quotes and quotes[0]["path"] == "/agreements/combat-terrorism"
    assert quotes[0]["source_id"] == "002_a35d678dfc594021"
    assert any(row["path"] == "/outcome" for row in rows["evidence"])


def test_amounts_are_numbers_with_a_currency(rows):
    assert rows["amounts"]
    for row in rows["amounts"]:
        assert isinstance(row["value"], (int, float)) and len(row["currency"]) == 3


def test_corpus_wide_tables_take_the_most_recent_name_and_cover_every_reference(rows):
    series = {row["series_id"]: row for row in rows["series"]}
    referenced = {row["series_id"] for row in rows["rounds"] if row["series_id"]}
    assert referenced <= set(series)
    parties = {row["party_id"] for row in rows["parties"]}
    assert {row["party_id"] for row in rows["third_parties"]} <= parties


def test_wikidata_items_survive_later_records_that_give_none(rows):
    """The shape example (June 2025) gives Pakistan's item; the later shipped records give none,
    and the party's row keeps it. An outside party's item counts as well as a party's."""
    parties = {row["party_id"]: row for row in rows["parties"]}
    assert (parties["pk"]["wikidata"], parties["qa"]["wikidata"], parties["eu"]["wikidata"]) == ("Q843", "Q846", "Q458")
    assert parties["pk"]["name"] == "Pakistan"  # the name still comes from the most recent record
    [meeting] = by_key(rows["meetings"], record_id="example-talks-parties-with-wikidata-items")
    assert (meeting["venue_wikidata"], meeting["wikidata"]) == ("Q846", None)
