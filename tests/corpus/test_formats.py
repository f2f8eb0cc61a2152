"""The four exports for other tools share one shape (Writer.add, Writer.close) and each
declares its mapping once (MAPPING), which docs/tables.md is generated from: every
property a mapping names must be one its writer writes, given records that hold the field."""

from __future__ import annotations

import copy
import json

import pytest
from communique.corpus import formats

from .formats_helpers import MEETING_ITEM, NEXT_MEETING_ITEM, PARTY_ITEMS, SERIES_ITEM, record, written

PLACE_ITEM, PERSON_ITEM = "Q9900000004", "Q9900000005"  # placeholders, as in formats_helpers


def corpus() -> list[dict]:
    """Records that between them hold every field a mapping reads."""
    rich = record("pk-eu-strategic-dialogue-07")
    rich.update(wikidata=MEETING_ITEM, stops=[{"city": "Antwerp", "country": "BE", "wikidata": PLACE_ITEM}])
    rich["dates"].update(end="2025-11-22")
    rich["series"]["wikidata"] = SERIES_ITEM
    rich["venue"]["wikidata"] = PLACE_ITEM
    rich["co_chairs"][0]["wikidata"] = PERSON_ITEM
    rich["outcome"] = {"result": "agreement", "summary": "Agreed to meet again."}
    for party in rich["parties"]:
        party["wikidata"] = PARTY_ITEMS[party["id"]]
    for source in rich["sources"]:
        source.update(url=f"https://example.org/{source['id']}", published="2025-11-22")
    following = copy.deepcopy(rich)
    following.update(id="pk-eu-strategic-dialogue-08", wikidata=NEXT_MEETING_ITEM)
    following["series"]["round"] = 8
    following["dates"] = {"start": "2026-11-20"}
    postponed = record("af-pk-talks-02")
    postponed.update(status="postponed", status_change={"postponed_to": "2026-01", "sources": ["001_fa99d96cec5996b8"]})
    visit = record("af-pk-talks-02")
    visit["kind"] = "visit"
    visit["parties"] = [dict(visit["parties"][0], role="host"), visit["parties"][1]]
    return [rich, following, postponed, visit, record("pk-eu-political-dialogue-10"), record("af-pk-talks-03")]


def written_names(output_format: str, text: str) -> set[str]:
    """Every property the output holds: keys (also as dotted paths), or QuickStatements' columns."""
    names: set[str] = set()
    if output_format == "quickstatements":
        names.add("subject")
        for line in text.splitlines():
            fields = line.split("\t")
            names.update(fields[1:2] + fields[3::2])
        return names

    def walk(value, prefix=""):
        if isinstance(value, dict):
            for key, inner in value.items():
                names.update({key, prefix + key})
                walk(inner, prefix + key + ".")
        elif isinstance(value, list):
            for inner in value:
                walk(inner, prefix)

    if output_format == "plover":
        walk([json.loads(line) for line in text.splitlines()])
    else:  # the items of the one document: the @graph's meetings and series, the timeline's events
        document = json.loads(text)
        names.update(key for key in document if key == "@graph")
        walk(document["@graph" if output_format == "jsonld" else "events"])
    return names


@pytest.mark.parametrize("output_format", sorted(formats.MODULES))
def test_every_mapped_property_is_written(output_format):
    module = formats.module(output_format)
    text, _ = written(module, corpus())
    names = written_names(output_format, text)
    for mapping in module.MAPPING:
        if mapping.field == "(left empty)":
            assert not {target.strip() for target in mapping.target.split(",")} & names
            continue
        for target in mapping.target.split(","):
            assert target.strip() in names, (mapping, sorted(names))


@pytest.mark.parametrize("output_format", sorted(formats.MODULES))
def test_every_writer_has_the_same_shape_and_ends_an_empty_export(output_format):
    text, notes = written(formats.module(output_format), [])
    assert isinstance(notes, list)
    if output_format in ("jsonld", "timelinejs"):
        json.loads(text)  # still one document
    else:
        assert text == ""


@pytest.mark.parametrize("output_format", sorted(formats.MODULES))
def test_a_record_that_does_not_load_is_reported_and_left_out(run, tmp_path, output_format):
    from .formats_helpers import export

    folder = tmp_path / "records"
    _, clean = export(run, tmp_path, output_format)  # copies the records
    (folder / "broken-01.yaml").write_text("schema_version: '1.2'\nid: [unclosed\n", encoding="utf-8")
    result, text = export(run, tmp_path, output_format)
    assert result.exit_code == 1
    assert "broken-01.yaml" in result.stderr and "6 records exported; 1 problem" in result.stderr
    assert text == clean  # the others, exactly as without it


def test_a_schema_1_3_record_file_gives_its_wikidata_items_to_every_format(run, tmp_path):
    """End to end, from a file a keeper writes: the items a 1.3 record gives (parties, place)
    reach QuickStatements as values, JSON-LD as sameAs and PLOVER as identifiers, through
    the same field names the schema defines."""
    import shutil

    from .formats_helpers import SHAPES

    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(SHAPES / "example-talks-parties-with-wikidata-items.yaml", folder)
    outputs = {}
    for output_format in ("quickstatements", "jsonld", "plover"):
        out = tmp_path / f"out.{output_format}"
        result = run("export", "--format", output_format, "-o", out, folder)
        assert result.exit_code == 0, result.output
        outputs[output_format] = out.read_text(encoding="utf-8")
    statements = [line.split("\t") for line in outputs["quickstatements"].splitlines()]
    assert {(row[1], row[2]) for row in statements if row[0] == "LAST"} >= {
        ("P710", "Q843"), ("P710", "Q889"), ("P276", "Q846")}
    graph = json.loads(outputs["jsonld"])["@graph"]
    same_as = {node.get("sameAs") for node in graph[0]["attendee"]}
    assert "http://www.wikidata.org/entity/Q843" in same_as
    assert graph[0]["location"]["sameAs"] == "http://www.wikidata.org/entity/Q846"
    consult = next(json.loads(line) for line in outputs["plover"].splitlines() if '"CONSULT"' in line)
    assert {actor["identifier_id"] for actor in consult["actor"]} == {"Q843", "Q889", "Q846", "Q43"}
