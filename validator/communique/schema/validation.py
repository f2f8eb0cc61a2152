"""Schema validation of loaded documents, reported as findings at the user's YAML nodes.

jsonschema-rs does the validating: it is compiled, reports every error with its
instance path, and checks formats such as `date` when asked to. Each schema version is
compiled once per process, however many files are checked.

Messages are written for the person fixing the record: they say in words what the schema
wants, taking the words from the schema's own descriptions and examples, and suggest the
closest allowed name or value.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from .. import schema
from ..core import findings as F
from ..core.findings import Finding
from ..core.hints import did_you_mean, did_you_mean_aside
from ..documents.loading import Document
from ..documents.scalars import json_type
from . import walk

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


def validate_document(document: Document, version: str | None = None) -> list[Finding]:
    """Every schema problem of one document (not only the first), against `version` or,
    by default, the version the record declares."""
    data = document.data
    if not isinstance(data, dict):
        line, col = document.position(())
        return [Finding(document.path, line, col, F.NOT_A_MAPPING,
                        f"a record must be a mapping of fields, got a {json_type(data)}")]
    if version is None:
        problem = _version_problem(document)
        if problem is not None:
            return [problem]
        version = data["schema_version"]
    validator = compiled_validator(version)
    root = schema.load_cached(version)
    problems = [finding for error in validator.iter_errors(data) for finding in _to_findings(document, error, root)]
    problems.extend(_integral_floats(document, version))
    return sorted(problems, key=Finding.sort_key)


def _integral_floats(document: Document, version: str) -> list[Finding]:
    """A float with no fraction (`1.0`, `1.`, `1e0`) where the schema wants an integer.

    JSON Schema counts 1.0 as an integer, and so do both validators, but the rest of the
    tool (file names, numbering gaps, integer columns, the site) reads these fields as Python
    ints: a record that passes here must hold an int there. So such a value is refused as a
    wrong type, in the schema's own terms, wherever the schema types the place as integer."""
    out = []
    for path, value in _floats_at(document.data, _integer_places(version), ()):
        if value.is_integer():
            line, col = document.position(path)
            out.append(Finding(document.path, line, col, F.WRONG_TYPE,
                               f"expected integer, got {_short(value)}; write {_short(int(value))}",
                               format_json_path(path)))
    return out


def _floats_at(node: Any, places: dict, path: tuple):
    """(json path, value) of each float at the places of a `_integer_places` tree."""
    for step, below in places.items():
        if step == "*":
            children = enumerate(node) if isinstance(node, list) else ()
        else:
            children = ((step, node[step]),) if isinstance(node, dict) and step in node else ()
        for key, child in children:
            if below is None:
                if isinstance(child, float):
                    yield path + (key,), child
            else:
                yield from _floats_at(child, below, path + (key,))


@lru_cache(maxsize=None)
def _integer_places(version: str, max_depth: int = 16) -> dict:
    """Every place a schema version types as integer, as a tree of steps ("*" for any list
    item; None ends a place), read from the schema once: visiting those places of a record
    costs a few lookups, where walking all of it to look for floats cost more than
    validating it."""
    root = schema.load_cached(version)
    found: list[tuple] = []

    def visit(schemas: list[dict], path: tuple) -> None:
        if len(path) > max_depth:
            return
        _, children, _ = walk.properties(schemas)
        for key, declared in children.items():
            child = walk.expand(declared, root)
            if _typed_integer(child):
                found.append(path + (key,))
            visit(child, path + (key,))
            items = walk.expand(walk.item_schemas(child, 0), root)
            if items and _typed_integer(items):
                found.append(path + (key, "*"))
            if items:
                visit(items, path + (key, "*"))

    visit(walk.expand([root], root), ())
    tree: dict = {}
    for place in found:
        node = tree
        for step in place[:-1]:
            node = node.setdefault(step, {})
        node[place[-1]] = None
    return tree


def wants_integer(root: dict, path: tuple) -> bool:
    """Whether the schema types the place at `path` of a record as an integer."""
    return _typed_integer(walk.at_instance(root, path))


def _typed_integer(schemas: list[dict]) -> bool:
    """Whether these schemas (all that apply at one place) say integer, and not also number."""
    types = set()
    for part in schemas:
        declared = part.get("type")
        types.update(declared if isinstance(declared, list) else [declared])
    return "integer" in types and "number" not in types


