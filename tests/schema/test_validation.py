"""Schema findings land on the node the user wrote, with the expected code and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from communique.documents.loading import load_file
from communique.schema.validation import format_json_path, validate_document

from ..conftest import FIXTURES, expectations

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def check(path: Path):
    loaded = load_file(path)
    found = list(loaded.findings)
    if loaded.document is not None:
        found += validate_document(loaded.document)
    return found


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_reports_expected_findings(path):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    found = check(path)
    assert len(found) == len(expected), [f"{f.line}:{f.column} {f.code.code} {f.message}" for f in found]
    for (line, column, code, message), finding in zip(expected, found):
        assert finding.code.code == code
        assert message in finding.message
        assert (finding.line, finding.column) == (line, column)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_has_no_findings(path):
    assert check(path) == []


def test_every_error_is_reported_not_only_the_first():
    found = check(FIXTURES / "invalid" / "several-problems.yaml")
    assert [f.code.code for f in found] == ["S106", "S104", "S105"]


def test_format_assertion_rejects_impossible_dates_that_match_the_pattern():
    found = check(FIXTURES / "invalid" / "impossible-date.yaml")
    assert found[0].json_path == "$.dates.start"


def test_json_path_format():
    assert format_json_path(["agreements", 3, "evidence", 0, "quote"]) == "$.agreements[3].evidence[0].quote"
    assert format_json_path(["odd key"]) == "$['odd key']"


# --- whole numbers written as floats ------------------------------------------------------------

def test_a_json_float_without_fraction_is_refused_where_the_schema_wants_an_integer():
    from communique.documents.loading import load_text

    text = ('{"schema_version": "1.0", "id": "example-meeting-01", "title": "Example", "kind": "meeting",\n'
            ' "series": {"id": "example-meeting", "name": "Example", "round": 1.0},\n'
            ' "parties": [{"id": "no", "name": "Norway", "kind": "state", "country": "NO"}],\n'
            ' "co_chairs": [], "agenda": [], "agreements": [], "sources": [{"id": "s", "kind": "other"}]}\n')
    found = validate_document(load_text(text, "example-meeting-01.json", is_json=True).document)
    assert [(f.line, f.column, f.code.code, f.message, f.json_path) for f in found] == [
        (2, 66, "S103", "expected integer, got 1.0; write 1", "$.series.round")]


def test_a_float_where_text_is_wanted_is_reported_once_as_text():
    from communique.documents.loading import load_text

    text = (FIXTURES / "valid" / "minimal.yaml").read_text().replace("title: Example meeting", "title: 1.0")
    found = validate_document(load_text(text, "minimal.yaml").document)
    assert [(f.code.code, f.message) for f in found] == [("S103", "expected string, got number 1.0; quote it")]


@pytest.mark.parametrize("command, shown", [("check", "S103"), ("validate", "S103"), ("lint", "S900"),
                                            ("stats", "S103"), ("export", "S103")])
def test_every_command_reports_an_integral_float_round_instead_of_failing(run, tmp_path, command, shown):
    from ..conftest import RECORDS

    text = (RECORDS / "pk-eu-political-dialogue-10.yaml").read_text()
    record = tmp_path / "pk-eu-political-dialogue-10.yaml"
    record.write_text(text.replace("  round: 10\n", "  round: 10.0\n", 1))
    options = {"check": ["--no-cache"], "validate": ["--no-cache"], "lint": ["--no-cache"],
               "export": ["--format", "csv", "--output", tmp_path / "out"]}.get(command, [])
    result = run(command, *options, record)  # `run` fails the test on an internal error
    assert result.exit_code == 1, result.output
    assert shown in result.output
