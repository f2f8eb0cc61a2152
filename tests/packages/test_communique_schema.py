"""communique-schema, the schema-only distribution, read from the checkout: the same
versions, files and ids as the tool's own registry, and records validated offline by the
version they name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from communique import schema as tool_schema
from communique.documents.loading import load_file

from ..conftest import FIXTURES, RECORDS, REPO

PACKAGE_ROOT = REPO / "packages" / "communique-schema"
sys.path.insert(0, str(PACKAGE_ROOT))
import communique_schema as cs  # noqa: E402  (the distribution's own folder, not installed)


def test_it_holds_what_the_tool_holds():
    assert cs.versions() == tool_schema.versions()
    assert cs.LATEST == tool_schema.LATEST
    for version in cs.versions():
        assert cs.path(version).read_bytes() == (REPO / "schema" / version / "record.schema.json").read_bytes()
        assert cs.schema_id(version) == tool_schema.schema_id(version)


def test_an_unknown_version_names_the_known_ones():
    with pytest.raises(KeyError, match=r"no version '2\.0'; it has 1\.0, 1\.1, 1\.2"):
        cs.path("2.0")


def test_load_gives_a_copy_the_caller_may_change():
    first = cs.load()
    first["$defs"].clear()
    assert cs.load()["$defs"]


@pytest.mark.parametrize("record", [*sorted(RECORDS.glob("*.yaml")), *sorted((FIXTURES / "shapes").glob("*.yaml"))],
                         ids=lambda path: path.name)
def test_every_shipped_record_is_valid_by_the_version_it_names(record):
    data = load_file(record).document.data
    errors = [error.message for error in cs.validator(data["schema_version"]).iter_errors(data)]
    assert errors == []


def test_validator_checks_formats_and_reports_where():
    data = load_file(RECORDS / "af-pk-talks-01.yaml").document.data
    data["dates"]["start"] = "2025-02-30"
    (error,) = cs.validator(data["schema_version"]).iter_errors(data)
    assert error.json_path == "$.dates.start" and "date" in error.message


def test_another_schema_refs_a_definition_offline():
    from jsonschema import Draft202012Validator

    mine = {"type": "object", "properties": {"host": {"$ref": cs.schema_id("1.2") + "#/$defs/party"}}}
    checker = Draft202012Validator(mine, registry=cs.registry())
    assert checker.is_valid({"host": {"id": "no", "name": "Norway", "kind": "state"}})
    assert [e.json_path for e in checker.iter_errors({"host": {"id": "no", "name": "Norway", "kind": "planet"}})] \
        == ["$.host.kind"]


def test_importing_it_loads_no_third_party_module():
    probe = ("import sys, communique_schema as cs; cs.load(); cs.path('1.0');"
             "print(sorted(m for m in ('jsonschema', 'referencing', 'yaml', 'click') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(PACKAGE_ROOT)})
    assert json.loads(result.stdout.replace("'", '"')) == []


SUITE_FILES = sorted((REPO / "tests" / "schema" / "suite").glob("*/*.json"))


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_its_validator_gives_every_verdict_of_the_schema_test_suite(path):
    """The suite's cases include those where python-jsonschema alone departs from JSON
    Schema (a pattern's `$` before a final newline; a url without a scheme): the package's
    validator, built on it, must not."""
    wrong = [(group["description"], case["description"])
             for group in json.loads(path.read_text(encoding="utf-8"))
             for case in group["tests"]
             if cs.validator(group["schema"]).is_valid(case["data"]) is not case["valid"]]
    assert wrong == []


def test_a_value_ending_in_a_newline_does_not_match_a_pattern_ending_in_dollar():
    party = cs.validator({"$schema": "https://json-schema.org/draft/2020-12/schema",
                          "$ref": cs.schema_id("1.2") + "#/$defs/party"})
    assert party.is_valid({"id": "no", "name": "Norway", "kind": "state"})
    (error,) = party.iter_errors({"id": "no\n", "name": "Norway", "kind": "state"})
    assert error.json_path == "$.id" and "does not match" in error.message
    record = load_file(RECORDS / "pk-eu-political-dialogue-10.yaml").document.data
    record["parties"][1]["id"] += "\n"  # reached through the whole schema's root, which names its dialect
    assert [e.json_path for e in cs.validator("1.2").iter_errors(record)] == ["$.parties[1].id"]


def test_a_schema_of_another_dialect_is_refused_rather_than_misread():
    with pytest.raises(ValueError, match="reads draft 2020-12 schemas; this one is http://json-schema.org/draft-07"):
        cs.validator({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"})
