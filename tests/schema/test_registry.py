"""The schema itself: valid 2020-12, written for people, usable offline by other projects."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from communique import schema
from jsonschema import Draft202012Validator


@pytest.fixture(scope="module", params=schema.versions())
def record_schema(request):
    return schema.load_schema(request.param)


def test_schema_is_valid_draft_2020_12(record_schema):
    assert record_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(record_schema)


def test_id_is_absolute_and_carries_the_version(record_schema):
    assert record_schema["$id"].startswith("https://")
    assert f"/{record_schema['properties']['schema_version']['const']}/" in record_schema["$id"]


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
    from communique.documents.loading import load_file

    from ..conftest import FIXTURES, RECORDS

    reference = Draft202012Validator(record_schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    fast = jsonschema_rs.validator_for(record_schema, validate_formats=True)
    paths = list((FIXTURES / "valid").glob("*.yaml")) + list((FIXTURES / "invalid").glob("*.yaml"))
    paths += list(RECORDS.glob("*.yaml"))
    for path in paths:
        data = load_file(path).document.data
        version = record_schema["properties"]["schema_version"]["const"]
        if not isinstance(data, dict) or data.get("schema_version") not in ("1.0", version):
            continue
        data = {**data, "schema_version": version}  # every record, under every version
        assert reference.is_valid(data) == fast.is_valid(data), path.name


# A published version never changes: records and other projects rely on it byte for byte.
# Add a version here when it is released; never edit a line.
PUBLISHED = {
    "1.0": "9d86df8513fdf71411f8709a1df184dd67827603eff319855119bda511e7dbc0",
    "1.1": "328175361900c4817ca043f68170cbbb000328be78ad565888cfa3bcd13b06f5",  # released in 0.3.0
    "1.2": "cc1f92718977e7e2d1e58fbd38433e5ce43fc6ec5ebf7f57a5b3dae984997ee1",  # released in 0.6.0
}


@pytest.mark.parametrize("version", sorted(PUBLISHED))
def test_a_published_version_stays_byte_for_byte(version):
    import hashlib

    assert hashlib.sha256(schema.schema_path(version).read_bytes()).hexdigest() == PUBLISHED[version]


def test_1_1_has_the_contract_paths():
    record = schema.load_schema("1.1")
    defs = record["$defs"]

    def at(node, *steps):
        for step in steps:
            if "$ref" in node and step not in node:
                node = defs[node["$ref"].split("/")[-1]]
            node = node["items"] if step == "[]" else node["properties"][step]
        return node

    props = record["properties"]
    for steps in [("series", "edition"), ("series", "periodicity"), ("series", "aliases"), ("previous_rounds",),
                  ("next_round", "status"), ("next_round", "not_before"), ("next_round", "not_after"),
                  ("parties", "[]", "roles"), ("parties", "[]", "member_of"), ("parties", "[]", "unnamed"),
                  ("parties", "[]", "as_stated"), ("convened_by", "parties"), ("convened_by", "sources"), ("delegations", "[]", "party"),
                  ("delegations", "[]", "size"), ("delegations", "[]", "members"), ("side_events",),
                  ("agreements", "[]", "amounts", "[]", "value"), ("agreements", "[]", "amounts", "[]", "currency"),
                  ("agreements", "[]", "amounts", "[]", "by"), ("agreements", "[]", "third_parties"),
                  ("held_under",), ("occasion",)]:
        assert at({"properties": props}, *steps), steps
    assert "round" not in props["series"]["required"]  # an edition may stand for it
    assert at({"properties": props}, "agreements", "[]", "amounts", "[]", "value")["type"] == "number"


def contract_node(record: dict, *steps):
    """The schema node at a record path ("[]" steps into a list), following $refs."""
    defs, node = record["$defs"], {"properties": record["properties"]}
    for step in steps:
        while "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        node = node["items"] if step == "[]" else node["properties"][step]
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]]
    return node


# The paths issue 19 names as the contract of 1.2: tools and other projects rely on them.
CONTRACT_1_2 = [
    ("status",), ("status_change", "by"), ("status_change", "announced"), ("status_change", "reason"),
    ("status_change", "as_stated"), ("status_change", "sources"),
    ("agreements", "[]", "dissent", "[]", "parties"), ("agreements", "[]", "dissent", "[]", "kind"),
    ("agreements", "[]", "dissent", "[]", "as_stated"), ("agreements", "[]", "dissent", "[]", "sources"),
    ("agreements", "[]", "except"), ("agreements", "[]", "paragraphs"), ("agreements", "[]", "document"),
    ("agreements", "[]", "agenda_items"), ("agreements", "[]", "agenda_item"),
    ("agreements", "[]", "schedules", "[]", "what"), ("agreements", "[]", "schedules", "[]", "date"),
    ("agreements", "[]", "schedules", "[]", "venue"), ("agreements", "[]", "creates_series"),
    ("documents", "[]", "status"), ("documents", "[]", "as_stated"),
    ("statements", "[]", "id"), ("statements", "[]", "party"), ("statements", "[]", "issued"),
    ("statements", "[]", "kind"), ("statements", "[]", "as_stated"), ("statements", "[]", "sources"),
    ("stops", "[]", "city"), ("stops", "[]", "country"), ("stops", "[]", "dates"), ("stops", "[]", "sources"),
    ("on_margins_of", "name"), ("on_margins_of", "record"), ("series", "id"), ("series", "name"),
    ("dates", "not_before"), ("dates", "not_after"), ("parties", "[]", "short_name"),
    ("convened_by", "persons"), ("delegations", "[]", "members", "[]", "title"),
    ("frameworks", "[]", "launched_at"), ("sources", "[]", "relays"), ("heads_named",),
]


def test_1_2_has_the_contract_paths_and_values():
    record = schema.load_schema("1.2")
    for steps in CONTRACT_1_2:
        assert contract_node(record, *steps), steps
    assert contract_node(record, "status")["enum"] == ["held", "planned", "postponed", "cancelled", "downgraded"]
    assert contract_node(record, "status")["default"] == "held"
    assert {"objected", "reservation", "abstained"} <= set(contract_node(record, "agreements", "[]", "dissent", "[]",
                                                                         "kind")["enum"])
    assert contract_node(record, "documents", "[]", "status")["enum"] == ["issued", "not-issued", "draft", "withdrawn",
                                                                         "not-adopted"]
    assert {"chairs-summary", "outcome-list", "fact-sheet", "other"} <= set(
        contract_node(record, "documents", "[]", "kind")["enum"])
    assert contract_node(record, "heads_named")["type"] == "boolean"


@pytest.mark.parametrize(("older", "newer"), [("1.1", "1.2"), ("1.2", "1.3")])
def test_every_property_new_in_a_version_is_described(older, newer):
    """A keeper meets a new field in the editor's hover and in docs/schema-<version>.md: each
    says what it is for, on itself or on the definition it refers to."""
    old, new = schema.load_schema(older), schema.load_schema(newer)

    def properties(document):
        yield from (((), name, node) for name, node in document["properties"].items())
        for definition, node in document["$defs"].items():
            for name, child in node.get("properties", {}).items():
                yield (definition,), name, child

    known = {(where, name) for where, name, _ in properties(old)}
    undescribed = []
    for where, name, node in properties(new):
        if (where, name) in known:
            continue
        target = new["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node
        if "description" not in node and "description" not in target:
            undescribed.append("/".join([*where, name]))
    assert undescribed == []


# Where 1.3 holds a Wikidata item id (issue 24): the exports (QuickStatements, JSON-LD) read these.
# Co-chairs take theirs from person, through allOf.
WIKIDATA_1_3 = [("wikidata",), ("series", "wikidata"), ("parties", "[]", "wikidata"),
                ("participants", "[]", "wikidata"), ("convened_by", "persons", "[]", "wikidata"),
                ("delegations", "[]", "members", "[]", "wikidata"), ("statements", "[]", "speaker", "wikidata"),
                ("agreements", "[]", "third_parties", "[]", "wikidata"), ("venue", "wikidata"),
                ("stops", "[]", "wikidata"), ("next_round", "venue", "wikidata")]


def test_1_3_gives_every_wikidata_field_one_definition():
    record = schema.load_schema("1.3")
    for steps in WIKIDATA_1_3:
        assert contract_node(record, *steps) is record["$defs"]["wikidata_id"], steps
    assert record["$defs"]["co_chair"]["allOf"] == [{"$ref": "#/$defs/person"}]
    assert record["$defs"]["wikidata_id"]["pattern"] == "^Q[1-9][0-9]*$"


@pytest.mark.parametrize("version", ["1.1", "1.2", "1.3"])
def test_code_lists_are_pycountrys(version):
    """The ISO lists are generated (tools/regenerate.py), never typed: they equal pycountry's."""
    import pycountry

    defs = schema.load_schema(version)["$defs"]
    assert defs["iso_3166_alpha2"]["enum"] == sorted(c.alpha_2 for c in pycountry.countries)
    assert defs["iso_4217"]["enum"] == sorted(c.alpha_3 for c in pycountry.currencies)
    assert {"GB", "PK", "NO"} <= set(defs["iso_3166_alpha2"]["enum"]) and "UK" not in defs["iso_3166_alpha2"]["enum"]
