"""`communique diff` in a keeper's git repository: commits that change a date, add an
agreement, rename a record, re-order a list, or only reformat, each read fact by fact."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ..conftest import RECORDS

RECORD = "pk-eu-strategic-dialogue-07.yaml"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A keeper's repository with two records committed, as the working folder."""
    (tmp_path / "records").mkdir()
    (tmp_path / "communique.toml").write_text('records = "records"\n', encoding="utf-8")
    for name in (RECORD, "af-pk-talks-01.yaml"):
        shutil.copy(RECORDS / name, tmp_path / "records" / name)
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.name=k", "-c", "user.email=k@example.org", "add", "-A")
    git(tmp_path, "-c", "user.name=k", "-c", "user.email=k@example.org", "commit", "-qm", "two records")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(repo, replace: str, by: str, name: str = RECORD) -> None:
    path = repo / "records" / name
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")


def commit(repo, message: str) -> None:
    git(repo, "-c", "user.name=k", "-c", "user.email=k@example.org", "commit", "-qam", message)


def facts(run, *args) -> list[tuple]:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [(record["kind"], record["id"], change["kind"], change["path"], change.get("old"), change.get("new"))
            for record in json.loads(result.output)["records"] for change in record["changes"] or [{}]]


def test_a_changed_date_in_the_working_tree_against_head(repo, run):
    edit(repo, 'start: "2025-11-21"', 'start: "2025-11-19"')
    assert facts(run, "HEAD") == [("changed", "pk-eu-strategic-dialogue-07", "changed", "dates.start",
                                   "2025-11-21", "2025-11-19")]
    text = run("diff", "HEAD").output
    assert "~ dates.start: 2025-11-21 -> 2025-11-19" in text and "sources: 000_977b91af71d6b120" in text


def test_an_agreement_added_between_two_revisions(repo, run):
    edit(repo, "agreements:\n", "agreements:\n  - id: visa-talks\n    kind: commitment\n"
                                "    text: Hold talks on visas.\n    parties: [pk, eu]\n")
    commit(repo, "an agreement")
    [fact] = facts(run, "HEAD~1..HEAD")
    assert fact[:4] == ("changed", "pk-eu-strategic-dialogue-07", "added", "agreements[visa-talks]")
    assert fact[5]["text"] == "Hold talks on visas."
    assert facts(run, "HEAD..HEAD") == []


def test_a_record_renamed_with_its_file_is_a_rename(repo, run):
    git(repo, "mv", "records/af-pk-talks-01.yaml", "records/af-pk-talks-1.yaml")
    edit(repo, "id: af-pk-talks-01", "id: af-pk-talks-1", "af-pk-talks-1.yaml")
    commit(repo, "rename")
    result = json.loads(run("diff", "HEAD~1", "HEAD", "--format", "json").output)
    assert [(r["kind"], r["old_id"], r["id"]) for r in result["records"]] == [
        ("renamed", "af-pk-talks-01", "af-pk-talks-1")]


def test_a_reordered_list_and_a_reformatted_file_say_nothing(repo, run):
    edit(repo, "  city: Brussels\n  country: BE\n", "  country: 'BE'\n  city: \"Brussels\"\n")
    edit(repo, "[000_977b91af71d6b120, 001_fa99d96cec5996b8, 004_d6a01f982b87aca4]",
         "[004_d6a01f982b87aca4, 000_977b91af71d6b120, 001_fa99d96cec5996b8]")
    assert run("fmt", "records").exit_code == 0
    assert subprocess.run(["git", "diff", "--quiet"], cwd=repo).returncode == 1  # the text did change
    assert run("diff", "HEAD").output == "No change of meaning.\n"


def test_two_files_compare_without_git_and_a_bad_side_exits_2_naming_it(repo, run):
    other = repo / "records" / "other.yaml"
    other.write_text((RECORDS / RECORD).read_text(encoding="utf-8").replace("city: Brussels", "city: Ghent"),
                     encoding="utf-8")
    assert facts(run, f"records/{RECORD}", str(other))[0][2:] == ("changed", "venue.city", "Brussels", "Ghent")
    unknown = run("diff", "no-such-revision")
    assert unknown.exit_code == 2 and "'no-such-revision' is neither a file or folder nor a git revision" in \
        unknown.output
    edit(repo, "id: af-pk-talks-01", "id: [unclosed", "af-pk-talks-01.yaml")
    broken = run("diff", "HEAD")
    assert broken.exit_code == 2
    assert "records/af-pk-talks-01.yaml:" in broken.output and "left out of the diff" in broken.output


def test_with_the_sources_each_changed_fact_shows_the_passage_around_its_evidence(repo, run):
    (repo / "sources").mkdir()
    source = "Earlier news. Both sides agreed to further deepen cooperation in all areas covered under the SEP " \
             "with the objective of aligning overall strategic outlook. Later news."
    (repo / "sources" / "000_977b91af71d6b120.txt").write_text(source, encoding="utf-8")
    edit(repo, "to align their overall strategic outlook.", "to align their strategic outlook.")
    text = run("diff", "HEAD", "--sources", "sources").output
    assert "evidence (000_977b91af71d6b120): Both sides agreed to further deepen cooperation" in text
    assert "in the source: Earlier news. Both sides agreed" in text and "Later news." in text
    assert "in the source:" not in run("diff", "HEAD").output  # no sources folder: the quote alone
