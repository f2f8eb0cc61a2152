"""`communique schema diff`: every change between two schemas, each with whether records
valid under OLD stay valid under NEW; and every minor step of the shipped schemas kept
compatible, so that a minor version that would break old records fails CI."""

from __future__ import annotations

import copy
import json

import pytest
from communique import schema
from communique.schema.diff import (
    BREAKING,
    COMPATIBLE,
    diff_schemas,
    diff_sources,
    load_source,
    minor_steps,
    render_text,
)

from ..conftest import RECORDS

OLD = schema.load_schema("1.0")


def edited(change) -> dict:
    """A copy of schema 1.0 with `change` applied to it."""
    new = copy.deepcopy(OLD)
    change(new)
    return new


def changes(new: dict, old: dict = OLD) -> list[tuple[str, str, str]]:
    return [(c.verdict, c.path, c.description) for c in diff_schemas(old, new)]


def only(new: dict, old: dict = OLD) -> tuple[str, str, str]:
    found = changes(new, old)
    assert len(found) == 1, found
    return found[0]


def write(tmp_path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def bump(data: dict, version: str = "1.1") -> dict:
    """The version marker of `data` moved to `version`, as a new minor version has it."""
    new = copy.deepcopy(data)
    new["$id"] = new["$id"].replace("/1.0/", f"/{version}/")
    new["properties"]["schema_version"]["const"] = version
    return new


# --- what each kind of change is --------------------------------------------------------------

def test_identical_schemas_have_no_changes(run):
    assert diff_schemas(OLD, copy.deepcopy(OLD)) == []
    result = run("schema", "diff", "1.0", "1.0")
    assert result.exit_code == 0
    assert result.stdout == "compatible: no changes; records valid under 1.0 are valid under 1.0\n"


def test_version_marker_alone_is_compatible(run, tmp_path):
    result = run("schema", "diff", "1.0", write(tmp_path, "next.json", bump(OLD)))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["compatible", "properties/schema_version/const", "version"]
    assert "schema_version '1.0' -> '1.1'" in lines[0]
    assert lines[1].startswith("compatible  $id  version marker: $id https://communique.example/schema/1.0/")
    assert lines[2].endswith("stay valid under " + str(tmp_path / "next.json") + " (once their schema_version says so)")
    assert len(lines) == 3


def test_new_optional_property_under_closed_object_is_compatible(run, tmp_path):
    new = edited(lambda s: s["$defs"]["party"]["properties"].update(roles={"type": "array", "items": {"type": "string"}}))
    assert only(new) == (COMPATIBLE, "$defs/party/properties/roles", "new optional property 'roles'")
    result = run("schema", "diff", "1.0", write(tmp_path, "new.json", new))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"compatible: records valid under 1.0 stay valid under {tmp_path / 'new.json'}"


def test_new_required_property_is_breaking(run, tmp_path):
    def change(s):
        s["properties"]["region"] = {"type": "string"}
        s["required"].append("region")

    new = edited(change)
    assert changes(new) == [(COMPATIBLE, "properties/region", "new property 'region'"),
                            (BREAKING, "required", "property 'region' became required")]
    result = run("schema", "diff", "1.0", write(tmp_path, "new.json", new))
    assert result.exit_code == 1
    assert ("breaking    required  property 'region' became required: records without 'region' are refused"
            in result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == "breaking: 1 change breaks records valid under 1.0"


def test_required_in_a_definition_is_caught_at_its_place():
    def change(s):
        s["$defs"]["place"]["properties"]["region"] = {"type": "string"}
        s["$defs"]["place"]["required"].append("region")

    assert (BREAKING, "$defs/place/required", "property 'region' became required") in changes(edited(change))


def test_required_removed_is_compatible():
    assert only(edited(lambda s: s["required"].remove("title"))) == (
        COMPATIBLE, "required", "property 'title' no longer required")


def test_enum_value_removed_is_breaking_and_added_is_compatible(run, tmp_path):
    removed = edited(lambda s: s["properties"]["kind"]["enum"].remove("visit"))
    assert only(removed) == (BREAKING, "properties/kind/enum", "value 'visit' removed")
    assert run("schema", "diff", "1.0", write(tmp_path, "removed.json", removed)).exit_code == 1
    added = edited(lambda s: s["properties"]["kind"]["enum"].append("retreat"))
    assert only(added) == (COMPATIBLE, "properties/kind/enum", "value 'retreat' added")
    assert run("schema", "diff", "1.0", write(tmp_path, "added.json", added)).exit_code == 0


def test_enum_value_removed_inside_a_definition_used_through_allof():
    new = edited(lambda s: s["$defs"]["co_chair"]["properties"]["role"]["enum"].remove("chair"))
    assert only(new) == (BREAKING, "$defs/co_chair/properties/role/enum", "value 'chair' removed")


def test_type_narrowed_is_breaking_and_widened_compatible(run, tmp_path):
    wide = edited(lambda s: s["properties"]["series"]["properties"]["round"].update(type=["integer", "string"]))
    verdict, path, description = only(OLD, old=wide)
    assert (verdict, path) == (BREAKING, "properties/series/properties/round/type")
    assert description == "type integer/string -> integer"
    result = run("schema", "diff", write(tmp_path, "wide.json", wide), "1.0")
    assert result.exit_code == 1 and "narrowed: string values are refused" in result.stdout
    assert only(wide)[0] == COMPATIBLE
    number = edited(lambda s: s["properties"]["series"]["properties"]["round"].update(type="number"))
    assert only(number)[0] == COMPATIBLE  # every integer is a number
    assert only(OLD, old=number)[0] == BREAKING


def test_max_length_lowered_is_breaking_and_raised_compatible(run, tmp_path):
    lowered = edited(lambda s: s["$defs"]["slug"].update(maxLength=50))
    assert only(lowered) == (BREAKING, "$defs/slug/maxLength", "maxLength lowered from 100 to 50")
    result = run("schema", "diff", "1.0", write(tmp_path, "lowered.json", lowered))
    assert result.exit_code == 1
    assert "values longer than 50 characters are refused" in result.stdout
    assert only(edited(lambda s: s["$defs"]["slug"].update(maxLength=200)))[0] == COMPATIBLE
    assert only(edited(lambda s: s["properties"]["parties"].update(minItems=2)))[0] == BREAKING
    assert only(edited(lambda s: s["properties"]["title"].pop("minLength")))[0] == COMPATIBLE


def test_pattern_changed_cannot_be_proved():
    new = edited(lambda s: s["$defs"]["slug"].update(pattern="^[a-z0-9]+([-_][a-z0-9]+)*$"))
    verdict, path, _ = only(new)
    assert (verdict, path) == (BREAKING, "$defs/slug/pattern")
    assert diff_schemas(OLD, new)[0].reason == "pattern changed: cannot prove that old values still match"


def test_an_enum_replacing_a_pattern_is_breaking():
    def change(s):
        code = s["$defs"]["country_code"]
        del code["pattern"]
        code["enum"] = ["BE", "NO", "PK"]

    assert changes(edited(change)) == [(BREAKING, "$defs/country_code/enum", "enum added: only 'BE', 'NO', 'PK'"),
                                       (COMPATIBLE, "$defs/country_code/pattern", "pattern ^[A-Z]{2}$ removed")]


def test_a_pattern_every_listed_value_meets_is_compatible():
    new = edited(lambda s: s["properties"]["kind"].update(pattern="^[a-z]+$"))
    assert only(new)[0] == COMPATIBLE


def test_format_added_is_breaking():
    new = edited(lambda s: s["properties"]["notes"].update(format="date"))
    assert only(new) == (BREAKING, "properties/notes/format", "format 'date' added")


def test_open_object_gaining_a_constrained_property_is_breaking():
    # OLD lets `extra` hold anything, so a record may already carry it with another type.
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}, "extra": {"type": "integer"}}}
    assert changes(new, old) == [(BREAKING, "properties/extra", "new optional property 'extra'")]
    assert changes({**new, "properties": {**new["properties"], "extra": {}}}, old)[0][0] == COMPATIBLE


