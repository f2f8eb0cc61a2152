"""JSON Pointers (RFC 6901), as caveats use them to name a field and schemas to `$ref` a part."""

from __future__ import annotations

from typing import Any

MISSING = object()


def resolve(document: Any, pointer: str, *, by_id: bool = True) -> Any:
    """The value `pointer` names in `document`, or MISSING.

    Besides RFC 6901 (`/agreements/3/parties`), a step into a list may name an item by its
    `id` (`/agreements/deepen-sep-cooperation/parties`), as schema 1.1 allows caveats to: such
    a path keeps naming the same item when the list is reordered. An id is matched first; a
    decimal step that no item has as its id is a position. `by_id=False` reads plain RFC
    6901, as schema 1.0 defines caveat paths.
    """
    node = document
    for step in steps(pointer):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list):
            item = item_with_id(node, step) if by_id else MISSING
            if item is not MISSING:
                node = item
            elif step.isascii() and step.isdigit() and int(step) < len(node):
                node = node[int(step)]
            else:
                return MISSING
        else:
            return MISSING
    return node


def steps(pointer: str) -> list[str]:
    """The unescaped reference tokens of a JSON Pointer."""
    return [raw.replace("~1", "/").replace("~0", "~") for raw in pointer.split("/")[1:]]


def item_with_id(items: list, identifier: str) -> Any:
    """The first item of `items` whose `id` is `identifier`, or MISSING."""
    return next((item for item in items if isinstance(item, dict) and item.get("id") == identifier), MISSING)


def positional_steps(document: Any, pointer: str) -> list[tuple[str, str]]:
    """(position, id) for each step of `pointer` that names, by its position, a list item
    that has an id: the steps that would follow another item if the list were reordered."""
    found, node = [], document
    for step in steps(pointer):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list):
            item = item_with_id(node, step)
            if item is MISSING and step.isascii() and step.isdigit() and int(step) < len(node):
                item = node[int(step)]
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    found.append((step, item["id"]))
            if item is MISSING:
                return found
            node = item
        else:
            return found
    return found
