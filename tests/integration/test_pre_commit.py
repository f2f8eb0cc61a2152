"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`try-repo`) in a
temporary git repository, as a record keeper's pre-commit runs them.

pre-commit builds the hook's environment from this repository, installing the package
and its dependencies from the package index, as it always does; nothing else is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, RECORDS

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    if not PRE_COMMIT.exists():
        pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


@pytest.fixture
def keeper_repo(tmp_path, environment):
    """A record keeper's repository: a good record, a bad one, and another for context."""
    repo = tmp_path / "keeper"
    (repo / "records").mkdir(parents=True)
    for name in ("pk-eu-political-dialogue-10.yaml", "pk-eu-strategic-dialogue-07.yaml"):
        shutil.copy(RECORDS / name, repo / "records" / name)
    bad = (RECORDS / "pk-eu-counter-terrorism-dialogue-09.yaml").read_text()
    (repo / "records" / "pk-eu-counter-terrorism-dialogue-09.yaml").write_text(bad.replace("  round: 9", "  round: 8"))
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=environment)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=environment)
    return repo


def try_repo(repo: Path, hook: str, files: list[str], environment) -> subprocess.CompletedProcess:
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(REPO), hook, "--files", *files],
                          cwd=repo, env=environment, capture_output=True, text=True, timeout=600)


def test_check_hook_passes_a_good_record(keeper_repo, environment):
    result = try_repo(keeper_repo, "communique-check", ["records/pk-eu-political-dialogue-10.yaml"], environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_check_hook_fails_a_bad_record_with_its_position(keeper_repo, environment):
    result = try_repo(keeper_repo, "communique-check",
                      ["records/pk-eu-political-dialogue-10.yaml", "records/pk-eu-counter-terrorism-dialogue-09.yaml"],
                      environment)
    assert result.returncode == 1
    assert "Failed" in result.stdout
    # N002: the title says 9th, series.round says 8; reported at the title's line.
    assert "records/pk-eu-counter-terrorism-dialogue-09.yaml:4:8: N002" in result.stdout
    # The good file passed along with it gets nothing but the run's note on the quote check.
    good_lines = [line for line in result.stdout.splitlines() if line.startswith("records/pk-eu-political")]
    assert [line.split()[1] for line in good_lines] == ["Q003"]


def test_fmt_hook_passes_canonical_records_and_fails_others(keeper_repo, environment):
    good = ["records/pk-eu-political-dialogue-10.yaml"]
    assert try_repo(keeper_repo, "communique-fmt", good, environment).returncode == 0
    messy = keeper_repo / "records" / "pk-eu-political-dialogue-10.yaml"
    messy.write_text(messy.read_text().replace('schema_version: "1.0"', "schema_version: '1.0'"))
    result = try_repo(keeper_repo, "communique-fmt", good, environment)
    assert result.returncode == 1
    assert "records/pk-eu-political-dialogue-10.yaml:2:1: K001" in result.stdout
