"""Codes named in options and configuration are checked: a typo is a usage error with a
suggestion (exit 2), never a selection that silently turns the check off."""

from __future__ import annotations

import re

import pytest

from ..conftest import FIXTURES

BAD = FIXTURES / "invalid" / "several-problems.yaml"  # three schema errors


def test_a_typo_in_select_is_a_usage_error_not_a_pass(run):
    result = run("check", "--select", "Z9", BAD)
    assert result.exit_code == 2
    assert "Error: --select: unknown code or prefix 'Z9'; `communique rules` lists the codes" in result.output
    assert "No problems" not in result.output


@pytest.mark.parametrize("option, value, suggestion", [
    ("--select", "s1", "did you mean 'S1'?"),
    ("--select", "S1O1", "did you mean 'S101'?"),
    ("--ignore", "x008", "did you mean 'X008'?"),
    ("--ignore", "N04", "did you mean 'N004'?"),
    ("--select", "D,R01", "did you mean 'R001'?"),
])
def test_misspelt_codes_get_a_suggestion(run, option, value, suggestion):
    result = run("check", option, value, BAD)
    assert result.exit_code == 2
    assert suggestion in result.output


def test_prefixes_and_lists_of_codes_are_accepted(run):
    result = run("check", "--no-source", "--select", "S1,D", "--ignore", "S104", BAD)
    assert result.exit_code == 1
    # and S900, though not selected: the D rules selected did not run on a record failing the schema
    assert sorted(line.split()[1] for line in result.output.splitlines()[:-1]) == ["S105", "S106", "S900"]


def test_an_empty_code_is_a_usage_error(run):
    assert run("check", "--select", "", BAD).exit_code == 2
    assert run("check", "--select", ",", BAD).exit_code == 2


def test_a_selection_that_selects_nothing_is_an_error(run):
    result = run("check", "--select", "D", "--ignore", "D", BAD)
    assert result.exit_code == 2
    assert "leaves no check of `check` on" in result.output
    # lint runs no schema check: selecting only schema codes leaves it nothing to do.
    assert run("lint", "--select", "S1", BAD).exit_code == 2


def test_fail_on_takes_a_severity_in_any_case_and_refuses_others(run):
    assert run("check", "--fail-on", "ERROR", BAD).exit_code == 1
    refused = run("check", "--fail-on", "erorr", BAD)
    assert refused.exit_code == 2 and "'erorr' is not one of" in refused.output


@pytest.mark.parametrize("config, message", [
    ('select = ["Z9"]\n', "select: unknown code or prefix 'Z9'"),
    ('ignore = ["s1"]\n', "ignore: unknown code or prefix 's1' (did you mean 'S1'?); `communique rules` lists"),
    ('[severity]\nX08 = "error"\n', "severity: unknown code 'X08' (did you mean 'X008'?); `communique rules`"),
    ('[severity]\nY001 = "info"\n', "severity.Y001: file and parse problems are always errors"),
    ('[severity]\nX008 = "eror"\n', "severity.X008: 'eror' is not a severity; did you mean 'error'?"),
    ('severity = "error"\n', "severity must be a table of code = severity"),
    ('per-path-ignores = ["x"]\n', "per-path-ignores must be a table of glob = [codes]"),
    ('[per-path-ignores]\n"records/*" = ["N03"]\n', "per-path-ignores.records/*: unknown code or prefix 'N03'"),
    ('fail-on = "warnings"\n', "fail-on: 'warnings' is not a severity; did you mean 'warning'?"),
    ('slect = ["D"]\n', "unknown key 'slect' (did you mean 'select'?);"),
    ('sources = 3\n', "sources must be a folder path"),
    ('sources = "a\\u0000b"\n', "sources must be a folder path"),
    ('include = "records"\n', "include must be a list of glob patterns"),
])
def test_configuration_mistakes_are_usage_errors_naming_the_file(run, tmp_path, config, message):
    (tmp_path / "communique.toml").write_text(config)
    record = tmp_path / BAD.name
    record.write_text(BAD.read_text())
    result = run("check", record)
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'communique.toml'}: {message}" in result.output


def test_file_and_parse_codes_cannot_be_ignored(run, tmp_path):
    result = run("check", "--ignore", "F", BAD)
    assert result.exit_code == 2 and "'F' cannot be ignored" in result.output
    (tmp_path / "communique.toml").write_text('ignore = ["Y001"]\n')
    record = tmp_path / BAD.name
    record.write_text(BAD.read_text())
    assert run("check", record).exit_code == 2


def test_per_path_ignores_cannot_hide_parse_problems(run, tmp_path):
    (tmp_path / "communique.toml").write_text('[per-path-ignores]\n"*" = ["Y001"]\n')
    record = tmp_path / BAD.name
    record.write_text(BAD.read_text())
    result = run("check", record)
    assert result.exit_code == 2 and "'Y001' cannot be ignored" in result.output


# A record failing the schema, in a folder of its own (no other record beside it).
@pytest.mark.parametrize("command", ["check", "lint"])
@pytest.mark.parametrize("selection", [("--select", "A"), ("--select", "U"), ("--select", "P"), ("--select", "M"),
                                       ("--select", "S900"), ("--select", "A,U", "--ignore", "S900"),
                                       ("--ignore", "S")])
def test_no_selection_lets_a_record_failing_the_schema_pass(run, tmp_path, command, selection):
    record = tmp_path / BAD.name
    record.write_text(BAD.read_text())
    result = run(command, "--no-source", *selection, record)
    assert result.exit_code == 1, result.output
    assert "No problems" not in result.output
    assert f"{record}:1:1: S900 record does not match the schema, so lint rules were not run on it" in result.output


def test_the_schema_problems_shown_are_enough(run):
    # `--select S` shows the schema's own findings: no S900 beside them, as before.
    result = run("check", "--no-source", "--select", "S", BAD)
    assert result.exit_code == 1
    assert sorted(re.findall(r":\d+:\d+: ([A-Z]\d+) ", result.output)) == ["S104", "S105", "S106"]


@pytest.mark.parametrize("config", ['select = ["A"]\n', 'select = ["U", "M"]\n', 'select = ["P"]\n',
                                    'select = ["A"]\nignore = ["S900"]\n'])
def test_a_configured_selection_does_not_pass_a_record_failing_the_schema(run, tmp_path, config):
    (tmp_path / "communique.toml").write_text(config)
    record = tmp_path / BAD.name
    record.write_text(BAD.read_text())
    result = run("check", "--no-source", record)
    assert result.exit_code == 1, result.output
    assert "S900 record does not match the schema" in result.output
    assert "the selection hides its schema problems (`communique validate` shows them)" in result.output


def test_a_suggestion_inside_a_message_reads_as_an_aside(run):
    result = run("check", "--select", "d001", BAD)
    assert result.exit_code == 2
    assert "--select: unknown code or prefix 'd001' (did you mean 'D001'?); `communique rules` lists the codes" \
        in result.output
    assert "?;" not in result.output
