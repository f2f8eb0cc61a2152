"""The bundled files as another tool loads them: check-jsonschema, installed alone into a
fresh virtual environment, validates records with a bundled file and no registry, and a
keeper's own schema that `$ref`s a bundled file by its relative path; all with no network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from communique.cli import main

from ..conftest import RECORDS


def _offline(command: list[str]) -> list[str]:
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"]).returncode == 0:
        return ["unshare", "-rn", *command]
    return command


@pytest.fixture(scope="module")
def check_jsonschema(tmp_path_factory):
    venv = tmp_path_factory.mktemp("check-jsonschema") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "check-jsonschema"], check=True,
                   capture_output=True)
    return str(venv / "bin" / "check-jsonschema")


@pytest.fixture(scope="module")
def keeper(tmp_path_factory):
    """A keeper's repository with the bundled schemas vendored under vendor/communique/."""
    repository = tmp_path_factory.mktemp("keeper")
    result = CliRunner().invoke(main, ["schema", "--bundle", "-o", str(repository / "vendor" / "communique")])
    assert result.exit_code == 0, result.output
    (repository / "records").mkdir()
    for record in RECORDS.glob("*.yaml"):
        shutil.copy(record, repository / "records" / record.name)
    return repository


def _run(command, cwd):
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(_offline(command), capture_output=True, text=True, cwd=cwd, env=clean)


def test_records_validate_against_a_bundled_file_alone(check_jsonschema, keeper):
    records = sorted(str(path) for path in (keeper / "records").glob("*.yaml"))
    result = _run([check_jsonschema, "--schemafile", "vendor/communique/1.2/record.schema.json", *records], keeper)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = keeper / "bad.yaml"
    bad.write_text((keeper / "records" / "af-pk-talks-01.yaml").read_text().replace("kind: talks", "kind: chat"))
    result = _run([check_jsonschema, "--schemafile", "vendor/communique/1.2/record.schema.json", str(bad)], keeper)
    assert result.returncode == 1 and "bad.yaml::$.kind: 'chat' is not one of" in result.stdout


def test_a_keepers_schema_refs_a_bundled_file_by_its_path(check_jsonschema, keeper):
    (keeper / "schemas").mkdir()
    (keeper / "schemas" / "hosts.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["host"],
        "properties": {"host": {"$ref": "../vendor/communique/1.2/record.schema.json#/$defs/party"}},
    }))
    (keeper / "good-host.json").write_text(json.dumps({"host": {"id": "no", "name": "Norway", "kind": "state"}}))
    (keeper / "bad-host.json").write_text(json.dumps({"host": {"id": "No", "name": "Norway", "kind": "state"}}))
    result = _run([check_jsonschema, "--schemafile", "schemas/hosts.json", "good-host.json"], keeper)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run([check_jsonschema, "--schemafile", "schemas/hosts.json", "bad-host.json"], keeper)
    assert result.returncode == 1 and "bad-host.json::$.host.id" in result.stdout
