"""The diff driver `communique init` sets up: `git diff` and `git log -p` of a record show
the facts that changed, and nothing for a change that only reformats."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import RECORDS

RECORD = "pk-eu-strategic-dialogue-07.yaml"


def git(repo, *args) -> str:
    return subprocess.run(["git", "-c", "user.name=k", "-c", "user.email=k@example.org", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def test_git_diff_and_log_show_records_fact_by_fact(run, tmp_path):
    assert run("init", tmp_path).exit_code == 0
    git(tmp_path, "init", "-q")
    # The driver as the README gives it, with this interpreter's communique on the PATH.
    bin_folder = str(Path(sys.executable).parent)
    git(tmp_path, "config", "diff.communique.textconv", "communique diff --textconv")
    record = tmp_path / "records" / RECORD
    record.write_text((RECORDS / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "round 7")
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('  start: "2025-11-21"', '  start: "2025-11-19"').replace(
        "  city: Brussels\n  country: BE\n", "  country: 'BE'\n  city: \"Brussels\"\n"), encoding="utf-8")
    environment = {**os.environ, "PATH": bin_folder + os.pathsep + os.environ["PATH"]}
    diff = subprocess.run(["git", "diff"], cwd=tmp_path, capture_output=True, text=True, env=environment).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ['-dates.start: "2025-11-21"', '+dates.start: "2025-11-19"']  # not the re-ordered venue
    git(tmp_path, "commit", "-qam", "the date")
    log = subprocess.run(["git", "log", "-p", "-1"], cwd=tmp_path, capture_output=True, text=True,
                         env=environment).stdout
    assert '+dates.start: "2025-11-19"' in log
