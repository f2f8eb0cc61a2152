"""The schema itself: valid 2020-12, written for people, usable offline by other projects."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from communique import schema


@pytest.fixture(scope="module")
def record_schema():
    return schema.load_schema("1.0")


def test_schema_is_valid_draft_2020_12(record_schema):
    assert record_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(record_schema)


def test_id_is_absolute_and_carries_the_version(record_schema):
    assert record_schema["$id"].startswith("https://")
    assert "/1.0/" in record_schema["$id"]


def _properties(node, path="#"):
    """Every (path, property schema) pair declared anywhere in the schema."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}/properties/{name}", sub
        for key, value in node.items():
            if key not in ("if", "then", "else"):  # conditions restate, they do not declare
                yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}/{index}")


def test_every_property_is_described(record_schema):
    defs = record_schema["$defs"]

    def described(sub):
        if "description" in sub:
            return True
        ref = sub.get("$ref", "")
        return ref.startswith("#/$defs/") and "description" in defs[ref.split("/")[-1]]

    undescribed = [path for path, sub in _properties(record_schema) if not described(sub)]
    assert undescribed == []


def test_contract_paths_exist(record_schema):
    props = record_schema["properties"]
    defs = record_schema["$defs"]
    for name in ["schema_version", "id", "title", "series", "dates", "venue", "parties", "co_chairs",
                 "agenda", "agreements", "next_round", "sources"]:
        assert name in props, name
    assert props["series"]["properties"]["round"]["type"] == "integer"
    assert {"start", "end"} <= set(props["dates"]["properties"])
    assert {"city", "country"} <= set(defs["place"]["properties"])
    assert {"id", "name"} <= set(defs["party"]["properties"])
    assert {"name", "party", "title", "person_id"} <= set(defs["person"]["properties"])
    assert {"round", "venue"} <= set(defs["round_reference"]["properties"])


def test_dates_are_checked_as_real_dates_by_the_reference_implementation(record_schema):
    date_schema = {"$ref": f"{record_schema['$id']}#/$defs/date"}
    validator = Draft202012Validator(date_schema, registry=schema.registry(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not validator.is_valid("2025-02-30")
    assert validator.is_valid("2024-02-29")
    assert not validator.is_valid("2024-2-9")


def test_registry_resolves_our_id_for_a_consumer_schema(record_schema):
    consumer = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"host": {"$ref": f"{record_schema['$id']}#/$defs/party"}},
    }
    validator = Draft202012Validator(consumer, registry=schema.registry())
    assert validator.is_valid({"host": {"id": "no", "name": "Norway", "kind": "state"}})
    assert not validator.is_valid({"host": {"id": "no", "name": "Norway", "kind": "planet"}})


def test_schema_module_imports_no_cli_dependencies():
    code = ("import sys, communique.schema as s; s.load_schema(); "
            "print(sorted(m for m in ('click', 'pydantic', 'ruamel', 'yaml', 'jsonschema_rs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_unknown_version_is_refused():
    with pytest.raises(KeyError):
        schema.schema_path("9.9")
    assert "1.0" in schema.versions()


def test_jsonschema_and_jsonschema_rs_agree_on_fixtures(record_schema):
    import jsonschema_rs

    from communique.loading import load_file

    from .conftest import FIXTURES, RECORDS

    reference = Draft202012Validator(record_schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    fast = jsonschema_rs.validator_for(record_schema, validate_formats=True)
    paths = list((FIXTURES / "valid").glob("*.yaml")) + list((FIXTURES / "invalid").glob("*.yaml"))
    paths += list(RECORDS.glob("*.yaml"))
    for path in paths:
        data = load_file(path).document.data
        if not isinstance(data, dict) or data.get("schema_version") != "1.0":
            continue
        assert reference.is_valid(data) == fast.is_valid(data), path.name
