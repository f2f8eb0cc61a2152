"""Schema findings land on the node the user wrote, with the expected code and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.loading import load_file
from communique.validation import format_json_path, validate_document

from .conftest import FIXTURES, expectations

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
