"""The shipped records: valid, loadable as models, citing sources that exist."""

from __future__ import annotations

import pytest
from communique.documents.loading import load_file
from communique.models import record_model
from communique.schema.validation import validate_document

from .conftest import RECORDS

RECORD_FILES = sorted(RECORDS.glob("*.yaml"))


def test_the_seed_meetings_are_all_encoded():
    ids = {path.stem for path in RECORD_FILES}
    assert {"pk-eu-strategic-dialogue-07", "pk-eu-counter-terrorism-dialogue-09", "pk-eu-political-dialogue-10",
            "af-pk-talks-01", "af-pk-talks-02", "af-pk-talks-03"} <= ids


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.stem)
def test_record_is_valid_and_loads_into_the_models(path):
    loaded = load_file(path)
    assert loaded.findings == []
    assert validate_document(loaded.document) == []
    record = record_model(loaded.document.data["schema_version"]).model_validate(loaded.document.data)
    assert record.id == path.stem


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.stem)
def test_record_starts_with_the_editor_schema_comment(path):
    text = path.read_text(encoding="utf-8")
    version = load_file(path).document.data["schema_version"]
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../schema/{version}/record.schema.json"
    assert (path.parent / f"../schema/{version}/record.schema.json").resolve().is_file()


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.stem)
def test_every_cited_source_is_a_seed_file(path, seeds):
    data = load_file(path).document.data
    for source in data["sources"]:
        assert (seeds / f"{source['id']}.txt").is_file(), source["id"]


# The audit of issue 19 read every record against its sources. The tests below keep what it
# found from coming back: words given as a source's own (as_stated) that another cited
# source does not say, a person's quoted words left out, a relayed report not named, and
# the facts of pk-eu-political-dialogue-10 that the record had dropped or bent.


def _source_text(seeds, source_id):
    from communique.lint.rules.evidence import SourceText

    return SourceText((seeds / f"{source_id}.txt").read_text(encoding="utf-8"))


def _mappings(value, path=""):
    """(JSON path, mapping) of every mapping in a record, depth first."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _mappings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _mappings(item, f"{path}/{index}")


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.stem)
def test_as_stated_words_are_said_by_every_source_cited_beside_them(path, seeds):
    """as_stated gives a source's own words; each source a field cites beside them must say
    at least one of its parts (parts are joined by '; '), and each part must be in one of
    them. A source cited for something else (the year, another span) goes in a caveat."""
    from communique.lint.rules.evidence import quote_found

    data = load_file(path).document.data
    for where, mapping in _mappings(data):
        stated, cited = mapping.get("as_stated"), mapping.get("sources")
        if not isinstance(stated, str) or not isinstance(cited, list):
            continue
        parts = stated.split("; ")
        for source_id in cited:
            text = _source_text(seeds, source_id)
            assert any(quote_found(part, text) for part in parts), f"{where}: {source_id} does not say {stated!r}"
        for part in parts:
            assert any(quote_found(part, _source_text(seeds, s)) for s in cited), f"{where}: no source says {part!r}"
    for source in data["sources"]:
        for relay in source.get("relays", []):
            if "as_stated" in relay:
                assert quote_found(relay["as_stated"], _source_text(seeds, source["id"])), relay


def _cited_by(source_id):
    """The shipped records that cite a source."""
    for path in RECORD_FILES:
        data = load_file(path).document.data
        if any(source["id"] == source_id for source in data["sources"]):
            yield data


def test_words_a_source_quotes_from_a_person_are_that_persons_statement(seeds):
    """'"...," Baloch stated': a person's own words about the meeting are a statement of the
    side they speak for, with the words as evidence, in every record citing that source."""
    import re

    from communique.lint.rules.evidence import normalise

    said = re.compile(r'"([^"]+?),?" ([A-Z][a-z]+) (?:stated|remarked|said)\b')
    found = 0
    for seed in sorted(seeds.glob("*.txt")):
        for words, speaker in said.findall(normalise(seed.read_text(encoding="utf-8"))):
            for data in _cited_by(seed.stem):
                found += 1
                statements = [s for s in data.get("statements", [])
                              if s.get("speaker", {}).get("name", "").endswith(speaker)]
                quotes = [normalise(e["quote"]) for s in statements for e in s.get("evidence", [])]
                assert words in quotes, f"{data['id']}: {speaker}'s words {words!r} are no statement of theirs"
    assert found >= 2  # Baloch's and Skoog's remarks in 003


def test_a_report_a_source_relays_is_named_in_its_relays(seeds):
    """'as reported by X', 'per a X report': the text relays X's report, and the record's
    entry for that source says so, in every record citing it."""
    import re

    from communique.lint.rules.evidence import normalise

    relayed = re.compile(r"as reported by ([A-Z][^,.;]*)|per an? ([A-Z][\w ]*?) report")
    found = 0
    for seed in sorted(seeds.glob("*.txt")):
        for match in relayed.finditer(normalise(seed.read_text(encoding="utf-8"))):
            outlet = match.group(1) or match.group(2)
            for data in _cited_by(seed.stem):
                found += 1
                [entry] = [source for source in data["sources"] if source["id"] == seed.stem]
                outlets = [normalise(relay.get("outlet", "")) for relay in entry.get("relays", [])]
                assert outlet in outlets, f"{data['id']}: {seed.stem} relays {outlet!r}"
    assert found >= 2  # the Foreign Office and the Daily Times in 003


def test_the_political_dialogue_keeps_what_its_source_states_and_no_more():
    """pk-eu-political-dialogue-10 against 003: the advocacy of peaceful resolutions names Gaza
    and Kashmir; the reporter's sentence that 'The agreement builds on the SEP' is no
    agreement of its own (it names the agreement it builds on); the EU's recognition of
    Pakistan's regional role and the EU as its second-largest trading partner are encoded."""
    data = load_file(RECORDS / "pk-eu-political-dialogue-10.yaml").document.data
    agreements = {agreement["id"]: agreement for agreement in data["agreements"]}
    assert set(agreements["peaceful-resolutions"].get("agenda_items", [])) == {"gaza", "kashmir"}
    inferred = {caveat["path"] for caveat in data.get("caveats", []) if caveat["kind"] == "inferred"}
    for agreement in agreements.values():
        quotes = [item["quote"] for item in agreement["evidence"]]
        if all(quote.startswith("The agreement builds on") for quote in quotes):
            assert f"/agreements/{agreement['id']}" in inferred, agreement["id"]
    evidence = " ".join(item["quote"] for agreement in agreements.values() for item in agreement["evidence"])
    assert "recognition of Pakistan's role in regional stability" in evidence
    assert "Pakistan's second-largest trading partner" in evidence
