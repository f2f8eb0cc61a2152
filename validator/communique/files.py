"""Finding the record files named on the command line."""

from __future__ import annotations

import os
from pathlib import Path

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
# Folders never worth walking into when a parent folder was given.
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", "build", "dist"}


def discover(paths) -> tuple[list[str], list[str]]:
    """Record files under `paths`, sorted and de-duplicated, and the paths that do not exist.

    A file named explicitly is checked whatever its suffix; folders are walked for
    .yaml/.yml/.json, skipping hidden folders and the usual build and environment folders.
    """
    files: list[str] = []
    missing: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.exists() or path.is_symlink():
            files.append(str(path))
        else:
            missing.append(str(given))
    seen: set[str] = set()
    unique = []
    for name in files:
        key = os.path.normpath(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique, missing


def find_records(paths) -> tuple[list[str], list]:
    """Record files under `paths`, and a finding (an I/O error) for each path that does not
    exist, or for the whole call when nothing was found."""
    from . import findings as F

    files, missing = discover(paths)
    problems = [F.Finding(p, 1, 1, F.FILE_UNREADABLE, "no such file or directory") for p in missing]
    if not files and not missing:
        problems.append(F.Finding(", ".join(map(str, paths)), 1, 1, F.FILE_UNREADABLE,
                                  "no record files (.yaml, .yml, .json) found"))
    return files, problems


def _walk(folder: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(names):
            if name.lower().endswith(RECORD_SUFFIXES) and not name.startswith("."):
                found.append(os.path.join(root, name))
    return found
