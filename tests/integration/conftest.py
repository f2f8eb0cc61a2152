"""What the integration tests share: the real tools, installed once per run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def needs(condition: bool, message: str) -> None:
    """Skip locally, fail under CI: a missing tool must not let CI pass untested."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def git_env(tmp_path_factory) -> dict:
    """Environment for git and pre-commit: an identity, and one pre-commit cache per run,
    so the hook environment is built once."""
    needs(PRE_COMMIT.exists(), "pre-commit is not installed: pip install -e '.[test]'")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(scope="session")
def yaml_language_server(tmp_path_factory) -> Path:
    """The real yaml-language-server, installed from the npm registry as an editor's
    extension bundles it."""
    needs(bool(shutil.which("node") and shutil.which("npm")), "needs node and npm to install yaml-language-server")
    folder = tmp_path_factory.mktemp("yaml-language-server")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                    "yaml-language-server@2"], check=True, capture_output=True, timeout=300)
    return folder / "node_modules" / ".bin" / "yaml-language-server"
