"""The communique JSON Schema, every version, for projects that read or `$ref` records.

Nothing here is fetched: each schema's `$id` (https://communique.example/schema/<version>/
record.schema.json) is a name, not an address, and `registry()` resolves it from the files
in this package. Importing the module needs only the standard library; `registry()` needs
`referencing` and `validator()` needs `jsonschema` (`pip install "communique-schema[validate]"`).
"""

from __future__ import annotations

import json
import re
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


def validator(version_or_schema: str | dict[str, Any] = LATEST) -> jsonschema.protocols.Validator:
    """A draft 2020-12 validator of whole records of a version, or of a schema of your own
    (whose `$ref`s to ours resolve offline); formats are checked, since without a format
    checker jsonschema lets an impossible date such as 2025-02-30 pass.

    Choose the version a record names: `validator(record["schema_version"])`. Patterns are
    read as JSON Schema reads them (ECMA-262), where `$` is the very end: Python's `re`
    would also let a value end in a newline (`"pk\n"` as a party id).
    """
    if isinstance(version_or_schema, str):
        schema = {"$ref": schema_id(version_or_schema)}
    else:
        schema = _without_dialect(version_or_schema)
    checker = _validator_class()
    return checker(schema, registry=_registry_for_validator(), format_checker=checker.FORMAT_CHECKER)


_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _without_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without its `$schema`: jsonschema switches to its own class for any
    subschema that names a dialect, which would lose the pattern correction."""
    dialect = schema.get("$schema", _DRAFT_2020_12)
    if dialect.rstrip("#") != _DRAFT_2020_12:
        raise ValueError(f"validator() reads draft 2020-12 schemas; this one is {dialect}")
    return {key: value for key, value in schema.items() if key != "$schema"}


@lru_cache(maxsize=None)
def _registry_for_validator() -> referencing.Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (schema_id(known), Resource(contents=_without_dialect(load(known)), specification=DRAFT202012))
        for known in versions())


@lru_cache(maxsize=None)
def _validator_class() -> type:
    try:
        from jsonschema import Draft202012Validator, ValidationError, validators
    except ImportError as missing:
        raise ImportError('validator() needs the jsonschema package: pip install "communique-schema[validate]"') \
            from missing

    def pattern(validator, pattern, instance, schema):
        if validator.is_type(instance, "string") and not re.search(_ecma_end(pattern), instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})


@lru_cache(maxsize=None)
def _ecma_end(pattern: str) -> str:
    """The pattern with each `$` outside a character class made `\\Z`, the end of the text."""
    translated, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[]":
            in_class = char == "["
        elif char == "$" and not in_class:
            char = r"\Z"
        translated.append(char)
    return "".join(translated)
