"""A minor version accepts every record of the versions before it: proven on records that
hypothesis-jsonschema generates from the older schema, not promised in the docs.

Runs with the suite (a bounded number of examples, as every property in tests/fuzz/), so a
future minor version that rejects an older record fails CI.
"""

from __future__ import annotations

import pytest
from communique import schema
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from .strategies import valid_records

STYLES = ["block", "flow", "json"]


def written(record: dict, style: str):
    """A generated record as a keeper's file holds it (YAML block or flow, or JSON): its text,
    the loaded document, and whether it is JSON."""
    import json

    import yaml
    from communique.documents.loading import load_text

    is_json = style == "json"
    text = json.dumps(record) if is_json else yaml.safe_dump(record, default_flow_style=style == "flow", width=10**6)
    document = load_text(text, "record.json" if is_json else "record.yaml", is_json=is_json).document
    assume(document is not None)  # PyYAML wrote what a YAML 1.2 reader refuses (a NEL, say): not migrate's input
    return text, document, is_json


def examples_from(version: str) -> int:
    """How many records to generate from a version's schema: the configured number for 1.0,
    half of it (at least 5) from 1.1 on, whose larger schemas cost hypothesis-jsonschema
    three times as much a record. `--fuzz-examples N` scales both."""
    configured = settings().max_examples
    return configured if version == "1.0" else max(5, configured // 2)


def minor_steps() -> list[tuple[str, str]]:
    """(older, newer) for each pair of consecutive versions that share a major number."""
    versions = schema.versions()
    return [(old, new) for old, new in zip(versions, versions[1:]) if old.split(".")[0] == new.split(".")[0]]


def test_there_is_a_minor_step_to_prove():
    assert {("1.0", "1.1"), ("1.1", "1.2"), ("1.2", "1.3")} <= set(minor_steps())


@pytest.mark.parametrize(("old", "new"), minor_steps())
def test_every_record_of_the_older_version_is_valid_under_the_newer(old, new):
    older = Draft202012Validator(schema.load_schema(old), format_checker=Draft202012Validator.FORMAT_CHECKER)
    newer = Draft202012Validator(schema.load_schema(new), format_checker=Draft202012Validator.FORMAT_CHECKER)

    @settings(max_examples=examples_from(old))
    @given(valid_records(old))
    def once_it_says_so(record):
        assert older.is_valid(record)  # the generator keeps to the older schema
        bumped = {**record, "schema_version": new}
        problems = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in newer.iter_errors(bumped)]
        assert problems == [], f"valid {old} record refused by {new}"

    once_it_says_so()


@given(valid_records("1.0"), st.sampled_from(STYLES))
def test_migrate_moves_any_1_0_record_to_1_1_or_says_why(record, style):
    """Whatever a 1.0 record holds, `migrate` either moves it, with the same data and valid
    under 1.1, or refuses it with a reason (CannotMigrate); it never raises anything else."""
    from communique.documents.loading import load_text
    from communique.documents.pointer import resolve
    from communique.rewrite.migrating import CannotMigrate, migrate_document
    from communique.schema.validation import validate_document

    text, document, is_json = written(record, style)
    try:
        migration = migrate_document(document, "1.1", is_json=is_json)
    except CannotMigrate:
        return
    moved = load_text(migration.text, "record.yaml", is_json=is_json).document
    assert validate_document(moved) == []
    assert moved.data["schema_version"] == "1.1"
    for old, new in zip(record.get("caveats", []), moved.data.get("caveats", [])):
        assert resolve(moved.data, new["path"]) == resolve(record, old["path"], by_id=False), (old, new)
    unchanged = {**moved.data, "schema_version": "1.0", "caveats": record.get("caveats")}
    if "caveats" not in record:
        unchanged.pop("caveats")
    assert unchanged == record


@pytest.mark.parametrize(("old", "new"), [("1.1", "1.2"), ("1.2", "1.3")])
def test_migrate_moves_any_record_one_later_minor_step_changing_only_its_version(old, new):
    """From 1.1 on, versions read caveat paths alike, so moving a record to the next minor
    version changes its schema_version and nothing else: the same data, every other line byte
    for byte, valid under the new version. Or migrate says why not (CannotMigrate); it never
    raises anything else."""
    from communique.documents.loading import load_text
    from communique.rewrite.migrating import CannotMigrate, migrate_document
    from communique.schema.validation import validate_document

    @settings(max_examples=examples_from(old))
    @given(valid_records(old), st.sampled_from(STYLES))
    def moved_by_its_version(record, style):
        text, document, is_json = written(record, style)
        try:
            migration = migrate_document(document, new, is_json=is_json)
        except CannotMigrate:
            return
        moved = load_text(migration.text, "record.yaml", is_json=is_json).document
        assert validate_document(moved) == []
        assert moved.data == {**record, "schema_version": new}
        # One character differs, the version's minor digit, in whatever quotes the text had.
        assert len(migration.text) == len(text)
        [at] = [i for i, (before, after) in enumerate(zip(text, migration.text)) if before != after]
        assert text[at - 2:at + 1] == old and migration.text[at - 2:at + 1] == new

    moved_by_its_version()
