"""Every lint rule, through the CLI: a failing fixture gives exactly the expected findings,
a passing one gives none. Fixtures live in tests/fixtures/rules/<CODE>-<name>/."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from communique.core.findings import CODES
from communique.lint.rules import all_rules, parse_examples

from ...conftest import FIXTURES, REPO, RUN, expectations

RULE_FIXTURES = FIXTURES / "rules"
LINT_CODES = sorted({rule.code.code for rule in all_rules()} | {"U001", "U002"})


def fixture_dir(code: str) -> Path:
    matches = [d for d in RULE_FIXTURES.iterdir() if d.name.split("-")[0] == code]
    assert matches, f"rule {code} has no fixtures under {RULE_FIXTURES}"
    return matches[0]


def variant(folder: Path, name: str) -> Path:
    return folder / name if (folder / name).is_dir() else folder / f"{name}.yaml"


def cli_args(folder: Path, name: str, code: str) -> list[str]:
    args = ["--select", code]
    for args_file in (folder / "args", folder / f"{name}.args"):
        if args_file.exists():
            args = shlex.split(args_file.read_text().replace("{dir}", folder.relative_to(REPO).as_posix()))
    if (folder / "sources").is_dir():
        args += ["--sources", (folder / "sources").relative_to(REPO).as_posix()]
    return args


def run_fixture(run, monkeypatch, code: str, name: str):
    monkeypatch.chdir(REPO)
    folder = fixture_dir(code)
    target = variant(folder, name).relative_to(REPO).as_posix()
    result = run("check", "--format", "json", *cli_args(folder, name, code), target)
    return result, json.loads(result.output)["findings"]


@pytest.mark.parametrize("code", LINT_CODES)
def test_failing_fixture_gives_the_expected_findings(run, monkeypatch, code):
    result, found = run_fixture(run, monkeypatch, code, "fails")
    target = variant(fixture_dir(code), "fails")
    files = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    expected = sorted(((None, None, None) if line == RUN else (str(p.relative_to(REPO)), line, col)) + (c, msg)
                      for p in files for line, col, c, msg in expectations(p))
    assert expected, f"{code}: the failing fixture states no '# expect:' lines"
    actual = sorted((f["path"], f["line"], f["column"], f["code"], f["message"]) for f in found)
    assert len(actual) == len(expected), actual
    for (path, line, col, c, message), (a_path, a_line, a_col, a_code, a_message) in zip(expected, actual):
        assert (a_path, a_line, a_col, a_code) == (path, line, col, c)
        assert message in a_message
    severity = CODES[code].severity
    assert result.exit_code == (1 if str(severity) == "error" else 0)


@pytest.mark.parametrize("code", LINT_CODES)
def test_passing_fixture_gives_no_findings(run, monkeypatch, code):
    result, found = run_fixture(run, monkeypatch, code, "passes")
    assert found == []
    assert result.exit_code == 0


@pytest.mark.parametrize("code", LINT_CODES)
def test_rule_documents_itself(code):
    entry = CODES[code]
    assert entry.name and entry.summary.endswith(".")
    examples = parse_examples(entry.doc)
    assert examples.get("bad", "").strip() and examples.get("good", "").strip(), f"{code} needs Bad: and Good: examples"
    assert examples["bad"] != examples["good"]
