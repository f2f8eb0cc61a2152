"""Small questions about schemas and values that the walk asks: what a `$ref` names, whether
an object refuses a property, which values a node lists, whether a value meets a keyword,
and when two JSON values are the same value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

MISSING = object()

# Keywords that describe and never decide whether a value is valid.
ANNOTATIONS = frozenset({
    "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment",
    "$anchor", "$dynamicAnchor", "$vocabulary", "contentEncoding", "contentMediaType", "contentSchema",
})
# Lower bounds, with the bound a value meets when the keyword is absent.
LOWER_BOUNDS = {"minimum": None, "exclusiveMinimum": None, "minLength": 0, "minItems": 0, "minProperties": 0,
                "minContains": 1}
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")


def guarantees(node: dict) -> dict:
    """What every value valid under OLD at a place meets, as a schema to compare a new
    condition with: the OLD node, less what only describes or defines."""
    return {k: v for k, v in node.items() if k not in ("$defs", "$id", "$schema", "$anchor")}


def marker_of(schema: dict) -> str | None:
    """The version a schema's records declare: its `properties.schema_version` const."""
    node = schema.get("properties", {}).get("schema_version") if isinstance(schema.get("properties"), dict) else None
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("const"), str):
        return node["const"]
    enum = node.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str) else None


def resolve_ref(root: Any, reference: str) -> Any:
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


def refuses(node: Any, name: str, root: Any, seen: set | None = None) -> bool:
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
        search(pattern, name) for pattern in node.get("patternProperties", {}))
    if not declared and node.get("additionalProperties") is False:
        return True
    if "$ref" in node:
        target = resolve_ref(root, node["$ref"])
        if target is not MISSING and refuses(target, name, root, seen):
            return True
    if any(refuses(branch, name, root, seen) for branch in node.get("allOf", [])):
        return True
    for keyword in ("anyOf", "oneOf"):
        if keyword in node and all(refuses(branch, name, root, seen) for branch in node[keyword]):
            return True
    return False


def others(node: dict, name: str) -> Any:
    """The schema a property not in `properties` meets at `node`, where that is one schema."""
    if any(search(pattern, name) for pattern in node.get("patternProperties", {})):
        return {"allOf": [node["patternProperties"][p] for p in node["patternProperties"] if search(p, name)]}
    return node.get("additionalProperties", True)


def search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def required_of(node: dict) -> list[str]:
    return list(node.get("required", []))


def types_of(value: Any) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def covered(kind: str, types: set[str]) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def allowed(node: dict) -> list | None:
    """The values a node lists (enum, const, or both), or None when it lists none."""
    if "const" in node:
        if "enum" in node and not any(canon(v) == canon(node["const"]) for v in node["enum"]):
            return []
        return [node["const"]]
    if "enum" in node:
        return list(node["enum"])
    return None


def passes(value: Any, keyword: str, constraint: Any) -> bool:
    """Whether one value meets one keyword (for the values an OLD node lists)."""
    if keyword == "type":
        return any(json_type(value) == kind or (kind == "number" and json_type(value) == "integer")
                   for kind in types_of(constraint))
    if keyword == "pattern":
        return not isinstance(value, str) or search(constraint, value)
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


def json_type(value: Any) -> str:
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


def canon(value: Any) -> Any:
    """A hashable form in which JSON values are equal when JSON Schema says they are
    (1 and 1.0 are one number; true is not 1)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(canon(item) for item in value))
    return ("object", tuple(sorted((key, canon(item)) for key, item in value.items())))


def same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return a is b or canon(a) == canon(b)


def pair(old: list, new: list) -> tuple[list, list, list]:
    """Branches of allOf/anyOf/oneOf matched up: the same branch wherever it stands; then,
    when as many changed on each side, those in order. The rest were removed or added."""
    old_left = list(enumerate(old))
    new_left = list(enumerate(new))
    pairs = []
    for j, after in list(new_left):
        match = next((item for item in old_left if same(item[1], after)), None)
        if match is not None:
            old_left.remove(match)
            new_left.remove((j, after))
    if len(old_left) == len(new_left):
        pairs = list(zip(old_left, new_left))
        return pairs, [], []
    return pairs, old_left, new_left


def joiner(path: str):
    return lambda step: f"{path}/{step}" if path else step


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def show(value: Any) -> str:
    if value is MISSING or value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False).replace('"', "'") if isinstance(value, str) else json.dumps(
        value, ensure_ascii=False)


def show_list(values: list) -> str:
    if not values:
        return "no value at all"
    shown = ", ".join(show(v) for v in values[:6])
    return shown + (f" and {len(values) - 6} more" if len(values) > 6 else "")


def show_types(types: Iterable[str]) -> str:
    return "/".join(sorted(types))
