"""The communique JSON Schema, every version, for projects that read or `$ref` records.

Nothing here is fetched: each schema's `$id` (https://communique.example/schema/<version>/
record.schema.json) is a name, not an address, and `registry()` resolves it from the files
in this package. Importing the module needs only the standard library; `registry()` needs
`referencing` and `validator()` needs `jsonschema` (`pip install "communique-schema[validate]"`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import jsonschema
    import referencing

__all__ = ["LATEST", "load", "path", "registry", "schema_id", "validator", "versions"]

_FILE_NAME = "record.schema.json"


def _folder() -> Path:
    """Where the versions are: inside the package once built, else the checkout's one copy."""
    inside = Path(__file__).with_name("schemas")
    return inside if inside.is_dir() else Path(__file__).resolve().parents[3] / "schema"


def _ordered(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@lru_cache(maxsize=None)
def versions() -> tuple[str, ...]:
    """Every schema version this package holds, oldest first."""
    return tuple(sorted((found.parent.name for found in _folder().glob(f"*/{_FILE_NAME}")), key=_ordered))


LATEST: str = versions()[-1]
"""The newest version: the one new records should name in `schema_version`."""


def path(version: str = LATEST) -> Path:
    """The file of one version. Raises KeyError, listing the known versions, for any other."""
    if version not in versions():
        raise KeyError(f"communique-schema has no version {version!r}; it has {', '.join(versions())}")
    return _folder() / version / _FILE_NAME


@lru_cache(maxsize=None)
def _text(version: str) -> str:
    return path(version).read_text(encoding="utf-8")


def load(version: str = LATEST) -> dict[str, Any]:
    """One version's schema as a new dict, which the caller may change."""
    return json.loads(_text(version))


def schema_id(version: str = LATEST) -> str:
    """The `$id` another schema uses to `$ref` this version (or one of its `$defs`)."""
    return load(version)["$id"]


def registry() -> referencing.Registry:
    """A `referencing.Registry` holding every version under its `$id`, so that `$ref`s to
    them, from any schema, resolve offline."""
    try:
        from referencing import Registry, Resource
    except ImportError as missing:
        raise ImportError('registry() needs the referencing package: pip install "communique-schema[validate]"') \
            from missing
    return Registry().with_resources((schema_id(known), Resource.from_contents(load(known))) for known in versions())


def validator(version: str = LATEST) -> jsonschema.protocols.Validator:
    """A draft 2020-12 validator of whole records of `version`, formats checked (without a
    format checker, jsonschema lets an impossible date such as 2025-02-30 pass).

    Choose the version a record names: `validator(record["schema_version"])`.
    """
    try:
        from jsonschema import Draft202012Validator
    except ImportError as missing:
        raise ImportError('validator() needs the jsonschema package: pip install "communique-schema[validate]"') \
            from missing
    return Draft202012Validator({"$ref": schema_id(version)}, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)
