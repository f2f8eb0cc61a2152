"""Which files a folder argument expands to, and which files are never read."""

import pytest
from communique.documents.files import discover


def test_folders_are_walked_for_record_suffixes_only(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("x: 1")
    (tmp_path / "sub" / "c.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.yaml").write_text("x: 1")
    found = discover([tmp_path])
    assert [f[len(str(tmp_path)) + 1:] for f in found.files] == ["a.yaml", "sub/b.yml", "sub/c.json"]
    assert found.missing == []


def test_explicit_files_are_kept_whatever_their_suffix_and_missing_ones_reported(tmp_path):
    (tmp_path / "record.txt").write_text("x: 1")
    found = discover([tmp_path / "record.txt", tmp_path / "record.txt", tmp_path / "nope.yaml"])
    assert found.files == [str(tmp_path / "record.txt")]
    assert found.missing == [str(tmp_path / "nope.yaml")]


def keeper_layout(tmp_path, config: str):
    (tmp_path / "communique.toml").write_text(config)
    for name in ("records/a.yaml", "records/drafts/b.yaml", "records/sub/c.json", ".github/workflows/ci.yml",
                 ".pre-commit-config.yaml", "mkdocs.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    from communique.run.config import find_config, load_config

    return load_config(find_config(tmp_path)).record_filter()


def test_the_records_folder_decides_which_files_are_records(tmp_path):
    record_filter = keeper_layout(tmp_path, 'records = "records"\nexclude = ["records/drafts/"]\n')
    found = discover([tmp_path], record_filter)
    assert [f[len(str(tmp_path)) + 1:] for f in found.files] == ["records/a.yaml", "records/sub/c.json"]
    # Named on the command line, as pre-commit names them: still filtered (ruff's force-exclude).
    named = [tmp_path / n for n in (".pre-commit-config.yaml", ".github/workflows/ci.yml", "records/drafts/b.yaml",
                                    "records/a.yaml")]
    found = discover(named, record_filter)
    assert found.files == [str(tmp_path / "records/a.yaml")]
    assert found.skipped == [str(p) for p in named[:3]]


def test_include_globs_replace_the_records_folder(tmp_path):
    record_filter = keeper_layout(tmp_path, 'records = "records"\ninclude = ["*.yml", "!.github/"]\n')
    found = discover([tmp_path], record_filter)
    assert sorted(f[len(str(tmp_path)) + 1:] for f in found.files) == ["mkdocs.yml"]


def test_without_configuration_every_file_is_a_candidate(tmp_path):
    found = discover([tmp_path / "x.yaml", tmp_path], None)
    assert found.missing == [str(tmp_path / "x.yaml")] and found.empty == [str(tmp_path)]


def test_a_symlink_to_a_record_is_the_same_record(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    assert discover([tmp_path / "a.yaml", tmp_path / "link.yaml"]).files == [str(tmp_path / "a.yaml")]


def test_the_keys_a_walk_gives_its_files_are_those_worked_out_afresh(tmp_path, monkeypatch):
    """A walk knows which files are links, and keys the others without an lstat; a folder
    named through '..' of a link lists paths that no longer say where they are, and its
    files are keyed afresh."""
    from communique.documents import files

    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere" / "deep"
    work.mkdir()
    elsewhere.mkdir(parents=True)
    (work / "real.yaml").write_text("x: 1")
    (work / "plain.yaml").symlink_to(work / "real.yaml")
    (elsewhere.parent / "plain.yaml").write_text("x: 2")  # what work/to/.. lists, as "plain.yaml": no link
    (work / "to").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(work)

    def afresh(path):
        files.forget_file_keys()
        return files.file_key(path)

    for folder in (".", str(work), "to/.."):
        files.forget_file_keys()
        walked = discover([folder]).files
        keys = {path: files.file_key(path) for path in walked}
        assert keys and keys == {path: afresh(path) for path in walked}, folder


def test_a_fifo_in_a_records_folder_is_listed_to_be_refused_not_skipped(tmp_path):
    import os

    (tmp_path / "a.yaml").write_text("x: 1\n")
    os.mkfifo(tmp_path / "pipe.yaml")
    assert discover([tmp_path]).files == [str(tmp_path / "a.yaml"), str(tmp_path / "pipe.yaml")]


READING_COMMANDS = ["validate", "lint", "check", "fmt", "migrate", "export", "stats"]


def communique(*args, cwd, timeout=60):
    """The CLI in a process of its own, as a user runs it; a hang fails the test (TimeoutExpired)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "communique", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def f001_lines(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if " F001 " in line]


@pytest.mark.parametrize("command", READING_COMMANDS)
@pytest.mark.parametrize("walked", [False, True], ids=["named", "walked"])
def test_a_fifo_is_refused_by_every_command_never_read(tmp_path, command, walked):
    import os

    os.mkfifo(tmp_path / "pipe.yaml")  # nothing ever writes to it: reading it would block for ever
    result = communique(command, "." if walked else "pipe.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f001_lines(result) == ["pipe.yaml:1:1: F001 not a regular file (a pipe or a device); give `-` to read "
                                  "standard input"]
    assert "Traceback" not in result.stderr


def test_a_device_named_as_a_record_is_refused(tmp_path):
    result = communique("check", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2 and len(f001_lines(result)) == 1 and "/dev/zero" in f001_lines(result)[0]


def test_files_the_configuration_leaves_out_of_a_folder_are_counted(tmp_path):
    record_filter = keeper_layout(tmp_path, 'records = "records"\ninclude = ["records/*.txt"]\n')
    found = discover([tmp_path / "records"], record_filter)
    assert found.files == [] and found.empty == [str(tmp_path / "records")] and found.filtered == 3


def test_a_walk_answers_for_the_walks_of_its_folders_that_would_follow(tmp_path, monkeypatch):
    """`check` compares records with the files of their folders (or of the records folder);
    when the paths named were those folders, the first walk answers for the second, exactly."""
    from communique.documents.files import discover

    for name in ("a.yaml", "b.json", "notes.txt", ".hidden.yaml", "sub/c.yaml", "sub/deeper/d.yml", ".git/e.yaml",
                 "other/f.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for named in (["."], ["sub", "other"], [str(tmp_path)]):
        found = discover(named)
        folders = sorted({str(p) for p in found.walked})
        assert found.files_in(folders) == discover(folders, recursive=False).files
        for folder in folders:
            assert found.files_under(folder) == discover([folder]).files
    assert discover(["sub"]).files_in(["sub", "other"]) is None  # `other` was not walked
    assert discover(["sub", "a.yaml"]).files_in(["sub"]) is None  # a file named is taken whatever it is


SECRET = "TOPSECRET-7781"


def keeper_with_link_out(tmp_path):
    """A keeper's repository whose records folder holds a committed link to a file outside it."""
    import shutil

    from ..conftest import RECORDS

    repo = tmp_path / "repo"
    (repo / "records").mkdir(parents=True)
    (repo / "communique.toml").write_text('records = "records"\n')
    shutil.copy(sorted(RECORDS.glob("*.yaml"))[0], repo / "records")
    (tmp_path / "passwd").write_text(f"root:{SECRET}:0:0:root:/root:/bin/bash\n")
    (repo / "records" / "evil.yaml").symlink_to(tmp_path / "passwd")
    return repo


@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_a_record_that_links_outside_the_repository_is_refused_unread_in_every_format(tmp_path, named):
    repo = keeper_with_link_out(tmp_path)
    for output_format in ("text", "json", "sarif", "github"):
        summary = tmp_path / "summary.md"
        result = communique("check", "--format", output_format, "--summary-file", summary,
                            *(["records/evil.yaml"] if named else []), cwd=repo)
        assert SECRET not in result.stdout + result.stderr + summary.read_text(), output_format
        assert result.returncode == 2, result.stdout + result.stderr
    text = communique("check", *(["records/evil.yaml"] if named else []), cwd=repo)
    assert f001_lines(text) == [f"records/evil.yaml:1:1: F001 a link to {tmp_path / 'passwd'}, outside the repository "
                                f"{repo}; it is not read"]


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_every_command_refuses_a_record_that_links_outside_the_repository(tmp_path, command):
    repo = keeper_with_link_out(tmp_path)
    result = communique(command, "records", cwd=repo)
    assert SECRET not in result.stdout + result.stderr
    assert result.returncode == 2 and len(f001_lines(result)) == 1 and "records/evil.yaml" in f001_lines(result)[0]
    assert (tmp_path / "passwd").read_text().startswith("root:")  # fmt and migrate left it alone


def test_a_record_that_links_within_the_repository_is_checked(tmp_path):
    repo = keeper_with_link_out(tmp_path)
    (repo / "records" / "evil.yaml").unlink()
    (repo / "archive").mkdir()
    (repo / "archive" / "old.yaml").write_text("title: no id\n")
    (repo / "records" / "linked.yaml").symlink_to(repo / "archive" / "old.yaml")
    result = communique("validate", "records", cwd=repo)
    assert f001_lines(result) == [] and result.returncode == 1
    assert "records/linked.yaml:1:1: S" in result.stdout  # read and checked: the schema's findings on it


def test_a_path_is_placed_under_its_root_as_written_and_resolved_only_when_that_fails(tmp_path, monkeypatch):
    """A configured walk asks this of every file: resolving links each time cost a keeper's
    10,000-record `check FILE` 0.4 s. A path that reaches the root through a link still is
    placed under it."""
    import os

    from communique.documents import files

    root = tmp_path / "repo"
    (root / "records").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    resolved = []
    real = os.path.realpath
    monkeypatch.setattr(files.os.path, "realpath", lambda path, **kw: resolved.append(path) or real(path, **kw))
    assert files.relative_to(root / "records" / "a.yaml", root) == "records/a.yaml" and resolved == []
    assert files.relative_to(tmp_path / "alias" / "records" / "a.yaml", root) == "records/a.yaml" and resolved
    assert files.relative_to(tmp_path / "elsewhere.yaml", root) is None


@pytest.mark.parametrize("records", ["records", "deep/records"])
def test_a_configured_filter_places_files_as_relative_to_does(tmp_path, monkeypatch, records):
    """The filter's quick way (a prefix of the absolute path) must agree with the general
    one for files inside, beside, above and outside the records folder, named relatively,
    absolutely, through '..' and through a link."""
    from communique.documents.files import RecordFilter, relative_to

    root = tmp_path / "repo"
    (root / records).mkdir(parents=True)
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    monkeypatch.chdir(root)
    record_filter = RecordFilter(root, folder=records)
    names = [f"{records}/a.yaml", f"./{records}/a.yaml", str(root / records / "a.yaml"), "a.yaml",
             f"{records}/../a.yaml", str(tmp_path / "alias" / records / "a.yaml"), str(tmp_path / "x.yaml"),
             f"{records}x/a.yaml", ".", records]
    for name in names:
        assert record_filter._relative(name) == relative_to(name, root), name
    assert [record_filter.accepts(name) for name in names[:3]] == [True, True, True]
    assert not record_filter.accepts(f"{records}x/a.yaml") and not record_filter.accepts("a.yaml")
