"""The shipped records: valid, loadable as models, citing sources that exist."""

from __future__ import annotations

import pytest

from communique.loading import load_file
from communique.models import record_model
from communique.validation import validate_document

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
