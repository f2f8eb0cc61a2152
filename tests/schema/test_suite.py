"""The schema's test suite: tests/schema/suite/<version>/<definition>.json (record.json for the
root), in the JSON-Schema-Test-Suite format, each case run by two independent validators.

A group's schema is only a `$ref` to our `$id`, so any validator that holds the published
schemas under their ids can run the files unchanged (an Ajv runner reads the same files).
The files are the suite, written by hand: the schemas they test are never edited once
released, so neither are their cases; a new version starts from a copy of the latest folder.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema_rs
import pytest
from communique import schema
from jsonschema import Draft202012Validator

SUITE = Path(__file__).parent / "suite"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER

FILES = sorted(SUITE.glob("*/*.json"))


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@cache
def _groups(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))


# Where python-jsonschema, as installed, departs from the 2020-12 spec (jsonschema-rs and Ajv
# follow it): (definition, group, case) -> why. Such a case is a strict xfail for
# python-jsonschema, so an entry that no longer applies fails and must go.
PYTHON_JSONSCHEMA_DIFFERS = {
    ("slug", "slug: lower-case words joined by single hyphens",
     "a trailing newline: ECMA-262 '$' matches only at the very end (pattern)"):
        "`pattern` runs Python's re.search, whose '$' also matches before a final newline",
}
if "uri" not in FORMAT_CHECKER.checkers:
    PYTHON_JSONSCHEMA_DIFFERS[("source", "source: a text the record was read from",
                               "a url without a scheme, not an absolute URI (url: format uri)")] = (
        "no checker for format 'uri' is installed (rfc3987 or rfc3986-validator), and a format "
        "it cannot check passes")


def _cases(mark_python_differences: bool) -> list:
    params = []
    for path in FILES:
        for group in _groups(path):
            for case in group["tests"]:
                key = (path.stem, group["description"], case["description"])
                reason = PYTHON_JSONSCHEMA_DIFFERS.get(key) if mark_python_differences else None
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                params.append(pytest.param(group, case, marks=marks,
                                           id=f"{_name(path)} | {group['description']} | {case['description']}"))
    return params


# Validators are built once per group schema (a `$ref`) and shared by its cases; each library
# gets one registry of every published version, and neither may fetch anything.
@cache
def _python_registry():
    return schema.registry()


@cache
def _rs_registry():
    return jsonschema_rs.Registry([(schema.schema_id(v), schema.load_cached(v)) for v in schema.versions()])


@cache
def _python_validator(key: str):
    return Draft202012Validator(json.loads(key), registry=_python_registry(), format_checker=FORMAT_CHECKER)


@cache
def _rs_validator(key: str):
    return jsonschema_rs.Draft202012Validator(json.loads(key), registry=_rs_registry(), validate_formats=True,
                                              offline=True)


def python_jsonschema_says(own_schema: dict, data) -> bool:
    return _python_validator(json.dumps(own_schema, sort_keys=True)).is_valid(data)


def jsonschema_rs_says(own_schema: dict, data) -> bool:
    return _rs_validator(json.dumps(own_schema, sort_keys=True)).is_valid(data)


def _ref(version: str, name: str) -> str:
    """What a group of `<version>/<name>.json` refers to."""
    return schema.schema_id(version) + ("" if name == "record" else f"#/$defs/{name}")


@pytest.mark.parametrize(("group", "case"), _cases(mark_python_differences=True))
def test_python_jsonschema(group, case):
    assert python_jsonschema_says(group["schema"], case["data"]) is case["valid"]


@pytest.mark.parametrize(("group", "case"), _cases(mark_python_differences=False))
def test_jsonschema_rs(group, case):
    assert jsonschema_rs_says(group["schema"], case["data"]) is case["valid"]


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_the_validators_agree(path):
    """Whatever the expectation, the two disagree only where python-jsonschema is known to."""
    disagree = {}  # case -> (python-jsonschema's answer, jsonschema-rs's answer)
    for group in _groups(path):
        for case in group["tests"]:
            says = (python_jsonschema_says(group["schema"], case["data"]),
                    jsonschema_rs_says(group["schema"], case["data"]))
            if says[0] != says[1]:
                disagree[(path.stem, group["description"], case["description"])] = says
    assert disagree.keys() == {key for key in PYTHON_JSONSCHEMA_DIFFERS if key[0] == path.stem}, disagree


@pytest.mark.parametrize(("older", "newer"), list(zip(schema.versions(), schema.versions()[1:])))
def test_what_a_version_accepts_the_next_accepts_too(older, newer):
    """Minor versions only add or loosen: each valid case of a version is valid under the next
    (a record once its schema_version says so)."""
    refused = []
    for path in (path for path in FILES if path.parent.name == older):
        target = {"$ref": _ref(newer, path.stem)}
        for group in _groups(path):
            for case in group["tests"]:
                data = dict(case["data"], schema_version=newer) if path.stem == "record" else case["data"]
                if case["valid"] and not jsonschema_rs_says(target, data):
                    refused.append(f"{_name(path)} | {group['description']} | {case['description']}")
    assert refused == []


@pytest.mark.parametrize("version", schema.versions())
def test_every_definition_has_a_file_with_valid_and_invalid_cases(version):
    """The suite follows the schema: a definition added without cases, or a file left for one
    that is gone, fails here."""
    definitions = set(schema.load_cached(version)["$defs"]) | {"record"}
    files = {path.stem: path for path in FILES if path.parent.name == version}
    assert set(files) == definitions, {"without a file": sorted(definitions - set(files)),
                                       "without a definition": sorted(set(files) - definitions)}
    lacking = [f"{name}: no {kind} case" for name, path in sorted(files.items())
               for kind, valid in (("valid", True), ("invalid", False))
               if not any(case["valid"] is valid for group in _groups(path) for case in group["tests"])]
    assert lacking == []


def test_every_schema_version_has_a_suite():
    assert sorted(path.name for path in SUITE.iterdir() if path.is_dir()) == sorted(schema.versions())


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_every_group_refers_to_the_definition_its_file_is_named_after(path):
    version, name = path.parent.name, path.stem
    assert name == "record" or name in schema.load_cached(version)["$defs"]
    assert [group["schema"]["$ref"] for group in _groups(path)] == [_ref(version, name)] * len(_groups(path))


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_file_is_in_the_json_schema_test_suite_shape(path):
    """Exactly the keys and types the JSON-Schema-Test-Suite runners (ours, Ajv's) read."""
    groups = _groups(path)
    assert isinstance(groups, list) and groups
    for group in groups:
        assert isinstance(group, dict) and set(group) == {"description", "schema", "tests"}, group.keys()
        assert isinstance(group["description"], str) and group["description"]
        own = group["schema"]
        assert isinstance(own, dict) and "$ref" in own and set(own) <= {"$ref", "$schema"}, own
        assert isinstance(own["$ref"], str)
        assert own.get("$schema", DRAFT_2020_12) == DRAFT_2020_12
        assert isinstance(group["tests"], list) and group["tests"]
        for case in group["tests"]:
            assert isinstance(case, dict) and set(case) == {"description", "data", "valid"}, case
            assert isinstance(case["description"], str) and case["description"]
            assert isinstance(case["valid"], bool)
        # A case is named by its file, group and description: each must be unique.
        descriptions = [case["description"] for case in group["tests"]]
        assert len(descriptions) == len(set(descriptions)), group["description"]
    names = [group["description"] for group in groups]
    assert len(names) == len(set(names))
