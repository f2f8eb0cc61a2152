"""The cache never changes a result: findings with it equal findings without it, across
edits, renames, deletions, a corrupt cache and a stale one; and a warm run reads no record
twice over."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import FIXTURES, RECORDS


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A folder of records, clean ones and broken ones, and a cache folder of its own."""
    folder = tmp_path / "records"
    folder.mkdir()
    for path in RECORDS.glob("*.yaml"):
        shutil.copy(path, folder)
    for name in ("missing-title.yaml", "impossible-date.yaml", "misspelt-property.yaml"):
        shutil.copy(FIXTURES / "invalid" / name, folder)
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(cache))
    monkeypatch.chdir(tmp_path)
    return folder, cache


def findings(run, *extra):
    result = run("check", "--format", "json", *extra, "records")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def assert_cache_changes_nothing(run):
    fresh = findings(run, "--no-cache")
    assert findings(run) == fresh  # filling the cache (or reading what it holds)
    assert findings(run) == fresh  # from the cache
    return fresh


def test_findings_are_the_same_with_and_without_the_cache_as_the_records_change(run, corpus):
    folder, cache = corpus
    first = assert_cache_changes_nothing(run)
    saved = tmp_copy = folder.parent / "old-cache"
    shutil.copytree(cache, tmp_copy)

    # An edit that breaks a cross-record rule: the next round no longer follows.
    record = folder / "af-pk-talks-02.yaml"
    record.write_text(record.read_text().replace("round: 2", "round: 5", 1))
    edited = assert_cache_changes_nothing(run)
    assert edited != first and any(f["code"] in ("X003", "N002", "X010") for f in edited[1])

    # A rename: the same bytes under another name.
    record.rename(folder / "renamed.yaml")
    renamed = assert_cache_changes_nothing(run)
    assert any((f["path"] or "").endswith("renamed.yaml") for f in renamed[1])

    # A deletion.
    (folder / "missing-title.yaml").unlink()
    deleted = assert_cache_changes_nothing(run)
    assert not any((f["path"] or "").endswith("missing-title.yaml") for f in deleted[1])

    # A stale cache (from before all of that) and a corrupt one change nothing either.
    shutil.rmtree(cache)
    shutil.copytree(saved, cache)
    assert findings(run) == deleted
    for entry in cache.rglob("*.sqlite3"):
        entry.write_bytes(b"not a database")
    assert findings(run) == deleted
    for entry in cache.rglob("*.sqlite3"):
        entry.write_bytes(entry.read_bytes()[:10])
    assert findings(run) == deleted


def test_a_rule_selection_or_a_sources_folder_is_part_of_the_key(run, corpus, tmp_path):
    assert_cache_changes_nothing(run)
    assert findings(run, "--select", "D") == findings(run, "--no-cache", "--select", "D")

    def check(*extra):  # a process per run, as a user runs it: source texts are read once a process
        command = [sys.executable, "-m", "communique", "check", "--format", "json", "--sources", "sources", *extra,
                   "records"]
        return json.loads(subprocess.run(command, capture_output=True, text=True).stdout)["findings"]

    (tmp_path / "sources").mkdir()
    assert check() == check("--no-cache") and any(f["code"] == "Q002" for f in check())
    (tmp_path / "sources" / "001_fa99d96cec5996b8.txt").write_text("nothing that any record quotes")
    with_text = check()
    assert with_text == check("--no-cache") and any(f["code"] == "Q001" for f in with_text)


def test_runs_in_parallel_share_the_cache_safely(corpus):
    folder, cache = corpus
    command = [sys.executable, "-m", "communique", "check", "--format", "json", "records"]
    expected = subprocess.run(command + ["--no-cache"], capture_output=True, text=True).stdout
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [process.communicate()[0] for process in runs]
    assert all(json.loads(out)["findings"] == json.loads(expected)["findings"] for out in outputs)
    again = subprocess.run(command, capture_output=True, text=True).stdout
    assert json.loads(again)["findings"] == json.loads(expected)["findings"]
    # One database, its write-ahead log folded in and removed: no other file is left.
    assert [path.suffix for path in cache.rglob("*") if path.is_file()] == [".sqlite3"]


def test_a_cache_that_cannot_be_written_only_costs_time(run, corpus):
    folder, cache = corpus
    cache.write_text("a file where the cache folder should be")
    assert findings(run) == findings(run, "--no-cache")


