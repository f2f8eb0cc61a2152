"""`communique schema diff OLD NEW`: every change between two versions of the schema, and
for each whether records valid under OLD stay valid under NEW.

The question asked of each change is the record keeper's: can a record that OLD accepts be
refused by NEW? Adding an optional property, an enum value or a looser bound cannot; a new
required property, a removed enum value, a narrower type or a lower maximum can. Where the
answer cannot be proved from the two schemas (a changed pattern, a changed condition), the
change is called breaking: a minor version must be shown to keep old records valid, not
assumed to.

The schemas are walked side by side, keyword by keyword, so that each change is named at
its place (`$defs/slug/maxLength`) with a one-line reason. A general compatibility checker
(jsoncompat) gives one verdict for the whole document instead, and did not serve here: see
docs/versioning.md.

The version marker (`properties/schema_version` and `$id`) differs between any two
versions by design; it is reported as such and does not make a diff breaking, since moving
a record to a new minor version means changing only its `schema_version`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import schema as schemas

MISSING = object()
COMPATIBLE = "compatible"
BREAKING = "breaking"
MAX_SCHEMA_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Keywords that describe and never decide whether a value is valid.
ANNOTATIONS = frozenset({
    "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment",
    "$anchor", "$dynamicAnchor", "$vocabulary", "contentEncoding", "contentMediaType", "contentSchema",
})
# Lower bounds, with the bound a value meets when the keyword is absent.
LOWER_BOUNDS = {"minimum": None, "exclusiveMinimum": None, "minLength": 0, "minItems": 0, "minProperties": 0,
                "minContains": 1}
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
BOUND_OF = {"minimum": "values below {}", "exclusiveMinimum": "values at or below {}",
            "minLength": "values shorter than {} characters", "minItems": "lists with fewer than {} items",
            "minProperties": "objects with fewer than {} properties", "minContains": "lists with fewer than {} matches",
            "maximum": "values above {}", "exclusiveMaximum": "values at or above {}",
            "maxLength": "values longer than {} characters", "maxItems": "lists with more than {} items",
            "maxProperties": "objects with more than {} properties", "maxContains": "lists with more than {} matches"}
# Everything the walk compares; a change to any other keyword is breaking, as unproved.
HANDLED = frozenset({
    "$schema", "$id", "$ref", "$defs", "type", "enum", "const", "pattern", "format", "multipleOf", "uniqueItems",
    "required", "dependentRequired", "properties", "patternProperties", "additionalProperties",
    "unevaluatedProperties", "propertyNames", "dependentSchemas", "prefixItems", "items", "contains",
    "unevaluatedItems", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", *LOWER_BOUNDS, *UPPER_BOUNDS,
}) | ANNOTATIONS


class DiffInputError(Exception):
    """OLD or NEW cannot be compared: an unknown version, a file that cannot be read, or not
    a JSON Schema. The message says which and why (the command line exits 2)."""


@dataclass(frozen=True)
class Change:
    """One change, at the JSON Pointer (without the leading `#/`) of its keyword."""

    path: str
    verdict: str
    description: str
    reason: str
    # For a change made of others (a new reference, a new branch): the first of them that
    # breaks, as one line, so that reasons do not nest.
    cause: str = field(default="", compare=False, repr=False)

    @property
    def breaking(self) -> bool:
        return self.verdict == BREAKING


@dataclass(frozen=True)
class Source:
    """A schema to compare: its label in messages (the version, or the path as given)."""

    label: str
    data: Any
    path: Path | None = None


@dataclass
class Diff:
    old: Source
    new: Source
    changes: list[Change] = field(default_factory=list)
    marker: bool = False  # the version marker differs: records move by changing schema_version

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.breaking]

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def summary(self) -> str:
        old, new = self.old.label, self.new.label
        if not self.changes:
            return f"compatible: no changes; records valid under {old} are valid under {new}"
        if self.compatible:
            once = " (once their schema_version says so)" if self.marker else ""
            return f"compatible: records valid under {old} stay valid under {new}{once}"
        count = len(self.breaking)
        return f"breaking: {count} change{'s break' if count != 1 else ' breaks'} records valid under {old}"


# --- reading OLD and NEW -------------------------------------------------------------------------

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
            from .hints import did_you_mean

            raise DiffInputError(f"unknown schema version {spec!r}{did_you_mean(spec, schemas.versions())}; "
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
        raise DiffInputError(f"{shown} is not a JSON Schema: it holds a JSON {_json_type(data)}, not an object")
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


# --- comparing -----------------------------------------------------------------------------------

def compare(old_spec: str, new_spec: str) -> Diff:
    """The changes from OLD to NEW, each a version or a schema file; DiffInputError when one
    cannot be read."""
    return diff_sources(load_source(old_spec), load_source(new_spec))


def diff_sources(old: Source, new: Source) -> Diff:
    result = Diff(old, new)
    walker = _Walker(old.data, new.data)
    new_data = walker.version_marker(old.data, new.data)
    result.marker = walker.marker
    walker.node(old.data, new_data, "", _Context())
    result.changes = walker.changes
    return result


def diff_schemas(old: Any, new: Any) -> list[Change]:
    """The changes between two schema documents (already parsed)."""
    return diff_sources(Source("OLD", old), Source("NEW", new)).changes


def minor_steps(versions: Iterable[str]) -> list[tuple[str, str]]:
    """Each pair of consecutive versions of one major version (oldest first): the steps
    that must keep old records valid. 1.0, 1.1, 2.0 -> [(1.0, 1.1)]."""
    ordered = sorted(versions, key=lambda v: tuple(int(part) for part in v.split(".")))
    return [(a, b) for a, b in pairwise(ordered) if a.split(".")[0] == b.split(".")[0]]


@dataclass(frozen=True)
class _Context:
    depth: int = 0
    refs: frozenset = frozenset()  # (old $ref, new $ref) pairs being compared, against cycles
    in_one_of: bool = False  # widening inside a oneOf branch may make a value match two

    def deeper(self, **changes) -> _Context:
        return replace(self, depth=self.depth + 1, **changes)


class _Walker:
    def __init__(self, old_root: Any, new_root: Any, compared: dict | None = None):
        self.old_root = old_root
        self.new_root = new_root
        self.changes: list[Change] = []
        # What two referenced definitions came to, once compared: a pair met at many places
        # is compared once.
        self.compared: dict = {} if compared is None else compared
        self.marker = False  # the schema_version marker differs

    def add(self, path: str, verdict: str, description: str, reason: str, ctx: _Context | None = None) -> None:
        if verdict == COMPATIBLE and ctx is not None and ctx.in_one_of:
            verdict, reason = BREAKING, f"{reason}; but inside a oneOf, a wider branch may make a value match two"
        self.changes.append(Change(path, verdict, description, reason))

    def sub(self) -> _Walker:
        return _Walker(self.old_root, self.new_root, self.compared)

    # The version marker ----------------------------------------------------------------------

    def version_marker(self, old: Any, new: Any) -> Any:
        """Report the version marker, and return NEW with its schema_version set back to
        OLD's, so that the rest of the walk compares everything else."""
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return new
        old_version, new_version = _marker(old), _marker(new)
        if old_version is not None and new_version is not None and old_version != new_version:
            node = new["properties"]["schema_version"]
            keyword = "const" if "const" in node else "enum"
            self.add(f"properties/schema_version/{keyword}", COMPATIBLE,
                     f"version marker: schema_version {old_version!r} -> {new_version!r}",
                     f"records valid under {old_version} are valid under {new_version} once their schema_version "
                     "says so")
            patched = {**node, keyword: old_version if keyword == "const" else [old_version]}
            new = {**new, "properties": {**new["properties"], "schema_version": patched}}
            self.marker = True
        old_id, new_id = old.get("$id"), new.get("$id")
        if old_id != new_id and (old_id is not None or new_id is not None):
            if (isinstance(old_id, str) and isinstance(new_id, str) and old_version and new_version
                    and old_id.replace(f"/{old_version}/", f"/{new_version}/") == new_id):
                self.add("$id", COMPATIBLE, f"version marker: $id {old_id} -> {new_id}",
                         "each version has its own identifier; records do not name it")
            else:
                self.add("$id", COMPATIBLE, f"$id {_show(old_id)} -> {_show(new_id)}",
                         "an identifier, not a constraint: records are unaffected")
        return new

    # One place in both schemas -----------------------------------------------------------------

    def node(self, old: Any, new: Any, path: str, ctx: _Context) -> None:
        if _same(old, new):
            return
        if ctx.depth > MAX_DEPTH:
            self.add(path, BREAKING, "changed, nested too deeply to compare", "cannot prove old values still match",
                     ctx)
            return
        if old is False:
            self.add(path, COMPATIBLE, "now accepts values", "OLD accepted no value here, so no record has one", ctx)
            return
        if new is False:
            self.add(path, BREAKING, "no longer accepts any value", "records with a value here are refused", ctx)
            return
        old = {} if old is True else old
        new = {} if new is True else new
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self.add(path, BREAKING, "changed, not a schema", "cannot compare", ctx)
            return
        if old.get("$ref") != new.get("$ref"):
            self._references(old, new, path, ctx)
            return
        self._keywords(old, new, path, ctx)

    def _keywords(self, old: dict, new: dict, path: str, ctx: _Context) -> None:
        at = _joiner(path)
        if not _same(old.get("$schema"), new.get("$schema")):
            self.add(at("$schema"), BREAKING, f"$schema {_show(old.get('$schema'))} -> {_show(new.get('$schema'))}",
                     "another dialect: cannot prove old records still match")
        if not _same(old.get("$id"), new.get("$id")) and path:
            self.add(at("$id"), BREAKING, f"$id {_show(old.get('$id'))} -> {_show(new.get('$id'))}",
                     "an embedded identifier changed: references through it may resolve elsewhere", ctx)
        self._type(old, new, at, ctx)
        self._values(old, new, at, ctx)
        self._format(old, new, at, ctx)
        self._pattern(old, new, at, ctx)
        self._bounds(old, new, at, ctx)
        self._multiple_of(old, new, at, ctx)
        self._unique_items(old, new, at, ctx)
        self._properties(old, new, path, ctx)
        self._required(old, new, at, ctx)
        self._dependent_required(old, new, at, ctx)
        for keyword in ("additionalProperties", "unevaluatedProperties", "propertyNames", "unevaluatedItems"):
            if keyword in old or keyword in new:
                self._keyword_schema(old, new, keyword, at, ctx)
        self._named_schemas(old, new, "dependentSchemas", at, ctx)
        self._items(old, new, at, ctx)
        self._contains(old, new, at, ctx)
        self._all_of(old, new, at, ctx)
        self._any_of(old, new, at, ctx)
        self._one_of(old, new, at, ctx)
        self._not(old, new, at, ctx)
        self._conditional(old, new, at, ctx)
        self._definitions(old, new, at, ctx)
        for keyword in sorted((set(old) | set(new)) - HANDLED):
            if not _same(old.get(keyword, MISSING), new.get(keyword, MISSING)):
                self.add(at(keyword), BREAKING, f"keyword {keyword!r} changed",
                         "this tool does not compare it: cannot prove old values still match", ctx)

    # References -----------------------------------------------------------------------------

    def _references(self, old: dict, new: dict, path: str, ctx: _Context) -> None:
        """Two places that refer to different definitions (or one refers, one is written
        out): what they come to is compared, and reported as one change."""
        old_ref, new_ref = old.get("$ref"), new.get("$ref")
        where = _joiner(path)("$ref")
        if old_ref is None:
            description = f"now refers to {new_ref}"
        elif new_ref is None:
            description = f"no longer refers to {old_ref}"
        else:
            description = f"refers to {new_ref} (was {old_ref})"
        if (old_ref, new_ref) in ctx.refs:
            return  # already being compared further up: what holds there holds here
        key = (json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True), ctx.in_one_of)
        if key in self.compared:
            verdict, reason, cause = self.compared[key]
            self.changes.append(Change(where, verdict, description, reason, cause))
            return
        old_effective = self._inline(old, self.old_root)
        new_effective = self._inline(new, self.new_root)
        if old_effective is None or new_effective is None:
            unresolved = old_ref if old_effective is None else new_ref
            self.add(where, BREAKING, description, f"cannot resolve {unresolved}: cannot prove old values still match",
                     ctx)
            return
        sub = self.sub()
        sub.node(old_effective, new_effective, path, ctx.deeper(refs=ctx.refs | {(old_ref, new_ref)}))
        self._collapse(where, description, sub.changes,
                       "what it comes to accepts every value the old one did", ctx)
        last = self.changes[-1]
        self.compared[key] = (last.verdict, last.reason, last.cause)

    def _inline(self, node: dict, root: Any) -> Any:
        """The node with its `$ref` replaced by what it names: merged when the two share no
        keyword (each keyword is then one more condition), else as an allOf branch."""
        reference = node.get("$ref")
        if reference is None:
            return node
        target = _resolve(root, reference)
        if target is MISSING:
            return None
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if isinstance(target, bool):
            return siblings if target else False
        shared = (set(siblings) & set(target)) - ANNOTATIONS
        interplay = [{"properties", "patternProperties", "additionalProperties", "unevaluatedProperties"},
                     {"prefixItems", "items", "unevaluatedItems"}, {"if", "then", "else"},
                     {"contains", "minContains", "maxContains"}]
        tangled = any(set(siblings) & group and set(target) & group for group in interplay)
        if not shared and not tangled and "$id" not in target:
            return {**target, **siblings}
        return {**siblings, "allOf": [target, *siblings.get("allOf", [])]}

    def _collapse(self, path: str, description: str, inner: list[Change], compatible_reason: str,
                  ctx: _Context) -> None:
        breaking = [change for change in inner if change.breaking]
        if not breaking:
            self.add(path, COMPATIBLE, description, compatible_reason, ctx)
            return
        causes = list(dict.fromkeys(change.cause or f"{change.description} ({change.reason})" for change in breaking))
        more = f"; and {len(causes) - 2} more" if len(causes) > 2 else ""
        self.changes.append(Change(path, BREAKING, description, "; ".join(causes[:2]) + more, causes[0]))

    # Types and values -----------------------------------------------------------------------

    def _type(self, old: dict, new: dict, at, ctx: _Context) -> None:
        old_types, new_types = _types(old.get("type")), _types(new.get("type"))
        if old_types == new_types or new_types is None:
            if old_types is not None and new_types is None:
                self.add(at("type"), COMPATIBLE, f"type {_show_types(old_types)} removed",
                         "values of any type are accepted", ctx)
            return
        described = f"type {_show_types(old_types) if old_types else 'unrestricted'} -> {_show_types(new_types)}"
        lost = sorted(t for t in (old_types or {"any"}) if not _covered(t, new_types))
        if not lost:
            self.add(at("type"), COMPATIBLE, described, "widened: every type accepted before still is", ctx)
        elif self._old_values_pass(old, "type", new["type"]):
            self.add(at("type"), COMPATIBLE, described, "every value OLD lists is of a type NEW accepts", ctx)
        elif old_types is None:
            self.add(at("type"), BREAKING, described, "narrowed: values of other types are refused", ctx)
        else:
            self.add(at("type"), BREAKING, described, f"narrowed: {_show_types(lost)} values are refused", ctx)

    def _values(self, old: dict, new: dict, at, ctx: _Context) -> None:
        old_values, new_values = _allowed(old), _allowed(new)
        keyword = "const" if "const" in new and "enum" not in new else "enum" if "enum" in new else (
            "const" if "const" in old and "enum" not in old else "enum")
        if old_values is None and new_values is None:
            return
        if new_values is None:
            self.add(at(keyword), COMPATIBLE, f"{keyword} removed", "no longer limited to listed values", ctx)
            return
        if old_values is None:
            self.add(at(keyword), BREAKING, f"{keyword} added: only {_show_list(new_values)}",
                     "values valid under OLD may not be among them", ctx)
            return
        old_keys = {_canon(v): v for v in old_values}
        new_keys = {_canon(v): v for v in new_values}
        if set(old_keys) == set(new_keys):
            return
        if "const" in old and "const" in new and len(old_keys) == len(new_keys) == 1:
            self.add(at("const"), BREAKING, f"const {_show(old['const'])} -> {_show(new['const'])}",
                     f"records with {_show(old['const'])} are refused", ctx)
            return
        for key, value in old_keys.items():
            if key not in new_keys:
                self.add(at(keyword), BREAKING, f"value {_show(value)} removed",
                         f"records with {_show(value)} are refused", ctx)
        for key, value in new_keys.items():
            if key not in old_keys:
                self.add(at(keyword), COMPATIBLE, f"value {_show(value)} added", "one more value accepted", ctx)

    def _format(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("format"), new.get("format")
        if before == after:
            return
        if after is None:
            self.add(at("format"), COMPATIBLE, f"format {before!r} removed", "no longer checked", ctx)
        elif self._old_values_pass(old, "format", after):
            self.add(at("format"), COMPATIBLE, f"format {_show(before)} -> {after!r}",
                     "every value OLD lists is in that format", ctx)
        elif before is None:
            self.add(at("format"), BREAKING, f"format {after!r} added",
                     f"communique checks formats: values that are not a {after} are refused", ctx)
        else:
            self.add(at("format"), BREAKING, f"format {before!r} -> {after!r}",
                     f"values that are a {before} but not a {after} are refused", ctx)

    def _pattern(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("pattern"), new.get("pattern")
        if before == after:
            return
        if after is None:
            self.add(at("pattern"), COMPATIBLE, f"pattern {before} removed", "no longer checked", ctx)
        elif self._old_values_pass(old, "pattern", after):
            self.add(at("pattern"), COMPATIBLE, f"pattern {_show(before)} -> {after}",
                     "every value OLD lists matches it", ctx)
        elif before is None:
            self.add(at("pattern"), BREAKING, f"pattern {after} added", "values valid under OLD may not match it", ctx)
        else:
            self.add(at("pattern"), BREAKING, f"pattern {before} -> {after}",
                     "pattern changed: cannot prove that old values still match", ctx)

    def _bounds(self, old: dict, new: dict, at, ctx: _Context) -> None:
        for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if _same(before, after):
                continue
            lower = keyword in LOWER_BOUNDS
            refused = BOUND_OF[keyword].format(after)
            if after is None:
                self.add(at(keyword), COMPATIBLE, f"{keyword} {before} removed", "looser: no longer checked", ctx)
            elif before is None and lower and LOWER_BOUNDS[keyword] is not None and after <= LOWER_BOUNDS[keyword]:
                self.add(at(keyword), COMPATIBLE, f"{keyword} {after} added", "every value meets it already", ctx)
            elif self._old_values_pass(old, keyword, after):
                self.add(at(keyword), COMPATIBLE, f"{keyword} {_show(before)} -> {after}",
                         "every value OLD lists meets it", ctx)
            elif before is None:
                self.add(at(keyword), BREAKING, f"{keyword} {after} added", f"{refused} are refused", ctx)
            elif (after > before) == lower:
                verb = "raised" if lower else "lowered"
                self.add(at(keyword), BREAKING, f"{keyword} {verb} from {before} to {after}", f"{refused} are refused",
                         ctx)
            else:
                verb = "lowered" if lower else "raised"
                self.add(at(keyword), COMPATIBLE, f"{keyword} {verb} from {before} to {after}",
                         "looser: every value within the old bound is within the new one", ctx)

    def _multiple_of(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("multipleOf"), new.get("multipleOf")
        if _same(before, after):
            return
        if after is None:
            self.add(at("multipleOf"), COMPATIBLE, f"multipleOf {before} removed", "no longer checked", ctx)
        elif before is not None and (before / after) == int(before / after):
            self.add(at("multipleOf"), COMPATIBLE, f"multipleOf {before} -> {after}",
                     f"every multiple of {before} is a multiple of {after}", ctx)
        else:
            self.add(at("multipleOf"), BREAKING, f"multipleOf {_show(before)} -> {after}",
                     f"numbers that are not multiples of {after} are refused", ctx)

    def _unique_items(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
        if after and not before:
            self.add(at("uniqueItems"), BREAKING, "uniqueItems added", "lists with a repeated item are refused", ctx)
        elif before and not after:
            self.add(at("uniqueItems"), COMPATIBLE, "uniqueItems removed", "repeated items are accepted", ctx)

    def _old_values_pass(self, old: dict, keyword: str, constraint: Any) -> bool:
        """Whether OLD lists its values here (enum, const) and each meets NEW's constraint:
        then a constraint NEW adds refuses no record."""
        values = _allowed(old)
        return values is not None and all(_passes(value, keyword, constraint) for value in values)

    # Objects --------------------------------------------------------------------------------

    def _properties(self, old: dict, new: dict, path: str, ctx: _Context) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        at = _joiner(_joiner(path)("properties"))
        for name in [*old_props, *(n for n in new_props if n not in old_props)]:
            where = at(name)
            if name in old_props and name in new_props:
                self.node(old_props[name], new_props[name], where, ctx.deeper())
            elif name in new_props:
                self._property_added(old, new, name, where, ctx)
            else:
                self._property_removed(new, name, old_props[name], where, ctx)

    def _property_added(self, old: dict, new: dict, name: str, where: str, ctx: _Context) -> None:
        schema = new["properties"][name]
        kind = "property" if name in _required(new) else "optional property"
        if _refuses(old, name, self.old_root):
            self.add(where, COMPATIBLE, f"new {kind} {name!r}",
                     f"OLD allowed no property {name!r} here, so no record has it", ctx)
            return
        sub = self.sub()
        sub.node(_others(old, name), schema, where, ctx.deeper())
        self._collapse(where, f"new {kind} {name!r}", sub.changes,
                       f"accepts every value OLD allowed for {name!r}", ctx)

    def _property_removed(self, new: dict, name: str, schema: Any, where: str, ctx: _Context) -> None:
        if _refuses(new, name, self.new_root):
            self.add(where, BREAKING, f"property {name!r} removed", f"records that have {name!r} are refused", ctx)
            return
        sub = self.sub()
        sub.node(schema, _others(new, name), where, ctx.deeper())
        self._collapse(where, f"property {name!r} removed from properties", sub.changes,
                       f"NEW still accepts every value of {name!r} OLD accepted", ctx)

    def _required(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = _required(old), _required(new)
        for name in after:
            if name not in before:
                self.add(at("required"), BREAKING, f"property {name!r} became required",
                         f"records without {name!r} are refused", ctx)
        for name in before:
            if name not in after:
                self.add(at("required"), COMPATIBLE, f"property {name!r} no longer required",
                         "records with it are still accepted", ctx)

    def _dependent_required(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("dependentRequired", {}), new.get("dependentRequired", {})
        for trigger in [*before, *(t for t in after if t not in before)]:
            old_names, new_names = before.get(trigger, []), after.get(trigger, [])
            for name in new_names:
                if name not in old_names:
                    self.add(at(f"dependentRequired/{_escape(trigger)}"), BREAKING,
                             f"{name!r} became required with {trigger!r}",
                             f"records with {trigger!r} but without {name!r} are refused", ctx)
            for name in old_names:
                if name not in new_names:
                    self.add(at(f"dependentRequired/{_escape(trigger)}"), COMPATIBLE,
                             f"{name!r} no longer required with {trigger!r}", "records with it are still accepted", ctx)

    def _keyword_schema(self, old: dict, new: dict, keyword: str, at, ctx: _Context) -> None:
        before, after = old.get(keyword, True), new.get(keyword, True)
        if _same(before, after):
            return
        if keyword == "additionalProperties" and after is False and before is not False:
            self.add(at(keyword), BREAKING, "additionalProperties: false added",
                     "records with properties not listed are refused", ctx)
        elif keyword == "additionalProperties" and before is False:
            self.add(at(keyword), COMPATIBLE, f"additionalProperties false -> {_show(after)}",
                     "OLD allowed no other properties, so no record has one", ctx)
        else:
            self.node(before, after, at(keyword), ctx.deeper())

    def _named_schemas(self, old: dict, new: dict, keyword: str, at, ctx: _Context) -> None:
        before, after = old.get(keyword, {}), new.get(keyword, {})
        for name in [*before, *(n for n in after if n not in before)]:
            self.node(before.get(name, True), after.get(name, True), at(f"{keyword}/{_escape(name)}"), ctx.deeper())

    def _definitions(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("$defs", {}), new.get("$defs", {})
        for name in [*before, *(n for n in after if n not in before)]:
            where = at(f"$defs/{_escape(name)}")
            if name not in after:
                self.add(where, BREAKING, f"definition {name!r} removed",
                         f"definitions are part of the contract: schemas that $ref {name!r} no longer resolve")
            elif name not in before:
                self.add(where, COMPATIBLE, f"new definition {name!r}", "used only where NEW refers to it")
            else:
                self.node(before[name], after[name], where, ctx.deeper())

    # Arrays ---------------------------------------------------------------------------------

    def _items(self, old: dict, new: dict, at, ctx: _Context) -> None:
        old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
        if len(old_prefix) != len(new_prefix):
            self.add(at("prefixItems"), BREAKING, f"prefixItems: {len(old_prefix)} -> {len(new_prefix)} positions",
                     "cannot prove old lists still match", ctx)
        else:
            for index, (before, after) in enumerate(zip(old_prefix, new_prefix)):
                self.node(before, after, at(f"prefixItems/{index}"), ctx.deeper())
        if "items" in old or "items" in new:
            self.node(old.get("items", True), new.get("items", True), at("items"), ctx.deeper())

    def _contains(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("contains", MISSING), new.get("contains", MISSING)
        if after is MISSING:
            if before is not MISSING:
                self.add(at("contains"), COMPATIBLE, "contains removed", "no longer checked", ctx)
        elif before is MISSING:
            self.add(at("contains"), BREAKING, "contains added", "lists without a matching item are refused", ctx)
        else:
            self.node(before, after, at("contains"), ctx.deeper())

    # Combinations ---------------------------------------------------------------------------

    def _all_of(self, old: dict, new: dict, at, ctx: _Context) -> None:
        pairs, removed, added = _pair(old.get("allOf", []), new.get("allOf", []))
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"allOf/{j}"), ctx.deeper())
        for i, before in removed:
            self.add(at(f"allOf/{i}"), COMPATIBLE, "allOf branch removed", "one condition fewer", ctx)
        for j, after in added:
            sub = self.sub()
            sub.node(_guarantees(old), after, at(f"allOf/{j}"), ctx.deeper())
            self._collapse(at(f"allOf/{j}"), "allOf branch added", sub.changes,
                           "every value valid under OLD here meets it", ctx)

    def _any_of(self, old: dict, new: dict, at, ctx: _Context) -> None:
        if "anyOf" not in new:
            if "anyOf" in old:
                self.add(at("anyOf"), COMPATIBLE, "anyOf removed", "no longer checked", ctx)
            return
        if "anyOf" not in old:
            sub = self.sub()
            for j, after in enumerate(new["anyOf"]):
                branch = self.sub()
                branch.node(_guarantees(old), after, at(f"anyOf/{j}"), ctx.deeper())
                if not any(change.breaking for change in branch.changes):
                    sub.changes = []
                    break
                sub.changes.extend(branch.changes)
            self._collapse(at("anyOf"), "anyOf added", sub.changes,
                           f"every value valid under OLD here meets branch {j}", ctx)
            return
        pairs, removed, added = _pair(old["anyOf"], new["anyOf"])
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"anyOf/{j}"), ctx.deeper())
        for i, before in removed:
            self.add(at(f"anyOf/{i}"), BREAKING, "anyOf branch removed",
                     "values only that branch accepted are refused", ctx)
        for j, after in added:
            self.add(at(f"anyOf/{j}"), COMPATIBLE, "anyOf branch added", "one more alternative accepted", ctx)

    def _one_of(self, old: dict, new: dict, at, ctx: _Context) -> None:
        if "oneOf" not in new:
            if "oneOf" in old:
                self.add(at("oneOf"), COMPATIBLE, "oneOf removed", "no longer checked", ctx)
            return
        if "oneOf" not in old:
            self.add(at("oneOf"), BREAKING, "oneOf added", "values valid under OLD may match none, or two", ctx)
            return
        pairs, removed, added = _pair(old["oneOf"], new["oneOf"])
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"oneOf/{j}"), ctx.deeper(in_one_of=True))
        for i, before in removed:
            self.add(at(f"oneOf/{i}"), BREAKING, "oneOf branch removed",
                     "values only that branch accepted are refused", ctx)
        for j, after in added:
            self.add(at(f"oneOf/{j}"), BREAKING, "oneOf branch added",
                     "a value may now match two branches, which oneOf refuses", ctx)

    def _not(self, old: dict, new: dict, at, ctx: _Context) -> None:
        before, after = old.get("not", MISSING), new.get("not", MISSING)
        if _same(before, after):
            return
        if after is MISSING:
            self.add(at("not"), COMPATIBLE, "not removed", "no longer checked", ctx)
        elif self._never(old, after):
            self.add(at("not"), COMPATIBLE, f"not {'added' if before is MISSING else 'changed'}",
                     "no value valid under OLD here matches what it excludes", ctx)
        elif before is MISSING:
            self.add(at("not"), BREAKING, "not added", "values valid under OLD may match what it excludes", ctx)
        else:  # not A accepts all that not B does when B accepts all that A does
            sub = self.sub()
            sub.node(after, before, at("not"), ctx.deeper(in_one_of=False))
            self._collapse(at("not"), "not changed", sub.changes, "it excludes no value it did not exclude before",
                           ctx)

    def _conditional(self, old: dict, new: dict, at, ctx: _Context) -> None:
        if "if" not in new:
            if "if" in old and ("then" in old or "else" in old):
                self.add(at("if"), COMPATIBLE, "condition (if/then/else) removed", "one condition fewer", ctx)
            return
        if "if" in old and _same(old["if"], new["if"]):
            for keyword in ("then", "else"):
                if keyword in old or keyword in new:
                    self.node(old.get(keyword, True), new.get(keyword, True), at(keyword), ctx.deeper())
            return
        # A new or changed condition: what every value valid under OLD here meets must meet
        # `then` where the condition can hold and `else` where it can fail.
        base = {k: v for k, v in _guarantees(old).items() if k not in ("if", "then", "else")}
        condition = new["if"]
        if self._never(base, condition):
            needed, why = ["else"], "no value valid under OLD meets the condition, and each meets else"
        elif self._always(base, condition, ctx):
            needed, why = ["then"], "every value valid under OLD meets the condition, and then"
        else:
            needed, why = ["then", "else"], "every value valid under OLD meets both then and else"
        inner: list[Change] = []
        for keyword in needed:
            if keyword in new:
                sub = self.sub()
                sub.node(base, new[keyword], at(keyword), ctx.deeper())
                inner.extend(sub.changes)
        verb = "changed" if "if" in old else "added"
        self._collapse(at("if"), f"condition (if/then/else) {verb}", inner, why, ctx)

    def _always(self, base: dict, condition: Any, ctx: _Context) -> bool:
        """Whether every value valid under OLD here meets `condition`."""
        sub = self.sub()
        sub.node(base, condition, "", ctx.deeper(in_one_of=False))
        return not any(change.breaking for change in sub.changes)

    def _never(self, base: dict, condition: Any) -> bool:
        """Whether no value valid under OLD here meets `condition`: it is false, or it
        requires a property OLD refuses, or one whose listed values OLD never allows."""
        if condition is False:
            return True
        if not isinstance(condition, dict):
            return False
        for name in condition.get("required", []):
            if _refuses(base, name, self.old_root):
                return True
            wanted = condition.get("properties", {}).get(name)
            had = base.get("properties", {}).get(name)
            wanted_values = _allowed(wanted) if isinstance(wanted, dict) else None
            had_values = _allowed(had) if isinstance(had, dict) else None
            if wanted_values is not None and had_values is not None and not (
                    {_canon(v) for v in wanted_values} & {_canon(v) for v in had_values}):
                return True
        return any(self._never(base, branch) for branch in condition.get("allOf", []))


# --- helpers -------------------------------------------------------------------------------------

def _guarantees(node: dict) -> dict:
    """What every value valid under OLD at a place meets, as a schema to compare a new
    condition with: the OLD node, less what only describes or defines."""
    return {k: v for k, v in node.items() if k not in ("$defs", "$id", "$schema", "$anchor")}


def _marker(schema: dict) -> str | None:
    """The version a schema's records declare: its `properties.schema_version` const."""
    node = schema.get("properties", {}).get("schema_version") if isinstance(schema.get("properties"), dict) else None
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("const"), str):
        return node["const"]
    enum = node.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str) else None


