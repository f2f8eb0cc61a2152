"""Source texts are read only inside the sources folder, only when they are regular files of
a bounded size, and only under ids that can be file names (Q004); every hostile case in a
keeper's repository, checked as CI checks it: a process of its own, every output format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ...conftest import FIXTURES

Q001 = FIXTURES / "rules" / "Q001-quote-not-in-source"
SECRET = "TOPSECRET-7781"
FORMATS = ["text", "json", "sarif", "github"]


def keeper(tmp_path, config: str = ""):
    """A keeper's repository: one record citing source `s1` with a quote that is not in it."""
    repo = tmp_path / "repo"
    (repo / "records").mkdir(parents=True)
    (repo / "sources").mkdir()
    (repo / "communique.toml").write_text('records = "records"\nsources = "sources"\n' + config, encoding="utf-8")
    shutil.copy(Q001 / "fails.yaml", repo / "records" / "example-meeting.yaml")
    return repo


def check(repo, *args, timeout=60):
    """`communique check` as CI runs it; a hang fails the test (TimeoutExpired)."""
    return subprocess.run([sys.executable, "-m", "communique", "check", "--no-cache", *map(str, args)], cwd=repo,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def q004(repo) -> list[str]:
    result = check(repo, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "Q004"]


def test_a_link_to_a_file_outside_the_repository_is_never_read_into_any_report(tmp_path):
    repo = keeper(tmp_path)
    secret = tmp_path / "secret.txt"  # starts like the quote, so that a closest passage would show it
    secret.write_text(f"both sides agreed to hold the next round {SECRET} in Oslo\n", encoding="utf-8")
    (repo / "sources" / "s1.txt").symlink_to(secret)
    for output_format in FORMATS:
        summary = tmp_path / f"summary-{output_format}.md"
        result = check(repo, "--format", output_format, "--summary-file", summary)
        assert SECRET not in result.stdout + result.stderr + summary.read_text(encoding="utf-8")
        assert result.returncode == 1 and "Q004" in result.stdout, result.stdout + result.stderr
    assert q004(repo) == ["source text of 's1' refused: sources/s1.txt is a link to a file outside the sources "
                          "folder; it is not read"]


def test_a_link_into_the_git_folder_is_refused(tmp_path):
    repo = keeper(tmp_path)
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text(f"[remote]\n  url = https://{SECRET}@example.org/x\n", encoding="utf-8")
    (repo / "sources" / "s1.txt").symlink_to(os.path.join("..", ".git", "config"))
    result = check(repo, "--format", "sarif")
    assert SECRET not in result.stdout and "Q004" in result.stdout


def test_a_link_to_a_device_or_a_pipe_is_refused_without_reading(tmp_path):
    repo = keeper(tmp_path)
    (repo / "sources" / "s1.txt").symlink_to("/dev/zero")  # read whole, it never ends: MemoryError
    assert len(q004(repo)) == 1
    os.remove(repo / "sources" / "s1.txt")
    os.mkfifo(repo / "sources" / "s1.txt")  # inside the folder, but nothing ever writes to it
    assert q004(repo) == ["source text of 's1' refused: sources/s1.txt is not a regular file (a pipe or a device); "
                          "it is not read"]


def test_a_link_to_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    repo = keeper(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    (repo / "sources" / "s1.txt").symlink_to(tmp_path / "pipe")
    result = check(repo, timeout=30)
    assert result.returncode == 1 and "Q004" in result.stdout


def test_a_source_id_too_long_for_a_file_name_is_refused_not_a_crash(tmp_path):
    repo = keeper(tmp_path)
    record = repo / "records" / "example-meeting.yaml"
    long_id = "s" * 300
    record.write_text(record.read_text(encoding="utf-8").replace("s1", long_id), encoding="utf-8")
    result = check(repo, "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (message,) = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "Q004"]
    assert "300 bytes long, too long for a file name" in message


@pytest.mark.parametrize("source_id", ["../records/example-meeting", "..", "a\\b", "a\x00b"])
def test_a_source_id_that_is_a_path_never_reaches_the_file_system(tmp_path, source_id):
    """The schema's id pattern refuses these in a record; the reader refuses them itself, for
    any caller (a schema version of another form, the language server's buffers)."""
    from communique.lint.rules.evidence import Refused, _load_source

    repo = keeper(tmp_path)
    (repo / "records" / "example-meeting.txt").write_text("both sides agreed to hold the next round in Oslo")
    loaded = _load_source(str(repo / "sources"), source_id)
    assert isinstance(loaded, Refused) and "contains a path separator" in loaded.reason


def test_a_source_over_the_size_limit_is_refused_and_the_finding_says_how_to_raise_it(tmp_path):
    repo = keeper(tmp_path, "max-source-bytes = 1000\n")
    (repo / "sources" / "s1.txt").write_text("both sides agreed to hold the next round in Oslo. " * 40)
    assert q004(repo) == ["source text of 's1' refused: sources/s1.txt is 2,000 bytes, over the limit of 1,000 for "
                          "a source text; raise `max-source-bytes` in the configuration to check quotes against it"]
    (repo / "communique.toml").write_text('records = "records"\nsources = "sources"\nmax-source-bytes = 2000\n')
    assert q004(repo) == []


def test_a_link_within_the_sources_folder_is_read(tmp_path):
    repo = keeper(tmp_path)
    (repo / "sources" / "texts").mkdir()
    (repo / "sources" / "texts" / "first.txt").write_text("both sides agreed to hold the next round in Oslo")
    (repo / "sources" / "s1.txt").symlink_to(os.path.join("texts", "first.txt"))
    result = check(repo, "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "Q004" not in codes and "Q001" not in codes and "Q002" not in codes
