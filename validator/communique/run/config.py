"""Configuration: `[tool.communique]` in pyproject.toml, or a communique.toml, found by
walking up from the checked files. Command-line options override it.

    [tool.communique]
    records = "records"              # the records folder: where `new` writes, what is checked
    include = ["records/"]           # which files are records (gitignore-style globs)
    exclude = ["records/drafts/"]    # ... and which are not, even when named on the command line
    sources = "sources"              # folder of source texts, for the quote check
    corpus = "records"               # folder of all records, for cross-record rules
    editor-schema = ".communique/schema"  # the repository's copy of the schema, for editors
    select = ["D", "R001"]           # codes or prefixes to run (default: all)
    ignore = ["X010"]                # codes or prefixes to skip
    fail-on = "error"                # lowest severity that makes the exit code 1
    max-source-bytes = 10_000_000    # the largest source text the quote check reads
    [tool.communique.severity]
    X008 = "error"                   # per-rule severity
    [tool.communique.per-path-ignores]
    "records/drafts/*" = ["N003"]    # glob (relative to the config file) -> codes

Every value is checked when the file is read: a key, a code or a severity that is not
known is a usage error naming the file, never an option that quietly does nothing. The
folders must lie inside the repository the configuration belongs to (see `project_root`):
`records = "/"` would walk the whole machine, and `sources = "/etc"` read its files.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import SettingsError
from ..core.findings import Severity
from ..core.hints import did_you_mean, did_you_mean_aside
from ..documents.files import DEFAULT_MAX_SOURCE_BYTES
from ..documents.repository import CONFIG_FILE, CONFIG_FILES, find_config, find_config_in, project_root  # noqa: F401

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_KEYS = ("records", "include", "exclude", "sources", "corpus", "editor-schema", "select", "ignore",
              "fail-on", "severity", "per-path-ignores", "max-source-bytes")


class ConfigError(SettingsError):
    """The configuration cannot be used; the message names the file and the key."""


@dataclass
class Config:
    path: Path | None = None
    records: Path | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    sources: Path | None = None
    corpus: Path | None = None
    editor_schema: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def corpus_filter(self):
        """Which files in a corpus folder are records: `include` and `exclude`, but not the
        records folder's bounds (`--corpus` may name any folder)."""
        from ..documents.files import RecordFilter

        return RecordFilter.build(self.root, self.include, self.exclude, None,
                                  origin=self.path.name if self.path else None)

    def record_filter(self):
        """What makes a file a record: `include`, else being in the records folder; less `exclude`."""
        from ..documents.files import RecordFilter

        folder = None
        if self.records is not None:
            try:
                folder = self.records.relative_to(self.root.resolve()).as_posix()
                folder = None if folder == "." else folder  # the whole tree
            except ValueError:
                folder = None  # a records folder outside the configuration's folder: no filter by folder
        return RecordFilter.build(self.root, self.include, self.exclude, folder,
                                  origin=self.path.name if self.path else None)


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))  # a byte-order mark is harmless
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table = raw.get("tool", {}).get("communique", {}) if path.name == "pyproject.toml" else raw
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.communique] must be a table")
    return parse_config(table, path)


def parse_config(table: dict[str, Any], path: Path) -> Config:
    from ..lint.selection import SelectionError, check_code, check_codes, check_ignorable

    for key in table:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{path}: unknown key {key!r}{did_you_mean_aside(key, KNOWN_KEYS)}; "
                              f"known: {', '.join(KNOWN_KEYS)}")
    base = path.parent
    config = Config(path=path)
    for key, attribute in (("records", "records"), ("sources", "sources"), ("corpus", "corpus"),
                           ("editor-schema", "editor_schema")):
        if key in table:
            setattr(config, attribute, _inside_project((base / _folder(table, key, path)).resolve(), key, path))
    if "max-source-bytes" in table:
        value = table["max-source-bytes"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{path}: max-source-bytes must be a positive number of bytes, e.g. "
                              f"max-source-bytes = {DEFAULT_MAX_SOURCE_BYTES}")
        config.max_source_bytes = value
    config.include = _strings(table, "include", path, "a list of glob patterns")
    config.exclude = _strings(table, "exclude", path, "a list of glob patterns")
    try:
        config.select = check_codes(_strings(table, "select", path, "a list of codes or prefixes"), f"{path}: select")
        config.ignore = check_ignorable(check_codes(_strings(table, "ignore", path, "a list of codes or prefixes"),
                                                    f"{path}: ignore"), f"{path}: ignore")
        severity = table.get("severity", {})
        if not isinstance(severity, dict):
            raise ConfigError(f"{path}: severity must be a table of code = severity")
        for code, value in severity.items():
            check_code(code, f"{path}: severity", prefix=False)
            if code.startswith(("F", "Y")):
                raise ConfigError(f"{path}: severity.{code}: file and parse problems are always errors "
                                  "(a record that cannot be read was not checked)")
            config.severity[code] = parse_severity(value, f"{path}: severity.{code}")
        ignores = table.get("per-path-ignores", {})
        if not isinstance(ignores, dict):
            raise ConfigError(f"{path}: per-path-ignores must be a table of glob = [codes]")
        for pattern, codes in ignores.items():
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ConfigError(f"{path}: per-path-ignores.{pattern} must be a list of codes")
            where = f"{path}: per-path-ignores.{pattern}"
            config.per_path_ignores[pattern] = check_ignorable(check_codes(codes, where), where)
    except SelectionError as error:
        raise ConfigError(str(error)) from None
    if "fail-on" in table:
        config.fail_on = parse_severity(table["fail-on"], f"{path}: fail-on")
    return config


def parse_severity(value: Any, where: str) -> Severity:
    names = {str(s): s for s in Severity}
    if not isinstance(value, str) or value.lower() not in names:
        hint = did_you_mean(value.lower(), names) if isinstance(value, str) else ""
        raise ConfigError(f"{where}: {value!r} is not a severity{hint} (one of {', '.join(names)})")
    return names[value.lower()]


def _inside_project(folder: Path, key: str, path: Path) -> Path:
    """`folder` (resolved), when it lies inside the configuration's repository; a usage error
    otherwise, since checking would walk or read files that are not the repository's."""
    root = project_root(path)
    try:
        folder.relative_to(root)
    except ValueError:
        raise ConfigError(f"{path}: {key} = {str(folder)!r} lies outside the repository ({root}); the folders a "
                          "configuration names must be inside it (name a folder elsewhere on the command line)") from None
    return folder


def _folder(table, key, path) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ConfigError(f"{path}: {key} must be a folder path (a non-empty string)")
    return value


def _strings(table, key, path, what) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and "\x00" not in item for item in value):
        raise ConfigError(f"{path}: {key} must be {what}, e.g. {key} = [\"...\"]")
    return value
