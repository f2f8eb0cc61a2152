"""Schema validation of loaded documents, reported as findings at the user's YAML nodes.

jsonschema-rs does the validating: it is compiled, reports every error with its
instance path, and checks formats such as `date` when asked to. Each schema version is
compiled once per process, however many files are checked.
"""

from __future__ import annotations

from typing import Any

from . import findings as F
from . import schema
from .findings import Finding
from .loading import Document, json_type

_KIND_CODES = {
    "Required": F.REQUIRED,
    "AdditionalProperties": F.UNKNOWN_PROPERTY,
    "UnevaluatedProperties": F.UNKNOWN_PROPERTY,
    "Type": F.WRONG_TYPE,
    "Enum": F.NOT_ALLOWED_VALUE,
    "Constant": F.NOT_ALLOWED_VALUE,
    "Format": F.BAD_FORMAT,
    "Pattern": F.PATTERN_MISMATCH,
    "MinLength": F.OUT_OF_BOUNDS, "MaxLength": F.OUT_OF_BOUNDS,
    "MinItems": F.OUT_OF_BOUNDS, "MaxItems": F.OUT_OF_BOUNDS,
    "Minimum": F.OUT_OF_BOUNDS, "Maximum": F.OUT_OF_BOUNDS,
    "ExclusiveMinimum": F.OUT_OF_BOUNDS, "ExclusiveMaximum": F.OUT_OF_BOUNDS,
    "MinProperties": F.OUT_OF_BOUNDS, "MaxProperties": F.OUT_OF_BOUNDS,
    "UniqueItems": F.NOT_UNIQUE,
}

_validators: dict[str, Any] = {}


def compiled_validator(version: str):
    """The compiled validator of a schema version (compiled on first use, then reused)."""
    if version not in _validators:
        import jsonschema_rs

        _validators[version] = jsonschema_rs.validator_for(schema.load_schema(version), validate_formats=True)
    return _validators[version]


def format_json_path(parts) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if part.isidentifier() else f"[{part!r}]")
    return out


def validate_document(document: Document) -> list[Finding]:
    """Every schema problem of one document (not only the first)."""
    data = document.data
    if not isinstance(data, dict):
        line, col = document.position(())
        return [Finding(document.path, line, col, F.NOT_A_MAPPING,
                        f"a record must be a mapping of fields, got a {json_type(data)}")]
    version = data.get("schema_version")
    if "schema_version" not in data:
        line, col = document.position(())
        return [Finding(document.path, line, col, F.MISSING_VERSION,
                        f'record does not declare schema_version; add schema_version: "{schema.LATEST}"')]
    if not isinstance(version, str) or version not in schema.versions():
        line, col = document.position(("schema_version",))
        known = ", ".join(schema.versions())
        if isinstance(version, str):
            message = f"unknown schema_version {version!r}; this tool knows {known}"
        else:
            message = (f"schema_version must be a quoted string such as \"{schema.LATEST}\", "
                       f"got {json_type(version)} {version!r}")
        return [Finding(document.path, line, col, F.UNKNOWN_VERSION, message, "$.schema_version")]
    validator = compiled_validator(version)
    problems = [finding for error in validator.iter_errors(data) for finding in _to_findings(document, error)]
    return sorted(problems, key=Finding.sort_key)


def _to_findings(document: Document, error) -> list[Finding]:
    kind = error.kind
    name = type(kind).__name__
    path = tuple(error.instance_path)
    code = _KIND_CODES.get(name, F.NO_MATCHING_FORM)
    where = format_json_path(path)
    if name in ("AdditionalProperties", "UnevaluatedProperties"):
        out = []
        for key in kind.unexpected:
            line, col = document.position(path + (key,), key=True)
            out.append(Finding(document.path, line, col, code, f"unknown property {key!r}",
                               format_json_path(path + (key,))))
        return out
    if name == "Required":
        # Point at the key that holds the incomplete mapping: that is the line to edit.
        line, col = document.position(path, key=bool(path))
        return [Finding(document.path, line, col, code, f"missing required property {kind.property!r}", where)]
    line, col = document.position(path)
    return [Finding(document.path, line, col, code, _message(name, kind, error), where)]


def _message(name: str, kind, error) -> str:
    value = error.instance
    if name == "Type":
        expected = " or ".join(kind.types) if hasattr(kind, "types") else "another type"
        hint = "; quote it" if "string" in expected and isinstance(value, (int, float, bool)) else ""
        return f"expected {expected}, got {json_type(value)} {_short(value)}{hint}"
    if name == "Enum":
        return f"{_short(value)} is not one of {', '.join(_short(o) for o in kind.options)}"
    if name == "Constant":
        return f"{_short(value)} is not allowed here; expected {_short(kind.expected_value)}"
    if name == "Format":
        return f"{_short(value)} is not a valid {kind.format}"
    if name == "Pattern":
        return f"{_short(value)} does not match the pattern {kind.pattern}"
    if name in ("AnyOf", "OneOfNotValid"):
        return f"{_short(value)} matches none of the allowed forms"
    return error.message if len(error.message) <= 160 else error.message[:157] + "..."


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 3] + "..."
