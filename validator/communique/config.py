"""Configuration: `[tool.communique]` in pyproject.toml, or a communique.toml, found by
walking up from the checked files. Command-line options override it.

    [tool.communique]
    sources = "../shared/seeds"      # folder of source texts, for the quote check
    corpus = "records"               # folder of all records, for cross-record rules
    select = ["D", "R001"]           # codes or prefixes to run (default: all)
    ignore = ["X010"]                # codes or prefixes to skip
    fail-on = "error"                # lowest severity that makes the exit code 1
    [tool.communique.severity]
    X008 = "error"                   # per-rule severity
    [tool.communique.per-path-ignores]
    "records/drafts/*" = ["N003"]    # glob (relative to the config file) -> codes
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_KEYS = {"sources", "corpus", "select", "ignore", "fail-on", "severity", "per-path-ignores"}


class ConfigError(Exception):
    """The configuration file cannot be used; the message names it."""


@dataclass
class Config:
    path: Path | None = None
    sources: Path | None = None
    corpus: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path) -> Path | None:
    """The nearest communique.toml, or pyproject.toml with a [tool.communique] table."""
    folder = start.resolve()
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "communique.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "[tool.communique" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table = raw.get("tool", {}).get("communique", {}) if path.name == "pyproject.toml" else raw
    return parse_config(table, path)


def parse_config(table: dict[str, Any], path: Path) -> Config:
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_KEYS))}")
    base = path.parent
    config = Config(path=path)
    if "sources" in table:
        config.sources = (base / _string(table, "sources", path)).resolve()
    if "corpus" in table:
        config.corpus = (base / _string(table, "corpus", path)).resolve()
    config.select = _codes(table, "select", path)
    config.ignore = _codes(table, "ignore", path)
    if "fail-on" in table:
        config.fail_on = parse_severity(_string(table, "fail-on", path), f"{path}: fail-on")
    for code, value in (table.get("severity") or {}).items():
        config.severity[code] = parse_severity(value, f"{path}: severity.{code}")
    for pattern, codes in (table.get("per-path-ignores") or {}).items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{path}: per-path-ignores.{pattern} must be a list of codes")
        config.per_path_ignores[pattern] = codes
    return config


def parse_severity(value: Any, where: str) -> Severity:
    names = {str(s): s for s in Severity}
    if not isinstance(value, str) or value.lower() not in names:
        raise ConfigError(f"{where}: {value!r} is not a severity ({', '.join(names)})")
    return names[value.lower()]


def _string(table, key, path) -> str:
    if not isinstance(table[key], str):
        raise ConfigError(f"{path}: {key} must be a string")
    return table[key]


def _codes(table, key, path) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise ConfigError(f"{path}: {key} must be a list of codes or prefixes")
    return value