def test_a_warm_run_checks_no_file_again_and_one_edit_checks_one(run, corpus, monkeypatch):
    from communique.run import checking

    folder, _ = corpus
    expected = assert_cache_changes_nothing(run)
    checked = []
    real = checking.check_file
    monkeypatch.setattr(checking, "check_file", lambda path, *args, **kwargs: checked.append(path) or
                        real(path, *args, **kwargs))
    assert findings(run) == expected and checked == []
    record = folder / "af-pk-talks-03.yaml"
    record.write_text(record.read_text() + "# a comment added\n")
    findings(run)
    assert [name.rsplit("/", 1)[-1] for name in checked] == ["af-pk-talks-03.yaml"]


def test_the_language_server_and_check_keep_each_others_results(run, corpus, monkeypatch):
    """Both read the same records (check reports on them, the server reads them for its
    index): neither's results may push the other's out, or each would start cold."""
    from communique.run import checking
    from communique.server.workspace import Workspace

    folder, _ = corpus
    (folder.parent / "communique.toml").write_text('records = "records"\n', encoding="utf-8")
    expected = assert_cache_changes_nothing(run)
    record = folder / "af-pk-talks-02.yaml"
    workspace = Workspace(use_cache=True)
    workspace.diagnose(str(record), record.read_text(encoding="utf-8"))
    [scope] = workspace.take_new_scopes()
    checked = []
    real = checking.check_file
    monkeypatch.setattr(checking, "check_file", lambda path, *args, **kwargs: checked.append(path) or
                        real(path, *args, **kwargs))
    scope.load()  # the first time, the server's kind of result is not there yet
    assert len(checked) == len(scope.files)
    checked.clear()
    assert findings(run) == expected and checked == []  # check's results are still there
    Workspace(use_cache=True).scope_for(str(record)).load()
    assert checked == []  # and so are the server's


def _reads(monkeypatch) -> list[str]:
    """The record files a run reads from disk, counted as the cache reads them."""
    from communique.documents import files

    read, original = [], files.read_record
    monkeypatch.setattr(files, "read_record", lambda path, limit: read.append(path) or original(path, limit))
    return read


def test_a_warm_run_reads_only_the_files_that_changed(run, corpus, monkeypatch):
    folder, _ = corpus
    before = findings(run)
    read = _reads(monkeypatch)
    assert findings(run) == before and read == []  # every file known by its stat signature
    edited = folder / "impossible-date.yaml"
    edited.write_text(edited.read_text() + "# a comment\n")
    findings(run)
    assert [os.path.basename(path) for path in read] == ["impossible-date.yaml"]


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_still_seen(run, corpus):
    """Some editors and tools put the modification time back; the change time moves anyway."""
    folder, _ = corpus
    record = folder / "af-pk-talks-01.yaml"
    fresh = findings(run)
    assert not [f for f in fresh[1] if (f["path"] or "").endswith("af-pk-talks-01.yaml")]
    stat = record.stat()
    text = record.read_text()
    record.write_text(text.replace("kind: talks", "kind: tolks", 1))  # the same size
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert record.stat().st_size == stat.st_size and record.stat().st_mtime_ns == stat.st_mtime_ns
    assert findings(run) == findings(run, "--no-cache")
    assert any((f["path"] or "").endswith("af-pk-talks-01.yaml") and f["code"] == "S104" for f in findings(run)[1])


def test_an_unchanged_corpus_reads_no_summary_and_an_edit_reads_them_back(run, corpus, monkeypatch):
    """Summaries (what the cross-record rules index) stay in the cache while the
    cross-record findings are cached too; an edit needs the index again, from the cache."""
    from communique.run.cache import Cache

    folder, _ = corpus
    expected = assert_cache_changes_nothing(run)
    asked = []
    real = Cache.summary
    monkeypatch.setattr(Cache, "summary", lambda self, key: asked.append(key) or real(self, key))
    assert findings(run) == expected and asked == []
    record = folder / "af-pk-talks-02.yaml"
    record.write_text(record.read_text().replace("round: 2", "round: 5", 1))
    assert findings(run) == findings(run, "--no-cache")
    assert len(asked) >= len(list(folder.glob("*.yaml"))) - 4  # every unchanged record that matches the schema


def test_check_of_one_file_and_of_the_folder_keep_their_own_cross_record_findings(run, corpus, monkeypatch):
    """pre-commit checks a few files, CI the folder: neither pushes out the other's findings."""
    from communique.run import checking

    folder, _ = corpus
    one = ["--format", "json", str(folder / "af-pk-talks-02.yaml")]
    whole = findings(run)
    alone = run("check", *one).stdout
    computed = []
    real = checking._corpus_findings
    monkeypatch.setattr(checking, "_corpus_findings", lambda *args: computed.append(1) or real(*args))
    assert findings(run) == whole and run("check", *one).stdout == alone
    assert computed == []