def _resolve(root: Any, reference: str) -> Any:
    """What a `$ref` names in its own document: "#", "#/..." or the root's `$id` with one."""
    base, _, fragment = reference.partition("#")
    if base and not (isinstance(root, dict) and base == root.get("$id")):
        return MISSING
    if fragment == "":
        return root
    if not fragment.startswith("/"):
        return MISSING  # an anchor: not followed
    from urllib.parse import unquote

    node = root  # RFC 6901, strictly: a schema's lists are steps by position only
    for raw in unquote(fragment).split("/")[1:]:
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return MISSING
    return node


def _refuses(node: Any, name: str, root: Any, seen: set | None = None) -> bool:
    """Whether a schema refuses every object with property `name` (so no valid record has
    it): additionalProperties false without it, here or in a branch every value meets.
    Each part is looked at once, so that references in circles or fanning out end."""
    if node is False:
        return True
    seen = set() if seen is None else seen
    if not isinstance(node, dict) or id(node) in seen:
        return False
    seen.add(id(node))
    declared = name in node.get("properties", {}) or any(
        _search(pattern, name) for pattern in node.get("patternProperties", {}))
    if not declared and node.get("additionalProperties") is False:
        return True
    if "$ref" in node:
        target = _resolve(root, node["$ref"])
        if target is not MISSING and _refuses(target, name, root, seen):
            return True
    if any(_refuses(branch, name, root, seen) for branch in node.get("allOf", [])):
        return True
    for keyword in ("anyOf", "oneOf"):
        if keyword in node and all(_refuses(branch, name, root, seen) for branch in node[keyword]):
            return True
    return False