def test_closing_an_object_is_breaking_and_opening_it_compatible():
    old = {"type": "object", "properties": {"a": {}}}
    closed = {**old, "additionalProperties": False}
    assert only(closed, old)[0] == BREAKING
    assert only(old, closed)[0] == COMPATIBLE


def test_property_removed_from_a_closed_object_is_breaking():
    new = edited(lambda s: s["properties"].pop("notes"))
    assert only(new) == (BREAKING, "properties/notes", "property 'notes' removed")


def test_definition_removed_is_breaking_and_added_compatible():
    def remove(s):
        del s["$defs"]["participant"]
        s["properties"]["participants"]["items"] = {"$ref": "#/$defs/person"}

    found = changes(edited(remove))
    assert (BREAKING, "$defs/participant", "definition 'participant' removed") in found
    assert (COMPATIBLE, "properties/participants/items/$ref", "refers to #/$defs/person (was #/$defs/participant)") in found
    assert only(edited(lambda s: s["$defs"].update(region={"type": "string"}))) == (
        COMPATIBLE, "$defs/region", "new definition 'region'")


def test_a_reference_moved_to_a_stricter_definition_is_breaking():
    new = edited(lambda s: s["properties"]["id"].update({"$ref": "#/$defs/country_code"}))
    verdict, path, description = only(new)
    assert (verdict, path) == (BREAKING, "properties/id/$ref")
    assert description == "refers to #/$defs/country_code (was #/$defs/slug)"


