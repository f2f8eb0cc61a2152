"""Where a keeper's repository begins: the nearest configuration file above a path, and the
folder that configuration governs. Reading records needs this as much as configuring does
(a link may not lead out of the repository), so it sits with the documents, and the
configuration (communique.run.config) builds on it."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE = "communique.toml"
CONFIG_FILES = (CONFIG_FILE, "pyproject.toml")  # the files a configuration can be read from


def find_config(start: Path) -> Path | None:
    """The nearest communique.toml, or pyproject.toml with a [tool.communique] table."""
    folder = start.resolve()
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_our_table(pyproject):
            return pyproject
    return None


def _has_our_table(pyproject: Path) -> bool:
    """Whether pyproject.toml configures communique, however the table is written. A file
    that mentions communique but cannot be parsed counts, so that its error is reported."""
    try:
        text = pyproject.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    if "communique" not in text:
        return False
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True
    return isinstance(tool, dict) and "communique" in tool


def project_root(config_path: Path) -> Path:
    """The repository a configuration belongs to: the nearest folder holding `.git` at or
    above the configuration's folder; without one, the outermost folder above it that holds
    a configuration too (a `drafts/communique.toml` may name `../records`); else its own
    folder."""
    folder = config_path.parent.resolve()
    outermost = folder
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
        if candidate != folder and find_config_in(candidate):
            outermost = candidate
    return outermost


def find_config_in(folder: Path) -> bool:
    """Whether `folder` itself holds a communique configuration."""
    pyproject = folder / "pyproject.toml"
    return (folder / CONFIG_FILE).is_file() or (pyproject.is_file() and _has_our_table(pyproject))
