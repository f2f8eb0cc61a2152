"""The package's layout holds: each room imports only the rooms below it, and no modules
import one another in a circle (the contracts in pyproject.toml, checked by import-linter,
which reads every import, those inside functions included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "validator" / "communique"
CHECK = ("import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """import-linter's verdict on the package found in `package_parent`, by our contracts."""
    environment = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([sys.executable, "-c", CHECK, str(REPO / "pyproject.toml")], capture_output=True,
                          text=True, env=environment, cwd=package_parent)


def test_every_room_imports_only_those_below_it_and_nothing_imports_in_a_circle():
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_up_a_layer_or_around_a_circle_breaks_the_contracts(tmp_path):
    """The contracts are not vacuous: the same package with a lazy import of the command
    line from the loader (up five layers), and the cache importing the pipeline that
    imports it, fails both, naming the imports."""
    copy = tmp_path / "communique"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "documents" / "loading.py", "a", encoding="utf-8") as loading:
        loading.write("\n\ndef _up():\n    from ..cli import main\n\n    return main\n")
    with open(copy / "run" / "cache.py", "a", encoding="utf-8") as cache:
        cache.write("\n\ndef _around():\n    from .checking import run\n\n    return run\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "0 kept, 2 broken" in result.stdout
    assert "communique.documents.loading -> communique.cli" in result.stdout
    assert ".checking -> .cache" in result.stdout or ".cache -> .checking" in result.stdout
