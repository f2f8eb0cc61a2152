"""What the server finds in a record is what `communique check` finds in it: the same
codes, lines, columns and messages, cross-record findings included."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from communique.run.checking import build_options, run
from communique.run.config import find_config, load_config
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
    files = sorted((repo / "records").rglob("*.yaml"))
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


TEMPLATE = (FIXTURES / "rules" / "X008-similar-person-names" / "fails" / "example-dialogue-01.yaml").read_text(
    encoding="utf-8")


def record(record_id: str, round_number: int, person: str = "kari-nordmann, name: Kari Nordmann",
           title: str = "Foreign Minister") -> str:
    text = TEMPLATE.replace("example-dialogue-01", record_id).replace("round: 1}", f"round: {round_number}}}")
    text = text.replace("round 1", f"round {round_number}")
    return text.replace("person_id: kari-nordmann, name: Kari Nordmann", f"person_id: {person}") \
        .replace("title: Foreign Minister, party: no", f"title: {title}, party: no")


def test_where_a_rule_takes_the_first_of_several_check_and_the_server_take_the_same(tmp_path, monkeypatch):
    """The first use of a person id (X008) and the first of two meetings on one day (X009)
    are taken in path order, by `check FOLDER`, `check FILE` and the server alike, whatever
    order a walk of nested folders gives."""
    repo = keeper_with(tmp_path, [])
    (repo / "communique.toml").write_text('records = "records"\nignore = ["N003", "X010", "X002", "X003"]\n',
                                          encoding="utf-8")
    (repo / "records" / "2024").mkdir()
    (repo / "records" / "a.yaml").write_text(record("example-dialogue-01", 1), encoding="utf-8")
    (repo / "records" / "2024" / "b.yaml").write_text(record("example-dialogue-02", 2, title="Prime Minister"),
                                                     encoding="utf-8")
    (repo / "records" / "c.yaml").write_text(record("example-dialogue-03", 3, "kari-nordman, name: Kari Nordman"),
                                             encoding="utf-8")
    monkeypatch.chdir(repo)
    expected = as_check_finds(repo)
    assert {code for found in expected.values() for code, *_ in found} >= {"X008", "X009"}
    assert as_the_server_finds(repo) == expected
    config = load_config(find_config(repo))
    for path, found in expected.items():
        report, _ = run([path], build_options(config))
        assert [shown(f) for f in report.findings if f.path == path] == found


def test_a_suppression_of_a_cross_record_code_is_not_judged_before_the_corpus_is_indexed(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [RECORDS / "af-pk-talks-02.yaml"])
    monkeypatch.chdir(repo)
    path = repo / "records" / "af-pk-talks-02.yaml"
    text = path.read_text(encoding="utf-8").replace("id: af-pk-talks-02\n",
                                                    "id: af-pk-talks-02  # communique: ignore[X001] kept apart\n", 1)
    workspace = Workspace(use_cache=False)
    assert "U001" not in [f.code.code for f in workspace.diagnose(str(path), text).findings]  # not indexed yet
    for scope in workspace.take_new_scopes():
        scope.load()
    assert "U001" in [f.code.code for f in workspace.diagnose(str(path), text).findings]  # now it is judged


def test_what_happens_while_the_corpus_is_read_is_not_undone_by_the_reading(tmp_path, monkeypatch):
    """A file deleted, or changed on disk, while the scope's load reads it: the load's older
    reading must not put it back."""
    import threading

    from communique.server import workspace as module

    repo = keeper_with(tmp_path, [])
    for name, record_id in (("a.yaml", "x-01"), ("b.yaml", "example-dialogue-01"), ("c.yaml", "x-03")):
        (repo / "records" / name).write_text(TEMPLATE.replace("example-dialogue-01", record_id), encoding="utf-8")
    monkeypatch.chdir(repo)
    read, go = threading.Event(), threading.Event()
    real = module.map_files

    def slow(*args, **kwargs):
        results = list(real(*args, **kwargs))
        read.set()
        go.wait(30)
        return results

    monkeypatch.setattr(module, "map_files", slow)
    workspace = Workspace(use_cache=False)
    first = repo / "records" / "a.yaml"
    workspace.diagnose(str(first), first.read_text(encoding="utf-8"))
    [scope] = workspace.take_new_scopes()
    loading = threading.Thread(target=scope.load)
    loading.start()
    assert read.wait(30)
    (repo / "records" / "b.yaml").unlink()
    workspace.forget(str(repo / "records" / "b.yaml"))
    (repo / "records" / "c.yaml").write_text(TEMPLATE.replace("example-dialogue-01", "x-99"), encoding="utf-8")
    workspace.reread(str(repo / "records" / "c.yaml"))
    go.set()
    loading.join(30)
    assert {path: s.entry.record_id for path, s in scope.index.summaries.items()} == \
        {"records/a.yaml": "x-01", "records/c.yaml": "x-99"}


def test_each_record_is_checked_with_its_own_configuration_when_two_share_a_corpus(tmp_path, monkeypatch):
    repo = keeper_with(tmp_path, [RECORDS / "af-pk-talks-02.yaml"])
    (repo / "communique.toml").write_text('corpus = "records"\nignore = ["X010"]\n', encoding="utf-8")
    drafts = repo / "drafts"
    drafts.mkdir()
    (drafts / "communique.toml").write_text('corpus = "../records"\n', encoding="utf-8")
    draft = drafts / "af-pk-talks-04.yaml"
    draft.write_text((RECORDS / "af-pk-talks-03.yaml").read_text(encoding="utf-8")
                     .replace("af-pk-talks-03", "af-pk-talks-04").replace("  round: 3\n", "  round: 4\n", 1),
                     encoding="utf-8")
    monkeypatch.chdir(repo)
    workspace = Workspace(use_cache=False)
    kept = repo / "records" / "af-pk-talks-02.yaml"
    workspace.diagnose(str(kept), kept.read_text(encoding="utf-8"))
    for scope in workspace.take_new_scopes():
        scope.load()
    codes = [f.code.code for f in workspace.diagnose(str(draft), draft.read_text(encoding="utf-8")).findings]
    assert "X010" in codes  # drafts/communique.toml ignores nothing; the root's `ignore` is not its own
