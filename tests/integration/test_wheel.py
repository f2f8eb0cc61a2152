"""The built wheel, installed into a fresh virtual environment without the CLI's
dependencies, serves the schema to another project's schema offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from ..conftest import RECORDS, REPO

CONSUMER = textwrap.dedent('''
    import json, sys
    from jsonschema import Draft202012Validator
    from communique import schema

    heavy = [m for m in ("click", "pydantic", "ruamel", "yaml", "jsonschema_rs") if m in sys.modules]
    assert not heavy, heavy
    record = json.loads(sys.argv[1])
    our_id = schema.schema_id(record["schema_version"])  # the version the shipped record says
    consumer = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.org/meeting-index.json",
        "type": "object",
        "required": ["host", "meeting"],
        "properties": {
            "host": {"$ref": our_id + "#/$defs/party"},
            "meeting": {"$ref": our_id},
        },
    }
    registry = schema.registry()
    validator = Draft202012Validator(consumer, registry=registry,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {"host": {"id": "be", "name": "Belgium", "kind": "state"}, "meeting": record}
    assert validator.is_valid(good), [e.message for e in validator.iter_errors(good)]
    bad = {"host": {"id": "be", "name": "Belgium", "kind": "planet"},
           "meeting": {**record, "dates": {"start": "2025-02-30"}}}
    errors = sorted(e.json_path for e in validator.iter_errors(bad))
    assert errors == ["$.host.kind", "$.meeting.dates.start"], errors
    assert schema.schema_path("1.0").is_file() and "site-packages" in str(schema.schema_path("1.1"))
    # 1.2, with what it added: a cancelled meeting and one side's statements; 1.3 is the latest.
    assert schema.LATEST == "1.3" and "site-packages" in str(schema.schema_path("1.3"))
    v1_2 = Draft202012Validator({"$ref": schema.schema_id("1.2")}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)
    shape = json.loads(sys.argv[2])
    assert v1_2.is_valid(shape), [e.message for e in v1_2.iter_errors(shape)]
    assert not v1_2.is_valid({**shape, "status": "adjourned"})
    print("consumer ok")
''')


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    (built,) = out.glob("communique-*.whl")
    return built


def test_wheel_carries_the_schema_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"communique/_schemas/{version}/record.schema.json" for version in ("1.0", "1.1", "1.2", "1.3")} <= set(names)
    assert "communique/schema/__init__.py" in names
    assert "communique/py.typed" in names  # type checkers read the API's annotations
    assert {f"communique/run/templates/{name}" for name in ("communique.toml", "pre-commit-config.yaml", "workflow.yml",
                                                         "vscode-extensions.json", "sources-README.md")} <= set(names)


def test_consumer_schema_refs_ours_offline_in_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Only what a consumer of the schema needs: jsonschema (with referencing), not the CLI's stack.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "jsonschema"], check=True, capture_output=True)
    import json

    from communique.documents.loading import load_file

    record = json.dumps(load_file(RECORDS / "pk-eu-political-dialogue-10.yaml").document.data)
    shape = json.dumps(load_file(REPO / "tests" / "fixtures" / "shapes" /
                                 "example-foreign-ministers-talks-cancelled.yaml").document.data)
    command = [str(python), "-c", CONSUMER, record, shape]
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"]).returncode == 0:
        command = ["unshare", "-rn", *command]  # no network at all while validating
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the wheel's copy, not a checkout's
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "consumer ok"
