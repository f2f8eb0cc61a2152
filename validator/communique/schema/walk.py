"""Finding one's way around a schema: which parts apply at a place in a record, through
local `$ref`s and allOf/anyOf/oneOf. The formatter reads key order from them, and
messages read the descriptions, examples and property names the schema gives."""

from __future__ import annotations

from typing import Any, Iterable

from ..documents.pointer import MISSING, resolve


def at_pointer(root: dict, reference: str) -> Any:
    """The part of the schema a local `$ref` ("#/$defs/party") names, or None."""
    if reference == "#":
        return root
    found = resolve(root, reference[1:]) if reference.startswith("#/") else MISSING
    return None if found is MISSING else found


def at_path(root: dict, steps: Iterable) -> Any:
    """The schema node at a schema path as a validator reports it (["$defs", "slug", "pattern"])."""
    node: Any = root
    for step in steps:
        if isinstance(node, dict) and str(step) in node:
            node = node[str(step)]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def expand(schemas: list, root: dict) -> list[dict]:
    """Every schema that applies, through local `$ref`s and allOf/anyOf/oneOf: the ones a
    schema builds on before it, the alternatives after it."""
    found: list[dict] = []
    seen: set[int] = set()

    def visit(node: Any, depth: int) -> None:
        if not isinstance(node, dict) or id(node) in seen or depth > 32:
            return
        seen.add(id(node))
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#"):
            visit(at_pointer(root, reference), depth + 1)
        for part in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
            visit(part, depth + 1)
        found.append(node)
        for keyword in ("anyOf", "oneOf"):
            for part in node.get(keyword, []) if isinstance(node.get(keyword), list) else []:
                visit(part, depth + 1)

    for schema in schemas:
        visit(schema, 0)
    return found


def properties(schemas: list[dict]) -> tuple[list[str], dict[str, list], list]:
    """The property names in order, the schemas of each, and those of other keys."""
    order: list[str] = []
    children: dict[str, list] = {}
    extra: list = []
    for schema in schemas:
        declared = schema.get("properties")
        if isinstance(declared, dict):
            for name, child in declared.items():
                if name not in children:
                    order.append(name)
                    children[name] = []
                children[name].append(child)
        if isinstance(schema.get("additionalProperties"), dict):
            extra.append(schema["additionalProperties"])
    return order, children, extra


def item_schemas(schemas: list[dict], index: int) -> list:
    found = []
    for schema in schemas:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and index < len(prefix):
            found.append(prefix[index])
        elif isinstance(schema.get("items"), dict):
            found.append(schema["items"])
    return found


def at_instance(root: dict, instance_path: Iterable) -> list[dict]:
    """The schemas that apply to the value at `instance_path` of a record, expanded."""
    schemas = expand([root], root)
    for step in instance_path:
        if isinstance(step, int):
            schemas = expand(item_schemas(schemas, step), root)
        else:
            _, children, extra = properties(schemas)
            schemas = expand(children.get(step, extra), root)
    return schemas


def first(schemas: list[dict], keyword: str) -> Any:
    """The first value of `keyword` among `schemas`, or None."""
    return next((schema[keyword] for schema in schemas if keyword in schema), None)


def first_sentence(text: str | None) -> str:
    if not text:
        return ""
    end = text.find(". ")
    return (text if end < 0 else text[: end + 1]).rstrip(".")


def field_patterns(root: dict, names: tuple[str, ...], max_depth: int = 12) -> dict[str, tuple[tuple, ...]]:
    """Every place each property in `names` can stand in a record, as patterns of steps
    ("*" for any list item): {"sources": (("parties", "*", "sources"), ...), ...}. Read from
    the schema once, in one walk, so that a rule visits those places of a record instead of
    walking all of it, and picks up the places a new schema version adds."""
    found: dict[str, list[tuple]] = {name: [] for name in names}

    def visit(schemas: list[dict], path: tuple) -> None:
        if len(path) > max_depth:
            return
        order, children, _ = properties(schemas)
        for key in order:
            if key in found and path:
                found[key].append(path + (key,))
            child = expand(children[key], root)
            visit(child, path + (key,))
            items = expand(item_schemas(child, 0), root)
            if items:
                visit(items, path + (key, "*"))

    visit(expand([root], root), ())
    return {name: tuple(patterns) for name, patterns in found.items()}


def values_at(data: Any, pattern: tuple) -> Iterable[tuple[tuple, Any]]:
    """(json path, value) for each place of `data` that `pattern` matches."""
    places = [((), data)]
    for step in pattern:
        following = []
        for path, node in places:
            if step == "*":
                if isinstance(node, list):
                    following.extend((path + (index,), item) for index, item in enumerate(node))
            elif isinstance(node, dict) and step in node:
                following.append((path + (step,), node[step]))
        places = following
    return places
