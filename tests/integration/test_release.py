"""The release, rehearsed: the release workflow's own tools/release.py steps, run as the
workflow runs them (bash, a clean copy of the checkout, the tag of this version) up to, not
including, publishing; then the check shown to refuse what must not be published."""

from __future__ import annotations

import fcntl
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from communique.core.version import __version__

from ..conftest import REPO
from .conftest import needs

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
SCHEMA_FILE = "1.2/record.schema.json"
ARTEFACTS = {  # what PyPI and npm receive, named as the tools name them
    f"communique-{__version__}.tar.gz", f"communique-{__version__}-py3-none-any.whl",
    f"communique_schema-{__version__}.tar.gz", f"communique_schema-{__version__}-py3-none-any.whl",
    f"communique-project-schema-{__version__}.tgz",
}
# The workflow's expressions, as GitHub gives them to a run started by pushing this version's tag.
EXPRESSIONS = {"TAG": f"v{__version__}"}


def release_steps() -> list[dict]:
    """The build job's steps that run tools/release.py, in order."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [step for step in workflow["jobs"]["build"]["steps"] if "tools/release.py" in step.get("run", "")]


def copy_checkout(into: Path) -> Path:
    """What a fresh clone of this checkout holds (its files, committed or not; nothing ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, into / name)
    return into


def step_env(step: dict) -> dict[str, str]:
    """The environment of a workflow step here: this interpreter's `python`, no PYTHONPATH
    (CI has none), and the step's env with each expression as a tag push gives it."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    for key, value in step.get("env", {}).items():
        if "${{" in str(value):
            assert key in EXPRESSIONS, f"the test does not know what {key}: {value} is on a tag push"
            value = EXPRESSIONS[key]
        env[key] = str(value)
    return env


def rehearse(folder: Path) -> dict:
    """Each release step run as GitHub runs a step's script (bash -eo pipefail) in a fresh checkout."""
    checkout = copy_checkout(folder / "checkout")
    ran = []
    for step in release_steps():
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                cwd=checkout, env=step_env(step), capture_output=True, text=True)
        ran.append({"run": step["run"], "returncode": result.returncode, "output": result.stdout + result.stderr})
        if result.returncode:
            break  # as the job stops at a failing step
    return {"checkout": str(checkout), "steps": ran}


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory) -> dict:
    """Built and checked once per test run, even when pytest-xdist spreads this module over
    workers: the first to get here rehearses, the others wait for its result on disk."""
    needs(bool(shutil.which("node") and shutil.which("npm")), "the npm package needs node and npm")
    for module in ("build", "twine"):
        needs(importlib.util.find_spec(module) is not None,
              f"{module} is not installed: pip install -e '.[test]'")
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    folder = (tmp_path_factory.getbasetemp().parent / f"release-{run_id}" if run_id
              else tmp_path_factory.mktemp("release"))
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "rehearsal.json"
        if not done.exists():
            done.write_text(json.dumps(rehearse(folder)))
    return json.loads(done.read_text())


def built(rehearsal: dict) -> Path:
    """The rehearsal's dist folder, once its build step passed."""
    build = rehearsal["steps"][0]
    assert build["returncode"] == 0, f"`{build['run']}` failed:\n{build['output']}"
    return Path(rehearsal["checkout"], "dist")


def check(checkout: Path, dist: Path, *options: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([sys.executable, "tools/release.py", "check", str(dist), *options], cwd=checkout,
                          env=env, capture_output=True, text=True)


def test_the_workflow_builds_and_checks_every_artefact(rehearsal):
    runs = [step["run"] for step in rehearsal["steps"]]
    assert runs[0] == "python tools/release.py build --out dist", runs
    for step in rehearsal["steps"]:
        assert step["returncode"] == 0, f"`{step['run']}` failed:\n{step['output']}"
    assert len(runs) == 2 and runs[1].startswith("python tools/release.py check dist") and "--tag" in runs[1], runs
    dist = Path(rehearsal["checkout"], "dist")
    assert {path.name for path in dist.iterdir()} == ARTEFACTS
    checked = rehearsal["steps"][1]["output"]
    for proof in (f"tag v{__version__} is version {__version__}", "twine check --strict: 4 Python artefacts",
                  f"communique-{__version__}-py3-none-any.whl: exactly the",
                  f"communique_schema-{__version__}-py3-none-any.whl: exactly the",
                  f"communique-project-schema-{__version__}.tgz: exactly the",
                  "communique validate records/: the repository's records pass",
                  "communique check --no-source records/: the repository's records pass",
                  "communique schema --list: 1.0, 1.1, 1.2, 1.3",
                  "communique-schema installed alone", "communique-schema[validate] validates the repository's",
                  "npm install --offline of the tarball", f"All checks passed: {__version__} is ready to publish."):
        assert proof in checked, f"{proof!r} not in:\n{checked}"
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"]).returncode == 0:
        assert "(no network: unshare -rn)" in checked  # the installs really had no network


def test_a_tag_that_is_not_the_version_fails_before_anything_is_checked(rehearsal):
    result = check(Path(rehearsal["checkout"]), built(rehearsal), "--tag", "v9.9.9")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"FAIL  tag v9.9.9 does not match version {__version__} in validator/communique/core/version.py "
        f"(its tag is v{__version__}): nothing may be published"], result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _changed(data: bytes) -> bytes:
    """Still valid JSON, and the same schema to a parser: only a byte-for-byte check sees it."""
    return data.rstrip() + b" \n"


def tamper(artefact: Path, member: str) -> None:
    if artefact.suffix == ".whl":
        with zipfile.ZipFile(artefact) as original:
            entries = [(info, original.read(info)) for info in original.infolist()]
        with zipfile.ZipFile(artefact, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for info, data in entries:
                rewritten.writestr(info, _changed(data) if info.filename == member else data)
        return
    with tarfile.open(artefact) as original:
        entries = [(info, original.extractfile(info).read() if info.isfile() else None) for info in original]
    with tarfile.open(artefact, "w:gz") as rewritten:
        for info, data in entries:
            if info.name == member:
                data = _changed(data)
                info.size = len(data)
            rewritten.addfile(info, io.BytesIO(data) if data is not None else None)


@pytest.mark.parametrize("artefact, member", [
    (f"communique-{__version__}-py3-none-any.whl", f"communique/_schemas/{SCHEMA_FILE}"),
    (f"communique_schema-{__version__}-py3-none-any.whl", f"communique_schema/schemas/{SCHEMA_FILE}"),
    (f"communique-project-schema-{__version__}.tgz", f"package/{SCHEMA_FILE}"),
], ids=["tool-wheel", "schema-wheel", "npm-tarball"])
def test_a_schema_file_changed_inside_an_artefact_fails_the_check(rehearsal, tmp_path, artefact, member):
    dist = shutil.copytree(built(rehearsal), tmp_path / "dist")
    tamper(dist / artefact, member)
    result = check(Path(rehearsal["checkout"]), dist, "--tag", f"v{__version__}")
    assert result.returncode == 1
    assert f"FAIL  {artefact}: {member} differs from schema/{SCHEMA_FILE} in the repository" in result.stdout, \
        result.stdout + result.stderr
    assert "wheelhouse" not in result.stdout  # refused before anything was installed
    assert "Traceback" not in result.stderr
