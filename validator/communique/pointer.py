"""JSON Pointers (RFC 6901), as caveats use them to name a field and schemas to `$ref` a part."""

from __future__ import annotations

from typing import Any

MISSING = object()


def resolve(document: Any, pointer: str) -> Any:
    """The value `pointer` ("/agreements/3/parties") names in `document`, or MISSING."""
    node = document
    for raw in pointer.split("/")[1:]:
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return MISSING
    return node
