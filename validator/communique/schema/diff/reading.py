"""OLD and NEW as given on the command line: a version the package carries, or a schema
file; read with care (size, encoding, JSON, a well-formed draft 2020-12 schema), so that
what cannot be compared is one clear message."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ... import schema as schemas
from .changes import Source
from .values import json_type

MAX_SCHEMA_BYTES = 16 * 1024 * 1024
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class DiffInputError(Exception):
    """OLD or NEW cannot be compared: an unknown version, a file that cannot be read, or not
    a JSON Schema. The message says which and why (the command line exits 2)."""


def load_source(spec: str) -> Source:
    """A version this installation carries ("1.0"), or the path of a schema file."""
    if spec in schemas.versions():
        return Source(spec, _read(schemas.schema_path(spec), spec), schemas.schema_path(spec))
    path = Path(spec)
    try:
        missing = not path.exists() and not path.is_symlink()
    except (OSError, ValueError) as error:  # a name too long, a NUL byte
        raise DiffInputError(f"cannot read {spec[:60]}: {getattr(error, 'strerror', None) or error}") from None
    if missing:
        known = ", ".join(schemas.versions())
        if re.fullmatch(r"\d+(\.\d+)*", spec):
            from ...core.hints import did_you_mean_aside

            raise DiffInputError(f"unknown schema version {spec!r}{did_you_mean_aside(spec, schemas.versions())}; "
                                 f"known: {known} (or give the path of a schema file)")
        raise DiffInputError(f"{spec}: no such file, and not a schema version this tool knows ({known})")
    return Source(spec, _read(path, spec), path)


def _read(path: Path, shown: str) -> Any:
    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON value")

    try:
        if path.is_dir():
            raise DiffInputError(f"{shown} is a folder; give a schema file (or a version: "
                                 f"{', '.join(schemas.versions())})")
        if not path.is_file():
            raise DiffInputError(f"{shown} is not a regular file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCHEMA_BYTES + 1)
    except OSError as error:
        raise DiffInputError(f"cannot read {shown}: {error.strerror or error}") from None
    if len(raw) > MAX_SCHEMA_BYTES:
        raise DiffInputError(f"{shown} is larger than {MAX_SCHEMA_BYTES // (1024 * 1024)} MiB; not a schema")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DiffInputError(f"{shown} is not UTF-8 text (byte {error.start})") from None
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise DiffInputError(f"{shown} is not valid JSON: {error.msg} (line {error.lineno}, "
                             f"column {error.colno})") from None
    except (ValueError, RecursionError) as error:
        problem = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise DiffInputError(f"{shown} is not valid JSON: {problem}") from None
    _check_schema(data, shown)
    return data


def _check_schema(data: Any, shown: str) -> None:
    """Only well-formed draft 2020-12 schemas are compared: the walk relies on each keyword
    having the form the specification gives it."""
    if not isinstance(data, (dict, bool)):
        raise DiffInputError(f"{shown} is not a JSON Schema: it holds a JSON {json_type(data)}, not an object")
    dialect = data.get("$schema", DIALECT) if isinstance(data, dict) else DIALECT
    if not isinstance(dialect, str) or dialect.rstrip("#") != DIALECT:
        raise DiffInputError(f"{shown} declares $schema {dialect!r}; only draft 2020-12 ({DIALECT}) is compared")
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(data)
    except SchemaError as error:
        where = "/".join(str(step) for step in error.absolute_path) or "(root)"
        raise DiffInputError(f"{shown} is not a valid JSON Schema: {error.message} (at {where})") from None
    except RecursionError:
        raise DiffInputError(f"{shown} is nested too deeply to compare") from None
