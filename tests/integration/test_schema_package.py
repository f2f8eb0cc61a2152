"""communique-schema as another project gets it: built sdist-first (the wheel from the
sdist, as PyPI's users build it), installed into a fresh virtual environment with nothing
else, and used offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest
from communique.core.version import __version__
from communique.documents.loading import load_file

from ..conftest import RECORDS, REPO

PACKAGE = REPO / "packages" / "communique-schema"
VERSIONS = ("1.0", "1.1", "1.2", "1.3")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("communique-schema-dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(PACKAGE)], check=True,
                   capture_output=True)
    (sdist,) = out.glob("communique_schema-*.tar.gz")
    (wheel,) = out.glob("communique_schema-*.whl")
    return {"sdist": sdist, "wheel": wheel}


def _offline(command: list[str]) -> list[str]:
    """The command with no network at all, where this machine allows it."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"]).returncode == 0:
        return ["unshare", "-rn", *command]
    return command


def test_both_artefacts_carry_every_version_and_the_one_version_number(built):
    assert built["wheel"].name == f"communique_schema-{__version__}-py3-none-any.whl"
    wheel = zipfile.ZipFile(built["wheel"])
    names = set(wheel.namelist())
    assert {"communique_schema/__init__.py", "communique_schema/py.typed", "communique_schema/LICENSE"} <= names
    for version in VERSIONS:
        packed = wheel.read(f"communique_schema/schemas/{version}/record.schema.json")
        assert packed == (REPO / "schema" / version / "record.schema.json").read_bytes()
    assert not [name for name in names if name.startswith("communique/")]  # not the tool
    metadata = wheel.read(f"communique_schema-{__version__}.dist-info/METADATA").decode()
    assert "Requires-Dist: jsonschema[format-nongpl]>=4.18; extra == 'validate'" in metadata
    assert not [line for line in metadata.splitlines() if line.startswith("Requires-Dist") and "extra" not in line]
    with tarfile.open(built["sdist"]) as sdist:
        inside = {Path(name).relative_to(f"communique_schema-{__version__}").as_posix() for name in sdist.getnames()}
    assert {f"communique_schema/schemas/{version}/record.schema.json" for version in VERSIONS} <= inside


def test_installed_alone_it_serves_the_schema_offline(built, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", str(built["wheel"])], check=True)
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the installed copy, not the checkout's
    alone = textwrap.dedent('''
        import communique_schema as cs
        assert cs.versions() == ("1.0", "1.1", "1.2", "1.3") and cs.LATEST == "1.3", cs.versions()
        assert "site-packages" in str(cs.path("1.0"))
        assert cs.load("1.1")["$id"] == cs.schema_id("1.1")
        try:
            cs.registry()
        except ImportError as error:
            print(error)
    ''')
    result = subprocess.run(_offline([python, "-c", alone]), capture_output=True, text=True, env=clean, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ('registry() needs the referencing package: '
                                     'pip install "communique-schema[validate]"')

    subprocess.run([python, "-m", "pip", "install", "--quiet", f"{built['wheel']}[validate]"], check=True,
                   capture_output=True)
    record = load_file(RECORDS / "pk-eu-political-dialogue-10.yaml").document.data
    validating = textwrap.dedent('''
        import json, sys
        import communique_schema as cs
        record = json.loads(sys.argv[1])
        check = cs.validator(record["schema_version"])
        assert not list(check.iter_errors(record))
        record["dates"]["start"] = "2025-02-30"
        record["parties"][0]["kind"] = "planet"
        record["parties"][1]["id"] += "\\n"
        record["sources"][0]["url"] = "example.org/no-scheme"
        print(sorted(error.json_path for error in check.iter_errors(record)))
    ''')
    result = subprocess.run(_offline([python, "-c", validating, json.dumps(record)]), capture_output=True, text=True,
                            env=clean, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(["$.dates.start", "$.parties[0].kind", "$.parties[1].id", "$.sources[0].url"])