def _others(node: dict, name: str) -> Any:
    """The schema a property not in `properties` meets at `node`, where that is one schema."""
    if any(_search(pattern, name) for pattern in node.get("patternProperties", {})):
        return {"allOf": [node["patternProperties"][p] for p in node["patternProperties"] if _search(p, name)]}
    return node.get("additionalProperties", True)


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _required(node: dict) -> list[str]:
    return list(node.get("required", []))


def _types(value: Any) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def _covered(kind: str, types: set[str]) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def _allowed(node: dict) -> list | None:
    """The values a node lists (enum, const, or both), or None when it lists none."""
    if "const" in node:
        if "enum" in node and not any(_canon(v) == _canon(node["const"]) for v in node["enum"]):
            return []
        return [node["const"]]
    if "enum" in node:
        return list(node["enum"])
    return None


def _passes(value: Any, keyword: str, constraint: Any) -> bool:
    """Whether one value meets one keyword (for the values an OLD node lists)."""
    if keyword == "type":
        return any(_json_type(value) == kind or (kind == "number" and _json_type(value) == "integer")
                   for kind in _types(constraint))
    if keyword == "pattern":
        return not isinstance(value, str) or _search(constraint, value)
    if keyword == "format":
        from jsonschema import FormatChecker

        return FormatChecker().conforms(value, constraint)
    if keyword in ("minLength", "maxLength"):
        return not isinstance(value, str) or (len(value) >= constraint if keyword == "minLength"
                                              else len(value) <= constraint)
    if keyword in ("minItems", "maxItems"):
        return not isinstance(value, list) or (len(value) >= constraint if keyword == "minItems"
                                               else len(value) <= constraint)
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return True
        return {"minimum": value >= constraint, "maximum": value <= constraint,
                "exclusiveMinimum": value > constraint, "exclusiveMaximum": value < constraint}[keyword]
    return False


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _canon(value: Any) -> Any:
    """A hashable form in which JSON values are equal when JSON Schema says they are
    (1 and 1.0 are one number; true is not 1)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_canon(item) for item in value))
    return ("object", tuple(sorted((key, _canon(item)) for key, item in value.items())))


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return a is b or _canon(a) == _canon(b)


def _pair(old: list, new: list) -> tuple[list, list, list]:
    """Branches of allOf/anyOf/oneOf matched up: the same branch wherever it stands; then,
    when as many changed on each side, those in order. The rest were removed or added."""
    old_left = list(enumerate(old))
    new_left = list(enumerate(new))
    pairs = []
    for j, after in list(new_left):
        match = next((item for item in old_left if _same(item[1], after)), None)
        if match is not None:
            old_left.remove(match)
            new_left.remove((j, after))
    if len(old_left) == len(new_left):
        pairs = list(zip(old_left, new_left))
        return pairs, [], []
    return pairs, old_left, new_left


def _joiner(path: str):
    return lambda step: f"{path}/{step}" if path else step


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _show(value: Any) -> str:
    if value is MISSING or value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False).replace('"', "'") if isinstance(value, str) else json.dumps(
        value, ensure_ascii=False)


def _show_list(values: list) -> str:
    if not values:
        return "no value at all"
    shown = ", ".join(_show(v) for v in values[:6])
    return shown + (f" and {len(values) - 6} more" if len(values) > 6 else "")


def _show_types(types: Iterable[str]) -> str:
    return "/".join(sorted(types))


# --- output --------------------------------------------------------------------------------------

def render_text(diff: Diff) -> str:
    """One line per change (verdict, place, what changed: why), then the summary."""
    lines = [f"{change.verdict:<10}  {change.path or '(root)'}  {change.description}: {change.reason}"
             for change in diff.changes]
    lines.append(diff.summary())
    return "\n".join(lines) + "\n"


def render_json(diff: Diff) -> str:
    payload = {
        "old": diff.old.label,
        "new": diff.new.label,
        "compatible": diff.compatible,
        "breaking": len(diff.breaking),
        "changes": [{"path": c.path, "verdict": c.verdict, "change": c.description, "reason": c.reason}
                    for c in diff.changes],
        "summary": diff.summary(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
