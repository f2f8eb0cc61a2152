"""What a reviewer checks in the release workflow, read with PyYAML (nothing is built here),
and tools/release.py refusing, at once and in one line, to build what it cannot."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from communique.core.version import __version__

from .conftest import REPO

WORKFLOW_FILE = REPO / ".github" / "workflows" / "release.yml"
TEXT = WORKFLOW_FILE.read_text(encoding="utf-8")
WORKFLOW = yaml.safe_load(TEXT)
JOBS = WORKFLOW["jobs"]
PUBLISHING = ("publish-pypi", "publish-npm", "github-release")


def runs(job: str) -> list[str]:
    return [step["run"] for step in JOBS[job]["steps"] if "run" in step]


def uses(job: str) -> list[str]:
    return [step["uses"] for step in JOBS[job]["steps"] if "uses" in step]


def test_a_version_tag_starts_it_and_a_manual_run_is_a_dry_run():
    triggers = WORKFLOW[True]  # PyYAML reads the key `on` as YAML 1.1's true
    assert triggers["push"] == {"tags": ["v*"]}
    assert "workflow_dispatch" in triggers
    for job in PUBLISHING:  # a manual run stops after build
        assert JOBS[job]["if"] == "github.event_name == 'push' && github.ref_type == 'tag'", job


def test_the_build_job_builds_and_checks_against_the_tag():
    assert "python tools/release.py build --out dist" in runs("build")
    (check,) = [step for step in JOBS["build"]["steps"] if "tools/release.py check" in step.get("run", "")]
    assert check["run"] == 'python tools/release.py check dist ${TAG:+--tag "$TAG"}'
    assert check["env"]["TAG"] == "${{ github.ref_type == 'tag' && github.ref_name || '' }}"
    assert {"actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"} <= set(uses("build"))
    (node,) = [step for step in JOBS["build"]["steps"] if step.get("uses", "").startswith("actions/setup-node")]
    assert node["with"]["node-version"] == 20


def test_nothing_is_published_unless_the_build_and_its_check_passed():
    assert JOBS["publish-pypi"]["needs"] == "build"
    assert JOBS["publish-npm"]["needs"] == "build"
    assert set(JOBS["github-release"]["needs"]) == {"publish-pypi", "publish-npm"}


def test_permissions_are_read_only_but_where_a_job_needs_more():
    assert WORKFLOW["permissions"] == {"contents": "read"}
    assert "permissions" not in JOBS["build"]  # the workflow's read-only token
    assert JOBS["publish-pypi"]["permissions"] == {"id-token": "write"}
    assert JOBS["publish-npm"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert JOBS["github-release"]["permissions"] == {"contents": "write"}


def test_publishing_is_trusted_publishing_with_no_stored_secret():
    assert "secrets." not in TEXT
    assert not re.search(r"(?i)NPM_TOKEN|NODE_AUTH_TOKEN|PYPI_API_TOKEN|password:", TEXT)
    assert JOBS["publish-pypi"]["environment"] == {"name": "pypi"}
    assert "pypa/gh-action-pypi-publish@release/v1" in uses("publish-pypi")
    assert "npm publish --provenance --access public dist/*.tgz" in runs("publish-npm")


def test_each_publisher_gets_the_artefacts_the_build_checked():
    uploads = {step["with"]["name"]: step["with"]["path"] for step in JOBS["build"]["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads == {"python-packages": "dist/*.whl\ndist/*.tar.gz\n", "npm-package": "dist/*.tgz"}
    for job, artefact in (("publish-pypi", "python-packages"), ("publish-npm", "npm-package")):
        (download,) = [step for step in JOBS[job]["steps"]
                       if step.get("uses", "").startswith("actions/download-artifact")]
        assert download["with"] == {"name": artefact, "path": "dist"}, job
    assert not any("build" in run or "pack" in run for run in runs("publish-npm") + runs("publish-pypi"))


def test_the_github_release_takes_its_notes_from_the_changelog():
    steps = runs("github-release")
    assert 'python3 tools/changelog.py notes "$TAG" > release-notes.md' in steps
    assert any(run.startswith('gh release create "$TAG"') and "--notes-file release-notes.md" in run for run in steps)


def test_every_action_is_pinned_and_no_expression_is_pasted_into_a_script():
    for job in JOBS.values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w./-]+@(v\d+|release/v\d+|[0-9a-f]{40})", step["uses"]), step["uses"]
            assert "${{" not in step.get("run", ""), step["run"]  # values reach scripts through env


def release_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "tools" / "release.py"), *args], capture_output=True, text=True,
                          env=env)


def test_without_the_npm_package_the_build_refuses_at_once(tmp_path):
    result = release_script("--repo", str(tmp_path), "build", "--out", str(tmp_path / "dist"))
    assert result.returncode == 1
    assert result.stdout == (f"FAIL  cannot build @communique-project/schema: "
                             f"{tmp_path / 'packages' / 'npm' / 'package.json'} does not exist\n")
    assert result.stderr == "" and not (tmp_path / "dist").exists()


def test_without_npm_the_build_refuses_at_once(tmp_path):
    (tmp_path / "packages" / "npm").mkdir(parents=True)
    (tmp_path / "packages" / "npm" / "package.json").write_text(json.dumps({"name": "@communique-project/schema"}))
    no_node = {**os.environ, "PATH": str(tmp_path / "bin")}
    result = release_script("--repo", str(tmp_path), "build", "--out", str(tmp_path / "dist"), env=no_node)
    assert result.returncode == 1
    assert result.stdout == ("FAIL  cannot build @communique-project/schema: node is not on PATH "
                             "(Node 20 or newer, with npm)\n")


@pytest.mark.parametrize("tag", ["v9.9.9", __version__], ids=["other-version", "no-v"])
def test_a_wrong_tag_is_refused_before_the_artefacts_are_read(tmp_path, tag):
    result = release_script("check", str(tmp_path / "dist"), "--tag", tag)  # no artefacts at all: never read
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout == (f"FAIL  tag {tag} does not match version {__version__} in "
                             f"validator/communique/core/version.py (its tag is v{__version__}): nothing may be "
                             f"published\n")
