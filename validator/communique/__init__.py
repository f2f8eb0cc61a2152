"""communique: a JSON Schema for diplomatic communiques, and a validator and linter for records.

The Python API, for pipelines and other tools (importing it starts no command line):

    import communique

    communique.validate(record)              # schema problems of one record (a dict, or YAML/JSON text)
    result = communique.check(["records/"])  # schema and every rule, as `communique check` runs them
    result.exit_code, result.findings

`communique.schema` gives the schema files themselves, importing only the standard library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .core.findings import Finding, Severity
from .core.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from os import PathLike

    from .api import CheckResult

__all__ = ["CheckResult", "Finding", "Severity", "__version__", "check", "validate"]


def validate(data: Mapping[str, Any] | str | bytes, version: str | None = None) -> list[Finding]:
    """Schema problems of one record, formats (real dates) included; empty when it is valid.

    `data` is a parsed record (a mapping), or the text of a YAML or JSON record, which
    gives the findings lines and columns (a mapping has none: they are 0). Dates that a
    YAML 1.1 loader turned into `datetime.date` are read as the ISO strings they were.
    `version` picks the schema; by default, the one the record's `schema_version` names.
    """
    from .api import validate as _validate

    return _validate(data, version)


def check(paths: Iterable[str | PathLike[str]], *, sources: str | PathLike[str] | None = None,
          corpus: str | PathLike[str] | None = None, config: str | PathLike[str] | None = None,
          select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
          fail_on: str | Severity | None = None) -> "CheckResult":
    """Validate and lint record files as `communique check` does: the schema, every rule
    (cross-record rules against the corpus), the configuration found by walking up from
    the first path (or `config`), inline suppressions. A bad code, severity, folder or
    configuration raises ValueError (the command line's usage errors); a file that cannot
    be read is an F001 finding, and makes `exit_code` 2, as on the command line."""
    from .api import check as _check

    return _check(paths, sources=sources, corpus=corpus, config=config, select=select, ignore=ignore,
                  fail_on=fail_on)


def __getattr__(name: str) -> Any:
    if name == "CheckResult":
        from .api import CheckResult

        return CheckResult
    raise AttributeError(f"module 'communique' has no attribute {name!r}")
