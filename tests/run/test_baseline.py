"""Only the problems a change brings: `check --baseline` and `check --since`, in a keeper's
git repository whose records have an old problem (an undefined party, R001)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ..conftest import RECORDS

RECORD = "pk-eu-strategic-dialogue-07.yaml"
OLD_PROBLEM = ("    parties: [pk, eu]\n    agenda_item: bilateral-relations-sep",
               "    parties: [pk, eu, xx]\n    agenda_item: bilateral-relations-sep")
NEW_PROBLEM = ('  start: "2025-11-21"\n  end: "2025-11-21"', '  start: "2025-11-21"\n  end: "2025-11-20"')


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=k", "-c", "user.email=k@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


def edit(path, change) -> None:
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(*change, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "records").mkdir()
    (tmp_path / "communique.toml").write_text('records = "records"\n', encoding="utf-8")
    shutil.copy(RECORDS / RECORD, tmp_path / "records" / RECORD)
    edit(tmp_path / "records" / RECORD, OLD_PROBLEM)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "a record with an old problem")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes(result) -> list[str]:
    return [finding["code"] for finding in json.loads(result.stdout)["findings"] if finding.get("path")]  # not Q003


def test_a_baseline_leaves_out_the_old_problem_through_edits_and_moves_and_catches_a_new_one(repo, run):
    assert run("check", "--format", "json").exit_code == 1
    written = run("check", "--write-baseline", "baseline.json")
    assert written.exit_code == 0 and "1 finding written to baseline.json" in written.stderr
    entries = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [(e["file"], e["code"]) for e in entries] == [(RECORD, "R001")]

    clean = run("check", "--baseline", "baseline.json", "--format", "json")
    assert (clean.exit_code, codes(clean)) == (0, [])
    assert "1 known finding left out (baseline baseline.json)" in clean.stderr
    # Lines added above the problem, and the record moved to another folder: still known.
    edit(repo / "records" / RECORD, ("title: 7th", "# a note\n# another\ntitle: 7th"))
    (repo / "records" / "2025").mkdir()
    (repo / "records" / RECORD).rename(repo / "records" / "2025" / RECORD)
    assert run("check", "--baseline", "baseline.json", "--format", "json").exit_code == 0

    edit(repo / "records" / "2025" / RECORD, NEW_PROBLEM)
    new = run("check", "--baseline", "baseline.json", "--format", "json")
    assert (new.exit_code, codes(new)) == (1, ["D001"])

    edit(repo / "records" / "2025" / RECORD, (OLD_PROBLEM[1], OLD_PROBLEM[0]))
    fixed = run("check", "--baseline", "baseline.json")
    assert f"1 fixed: {RECORD}: R001" in fixed.stderr


def test_since_a_revision_reports_only_what_came_after_it(repo, run):
    assert codes(run("check", "--since", "HEAD", "--format", "json")) == []
    edit(repo / "records" / RECORD, NEW_PROBLEM)
    result = run("check", "--since", "HEAD", "--format", "json")
    assert (result.exit_code, codes(result)) == (1, ["D001"])
    assert "1 known finding left out (known at HEAD)" in result.stderr
    git(repo, "commit", "-qam", "the new problem")
    assert codes(run("check", "--since", "HEAD~1", "--format", "json")) == ["D001"]


def test_a_baseline_that_is_not_one_is_a_usage_error(repo, run):
    (repo / "notes.json").write_text('{"findings": []}', encoding="utf-8")
    for args in (["--baseline", "notes.json"], ["--baseline", "missing.json"], ["--since", "no-such-rev"],
                 ["--baseline", "notes.json", "--since", "HEAD"]):
        result = run("check", *args)
        assert result.exit_code == 2, (args, result.output)
