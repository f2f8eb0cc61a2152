"""What the server finds in a record is what `communique check` finds in it: the same
codes, lines, columns and messages, cross-record findings included."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from communique.checking import build_options, run
from communique.config import find_config, load_config
from communique.server.workspace import Workspace

from ..conftest import FIXTURES, RECORDS

CROSS_RECORD = sorted(folder / kind for folder in (FIXTURES / "rules").iterdir() if folder.name.startswith("X")
                      for kind in ("fails", "passes"))


def as_check_finds(repo: Path) -> dict[str, list[tuple]]:
    config = load_config(find_config(repo))
    report, _ = run(["records"], build_options(config))
    found: dict[str, list[tuple]] = {}
    for finding in report.findings:
        if finding.path:
            found.setdefault(finding.path, []).append(shown(finding))
    return found


def as_the_server_finds(repo: Path) -> dict[str, list[tuple]]:
    workspace = Workspace(use_cache=False)
    files = sorted((repo / "records").glob("*.yaml"))
    workspace.diagnose(str(files[0]), files[0].read_text(encoding="utf-8"))
    for scope in workspace.take_new_scopes():
        scope.load()
    found = {}
    for path in files:
        diagnosis = workspace.diagnose(str(path), path.read_text(encoding="utf-8"))
        if diagnosis.findings:
            found[diagnosis.path] = [shown(finding) for finding in diagnosis.findings]
    return found


def shown(finding) -> tuple:
    return finding.code.code, finding.line, finding.column, finding.message


def keeper_with(tmp_path: Path, records: list[Path], sources: Path | None = None) -> Path:
    repo = tmp_path / "repo"
    (repo / "records").mkdir(parents=True)
    for record in records:
        shutil.copy(record, repo / "records" / record.name)
    config = 'records = "records"\n'
    if sources is not None:
        shutil.copytree(sources, repo / "sources")
        config += 'sources = "sources"\n'
    (repo / "communique.toml").write_text(config, encoding="utf-8")
    return repo


@pytest.mark.parametrize("folder", CROSS_RECORD, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_the_server_finds_what_check_finds_on_the_cross_record_fixtures(folder, tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, sorted(folder.glob("*.yaml")))
    monkeypatch.chdir(repo)
    expected = as_check_finds(repo)
    assert as_the_server_finds(repo) == expected
    if folder.name == "fails":
        assert any(code.startswith("X") for found in expected.values() for code, *_ in found)


def test_the_server_finds_what_check_finds_on_the_repositorys_records_with_their_sources(tmp_path, monkeypatch, seeds):
    sources = tmp_path / "seeds"
    sources.mkdir()
    for text in seeds.glob("*.txt"):
        shutil.copy(text, sources / text.name)
    records = sorted(RECORDS.glob("*.yaml"))
    repo = keeper_with(tmp_path, records, sources)
    quoted = repo / "records" / records[0].name  # a quote the source does not hold: Q001
    text = quoted.read_text(encoding="utf-8")
    start = text.index("quote: ") + len("quote: ")
    quoted.write_text(text[:start] + "Words nobody said, " + text[start:], encoding="utf-8")
    monkeypatch.chdir(repo)
    expected = as_check_finds(repo)
    assert any(code == "Q001" for found in expected.values() for code, *_ in found)
    assert as_the_server_finds(repo) == expected


def test_a_file_the_configuration_says_is_no_record_gets_no_findings(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [])
    workflow = repo / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs: {}\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    diagnosis = Workspace(use_cache=False).diagnose(str(workflow), workflow.read_text(encoding="utf-8"))
    assert not diagnosis.is_record and diagnosis.findings == []


def test_a_record_that_does_not_parse_gets_one_finding_where_the_error_is(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [RECORDS / "af-pk-talks-02.yaml"])
    monkeypatch.chdir(repo)
    path = repo / "records" / "af-pk-talks-02.yaml"
    text = path.read_text(encoding="utf-8").replace("kind: talks\n", "kind: [talks\n", 1)
    diagnosis = Workspace(use_cache=False).diagnose(str(path), text)
    assert diagnosis.document is None
    [finding] = diagnosis.findings
    assert finding.code.code.startswith("Y") and finding.path == os.path.join("records", "af-pk-talks-02.yaml")


def test_a_sources_folder_not_made_yet_costs_the_quote_check_only_and_is_told_once(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [RECORDS / "af-pk-talks-02.yaml", RECORDS / "af-pk-talks-03.yaml"])
    (repo / "communique.toml").write_text('records = "records"\nsources = "sources"\n', encoding="utf-8")
    monkeypatch.chdir(repo)
    workspace = Workspace(use_cache=False)
    third = repo / "records" / "af-pk-talks-03.yaml"
    text = third.read_text(encoding="utf-8").replace("  round: 3\n", "  round: 2\n", 1)
    workspace.diagnose(str(third), text)
    for scope in workspace.take_new_scopes():
        scope.load()
    for _ in range(3):
        diagnosis = workspace.diagnose(str(third), text)
    assert "X002" in [f.code.code for f in diagnosis.findings]  # the records folder still counts
    assert len(workspace.problems) == 1 and "sources" in workspace.problems[0]


def test_a_record_created_on_disk_joins_the_corpus_and_one_elsewhere_does_not(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [RECORDS / "af-pk-talks-02.yaml"])
    monkeypatch.chdir(repo)
    workspace = Workspace(use_cache=False)
    second = repo / "records" / "af-pk-talks-02.yaml"
    workspace.diagnose(str(second), second.read_text(encoding="utf-8"))
    [scope] = workspace.take_new_scopes()
    scope.load()
    copy = (RECORDS / "af-pk-talks-03.yaml").read_text(encoding="utf-8").replace("  round: 3\n", "  round: 2\n", 1)
    elsewhere = repo / "drafts" / "af-pk-talks-03.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(copy, encoding="utf-8")
    workspace.reread(str(elsewhere))
    assert "X002" not in [f.code.code for f in workspace.diagnose(str(second), second.read_text()).findings]
    created = repo / "records" / "af-pk-talks-03.yaml"
    created.write_text(copy, encoding="utf-8")
    workspace.reread(str(created))
    assert "X002" in [f.code.code for f in workspace.diagnose(str(second), second.read_text()).findings]
