"""`export --format plover`: PLOVER event data, each line valid against the manual's data
fields, with the record's values.

The PLOVER repository (openeventdata/PLOVER) publishes no JSON Schema, so the schema
below is written here from the manual's tables ("PLOVER JSON", and the objects for
entities, citations and locations, manual version 2.0 draft): required fields, the event
categories and the CONSULT modes and contexts it lists, and no field it does not name
(besides an entity's `role`, a field this export adds and documents).
"""

from __future__ import annotations

import json

import jsonschema
from communique.corpus import plover

from .formats_helpers import PARTY_ITEMS, export, record, written

EVENTS = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
CONTEXTS = ["military", "intelligence", "executive", "legislative", "election", "political_institutions",
            "pro_democracy", "pro_autocracy", "economic", "legal", "human_rights", "rights_freedoms", "repression",
            "human_security", "lgbt", "religion_ethnicity", "inequality", "diplomatic", "territory", "health",
            "asylum", "migration", "disasters", "natural_resource", "environment", "technology", "terrorism",
            "cbrn", "cyber", "misinformation", "crime", "corruption"]
DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
TEXT = {"type": "string"}
ENTITY = {"type": "object", "additionalProperties": False,
          "properties": {"code": TEXT, "sector": TEXT, "entity_text": TEXT, "identifier_id": TEXT,
                         "identifier_text": TEXT, "religion": TEXT, "ethnicity": TEXT, "office": TEXT, "gender": TEXT,
                         "age": {"type": "integer"}, "role": {"type": "array", "items": TEXT}}}
CITATION = {"type": "object", "additionalProperties": False,
            "properties": {key: TEXT for key in ("corpus", "citation", "url", "title", "language", "publication",
                                                 "license", "copyright", "coder", "codebook", "version")}}
LOCATION = {"type": "object", "additionalProperties": False,
            "properties": {"extracted_place": TEXT, "resolved_place": TEXT, "geonameid": {"type": "integer"},
                           "lat": {"type": "number"}, "lon": {"type": "number"}, "city": TEXT, "district": TEXT,
                           "province": TEXT, "country": TEXT, "country_code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                           "feature_class": TEXT, "feature_code": TEXT, "resolution": {"type": "integer"}}}
PLOVER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["id", "date", "actor", "event"], "additionalProperties": False,
    "properties": {
        "id": TEXT, "has_event": {"type": "boolean"}, "date": DAY, "time": TEXT, "enddate": DAY, "endtime": TEXT,
        "actor": {"type": "array", "minItems": 1, "items": ENTITY}, "recipient": {"type": "array", "items": ENTITY},
        "event": {"type": "array", "minItems": 1, "items": {"enum": EVENTS}}, "event_loc": LOCATION,
        "event_text": {"type": "array", "items": TEXT}, "quad_code": {"enum": [1, 2, 3, 4]},
        "event_scale": {"type": "number"},
        "mode": {"type": "array", "items": {"enum": ["visit", "third-party", "multilateral", "phone"]}},
        "context": {"type": "array", "items": {"enum": CONTEXTS}}, "link": TEXT, "text": TEXT,
        "text_info": {"type": "object"}, "cite_info": {"type": "array", "items": CITATION},
        "coder": TEXT, "coded_date": DAY, "coded_time": TEXT, "comment": TEXT,
    },
}


def events(text: str) -> dict:
    found = {}
    for line in text.splitlines():
        event = json.loads(line)
        jsonschema.validate(event, PLOVER)
        found[event["id"]] = event
    return found


def test_the_schema_holds_the_manuals_names():
    # It would refuse a field PLOVER does not name, or a category it does not have.
    for wrong in ({"id": "x", "date": "2025-01-01", "actor": [{}], "event": ["MEET"]},
                  {"id": "x", "date": "2025-01-01", "actor": [{}], "event": ["CONSULT"], "location": {}},
                  {"id": "x", "date": "2025-01", "actor": [{}], "event": ["CONSULT"]}):
        assert not jsonschema.Draft202012Validator(PLOVER).is_valid(wrong)


def test_the_export_is_valid_plover_with_the_records_values(run, tmp_path):
    result, text = export(run, tmp_path, "plover")
    assert result.exit_code == 0, result.output
    found = events(text)
    talks = found["af-pk-talks-03-consult"]
    assert (talks["date"], talks["enddate"], talks["event"]) == ("2025-11-06", "2025-11-07", ["CONSULT"])
    assert [a["code"] for a in talks["actor"]] == ["PAK", "AFG", "TUR", "QAT"]
    assert talks["mode"] == ["third-party"]  # Türkiye and Qatar facilitated
    assert talks["event_loc"] == {"city": "Istanbul", "country": "Türkiye", "country_code": "TUR"}
    dialogue = found["pk-eu-strategic-dialogue-07-consult"]
    assert "mode" not in dialogue and "recipient" not in dialogue  # two sides meeting: both actors
    assert [a["code"] for a in dialogue["actor"]] == ["PAK", "EUR"]
    # The next round the political dialogue announced ("2026", in Islamabad or Brussels).
    promise = found["pk-eu-political-dialogue-10-agree"]
    assert promise["event"] == ["AGREE"] and promise["date"] == "2025-07-17"
    assert "when: 2026" in promise["comment"]
    # Round 1 is known only to the month: PLOVER's date is a day, so it is left out, and said.
    assert "af-pk-talks-01-consult" not in found
    assert "plover: left out meetings not dated to the day (PLOVER's date is a day), so no event: 1" in result.stderr


def test_a_visit_has_the_visitor_as_actor_and_the_host_as_recipient():
    data = record("af-pk-talks-02")
    data["kind"] = "visit"
    data["parties"] = [dict(data["parties"][0], role="host"), data["parties"][1]]
    event = events(written(plover, [data])[0])["af-pk-talks-02-consult"]
    assert [a["code"] for a in event["actor"]] == ["AFG"] and [r["code"] for r in event["recipient"]] == ["PAK"]
    assert event["mode"] == ["visit"]


def test_three_sides_are_multilateral_and_ids_are_kept():
    data = record("pk-eu-strategic-dialogue-07")
    data["parties"].append({"id": "qa", "name": "Qatar", "kind": "state", "country": "QA", "wikidata": "Q846"})
    data["parties"][0]["wikidata"] = PARTY_ITEMS["pk"]
    data["sources"][0]["url"] = "https://example.org/communique"
    event = events(written(plover, [data])[0])["pk-eu-strategic-dialogue-07-consult"]
    assert event["mode"] == ["multilateral"]
    assert [a.get("identifier_id") for a in event["actor"]] == ["Q843", None, "Q846"]
    assert event["cite_info"][0]["url"] == "https://example.org/communique"


def test_a_meeting_not_held_is_no_consult_event():
    data = record("af-pk-talks-02")
    data["status"] = "cancelled"
    text, notes = written(plover, [data])
    assert text == "" and notes == ["plover: left out meetings not held (planned, postponed, cancelled), so no CONSULT event: 1"]
