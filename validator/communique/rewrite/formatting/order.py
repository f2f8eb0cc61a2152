"""The canonical key order: the order in which the record's schema declares the keys.

The schema is the one that the record's `schema_version` names; its `properties` are
followed through `$ref`, `allOf`, `anyOf` and `oneOf`, a schema's base before its own
properties. Keys the schema does not know follow the known ones in their own order, so a
schema change places a new field without any change here.
"""

from __future__ import annotations

from ...schema.walk import expand as _expand
from ...schema.walk import item_schemas as _item_schemas
from ...schema.walk import properties as _properties
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
    from ... import schema

    if root.kind != "map":
        return None
    for entry in root.entries:
        if entry.key.real().value == "schema_version":
            version = entry.node.real().value
            if isinstance(version, str) and version in schema.versions():
                return schema.load_schema(version)
    return None