def _version_problem(document: Document) -> Finding | None:
    data = document.data
    if "schema_version" not in data:
        line, col = document.position(())
        return Finding(document.path, line, col, F.MISSING_VERSION,
                       f'record does not declare schema_version; add schema_version: "{schema.LATEST}"')
    version = data["schema_version"]
    if isinstance(version, str) and version in schema.versions():
        return None
    line, col = document.position(("schema_version",))
    known = ", ".join(schema.versions())
    if isinstance(version, str):
        message = f"unknown schema_version {version!r}{did_you_mean_aside(version, schema.versions())}; this tool knows {known}"
    else:
        message = (f"schema_version must be a quoted string such as \"{schema.LATEST}\", "
                   f"got {json_type(version)} {version!r}")
    return Finding(document.path, line, col, F.UNKNOWN_VERSION, message, "$.schema_version")


def value_problem(definition: str, value: Any, version: str = schema.LATEST) -> str | None:
    """Why `value` is not a valid `$defs/<definition>` of the schema, in words, or None.
    For checking a value before it is written into a record (`communique new`)."""
    import jsonschema_rs

    root = schema.load_cached(version)
    validator = jsonschema_rs.validator_for({"$defs": root["$defs"], "$ref": f"#/$defs/{definition}"},
                                            validate_formats=True)
    for error in validator.iter_errors(value):
        return _message(type(error.kind).__name__, error.kind, error, root, [root["$defs"][definition]])
    return None


def _to_findings(document: Document, error, root: dict) -> list[Finding]:
    kind = error.kind
    name = type(kind).__name__
    path = tuple(error.instance_path)
    code = _KIND_CODES.get(name, F.NO_MATCHING_FORM)
    where = format_json_path(path)
    if name in ("AdditionalProperties", "UnevaluatedProperties"):
        allowed, _, _ = walk.properties(walk.expand([walk.at_path(root, list(error.schema_path)[:-1])], root))
        out = []
        for key in kind.unexpected:
            line, col = document.position(path + (key,), key=True)
            out.append(Finding(document.path, line, col, code, _unknown_property(key, allowed),
                               format_json_path(path + (key,))))
        return out
    if name == "Required":
        # Point at the key that holds the incomplete mapping: that is the line to edit.
        line, col = document.position(path, key=bool(path))
        return [Finding(document.path, line, col, code, _missing(kind.property, root, path), where)]
    line, col = document.position(path)
    message = _message(name, kind, error, root, walk.at_instance(root, path))
    return [Finding(document.path, line, col, code, message, where)]


def _unknown_property(key: str, allowed: list[str]) -> str:
    suggestion = did_you_mean(key, allowed)
    if suggestion:
        return f"unknown property {key!r}{suggestion}"
    if allowed and len(allowed) <= 12:
        return f"unknown property {key!r}; allowed here: {', '.join(allowed)}"
    return f"unknown property {key!r}"


def _missing(name: str, root: dict, path: tuple) -> str:
    _, children, _ = walk.properties(walk.at_instance(root, path))
    own = children.get(name, [])
    description = walk.first_sentence(walk.first(own, "description") or walk.first(walk.expand(own, root), "description"))
    return f"missing required property {name!r}" + (f" ({_lower_first(description)})" if description else "")


def _message(name: str, kind, error, root: dict, here: list[dict]) -> str:
    """The problem in words; `here` holds the schemas that apply at the value."""
    value = error.instance
    if name == "Type":
        expected = " or ".join(kind.types) if hasattr(kind, "types") else "another type"
        hint = "; quote it" if "string" in expected and isinstance(value, (int, float, bool)) else ""
        return f"expected {expected}, got {json_type(value)} {_short(value)}{hint}"
    if name == "Enum":
        options = list(kind.options)
        suggestion = did_you_mean(value, [o for o in options if isinstance(o, str)]) if isinstance(value, str) else ""
        if len(options) > 20:  # a code list: its name says more than 200 codes would
            words = walk.first_sentence(walk.first(here, "description")) or f"one of {len(options)} values"
            return f"{_short(value)} is not {_lower_first(words).rstrip('.')}{suggestion}"
        return f"{_short(value)} is not one of {', '.join(_short(o) for o in options)}{suggestion}"
    if name == "Constant":
        return f"{_short(value)} is not allowed here; expected {_short(kind.expected_value)}"
    if name == "Format":
        return _format_message(value, kind.format)
    if name == "Pattern":
        return _pattern_message(value, kind.pattern, error, root, here)
    if name in ("AnyOf", "OneOfNotValid"):
        return _forms_message(value, list(error.schema_path), root)
    if name == "Not" and isinstance(getattr(kind, "schema", None), dict) and set(kind.schema) == {"required"}:
        return f"give {' or '.join(repr(n) for n in kind.schema['required'])}, not both"
    if name in ("MinItems", "MaxItems", "MinLength", "MaxLength", "Minimum", "Maximum",
                "ExclusiveMinimum", "ExclusiveMaximum", "MinProperties", "MaxProperties"):
        return _bounds_message(name, kind.limit, value)
    if name == "UniqueItems":
        repeated = next((item for index, item in enumerate(value) if item in value[:index]), None)
        return f"{_short(repeated)} is listed more than once; each item may appear once"
    return error.message if len(error.message) <= 160 else error.message[:157] + "..."