def test_a_definition_written_out_in_place_is_no_change_of_meaning():
    def write_out(s):
        del s["properties"]["id"]["$ref"]
        s["properties"]["id"].update({k: v for k, v in OLD["$defs"]["slug"].items() if k != "description"})

    assert only(edited(write_out)) == (COMPATIBLE, "properties/id/$ref", "no longer refers to #/$defs/slug")


def test_conditions_old_records_meet_are_compatible_and_others_breaking():
    # A side with no name: OLD refuses `unnamed`, so the condition never holds for its records.
    def unnamed(then: dict):
        def change(s):
            party = s["$defs"]["party"]
            party["properties"]["unnamed"] = {"const": True}
            party["allOf"] = [{"if": {"required": ["unnamed"]}, "then": then, "else": {"required": ["name"]}}]
        return change

    found = changes(edited(unnamed({"required": ["id"]})))
    assert (COMPATIBLE, "$defs/party/allOf/0", "allOf branch added") in found
    assert all(verdict == COMPATIBLE for verdict, _, _ in found)
    stricter = edited(lambda s: s["$defs"]["party"].update(
        {"if": {"required": ["kind"]}, "then": {"required": ["sources"]}}))
    assert only(stricter)[0] == BREAKING


def test_alternatives_one_of_which_old_records_meet_are_compatible():
    def change(s):
        series = s["properties"]["series"]
        series["required"] = ["id"]
        series["properties"]["edition"] = {"type": "string"}
        series["anyOf"] = [{"required": ["round"]}, {"required": ["edition"]}]

    assert all(c.verdict == COMPATIBLE for c in diff_schemas(OLD, edited(change)))
    both = edited(lambda s: s["properties"]["series"].update(anyOf=[{"required": ["name"]}]))
    assert only(both)[0] == BREAKING


