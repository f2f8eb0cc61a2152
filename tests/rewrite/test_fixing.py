"""`check --fix` and `--diff`: safe fixes, made in place, checked, and nothing else moved."""

from __future__ import annotations

import json

import pytest
from communique.rewrite.fixing import one_close, parse_json_path
from communique.schema.validation import format_json_path

from ..conftest import RECORDS


@pytest.mark.parametrize("path", [(), ("schema_version",), ("agreements", 0, "parties", 1),
                                  ("odd key", 3, "it's", 'say "hi"'), ("dates", "start")])
def test_json_paths_read_back_as_written(path):
    assert parse_json_path(format_json_path(path)) == path


def test_a_fix_needs_one_clear_candidate():
    assert one_close("Talks", ["talks", "dialogue"]) == "talks"
    assert one_close("dialouge", ["dialogue", "talks"]) == "dialogue"
    assert one_close("pak", ["pk", "af", "tr"]) == "pk"
    assert one_close("meetin", ["meeting", "meetings"]) is None  # two close matches: no fix
    assert one_close("summit", ["talks", "dialogue"]) is None


@pytest.fixture
def slipped(tmp_path):
    """A record with four slips a keeper makes, and comments around them."""
    folder = tmp_path / "records"
    folder.mkdir()
    text = (RECORDS / "pk-eu-counter-terrorism-dialogue-09.yaml").read_text()
    text = text.replace('schema_version: "1.2"', "schema_version: 1.2  # as typed")
    text = text.replace("kind: dialogue", "kind: Dialogue  # the meeting's kind", 1)
    text = text.replace("country: PK", "country: pk", 1)
    text = text.replace("party: pk", "party: pak", 1)
    path = folder / "pk-eu-counter-terrorism-dialogue-09.yaml"
    path.write_text(text)
    return path


def test_diff_shows_the_fixes_and_writes_nothing(run, slipped):
    before = slipped.read_text()
    result = run("check", "--diff", slipped)
    assert result.exit_code == 1
    assert '-schema_version: 1.2  # as typed\n+schema_version: "1.2"  # as typed\n' in result.stdout
    assert "1 fix available" in result.stderr  # the schema check stops at S003; the rest comes after it
    assert slipped.read_text() == before


def test_fix_makes_every_safe_fix_keeps_comments_and_reports_what_is_left(run, slipped):
    before = slipped.read_text()
    result = run("check", "--fix", slipped)
    after = slipped.read_text()
    assert 'schema_version: "1.2"  # as typed' in after
    assert "kind: dialogue  # the meeting's kind" in after
    assert "country: PK" in after and "party: pk" in after
    assert "4 fixes made" in result.stderr
    assert result.exit_code == 0, result.stdout
    # Nothing else moved: the lines that were not fixed are as they were.
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 4 and len(before.splitlines()) == len(after.splitlines())


def test_without_fix_the_report_says_what_could_be_fixed(run, slipped):
    result = run("check", slipped)
    assert result.exit_code == 1 and "1 of these has a safe fix" in result.stderr


def test_a_fix_that_would_change_more_than_its_value_is_not_made(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    text = (RECORDS / "af-pk-talks-02.yaml").read_text()
    # An anchor shares the slipped value with a second field: fixing one would change both.
    text = text.replace("kind: talks", "kind: &k Talks", 1).replace("notes:", "notes: *k\nold_notes:", 1)
    path = folder / "af-pk-talks-02.yaml"
    path.write_text(text)
    result = run("check", "--fix", "--select", "S104", path)
    assert "not fixed" in result.stderr and path.read_text() == text
    assert result.exit_code == 1


def test_fix_refuses_standard_input(run, slipped):
    result = run("check", "--fix", "-", input=slipped.read_text())
    assert result.exit_code == 2 and "standard input" in result.output


def test_fix_writes_a_whole_number_given_as_a_float_as_an_integer_only_where_one_is_wanted(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    text = (RECORDS / "pk-eu-political-dialogue-10.yaml").read_text()
    text = text.replace("  round: 10\n", "  round: 1e1  # the tenth\n", 1).replace("  round: 11\n", "  round: 11.\n", 1)
    slipped = text.replace("name: Pakistan-EU Political Dialogue\n", "name: 10.0\n", 1)  # text: to be quoted by hand
    path = folder / "pk-eu-political-dialogue-10.yaml"
    path.write_text(slipped)
    result = run("check", "--fix", "--no-cache", path)
    after = path.read_text()
    assert "  round: 10  # the tenth\n" in after and "  round: 11\n" in after and "name: 10.0\n" in after
    assert "2 fixes made" in result.stderr and result.exit_code == 1
    assert "expected string, got number 10.0" in result.stdout


def test_the_note_on_what_can_be_fixed_comes_from_the_cache_on_a_warm_run(run, slipped, tmp_path, monkeypatch):
    """Worked out while each file is checked and cached with its findings: a warm run says
    the same, and counts only the findings shown."""
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path / "cache"))
    cold = run("check", slipped)
    warm = run("check", slipped)
    assert "1 of these has a safe fix" in cold.stderr and warm.stderr == cold.stderr
    assert warm.stdout == cold.stdout
    (fixable,) = [f for f in json.loads(run("check", "--format", "json", slipped).stdout)["findings"]
                  if f["code"] in ("S104", "S003", "S103", "I001", "R001")]
    ignored = run("check", "--ignore", fixable["code"], slipped)
    assert "safe fix" not in ignored.stderr
