"""Bundling: each version is already one self-contained file; a schema of another project
that `$ref`s ours gets our resource embedded, and then needs no registry; a reference that
points nowhere is refused with where it is."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest
from communique import schema
from communique.schema.bundling import BundleError, bundle, dumps
from jsonschema import Draft202012Validator

from ..conftest import REPO

CONSUMER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.org/meeting-index.json",
    "type": "object",
    "properties": {"host": {"$ref": "https://communique.example/schema/1.2/record.schema.json#/$defs/party"},
                   "when": {"$ref": "https://communique.example/schema/1.1/record.schema.json#/$defs/date"}},
}
GOOD = {"host": {"id": "no", "name": "Norway", "kind": "state"}, "when": "2024-05-07"}
BAD = {"host": {"id": "no", "name": "Norway", "kind": "planet"}, "when": "2025-02-30"}


@pytest.mark.parametrize("version", schema.versions())
def test_each_version_bundles_to_its_own_file(version):
    """Every $ref of a shipped version is answered inside it, so its bundle is the file itself."""
    bundled = bundle(schema.load_schema(version))
    assert dumps(bundled) == (REPO / "schema" / version / "record.schema.json").read_text(encoding="utf-8")


def test_another_projects_schema_gets_our_resources_embedded_under_their_ids():
    bundled = bundle(CONSUMER)
    embedded = {key for key in bundled["$defs"]}
    assert embedded == {schema.schema_id("1.2"), schema.schema_id("1.1")}
    assert bundled["properties"] == CONSUMER["properties"]  # the references keep their text
    assert "$defs" not in CONSUMER  # the input is left as it was


@pytest.mark.parametrize("validate", [
    lambda s, i: [e.json_path for e in Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)
                  .iter_errors(i)],
    lambda s, i: [e.instance_path for e in jsonschema_rs.validator_for(s, validate_formats=True).iter_errors(i)],
], ids=["jsonschema", "jsonschema-rs"])
def test_the_bundle_validates_with_no_registry(validate):
    """Neither validator is given our registry: what they need is inside the file."""
    bundled = json.loads(dumps(bundle(CONSUMER)))
    assert validate(bundled, GOOD) == []
    assert sorted(map(str, validate(bundled, BAD))) in (["$.host.kind", "$.when"], ["['host', 'kind']", "['when']"])


def test_a_reference_that_points_nowhere_is_refused_with_its_place():
    broken = {"$defs": {"a": {"$ref": "#/$defs/missing"}}}
    with pytest.raises(BundleError, match=r"\$ref '#/\$defs/missing' at /\$defs/a: nothing at #/\$defs/missing"):
        bundle(broken)
    unknown = {"properties": {"x": {"$ref": "https://example.org/elsewhere.json"}}}
    with pytest.raises(BundleError, match=r"no schema 'https://example.org/elsewhere.json' here or in the registry"):
        bundle(unknown)


def test_a_ref_key_inside_data_is_not_followed():
    schema_with_data = {"const": {"$ref": "https://example.org/not-a-schema.json"},
                        "examples": [{"$ref": "#/nowhere"}]}
    assert bundle(schema_with_data) == schema_with_data
