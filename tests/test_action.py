"""The GitHub Action's install step (action.yml), run by bash as a runner runs it, with a
stand-in Python that records what pip is asked to install: what the `version:` input
installs, without the network."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from .conftest import REPO

STAND_IN = """#!/bin/bash
# python3 -m venv DIR: a venv whose python records its arguments and whose communique answers
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/bash\\nprintf "%%s\\\\n" "$@" > "%s"\\n' "$LOG" > "$3/bin/python"
  printf '#!/bin/bash\\necho "communique, version test"\\n' > "$3/bin/communique"
  chmod +x "$3/bin/python" "$3/bin/communique"
fi
"""


def install_step() -> dict:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    (step,) = [step for step in action["runs"]["steps"] if step.get("id") == "install"]
    return step


def installed(tmp_path, version: str, action_path: str, **env) -> str:
    """What the install step hands to pip, given the `version:` input and where the runner
    keeps the action."""
    step = install_step()
    values = {"inputs.version": version, "github.action_path": action_path}
    step_env = {name: re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: values[m.group(1)], value)
                for name, value in step["env"].items()}
    stand_in = tmp_path / "stand-in"
    stand_in.mkdir(exist_ok=True)
    (stand_in / "python3").write_text(STAND_IN)
    (stand_in / "python3").chmod(0o755)
    log, output = tmp_path / "pip-args", tmp_path / "github-output"
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                            env={"PATH": f"{stand_in}:/usr/bin:/bin", "RUNNER_TEMP": str(tmp_path), "LOG": str(log),
                                 "GITHUB_OUTPUT": str(output), **step_env, **env},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    args = log.read_text().splitlines()
    assert args[:5] == ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"], args
    assert output.read_text().startswith("communique=")
    return args[5]


RUNNER = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_ACTION_REPOSITORY": ""}
FETCHED = "/home/runner/work/_actions/keeper-fork/communique/v0.5.0"  # where a runner puts `uses:`'s files


def test_without_a_version_the_action_installs_its_own_files(tmp_path):
    assert installed(tmp_path, "", FETCHED, **RUNNER) == FETCHED


@pytest.mark.parametrize("version, ref", [("0.5.0", "v0.5.0"), ("v0.5.0", "v0.5.0"), ("1.2.3rc1", "v1.2.3rc1"),
                                          ("main", "main"), ("0123456789abcdef0123456789abcdef01234567",
                                                             "0123456789abcdef0123456789abcdef01234567")])
def test_a_version_is_a_git_ref_of_the_actions_own_repository(tmp_path, version, ref):
    assert installed(tmp_path, version, FETCHED, **RUNNER) == f"communique @ git+https://github.com/keeper-fork/communique@{ref}"


def test_the_repository_comes_from_the_runner_where_it_says_and_from_the_server_in_use(tmp_path):
    enterprise = {"GITHUB_SERVER_URL": "https://git.example.org", "GITHUB_ACTION_REPOSITORY": "ministry/communique"}
    assert installed(tmp_path, "0.5.0", FETCHED, **enterprise) == (
        "communique @ git+https://git.example.org/ministry/communique@v0.5.0")
    # `uses: ./` (the action in the repository checked out): the project's own repository
    assert installed(tmp_path, "0.5.0", "/home/runner/work/meetings/meetings", **RUNNER) == (
        "communique @ git+https://github.com/communique-project/communique@v0.5.0")


def test_the_spec_is_one_argument_whatever_the_input(tmp_path):
    """The input is data for pip (which refuses such a ref), never words for the shell."""
    assert installed(tmp_path, "v0.5.0; rm -rf /", FETCHED, **RUNNER) == (
        "communique @ git+https://github.com/keeper-fork/communique@v0.5.0; rm -rf /")


def test_the_cache_is_restored_before_the_check_and_saved_after_it_whatever_it_found():
    """Warm runs in CI: the per-file results of earlier runs of the same version come back,
    into the folder the check step points communique at, and this run's go back even when
    it found problems."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = action["runs"]["steps"]
    names = [step.get("id") or step.get("uses", "").split("@")[0] for step in steps]
    restore, check, save = (names.index(n) for n in ("actions/cache/restore", "check", "actions/cache/save"))
    assert restore < check < save
    folder = "${{ runner.temp }}/communique-cache"
    assert steps[restore]["with"]["path"] == steps[save]["with"]["path"] == folder
    assert steps[restore]["with"]["key"] == steps[save]["with"]["key"]
    assert "steps.install.outputs.version" in steps[save]["with"]["key"]  # another version never reads it
    assert steps[restore]["with"]["restore-keys"].strip() in steps[save]["with"]["key"]
    assert steps[save]["if"].startswith("always()")
    assert steps[check]["env"]["COMMUNIQUE_CACHE_DIR"] == folder
    assert action["inputs"]["cache"]["default"] == "true"


def test_the_install_step_gives_a_version_a_cache_key_can_hold(tmp_path):
    installed(tmp_path, "", "/home/runner/work/_actions/communique-project/communique/v0.6.0")
    outputs = dict(line.split("=", 1) for line in (tmp_path / "github-output").read_text().splitlines())
    assert outputs["version"] == "communique--version-test"
    assert not set(outputs["version"]) & {",", " "}
