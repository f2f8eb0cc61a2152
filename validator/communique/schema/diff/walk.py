"""The two schemas walked side by side, keyword by keyword: each change at its place, with
whether records valid under OLD stay valid under NEW. A change that cannot be proved
harmless is breaking; a new condition is compared with what OLD guarantees at its place."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from .changes import BREAKING, COMPATIBLE, Change
from .values import (
    ANNOTATIONS,
    LOWER_BOUNDS,
    MISSING,
    UPPER_BOUNDS,
    allowed,
    canon,
    covered,
    escape,
    guarantees,
    joiner,
    marker_of,
    others,
    pair,
    passes,
    refuses,
    required_of,
    resolve_ref,
    same,
    show,
    show_list,
    show_types,
    types_of,
)

MAX_DEPTH = 200
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


@dataclass(frozen=True)
class Context:
    depth: int = 0
    refs: frozenset = frozenset()  # (old $ref, new $ref) pairs being compared, against cycles
    in_one_of: bool = False  # widening inside a oneOf branch may make a value match two

    def deeper(self, **changes) -> Context:
        return replace(self, depth=self.depth + 1, **changes)


class Walker:
    def __init__(self, old_root: Any, new_root: Any, compared: dict | None = None):
        self.old_root = old_root
        self.new_root = new_root
        self.changes: list[Change] = []
        # What two referenced definitions came to, once compared: a pair met at many places
        # is compared once.
        self.compared: dict = {} if compared is None else compared
        self.marker = False  # the schema_version marker differs

    def add(self, path: str, verdict: str, description: str, reason: str, ctx: Context | None = None) -> None:
        if verdict == COMPATIBLE and ctx is not None and ctx.in_one_of:
            verdict, reason = BREAKING, f"{reason}; but inside a oneOf, a wider branch may make a value match two"
        self.changes.append(Change(path, verdict, description, reason))

    def sub(self) -> Walker:
        return Walker(self.old_root, self.new_root, self.compared)

    # The version marker ----------------------------------------------------------------------

    def version_marker(self, old: Any, new: Any) -> Any:
        """Report the version marker, and return NEW with its schema_version set back to
        OLD's, so that the rest of the walk compares everything else."""
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return new
        old_version, new_version = marker_of(old), marker_of(new)
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
                self.add("$id", COMPATIBLE, f"$id {show(old_id)} -> {show(new_id)}",
                         "an identifier, not a constraint: records are unaffected")
        return new

    # One place in both schemas -----------------------------------------------------------------

    def node(self, old: Any, new: Any, path: str, ctx: Context) -> None:
        if same(old, new):
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

    def _keywords(self, old: dict, new: dict, path: str, ctx: Context) -> None:
        at = joiner(path)
        if not same(old.get("$schema"), new.get("$schema")):
            self.add(at("$schema"), BREAKING, f"$schema {show(old.get('$schema'))} -> {show(new.get('$schema'))}",
                     "another dialect: cannot prove old records still match")
        if not same(old.get("$id"), new.get("$id")) and path:
            self.add(at("$id"), BREAKING, f"$id {show(old.get('$id'))} -> {show(new.get('$id'))}",
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
            if not same(old.get(keyword, MISSING), new.get(keyword, MISSING)):
                self.add(at(keyword), BREAKING, f"keyword {keyword!r} changed",
                         "this tool does not compare it: cannot prove old values still match", ctx)

    # References -----------------------------------------------------------------------------

    def _references(self, old: dict, new: dict, path: str, ctx: Context) -> None:
        """Two places that refer to different definitions (or one refers, one is written
        out): what they come to is compared, and reported as one change."""
        old_ref, new_ref = old.get("$ref"), new.get("$ref")
        where = joiner(path)("$ref")
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
        target = resolve_ref(root, reference)
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
                  ctx: Context) -> None:
        breaking = [change for change in inner if change.breaking]
        if not breaking:
            self.add(path, COMPATIBLE, description, compatible_reason, ctx)
            return
        causes = list(dict.fromkeys(change.cause or f"{change.description} ({change.reason})" for change in breaking))
        more = f"; and {len(causes) - 2} more" if len(causes) > 2 else ""
        self.changes.append(Change(path, BREAKING, description, "; ".join(causes[:2]) + more, causes[0]))

    # Types and values -----------------------------------------------------------------------

    def _type(self, old: dict, new: dict, at, ctx: Context) -> None:
        old_types, new_types = types_of(old.get("type")), types_of(new.get("type"))
        if old_types == new_types or new_types is None:
            if old_types is not None and new_types is None:
                self.add(at("type"), COMPATIBLE, f"type {show_types(old_types)} removed",
                         "values of any type are accepted", ctx)
            return
        described = f"type {show_types(old_types) if old_types else 'unrestricted'} -> {show_types(new_types)}"
        lost = sorted(t for t in (old_types or {"any"}) if not covered(t, new_types))
        if not lost:
            self.add(at("type"), COMPATIBLE, described, "widened: every type accepted before still is", ctx)
        elif self._old_values_pass(old, "type", new["type"]):
            self.add(at("type"), COMPATIBLE, described, "every value OLD lists is of a type NEW accepts", ctx)
        elif old_types is None:
            self.add(at("type"), BREAKING, described, "narrowed: values of other types are refused", ctx)
        else:
            self.add(at("type"), BREAKING, described, f"narrowed: {show_types(lost)} values are refused", ctx)

    def _values(self, old: dict, new: dict, at, ctx: Context) -> None:
        old_values, new_values = allowed(old), allowed(new)
        keyword = "const" if "const" in new and "enum" not in new else "enum" if "enum" in new else (
            "const" if "const" in old and "enum" not in old else "enum")
        if old_values is None and new_values is None:
            return
        if new_values is None:
            self.add(at(keyword), COMPATIBLE, f"{keyword} removed", "no longer limited to listed values", ctx)
            return
        if old_values is None:
            self.add(at(keyword), BREAKING, f"{keyword} added: only {show_list(new_values)}",
                     "values valid under OLD may not be among them", ctx)
            return
        old_keys = {canon(v): v for v in old_values}
        new_keys = {canon(v): v for v in new_values}
        if set(old_keys) == set(new_keys):
            return
        if "const" in old and "const" in new and len(old_keys) == len(new_keys) == 1:
            self.add(at("const"), BREAKING, f"const {show(old['const'])} -> {show(new['const'])}",
                     f"records with {show(old['const'])} are refused", ctx)
            return
        for key, value in old_keys.items():
            if key not in new_keys:
                self.add(at(keyword), BREAKING, f"value {show(value)} removed",
                         f"records with {show(value)} are refused", ctx)
        for key, value in new_keys.items():
            if key not in old_keys:
                self.add(at(keyword), COMPATIBLE, f"value {show(value)} added", "one more value accepted", ctx)

    def _format(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("format"), new.get("format")
        if before == after:
            return
        if after is None:
            self.add(at("format"), COMPATIBLE, f"format {before!r} removed", "no longer checked", ctx)
        elif self._old_values_pass(old, "format", after):
            self.add(at("format"), COMPATIBLE, f"format {show(before)} -> {after!r}",
                     "every value OLD lists is in that format", ctx)
        elif before is None:
            self.add(at("format"), BREAKING, f"format {after!r} added",
                     f"communique checks formats: values that are not a {after} are refused", ctx)
        else:
            self.add(at("format"), BREAKING, f"format {before!r} -> {after!r}",
                     f"values that are a {before} but not a {after} are refused", ctx)

    def _pattern(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("pattern"), new.get("pattern")
        if before == after:
            return
        if after is None:
            self.add(at("pattern"), COMPATIBLE, f"pattern {before} removed", "no longer checked", ctx)
        elif self._old_values_pass(old, "pattern", after):
            self.add(at("pattern"), COMPATIBLE, f"pattern {show(before)} -> {after}",
                     "every value OLD lists matches it", ctx)
        elif before is None:
            self.add(at("pattern"), BREAKING, f"pattern {after} added", "values valid under OLD may not match it", ctx)
        else:
            self.add(at("pattern"), BREAKING, f"pattern {before} -> {after}",
                     "pattern changed: cannot prove that old values still match", ctx)

    def _bounds(self, old: dict, new: dict, at, ctx: Context) -> None:
        for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if same(before, after):
                continue
            lower = keyword in LOWER_BOUNDS
            refused = BOUND_OF[keyword].format(after)
            if after is None:
                self.add(at(keyword), COMPATIBLE, f"{keyword} {before} removed", "looser: no longer checked", ctx)
            elif before is None and lower and LOWER_BOUNDS[keyword] is not None and after <= LOWER_BOUNDS[keyword]:
                self.add(at(keyword), COMPATIBLE, f"{keyword} {after} added", "every value meets it already", ctx)
            elif self._old_values_pass(old, keyword, after):
                self.add(at(keyword), COMPATIBLE, f"{keyword} {show(before)} -> {after}",
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

    def _multiple_of(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("multipleOf"), new.get("multipleOf")
        if same(before, after):
            return
        if after is None:
            self.add(at("multipleOf"), COMPATIBLE, f"multipleOf {before} removed", "no longer checked", ctx)
        elif before is not None and (before / after) == int(before / after):
            self.add(at("multipleOf"), COMPATIBLE, f"multipleOf {before} -> {after}",
                     f"every multiple of {before} is a multiple of {after}", ctx)
        else:
            self.add(at("multipleOf"), BREAKING, f"multipleOf {show(before)} -> {after}",
                     f"numbers that are not multiples of {after} are refused", ctx)

    def _unique_items(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
        if after and not before:
            self.add(at("uniqueItems"), BREAKING, "uniqueItems added", "lists with a repeated item are refused", ctx)
        elif before and not after:
            self.add(at("uniqueItems"), COMPATIBLE, "uniqueItems removed", "repeated items are accepted", ctx)

    def _old_values_pass(self, old: dict, keyword: str, constraint: Any) -> bool:
        """Whether OLD lists its values here (enum, const) and each meets NEW's constraint:
        then a constraint NEW adds refuses no record."""
        values = allowed(old)
        return values is not None and all(passes(value, keyword, constraint) for value in values)

    # Objects --------------------------------------------------------------------------------

    def _properties(self, old: dict, new: dict, path: str, ctx: Context) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        at = joiner(joiner(path)("properties"))
        for name in [*old_props, *(n for n in new_props if n not in old_props)]:
            where = at(name)
            if name in old_props and name in new_props:
                self.node(old_props[name], new_props[name], where, ctx.deeper())
            elif name in new_props:
                self._property_added(old, new, name, where, ctx)
            else:
                self._property_removed(new, name, old_props[name], where, ctx)

    def _property_added(self, old: dict, new: dict, name: str, where: str, ctx: Context) -> None:
        schema = new["properties"][name]
        kind = "property" if name in required_of(new) else "optional property"
        if refuses(old, name, self.old_root):
            self.add(where, COMPATIBLE, f"new {kind} {name!r}",
                     f"OLD allowed no property {name!r} here, so no record has it", ctx)
            return
        sub = self.sub()
        sub.node(others(old, name), schema, where, ctx.deeper())
        self._collapse(where, f"new {kind} {name!r}", sub.changes,
                       f"accepts every value OLD allowed for {name!r}", ctx)

    def _property_removed(self, new: dict, name: str, schema: Any, where: str, ctx: Context) -> None:
        if refuses(new, name, self.new_root):
            self.add(where, BREAKING, f"property {name!r} removed", f"records that have {name!r} are refused", ctx)
            return
        sub = self.sub()
        sub.node(schema, others(new, name), where, ctx.deeper())
        self._collapse(where, f"property {name!r} removed from properties", sub.changes,
                       f"NEW still accepts every value of {name!r} OLD accepted", ctx)

    def _required(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = required_of(old), required_of(new)
        for name in after:
            if name not in before:
                self.add(at("required"), BREAKING, f"property {name!r} became required",
                         f"records without {name!r} are refused", ctx)
        for name in before:
            if name not in after:
                self.add(at("required"), COMPATIBLE, f"property {name!r} no longer required",
                         "records with it are still accepted", ctx)

    def _dependent_required(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("dependentRequired", {}), new.get("dependentRequired", {})
        for trigger in [*before, *(t for t in after if t not in before)]:
            old_names, new_names = before.get(trigger, []), after.get(trigger, [])
            for name in new_names:
                if name not in old_names:
                    self.add(at(f"dependentRequired/{escape(trigger)}"), BREAKING,
                             f"{name!r} became required with {trigger!r}",
                             f"records with {trigger!r} but without {name!r} are refused", ctx)
            for name in old_names:
                if name not in new_names:
                    self.add(at(f"dependentRequired/{escape(trigger)}"), COMPATIBLE,
                             f"{name!r} no longer required with {trigger!r}", "records with it are still accepted", ctx)

    def _keyword_schema(self, old: dict, new: dict, keyword: str, at, ctx: Context) -> None:
        before, after = old.get(keyword, True), new.get(keyword, True)
        if same(before, after):
            return
        if keyword == "additionalProperties" and after is False and before is not False:
            self.add(at(keyword), BREAKING, "additionalProperties: false added",
                     "records with properties not listed are refused", ctx)
        elif keyword == "additionalProperties" and before is False:
            self.add(at(keyword), COMPATIBLE, f"additionalProperties false -> {show(after)}",
                     "OLD allowed no other properties, so no record has one", ctx)
        else:
            self.node(before, after, at(keyword), ctx.deeper())

    def _named_schemas(self, old: dict, new: dict, keyword: str, at, ctx: Context) -> None:
        before, after = old.get(keyword, {}), new.get(keyword, {})
        for name in [*before, *(n for n in after if n not in before)]:
            self.node(before.get(name, True), after.get(name, True), at(f"{keyword}/{escape(name)}"), ctx.deeper())

    def _definitions(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("$defs", {}), new.get("$defs", {})
        for name in [*before, *(n for n in after if n not in before)]:
            where = at(f"$defs/{escape(name)}")
            if name not in after:
                self.add(where, BREAKING, f"definition {name!r} removed",
                         f"definitions are part of the contract: schemas that $ref {name!r} no longer resolve")
            elif name not in before:
                self.add(where, COMPATIBLE, f"new definition {name!r}", "used only where NEW refers to it")
            else:
                self.node(before[name], after[name], where, ctx.deeper())

    # Arrays ---------------------------------------------------------------------------------

    def _items(self, old: dict, new: dict, at, ctx: Context) -> None:
        old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
        if len(old_prefix) != len(new_prefix):
            self.add(at("prefixItems"), BREAKING, f"prefixItems: {len(old_prefix)} -> {len(new_prefix)} positions",
                     "cannot prove old lists still match", ctx)
        else:
            for index, (before, after) in enumerate(zip(old_prefix, new_prefix)):
                self.node(before, after, at(f"prefixItems/{index}"), ctx.deeper())
        if "items" in old or "items" in new:
            self.node(old.get("items", True), new.get("items", True), at("items"), ctx.deeper())

    def _contains(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("contains", MISSING), new.get("contains", MISSING)
        if after is MISSING:
            if before is not MISSING:
                self.add(at("contains"), COMPATIBLE, "contains removed", "no longer checked", ctx)
        elif before is MISSING:
            self.add(at("contains"), BREAKING, "contains added", "lists without a matching item are refused", ctx)
        else:
            self.node(before, after, at("contains"), ctx.deeper())

    # Combinations ---------------------------------------------------------------------------

    def _all_of(self, old: dict, new: dict, at, ctx: Context) -> None:
        pairs, removed, added = pair(old.get("allOf", []), new.get("allOf", []))
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"allOf/{j}"), ctx.deeper())
        for i, before in removed:
            self.add(at(f"allOf/{i}"), COMPATIBLE, "allOf branch removed", "one condition fewer", ctx)
        for j, after in added:
            sub = self.sub()
            sub.node(guarantees(old), after, at(f"allOf/{j}"), ctx.deeper())
            self._collapse(at(f"allOf/{j}"), "allOf branch added", sub.changes,
                           "every value valid under OLD here meets it", ctx)

    def _any_of(self, old: dict, new: dict, at, ctx: Context) -> None:
        if "anyOf" not in new:
            if "anyOf" in old:
                self.add(at("anyOf"), COMPATIBLE, "anyOf removed", "no longer checked", ctx)
            return
        if "anyOf" not in old:
            sub = self.sub()
            for j, after in enumerate(new["anyOf"]):
                branch = self.sub()
                branch.node(guarantees(old), after, at(f"anyOf/{j}"), ctx.deeper())
                if not any(change.breaking for change in branch.changes):
                    sub.changes = []
                    break
                sub.changes.extend(branch.changes)
            self._collapse(at("anyOf"), "anyOf added", sub.changes,
                           f"every value valid under OLD here meets branch {j}", ctx)
            return
        pairs, removed, added = pair(old["anyOf"], new["anyOf"])
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"anyOf/{j}"), ctx.deeper())
        for i, before in removed:
            self.add(at(f"anyOf/{i}"), BREAKING, "anyOf branch removed",
                     "values only that branch accepted are refused", ctx)
        for j, after in added:
            self.add(at(f"anyOf/{j}"), COMPATIBLE, "anyOf branch added", "one more alternative accepted", ctx)

    def _one_of(self, old: dict, new: dict, at, ctx: Context) -> None:
        if "oneOf" not in new:
            if "oneOf" in old:
                self.add(at("oneOf"), COMPATIBLE, "oneOf removed", "no longer checked", ctx)
            return
        if "oneOf" not in old:
            self.add(at("oneOf"), BREAKING, "oneOf added", "values valid under OLD may match none, or two", ctx)
            return
        pairs, removed, added = pair(old["oneOf"], new["oneOf"])
        for (i, before), (j, after) in pairs:
            self.node(before, after, at(f"oneOf/{j}"), ctx.deeper(in_one_of=True))
        for i, before in removed:
            self.add(at(f"oneOf/{i}"), BREAKING, "oneOf branch removed",
                     "values only that branch accepted are refused", ctx)
        for j, after in added:
            self.add(at(f"oneOf/{j}"), BREAKING, "oneOf branch added",
                     "a value may now match two branches, which oneOf refuses", ctx)

    def _not(self, old: dict, new: dict, at, ctx: Context) -> None:
        before, after = old.get("not", MISSING), new.get("not", MISSING)
        if same(before, after):
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

    def _conditional(self, old: dict, new: dict, at, ctx: Context) -> None:
        if "if" not in new:
            if "if" in old and ("then" in old or "else" in old):
                self.add(at("if"), COMPATIBLE, "condition (if/then/else) removed", "one condition fewer", ctx)
            return
        if "if" in old and same(old["if"], new["if"]):
            for keyword in ("then", "else"):
                if keyword in old or keyword in new:
                    self.node(old.get(keyword, True), new.get(keyword, True), at(keyword), ctx.deeper())
            return
        # A new or changed condition: what every value valid under OLD here meets must meet
        # `then` where the condition can hold and `else` where it can fail.
        base = {k: v for k, v in guarantees(old).items() if k not in ("if", "then", "else")}
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

    def _always(self, base: dict, condition: Any, ctx: Context) -> bool:
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
            if refuses(base, name, self.old_root):
                return True
            wanted = condition.get("properties", {}).get(name)
            had = base.get("properties", {}).get(name)
            wanted_values = allowed(wanted) if isinstance(wanted, dict) else None
            had_values = allowed(had) if isinstance(had, dict) else None
            if wanted_values is not None and had_values is not None and not (
                    {canon(v) for v in wanted_values} & {canon(v) for v in had_values}):
                return True
        return any(self._never(base, branch) for branch in condition.get("allOf", []))
