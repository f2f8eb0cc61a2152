"""The Python API behind `communique.validate` and `communique.check`: the same pipeline
as the command line, with errors raised as ValueError instead of exit code 2."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import schema
from .core.errors import SettingsError
from .core.findings import Finding, Severity

DATA_NAME = "<data>"  # how a record given as data is named in findings


@dataclass(frozen=True)
class CheckResult:
    """What `communique.check` found: the findings (sorted by file and line), how many
    files were checked, and the exit code the command line would give."""

    findings: list[Finding]
    files_checked: int
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def validate(data: Mapping[str, Any] | str | bytes, version: str | None = None) -> list[Finding]:
    from .documents.loading import Document, load_bytes
    from .schema.validation import validate_document

    if version is not None and not isinstance(version, str):
        raise TypeError(f"version is a string such as {schema.LATEST!r}, not {type(version).__name__} {version!r}")
    if version is not None and version not in schema.versions():
        raise SettingsError(f"unknown schema version {version!r}; known: {', '.join(schema.versions())}")
    if isinstance(data, (str, bytes)):
        loaded = load_bytes(data.encode("utf-8") if isinstance(data, str) else data, DATA_NAME)
        if loaded.document is None:
            return loaded.findings
        document = loaded.document
        if isinstance(document.data, str) and document.data.lower().endswith((".yaml", ".yml", ".json")):
            raise TypeError(f"validate() takes a record or its text, not a file name ({document.data!r}); "
                            "read the file, or check files with communique.check([path])")
    elif isinstance(data, Mapping):
        document = Document(DATA_NAME, "", as_json_data(data, "$"), None)
    else:
        raise TypeError(f"validate() takes a mapping or the text of a record, not {type(data).__name__}")
    return validate_document(document, version)


def as_json_data(value: Any, where: str, _open: frozenset = frozenset()) -> Any:
    """A parsed record as JSON data. Dates that a YAML 1.1 loader (PyYAML's safe_load) made
    of unquoted dates become the ISO strings the record holds; anything else that JSON
    cannot hold (a set, NaN, a list that contains itself) is a TypeError naming where."""
    if isinstance(value, (Mapping, list, tuple)):
        if id(value) in _open:
            raise TypeError(f"the value at {where} contains itself, which a record (JSON data) cannot")
        if len(_open) > 200:
            raise TypeError(f"the value at {where} nests more than 200 levels deep")
        _open = _open | {id(value)}
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"key {key!r} at {where} is a {type(key).__name__}; record keys are strings")
            out[key] = as_json_data(item, f"{where}.{key}", _open)
        return out
    if isinstance(value, (list, tuple)):
        return [as_json_data(item, f"{where}[{index}]", _open) for index, item in enumerate(value)]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise TypeError(f"the value at {where} is {value}, which JSON cannot hold")
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"the value at {where} is a {type(value).__name__}, which a record (JSON data) cannot hold")


def check(paths: Iterable[str | os.PathLike], *, sources=None, corpus=None, config=None, select=None, ignore=None,
          fail_on: str | Severity | None = None) -> CheckResult:
    from .run.checking import build_options, run
    from .run.config import find_config, load_config

    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]  # one path, not a list of its characters
    paths = [os.fsdecode(p) for p in paths]
    if not paths:
        raise SettingsError("check() takes a list of files or folders")
    configuration = load_config(Path(config) if config is not None else find_config(Path(paths[0])))
    options = build_options(configuration, sources=sources, corpus=corpus,
                            select=_codes(select, "select") if select is not None else None,
                            ignore=_codes(ignore, "ignore") if ignore is not None else None,
                            fail_on=fail_on, jobs=1, option_names=("select", "ignore", "fail_on"))
    report, code = run(paths, options)
    return CheckResult(report.findings, report.files_checked, code)


def _codes(value, what: str) -> list[str]:
    codes = [value] if isinstance(value, str) else list(value)
    for code in codes:
        if not isinstance(code, str):
            raise TypeError(f"{what} takes codes as strings (e.g. [\"D\", \"R001\"]), not {type(code).__name__}")
    return codes
