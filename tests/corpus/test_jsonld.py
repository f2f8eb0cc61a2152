"""`export --format jsonld`: schema.org JSON-LD that a real JSON-LD processor (pyld) expands
offline, with the values the records hold."""

from __future__ import annotations

import json

import pytest
from communique.corpus import jsonld

from .formats_helpers import MEETING_ITEM, PARTY_ITEMS, SERIES_ITEM, export, record, written

pyld = pytest.importorskip("pyld")
SCHEMA = "https://schema.org/"


ASKED: list[str] = []


def refuse(url, options=None):
    """A document loader that fetches nothing: any remote context makes expansion fail."""
    ASKED.append(url)
    raise RuntimeError(f"the test fetches nothing, and was asked for {url}")


def expand(document) -> list:
    return pyld.jsonld.expand(document, {"documentLoader": refuse})


def test_the_loader_refuses_a_remote_context():
    # Without this, an output naming "https://schema.org" as its context would make
    # pyld fetch it, and the test below would pass only online.
    ASKED.clear()
    with pytest.raises(pyld.jsonld.JsonLdError, match="loading remote context failed"):
        expand({"@context": "https://schema.org", "name": "x"})
    assert ASKED == ["https://schema.org"]


def by_id(expanded: list) -> dict:
    return {node["@id"]: node for node in expanded}


def test_the_export_expands_offline_with_every_meeting_and_its_series(run, tmp_path):
    result, text = export(run, tmp_path, "jsonld")
    assert result.exit_code == 0, result.output
    ASKED.clear()
    nodes = by_id(expand(json.loads(text)))
    assert ASKED == []
    meeting = nodes["urn:communique:meeting:pk-eu-strategic-dialogue-07"]
    assert meeting["@type"] == [SCHEMA + "Event"]
    assert meeting[SCHEMA + "name"] == [{"@value": "7th Pakistan-EU Strategic Dialogue"}]
    assert meeting[SCHEMA + "startDate"] == [{"@value": "2025-11-21"}]
    assert meeting[SCHEMA + "eventStatus"] == [{"@id": SCHEMA + "EventScheduled"}]
    series = meeting[SCHEMA + "superEvent"][0]
    assert series["@id"] == "urn:communique:series:pk-eu-strategic-dialogue"
    assert series["@type"] == [SCHEMA + "EventSeries"]
    place = meeting[SCHEMA + "location"][0]
    assert place[SCHEMA + "address"][0][SCHEMA + "addressCountry"] == [{"@value": "BE"}]
    assert place[SCHEMA + "address"][0][SCHEMA + "addressLocality"] == [{"@value": "Brussels"}]
    organizers = [node["@id"] for node in meeting[SCHEMA + "organizer"]]
    assert organizers == ["urn:communique:party:eu"]  # convened_by, not a guess
    people = {node[SCHEMA + "name"][0]["@value"]: node for node in meeting[SCHEMA + "attendee"]
              if node["@type"] == [SCHEMA + "Person"]}
    assert people["Ishaq Dar"][SCHEMA + "affiliation"][0]["@id"] == "urn:communique:party:pk"
    # A month-precise meeting keeps its month; facilitators contribute, they do not attend.
    first = nodes["urn:communique:meeting:af-pk-talks-01"]
    assert first[SCHEMA + "startDate"] == [{"@value": "2025-10"}]
    assert {n["@id"] for n in first[SCHEMA + "contributor"]} == {"urn:communique:party:tr", "urn:communique:party:qa"}
    assert len([key for key in nodes if key.startswith("urn:communique:meeting:")]) == 6
    # Every series is in the graph once on its own, under the id its meetings name.
    flat = pyld.jsonld.flatten(json.loads(text), None, {"documentLoader": refuse})
    series_nodes = {node["@id"]: node for node in flat if node.get("@type") == [SCHEMA + "EventSeries"]}
    assert set(series_nodes) == {"urn:communique:series:" + name for name in (
        "af-pk-talks", "pk-eu-counter-terrorism-dialogue", "pk-eu-political-dialogue", "pk-eu-strategic-dialogue")}
    assert series_nodes["urn:communique:series:af-pk-talks"][SCHEMA + "name"] == [{"@value": "Afghanistan-Pakistan talks"}]
    assert text.count('"@type": "EventSeries"') == 6 + 4  # each meeting's superEvent, and each series once


def test_wikidata_ids_become_same_as_iris():
    data = record("af-pk-talks-02")
    data["wikidata"] = MEETING_ITEM
    data["series"]["wikidata"] = SERIES_ITEM
    for party in data["parties"]:
        party["wikidata"] = PARTY_ITEMS[party["id"]]
    node = by_id(expand(jsonld.meeting_jsonld(data)))["urn:communique:meeting:af-pk-talks-02"]
    assert node[SCHEMA + "sameAs"] == [{"@id": "http://www.wikidata.org/entity/" + MEETING_ITEM}]
    assert node[SCHEMA + "superEvent"][0][SCHEMA + "sameAs"] == [{"@id": "http://www.wikidata.org/entity/" + SERIES_ITEM}]
    same = {p["@id"]: p[SCHEMA + "sameAs"][0]["@id"] for p in node[SCHEMA + "attendee"] + node[SCHEMA + "contributor"]}
    assert same["urn:communique:party:pk"] == "http://www.wikidata.org/entity/Q843"
    assert same["urn:communique:party:qa"] == "http://www.wikidata.org/entity/Q846"


@pytest.mark.parametrize(("status", "change", "expected"), [
    ("cancelled", {}, "EventCancelled"),
    ("postponed", {}, "EventPostponed"),
    ("postponed", {"postponed_to": "2026-01"}, "EventRescheduled"),
    ("planned", {}, "EventScheduled"),
])
def test_the_status_becomes_the_event_status(status, change, expected):
    data = record("af-pk-talks-02")
    data["status"] = status
    data["status_change"] = {"sources": ["001_fa99d96cec5996b8"], **change}
    node = expand(jsonld.meeting_jsonld(data))[0]
    assert node[SCHEMA + "eventStatus"] == [{"@id": SCHEMA + expected}]
    if status == "postponed":
        # The announced day is the previous start; the new one (if any) the start.
        assert node[SCHEMA + "previousStartDate"] == [{"@value": "2025-10-25"}]
        assert node.get(SCHEMA + "startDate") == ([{"@value": "2026-01"}] if change else None)


def test_a_site_address_names_the_nodes_under_it():
    node = jsonld.meeting_jsonld(record("af-pk-talks-02"), base="https://example.org/corpus/")
    assert node["@id"] == "https://example.org/corpus/meeting/af-pk-talks-02"
    assert node["@context"] == jsonld.CONTEXT


def test_an_empty_export_is_still_a_document():
    text, notes = written(jsonld, [])
    assert expand(json.loads(text)) == [] and notes == []