def _forms_message(value: Any, schema_path: list, root: dict) -> str:
    """anyOf/oneOf: which fields to give, or what the value should be, in the schema's words."""
    options = walk.at_path(root, schema_path) or []
    if options and all(isinstance(o, dict) and set(o) == {"required"} for o in options):
        return "give " + " or ".join(" and ".join(repr(n) for n in o["required"]) for o in options)
    holder = walk.at_path(root, schema_path[:-1])
    words = walk.first_sentence(holder.get("description")) if isinstance(holder, dict) else ""
    if not words:
        return f"{_short(value)} matches none of the allowed forms"
    examples = holder.get("examples") or []
    example = f", e.g. {', '.join(_short(e) for e in examples[:3])}" if examples else ""
    return f"{_short(value)} is not {_lower_first(words)}{example}"


def _lower_first(text: str) -> str:
    """"A calendar date" -> "a calendar date", but "ISO 3166 code" stays as it is."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _format_message(value: Any, form: str) -> str:
    if form == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date.fromisoformat(value)
        except ValueError as problem:
            return f"{_short(value)} is not a valid date: {problem}"
    if form == "date":
        return f"{_short(value)} is not a valid date; write YYYY-MM-DD"
    return f"{_short(value)} is not a valid {form}"


def _pattern_message(value: Any, pattern: str, error, root: dict, here: list[dict]) -> str:
    """What a pattern wants, in the words of the nearest description along the schema
    path, with an example and a corrected value when a simple one fits."""
    steps = list(error.schema_path)[:-1]
    words = ""
    while steps is not None and not words:
        node = walk.at_path(root, steps)
        words = walk.first_sentence(node.get("description")) if isinstance(node, dict) else ""
        steps = steps[:-1] if steps else None
    examples = walk.first(here, "examples") or walk.first([walk.at_path(root, list(error.schema_path)[:-1]) or {}],
                                                          "examples") or []
    example = f", e.g. {_short(examples[0])}" if examples and examples[0] != value else ""
    described = f" ({_lower_first(words)}{example})" if words else f" (the pattern {pattern})"
    fix = _corrected(value, pattern) if isinstance(value, str) else None
    return f"{_short(value)} is not in the required form{described}" + (f"; did you mean {fix!r}?" if fix else "")


def _corrected(value: str, pattern: str) -> str | None:
    """A simple correction that the pattern accepts: another case, a slug, or the last part
    of a web address (an id given as its page: https://www.wikidata.org/wiki/Q843)."""
    compiled = re.compile(pattern)
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    last_part = value.strip().rstrip("/").rsplit("/", 1)[-1]
    for candidate in (value.strip(), value.upper(), value.lower(), slug, last_part):
        if candidate and candidate != value and compiled.search(candidate):
            return candidate
    return None


def _bounds_message(name: str, limit: int, value: Any) -> str:
    def items(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    if name == "MinItems":
        return "the list is empty; it needs at least one item" if limit == 1 and not value else \
            f"the list has {items(len(value), 'item')}; it needs at least {limit}"
    if name == "MaxItems":
        return f"the list has {items(len(value), 'item')}; at most {limit} are allowed"
    if name == "MinLength":
        return "the text is empty; write a value or leave the field out if it is optional" if limit == 1 and not value \
            else f"{_short(value)} is too short: at least {items(limit, 'character')}"
    if name == "MaxLength":
        return f"the text has {items(len(value), 'character')}; at most {limit} are allowed"
    if name in ("Minimum", "ExclusiveMinimum"):
        return f"{value} is too small: {'at least' if name == 'Minimum' else 'more than'} {limit}"
    if name in ("Maximum", "ExclusiveMaximum"):
        return f"{value} is too large: {'at most' if name == 'Maximum' else 'less than'} {limit}"
    return f"the mapping has {items(len(value), 'field')}; " + \
        (f"at least {limit} needed" if name == "MinProperties" else f"at most {limit} allowed")


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 3] + "..."

