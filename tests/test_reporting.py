"""Report formats: what CI systems and scripts consume."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft4Validator

from communique.findings import CODES, Finding
from communique.reporting import Report, render_github, render_json, render_sarif, summary_line
from communique.rules import all_rules

from .conftest import REPO

SARIF_SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def report():
    all_rules()
    return Report([
        Finding("records/a.yaml", 3, 7, CODES["S103"], "expected string, got integer 2026; quote it", "$.title"),
        Finding("records/b, c.yaml", 1, 1, CODES["C001"], "party 'pk' has no co-chair\nor head: of delegation"),
        Finding("records/b, c.yaml", 9, 2, CODES["X010"], "no record of round 8 of 'x'", "$.series.round"),
    ], files_checked=4)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(report):
    if not SARIF_SCHEMA.is_file():
        pytest.fail(f"needs the SARIF schema at {SARIF_SCHEMA} (../shared/schemas beside the repository)")
    sarif = json.loads(render_sarif(report))
    Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    first = run["results"][0]
    assert first["ruleId"] == "S103" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "S103"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 7)
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]


def test_github_annotations_escape_properties_and_data(report):
    lines = render_github(report).splitlines()
    assert lines[0] == ("::error file=records/a.yaml,line=3,col=7,title=S103 wrong-type::"
                        "expected string, got integer 2026; quote it (at $.title)")
    assert lines[1] == ("::warning file=records/b%2C c.yaml,line=1,col=1,title=C001 side-without-chair::"
                        "party 'pk' has no co-chair%0Aor head: of delegation")
    assert lines[2].startswith("::notice file=records/b%2C c.yaml,line=9,col=2,title=X010 series-gap::")
    assert lines[-1] == summary_line(report)


def test_json_report(report):
    payload = json.loads(render_json(report))
    assert payload["files_checked"] == 4
    assert payload["summary"] == {"info": 1, "warning": 1, "error": 1}
    assert payload["findings"][1]["severity"] == "warning"


def test_summary_counts_by_severity(report):
    assert summary_line(report) == "Found 3 problems (1 error, 1 warning, 1 info) in 2 of 4 files."
    assert summary_line(Report([], 1)) == "No problems in 1 file."
