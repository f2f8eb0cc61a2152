"""Column descriptions and allowed values, read from the JSON Schema: the one source for
what a field means, so that the Data Package, Datasette and the docs say what it says."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .. import schema
from ..schema.walk import at_pointer
from .tables import Column, Table


def field_schema(pointer: str) -> dict[str, Any]:
    """The schema of a field, with its `$ref`s followed: the field's own keywords win."""
    root = schema.load_cached(schema.LATEST)
    node = dict(at_pointer(root, "#" + pointer))
    while "$ref" in node:
        target = at_pointer(root, node.pop("$ref"))
        node = {**target, **node}
    return node


@lru_cache(maxsize=None)
def _field(pointer: str) -> tuple[str, tuple | None]:
    node = field_schema(pointer)
    enum = node.get("enum")
    return node.get("description", ""), tuple(enum) if enum else None


def description(column: Column) -> str:
    """The column's own words if it has them, else the description of its schema field."""
    return column.description or (_field(column.field)[0] if column.field else "")


def allowed_values(column: Column) -> tuple | None:
    """The values the schema allows in the column's field, when it lists them."""
    return _field(column.field)[1] if column.field else None


def table_title(table: Table) -> str:
    return table.name.replace("_", " ").capitalize()