def test_references_in_circles_and_fanning_out_end_quickly():
    import time

    size = 30  # each definition refers twice to the next: 2**30 paths, and a circle back
    defs = {f"d{i}": {"allOf": [{"$ref": f"#/$defs/d{i + 1}"}, {"$ref": f"#/$defs/d{i + 1}"}]} for i in range(size)}
    defs[f"d{size}"] = {"allOf": [{"$ref": "#/$defs/d0"}], "type": "object"}
    old = {"$defs": defs, "type": "object", "properties": {"x": {"$ref": "#/$defs/d0"}}}
    new = copy.deepcopy(old)
    new["properties"]["x"] = {"$ref": "#/$defs/d1"}
    started = time.perf_counter()
    found = diff_schemas(old, new)
    assert time.perf_counter() - started < 5
    assert [c.path for c in found] == ["properties/x/$ref"] and len(found[0].reason) < 300


def test_a_keyword_this_tool_does_not_compare_is_breaking():
    new = edited(lambda s: s["properties"]["notes"].update({"$dynamicRef": "#meta"}))
    assert only(new)[0] == BREAKING


def test_every_breaking_change_is_counted(run, tmp_path):
    def change(s):
        s["properties"]["kind"]["enum"].remove("visit")
        s["$defs"]["slug"]["maxLength"] = 50

    result = run("schema", "diff", "1.0", write(tmp_path, "new.json", edited(change)), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["compatible"] is False and payload["breaking"] == 2
    assert payload["old"] == "1.0"
    assert payload["changes"][0] == {"path": "properties/kind/enum", "verdict": "breaking",
                                     "change": "value 'visit' removed", "reason": "records with 'visit' are refused"}
    assert payload["summary"] == "breaking: 2 changes break records valid under 1.0"


def test_json_output_when_compatible(run):
    payload = json.loads(run("schema", "diff", "1.0", "1.0", "--format", "json").stdout)
    assert payload == {"old": "1.0", "new": "1.0", "compatible": True, "breaking": 0, "changes": [],
                       "summary": "compatible: no changes; records valid under 1.0 are valid under 1.0"}


# --- inputs that cannot be compared ----------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (None, "unknown schema version '9.9'; known: "),
    ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[1, 2]", "is not a JSON Schema: it holds a JSON array, not an object"),
    ('{"type": 5}', "is not a valid JSON Schema: "),
    ('{"$schema": "http://json-schema.org/draft-07/schema#"}', "only draft 2020-12"),
    ('{"minimum": NaN}', "is not valid JSON: NaN is not a JSON value"),
    (b"\xff\xfe{}", "is not UTF-8 text"),
    ("folder", "is a folder; give a schema file"),
    ("missing", "no such file, and not a schema version this tool knows"),
])
def test_what_cannot_be_read_is_one_line_and_exit_2(run, tmp_path, content, message):
    if content is None:
        target = "9.9"
    elif content == "folder":
        target = str(tmp_path)
    elif content == "missing":
        target = str(tmp_path / "nope.json")
    else:
        path = tmp_path / "schema.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        target = str(path)
    for args in (("1.0", target), (target, "1.0")):
        result = run("schema", "diff", *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("communique: error: ")
        assert message in result.stderr


def test_odd_paths_are_errors_not_tracebacks(run, tmp_path):
    for odd in ("x" * 5000, "a\x00b"):
        result = run("schema", "diff", "1.0", odd)
        assert result.exit_code == 2 and "communique: error:" in result.stderr


def test_schema_printing_options_stay_as_they_were_and_do_not_mix_with_diff(run):
    assert json.loads(run("schema", "--version", "1.0").stdout)["$id"].endswith("/1.0/record.schema.json")
    assert run("schema", "--path", "--version", "1.0").stdout.strip().endswith("record.schema.json")
    assert "1.0\thttps://communique.example/schema/1.0/record.schema.json" in run("schema", "--list").stdout
    mixed = run("schema", "--path", "diff", "1.0", "1.0")
    assert mixed.exit_code == 2 and "--path" in mixed.stderr
    assert run("schema", "diff", "1.0").exit_code == 2  # NEW missing: usage error


def test_the_command_line_does_not_load_the_differ_until_asked():
    import subprocess
    import sys

    code = ("import sys, communique.cli; "
            "print(sorted(m for m in ('communique.schema.diff', 'jsonschema') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


# --- the shipped schemas ----------------------------------------------------------------------

def test_minor_steps_pair_consecutive_versions_of_one_major():
    assert minor_steps(["1.0", "1.10", "1.2", "2.0", "2.1", "3.0"]) == [("1.0", "1.2"), ("1.2", "1.10"),
                                                                          ("2.0", "2.1")]
    assert minor_steps(["1.0"]) == []


def test_every_minor_version_keeps_records_of_the_one_before_valid():
    """A future minor version that breaks old records fails here, with what breaks them."""
    versions = schema.versions()
    steps = minor_steps(versions)
    majors = {version.split(".")[0] for version in versions}
    assert len(steps) == len(versions) - len(majors)  # every version but each major's first is a step
    for old, new in steps:
        diff = diff_sources(load_source(old), load_source(new))
        assert diff.compatible, f"schema {new} breaks records valid under {old}:\n{render_text(diff)}"
        assert diff.marker, f"schema {new} should declare schema_version {new!r}"


@pytest.mark.skipif("1.1" not in schema.versions(), reason="schema/1.1 does not exist yet")
def test_1_0_to_1_1_is_compatible(run):
    result = run("schema", "diff", "1.0", "1.1")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == ("compatible: records valid under 1.0 stay valid under 1.1 "
                                              "(once their schema_version says so)")


def test_1_1_to_1_2_is_compatible(run):
    """Schema 1.2 only adds and loosens: the tool proves it change by change (the property
    test in tests/fuzz/test_versions.py tries it on generated records)."""
    result = run("schema", "diff", "1.1", "1.2")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == ("compatible: records valid under 1.1 stay valid under 1.2 "
                                              "(once their schema_version says so)")
    lines = result.stdout.splitlines()[:-1]
    assert lines and all(line.startswith("compatible  ") for line in lines)
    # The loosenings are named where they are, not only the additions.
    assert any("properties/series/anyOf" in line and "anyOf branch added" in line for line in lines)
    assert any("properties/dates/anyOf" in line for line in lines)
    assert any("$defs/delegation/properties/members/items/$ref" in line for line in lines)


def test_1_2_to_1_3_adds_the_wikidata_fields_and_nothing_else(run):
    result = run("schema", "diff", "1.2", "1.3")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()[:-1]
    assert all(line.startswith("compatible  ") for line in lines)
    added = {line.split()[1] for line in lines if "new optional property 'wikidata'" in line}
    assert added == {"properties/wikidata", "properties/series/properties/wikidata"} | {
        f"$defs/{name}/properties/wikidata" for name in ("party", "third_party", "person", "member", "place", "stop")}
    assert len(lines) == len(added) + 3  # and the version marker ($id, const) and $defs/wikidata_id


def test_shipped_records_stay_valid_along_each_minor_step():
    """The diff's verdict, checked on real records: each shipped record valid under a
    version is valid under the next minor one once its schema_version says so."""
    from communique.documents.loading import load_file
    from jsonschema import Draft202012Validator

    records = [load_file(path).document.data for path in sorted(RECORDS.glob("*.yaml"))]
    assert records
    for old, new in minor_steps(schema.versions()):
        before = Draft202012Validator(schema.load_schema(old), format_checker=Draft202012Validator.FORMAT_CHECKER)
        after = Draft202012Validator(schema.load_schema(new), format_checker=Draft202012Validator.FORMAT_CHECKER)
        for record in records:
            if record.get("schema_version") == old and before.is_valid(record):
                moved = {**record, "schema_version": new}
                assert after.is_valid(moved), [e.message for e in after.iter_errors(moved)][:3]
