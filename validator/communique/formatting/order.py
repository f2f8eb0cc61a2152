"""The canonical key order: the order in which the record's schema declares the keys.

The schema is the one that the record's `schema_version` names; its `properties` are
followed through `$ref`, `allOf`, `anyOf` and `oneOf`, a schema's base before its own
properties. Keys the schema does not know follow the known ones in their own order, so a
schema change places a new field without any change here.
"""

from __future__ import annotations

from typing import Any

from ..pointer import MISSING, resolve
from .tree import Node


def order_keys(root: Node) -> None:
    """Set `ordered` on every collection under `root`: a mapping's entries in schema order
    (as they stand, without a known `schema_version`), a sequence's as they stand."""
    schema_root = _schema_for(root)
    _order(root, [schema_root] if schema_root is not None else [], schema_root, set())


def _order(node: Node, schemas: list, root: dict | None, done: set) -> None:
    node = node.real()
    if id(node) in done or node.kind not in ("map", "seq"):
        return
    done.add(id(node))
    expanded = _expand(schemas, root) if root is not None else []
    if node.kind == "seq":
        node.ordered = list(node.entries)
        for index, entry in enumerate(node.entries):
            _order(entry.node, _item_schemas(expanded, index), root, done)
        return
    order, children, extra = _properties(expanded)
    rank = {name: position for position, name in enumerate(order)}
    known = sorted((e for e in node.entries if e.key.real().value in rank), key=lambda e: rank[e.key.real().value])
    node.ordered = known + [e for e in node.entries if e.key.real().value not in rank]
    for entry in node.entries:
        name = entry.key.real().value
        _order(entry.node, children.get(name, extra), root, done)


def _schema_for(root: Node) -> dict | None:
    from .. import schema

    if root.kind != "map":
        return None
    for entry in root.entries:
        if entry.key.real().value == "schema_version":
            version = entry.node.real().value
            if isinstance(version, str) and version in schema.versions():
                return schema.load_schema(version)
    return None


def _pointer(root: dict, reference: str) -> Any:
    """The part of the schema a local `$ref` ("#/$defs/party") names, or None."""
    found = resolve(root, reference[1:]) if reference.startswith("#/") else MISSING
    return None if found is MISSING else found


def _expand(schemas: list, root: dict) -> list[dict]:
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
            visit(root if reference == "#" else _pointer(root, reference), depth + 1)
        for part in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
            visit(part, depth + 1)
        found.append(node)
        for keyword in ("anyOf", "oneOf"):
            for part in node.get(keyword, []) if isinstance(node.get(keyword), list) else []:
                visit(part, depth + 1)

    for schema in schemas:
        visit(schema, 0)
    return found


def _properties(schemas: list[dict]) -> tuple[list[str], dict[str, list], list]:
    """The property names in order, the schemas of each, and those of other keys."""
    order: list[str] = []
    children: dict[str, list] = {}
    extra: list = []
    for schema in schemas:
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, child in properties.items():
                if name not in children:
                    order.append(name)
                    children[name] = []
                children[name].append(child)
        if isinstance(schema.get("additionalProperties"), dict):
            extra.append(schema["additionalProperties"])
    return order, children, extra


def _item_schemas(schemas: list[dict], index: int) -> list:
    found = []
    for schema in schemas:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and index < len(prefix):
            found.append(prefix[index])
        elif isinstance(schema.get("items"), dict):
            found.append(schema["items"])
    return found
