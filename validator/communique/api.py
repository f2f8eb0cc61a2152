"""The Python API behind `communique.validate` and `communique.check`: the same pipeline
as the command line, with errors raised as ValueError instead of exit code 2."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import schema
from .findings import Finding, Severity

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
    from .loading import Document, load_bytes
    from .validation import validate_document

    if version is not None and version not in schema.versions():
        raise ValueError(f"unknown schema version {version!r}; known: {', '.join(schema.versions())}")
    if isinstance(data, (str, bytes)):
        loaded = load_bytes(data.encode("utf-8") if isinstance(data, str) else data, DATA_NAME)
        if loaded.document is None:
            return loaded.findings
        document = loaded.document
    elif isinstance(data, Mapping):
        document = Document(DATA_NAME, "", dict(data), None)
    else:
        raise TypeError(f"validate() takes a mapping or the text of a record, not {type(data).__name__}")
    return validate_document(document, version)


def check(paths: Iterable[str | os.PathLike], *, sources=None, corpus=None, config=None, select=None, ignore=None,
          fail_on: str | Severity | None = None) -> CheckResult:
    from .checking import Options, run
    from .config import ConfigError, find_config, load_config, parse_severity
    from .selection import SelectionError, check_codes

    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]  # one path, not a list of its characters
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise ValueError("check() takes a list of files or folders")
    try:
        configuration = load_config(Path(config) if config is not None else find_config(Path(paths[0])))
        if select is not None:
            configuration.select = check_codes(list(select), "select")
        if ignore is not None:
            configuration.ignore = configuration.ignore + check_codes(list(ignore), "ignore")
        severity = fail_on if isinstance(fail_on, Severity) else (
            parse_severity(fail_on, "fail_on") if fail_on is not None else configuration.fail_on)
    except (ConfigError, SelectionError) as error:
        raise ValueError(str(error)) from None
    options = Options(config=configuration, sources=_folder(sources or configuration.sources, "sources"),
                      corpus=_folder(corpus or configuration.corpus, "corpus"), fail_on=severity, jobs=1)
    if not options.reportable():
        raise ValueError("the selection turns every check off; nothing would be checked")
    report, code = run(paths, options)
    return CheckResult(report.findings, report.files_checked, code)


def _folder(value, what: str) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    if not path.is_dir():
        raise ValueError(f"{what} folder {path} does not exist")
    return path