def test_a_relative_cache_folder_with_characters_a_uri_escapes_works(run, corpus, monkeypatch):
    """The database is opened by URI: a relative folder and '#', '?', '%' and spaces in its
    name must still name the folder given."""
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", "odd cache #1?%20")
    expected = findings(run, "--no-cache")
    assert findings(run) == expected and findings(run) == expected
    [database] = (corpus[0].parent / "odd cache #1?%20").rglob("*.sqlite3")
    assert database.stat().st_size > 0


def test_check_of_one_file_looks_up_none_of_the_others_while_none_changed(run, corpus, monkeypatch):
    """pre-commit's `check FILE` in a big folder: when every other record is as it was (by
    its stat signature), the cross-record findings stand without a lookup per record; an
    edited, added or removed neighbour is still seen."""
    from communique.run.cache import Cache

    folder, _ = corpus
    checked = str(folder / "af-pk-talks-01.yaml")

    def one(*extra):
        result = run("check", "--format", "json", *extra, checked)
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)["findings"]

    before = one()
    asked = []
    real = Cache.known
    monkeypatch.setattr(Cache, "known", lambda self, path, *rest: asked.append(path) or real(self, path, *rest))
    assert one() == before == one("--no-cache")
    assert asked == [checked]  # the checked file's own result only

    own = folder / "af-pk-talks-01.yaml"
    own.write_text(own.read_text() + "# checked again after an edit\n")  # the checked file itself
    assert one() == one("--no-cache")

    link = folder / "linked.yaml"
    (folder.parent / "shared").mkdir()
    shutil.copy(folder / "af-pk-talks-03.yaml", folder.parent / "shared" / "copy.yaml")
    link.symlink_to(folder.parent / "shared" / "copy.yaml")  # a link is looked up on its own, each run
    one()
    asked.clear()
    assert one() == one("--no-cache") and str(link) in asked
    link.unlink()

    neighbour = folder / "af-pk-talks-02.yaml"
    neighbour.write_text(neighbour.read_text().replace("round: 2", "round: 5", 1))  # round 1 is now followed by 5
    edited = one()
    assert edited != before and edited == one("--no-cache")
    shutil.copy(folder / "af-pk-talks-03.yaml", folder / "af-pk-talks-03-copy.yaml")  # the same id twice
    assert one() == one("--no-cache")
    neighbour.unlink()
    assert one() == one("--no-cache") != edited


def test_a_run_the_cache_answers_imports_no_yaml_reader(corpus):
    """PyYAML (and what `--fix` needs) cost a tenth of a warm `check FILE`'s start-up: they
    are imported when a text is parsed, never for results that come from the cache."""
    folder, _ = corpus
    code = ("import sys\nfrom communique.cli.group import entry_point\n"
            "try:\n    entry_point()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('yaml', 'ruamel.yaml', 'communique.rewrite.fixing') if m in sys.modules))")

    def imported() -> str:
        result = subprocess.run([sys.executable, "-c", code, "check", str(folder / "af-pk-talks-01.yaml")],
                                capture_output=True, text=True, env={**os.environ})
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert imported() == "['yaml']"  # cold: every record parsed
    assert imported() == "[]"  # warm: nothing parsed


def test_the_sources_folder_is_in_the_key_by_its_names_sizes_and_times(tmp_path):
    """The quote check's results depend on the source texts: adding, removing, renaming or
    editing one must move the key; listing the folder again must not."""
    from communique.run.cache import _sources_fingerprint

    folder = tmp_path / "sources"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.md"):
        (folder / name).write_text(f"text of {name}\n")
    keys = [_sources_fingerprint(folder)]
    assert _sources_fingerprint(folder) == keys[0]
    (folder / "d.txt").write_text("another\n")
    keys.append(_sources_fingerprint(folder))
    (folder / "d.txt").rename(folder / "e.txt")
    keys.append(_sources_fingerprint(folder))
    (folder / "e.txt").write_text("another, longer\n")
    keys.append(_sources_fingerprint(folder))
    (folder / "e.txt").unlink()
    keys.append(_sources_fingerprint(folder))
    assert len(set(keys[:-1])) == len(keys) - 1  # each change moved it
    assert keys[-1] == keys[0]  # the folder as it was: the key it had
    assert _sources_fingerprint(tmp_path / "elsewhere") != keys[0]


def test_the_sources_key_does_not_depend_on_the_order_the_folder_is_listed_in(tmp_path, monkeypatch):
    from communique.run import cache

    folder = tmp_path / "sources"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.md", "d.text"):
        (folder / name).write_text(f"text of {name}\n")
    listed = cache._sources_fingerprint(folder)
    real = os.scandir

    class Reversed:
        def __init__(self, path):
            self.entries = list(real(path))[::-1]

        def __enter__(self):
            return iter(self.entries)

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(cache.os, "scandir", Reversed)
    assert cache._sources_fingerprint(folder) == listed
