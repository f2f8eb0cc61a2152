"""The Python API: `communique.validate` and `communique.check`, as a pipeline uses them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import communique
import pytest

from .conftest import FIXTURES, RECORDS, REPO

MINIMAL = FIXTURES / "valid" / "minimal.yaml"


def minimal() -> dict:
    from communique.documents.loading import load_file

    return load_file(MINIMAL).document.data


def test_validate_takes_a_mapping_and_checks_formats():
    assert communique.validate(minimal()) == []
    findings = communique.validate({**minimal(), "dates": {"start": "2025-02-30"}})
    assert [(f.code.code, f.json_path, f.line) for f in findings] == [("S105", "$.dates.start", 0)]
    assert str(findings[0]) == "<data>: S105 '2025-02-30' is not a valid date: day is out of range for month " \
                               "(at $.dates.start)"


def test_validate_takes_text_and_then_gives_positions():
    text = MINIMAL.read_text().replace("kind: meeting", "kind: conference")
    (finding,) = communique.validate(text)
    assert (finding.code.code, finding.line, finding.column) == ("S104", 5, 7)
    assert [f.code.code for f in communique.validate("a: [")] == ["Y001"]


def test_validate_against_a_named_version():
    assert communique.validate(minimal(), version="1.0") == []
    with pytest.raises(ValueError, match="unknown schema version '9.9'"):
        communique.validate(minimal(), version="9.9")
    with pytest.raises(TypeError):
        communique.validate(42)


def test_check_gives_what_the_command_line_gives(run, tmp_path):
    shutil.copytree(FIXTURES / "rules" / "X004-next-round-mismatch" / "fails", tmp_path / "records")
    result = communique.check([tmp_path / "records"])
    cli = json.loads(run("check", "--format", "json", tmp_path / "records").output)
    assert [(f.path, f.line, f.column, f.code.code, f.message) for f in result.findings] == \
        [(f["path"] or "", f["line"] or 0, f["column"] or 0, f["code"], f["message"]) for f in cli["findings"]]
    assert result.exit_code == 1 and not result.ok and result.files_checked == cli["files_checked"]


def test_check_with_sources_select_and_fail_on(seeds):
    assert communique.check([RECORDS], sources=seeds).ok
    selected = communique.check([FIXTURES / "rules" / "C001-side-without-chair" / "fails.yaml"], select=["C001"],
                                fail_on="warning")
    assert [f.code.code for f in selected.findings] == ["C001"] and selected.exit_code == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"select": ["Z9"]}, "unknown code or prefix 'Z9'"),
    ({"fail_on": "fatal"}, "'fatal' is not a severity"),
    ({"sources": "/nonexistent"}, "sources folder /nonexistent does not exist"),
    ({"select": ["D"], "ignore": ["D"]}, "leaves no check of `check` on"),
])
def test_check_raises_value_error_where_the_command_line_exits_2(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        communique.check([MINIMAL], **kwargs)


def test_the_api_starts_no_command_line_and_is_typed():
    code = ("import sys, communique; communique.validate({'schema_version': '1.0'}); "
            "print(sorted(m for m in ('click', 'ruamel') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert (REPO / "validator" / "communique" / "py.typed").is_file()


def test_a_record_loaded_by_pyyaml_with_dates_is_validated():
    import yaml

    data = yaml.safe_load((RECORDS / "pk-eu-strategic-dialogue-07.yaml").read_text())
    assert communique.validate(data) == []
    with pytest.raises(TypeError, match=r"the value at \$.notes is a set"):
        communique.validate({**data, "notes": {1, 2}})


def test_a_file_name_given_as_a_record_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"not a file name .*communique.check"):
        communique.validate("records/x.yaml")


def test_check_takes_one_path_codes_as_one_string_and_bytes(tmp_path):
    record = tmp_path / "example-meeting.yaml"
    record.write_text(MINIMAL.read_text())
    assert communique.check(record, select="C001").findings[0].code.code == "C001"
    assert communique.check(str(record).encode(), select="C001", fail_on="warning").exit_code == 1
    with pytest.raises(TypeError, match="select takes codes as strings"):
        communique.check(record, select=[None])


def test_a_missing_file_is_a_finding_with_exit_code_2(tmp_path):
    result = communique.check([tmp_path / "nope.yaml"])
    assert result.exit_code == 2 and [f.code.code for f in result.findings] == ["F001"]


@pytest.mark.parametrize("value, message", [(float("nan"), r"\$.title is nan, which JSON cannot hold"),
                                            (float("inf"), r"\$.title is inf")])
def test_values_json_cannot_hold_are_type_errors(value, message):
    with pytest.raises(TypeError, match=message):
        communique.validate({**minimal(), "title": value})


def test_a_record_that_contains_itself_is_a_type_error():
    data = minimal()
    data["notes"] = [data]
    with pytest.raises(TypeError, match="contains itself"):
        communique.validate(data)


def test_a_version_is_a_string():
    from communique.schema import LATEST

    with pytest.raises(TypeError, match=f"version is a string such as '{LATEST}', not float 1.0"):
        communique.validate(minimal(), version=1.0)
