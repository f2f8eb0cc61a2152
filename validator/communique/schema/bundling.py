"""Self-contained schema files: every `$ref` answered inside the file.

A validator given one file and no registry can follow only the references that file
answers itself. `bundle` makes a schema so: each resource it reaches outside itself, found
in a registry (ours by default), is embedded under `$defs` with its own `$id`, which is how
draft 2020-12 bundles a compound schema, so the `$ref`s keep their text and their meaning.
It also proves every reference resolves: one that points nowhere is an error here, rather
than in the hands of whoever loads the file.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

from . import registry as communique_registry
from .diff.values import MISSING, resolve_ref

# Keywords whose values are instances, not schemas: a "$ref" key inside them is data.
DATA_KEYWORDS = frozenset({"enum", "const", "examples", "default"})


class BundleError(ValueError):
    """A `$ref` that neither the schema nor the registry answers."""


def bundle(root: dict[str, Any], registry: Any = None) -> dict[str, Any]:
    """A copy of `root` with every outside resource its `$ref`s reach embedded in `$defs`."""
    registry = communique_registry() if registry is None else registry
    bundled = copy.deepcopy(root)
    inside = _resources(bundled)  # $id -> resource, for those the schema holds itself
    embedded: dict[str, Any] = {}  # uri -> contents, in the order first reached
    pending = [(bundled, bundled.get("$id", ""), "")]
    while pending:
        resource, base, where = pending.pop()
        for ref, at, ref_base in _references(resource, base, where):
            target, fragment = urldefrag(urljoin(ref_base, ref))
            found = inside.get(target) if target else resource
            if found is None:
                if target not in embedded:
                    try:
                        embedded[target] = copy.deepcopy(registry.contents(target))
                    except Exception as missing:  # referencing raises its own NoSuchResource
                        raise BundleError(f"$ref {ref!r} at {at or '/'}: no schema {target!r} here or in the "
                                          f"registry") from missing
                    pending.append((embedded[target], target, f"{target}#"))
                found = embedded[target]
            _check_pointer(found, fragment, ref, at)
    if embedded:
        definitions = bundled.setdefault("$defs", {})
        for uri, contents in embedded.items():
            definitions[uri] = {**contents, "$id": uri} if "$id" not in contents else contents
    return bundled


def dumps(schema: dict[str, Any]) -> str:
    """A schema as this repository writes its files: two-space indent, UTF-8, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _references(node: Any, base: str, where: str) -> Iterator[tuple[str, str, str]]:
    """Every `$ref` under `node`: its text, its JSON pointer, and the base URI it is read
    against (an `$id` on the way changes the base)."""
    if isinstance(node, dict):
        if isinstance(node.get("$id"), str) and where:
            base = urljoin(base, node["$id"])
        if isinstance(node.get("$ref"), str):
            yield node["$ref"], where, base
        for key, value in node.items():
            if key not in DATA_KEYWORDS:
                yield from _references(value, base, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _references(item, base, f"{where}/{index}")


def _resources(root: dict[str, Any]) -> dict[str, Any]:
    """Every resource inside `root` (the root itself included) by its absolute `$id`."""
    found: dict[str, Any] = {}
    stack = [(root, "")]
    while stack:
        node, base = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = urljoin(base, node["$id"])
                found[urldefrag(base)[0]] = node
            stack.extend((value, base) for key, value in node.items() if key not in DATA_KEYWORDS)
        elif isinstance(node, list):
            stack.extend((item, base) for item in node)
    return found


def _check_pointer(resource: Any, fragment: str, ref: str, at: str) -> None:
    if not fragment.startswith("/"):
        return  # the whole resource, or a plain-name $anchor (not used by our schemas)
    if resolve_ref(resource, "#" + fragment) is MISSING:
        raise BundleError(f"$ref {ref!r} at {at or '/'}: nothing at #{fragment}")
