"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`) in a
temporary git repository, as a record keeper's pre-commit runs them.

pre-commit builds the hook environment from this repository, installing the package
and its dependencies from the package index, as it always does; nothing else is fetched.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import RECORDS, REPO
from .conftest import PRE_COMMIT


@pytest.fixture
def keeper_repo(tmp_path, git_env):
    """A record keeper's repository: a good record, a bad one, and another for context."""
    repo = tmp_path / "keeper"
    (repo / "records").mkdir(parents=True)
    for name in ("pk-eu-political-dialogue-10.yaml", "pk-eu-strategic-dialogue-07.yaml"):
        shutil.copy(RECORDS / name, repo / "records" / name)
    bad = (RECORDS / "pk-eu-counter-terrorism-dialogue-09.yaml").read_text()
    (repo / "records" / "pk-eu-counter-terrorism-dialogue-09.yaml").write_text(bad.replace("  round: 9", "  round: 8"))
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=git_env)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=git_env)
    return repo


def try_repo(repo: Path, hook: str, files: list[str], git_env) -> subprocess.CompletedProcess:
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(REPO), hook, "--files", *files],
                          cwd=repo, env=git_env, capture_output=True, text=True, timeout=600)


def test_check_hook_passes_a_good_record(keeper_repo, git_env):
    result = try_repo(keeper_repo, "communique-check", ["records/pk-eu-political-dialogue-10.yaml"], git_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_check_hook_fails_a_bad_record_with_its_position(keeper_repo, git_env):
    result = try_repo(keeper_repo, "communique-check",
                      ["records/pk-eu-political-dialogue-10.yaml", "records/pk-eu-counter-terrorism-dialogue-09.yaml"],
                      git_env)
    assert result.returncode == 1
    assert "Failed" in result.stdout
    # N002: the title says 9th, series.round says 8; reported at the title's line.
    assert "records/pk-eu-counter-terrorism-dialogue-09.yaml:4:8: N002" in result.stdout
    # The good file passed along with it gets nothing; the note on the quote check is the run's.
    assert not [line for line in result.stdout.splitlines() if line.startswith("records/pk-eu-political")]
    assert "info: Q003 evidence quotes were not checked" in result.stdout


def test_fmt_hook_passes_canonical_records_and_fails_others(keeper_repo, git_env):
    good = ["records/pk-eu-political-dialogue-10.yaml"]
    assert try_repo(keeper_repo, "communique-fmt", good, git_env).returncode == 0
    messy = keeper_repo / "records" / "pk-eu-political-dialogue-10.yaml"
    messy.write_text(messy.read_text().replace('schema_version: "1.2"', "schema_version: '1.2'"))
    result = try_repo(keeper_repo, "communique-fmt", good, git_env)
    assert result.returncode == 1
    assert "records/pk-eu-political-dialogue-10.yaml:2:1: K001" in result.stdout
