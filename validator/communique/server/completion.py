"""What to offer where the cursor is: the ids the record defines where a reference is
expected, and the values the schema allows where it lists them.

A record being typed rarely parses as it stands (`parties: [pk, ` is not YAML yet), so the
word under the cursor is replaced by a marker, brackets left open on its line are closed,
and that text is read instead: the marker's place in it is the place being completed.

In a long YAML record only the cursor's outline is read (the lines it is nested in), so that
completion answers at once in a record of a megabyte; the ids and the schema version then
come from the last version of the whole record that could be read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .. import schema
from ..documents.loading import Document, load_text
from ..rewrite.fixing import REFERENCE_KINDS
from ..rewrite.formatting.scalars import scalar
from ..schema import walk as schema_walk
from .positions import Position

MARKER = "communique0completion0here"
OUTLINE_ABOVE = 100_000  # characters: a longer YAML text is read by its outline around the cursor
_WORD = re.compile(r"[A-Za-z0-9_.\-]*\Z")


@dataclass(frozen=True)
class Offer:
    value: str
    detail: str
    reference: bool  # an id the record defines (else a value the schema allows)
    insert: str = ""  # what is written: the value, quoted where a reader would take it for another (`"no"`)


def offers(text: str, position: Position, is_json: bool = False, known: dict | None = None
           ) -> tuple[list[Offer], Position]:
    """The values to offer at `position`, and where the word being typed starts. `known`:
    the data of the last version of the record that could be read, for ids defined in a
    part of the text that the reading had to cut."""
    lines = text.split("\n")
    if position[0] >= len(lines):
        return [], position
    line = lines[position[0]]
    before = line[:position[1]]
    word = _WORD.search(before).group()
    start = (position[0], position[1] - len(word))
    number = position[0]
    outlined = not is_json and len(text) > OUTLINE_ABOVE
    if outlined:
        lines, number = _outline(lines, number)
    found = _marked_path(lines, number, before[:len(before) - len(word)], line[position[1]:])
    if found is None:
        return [], start
    path, taken, document = found
    data = document.data if isinstance(document.data, dict) else {}
    if outlined and isinstance(known, dict):
        data = known  # the outline holds neither the ids nor the schema version
    kind = _reference_kind(path)
    if kind is not None:
        found_offers = _defined_ids(data, kind) or (_defined_ids(known, kind) if isinstance(known, dict) else [])
    else:
        found_offers = _allowed_values(data, path)
    found_offers = [offer for offer in found_offers if offer.value not in taken]  # once in a list is enough
    opening = before[:len(before) - len(word)]
    if opening[-1:] in ("'", '"'):  # inside quotes already: the value as it is
        return [replace(offer, insert=offer.value) for offer in found_offers], start
    if is_json:
        return [replace(offer, insert=json.dumps(offer.value, ensure_ascii=False)) for offer in found_offers], start
    flow = bool(_closers(opening))
    return [replace(offer, insert=scalar(offer.value, flow=flow)) for offer in found_offers], start


def _outline(lines: list[str], number: int) -> tuple[list[str], int]:
    """The lines that line `number` is nested in, by indentation, and the line itself: its
    path in the record is theirs, whatever the thousands of lines between them hold. Each
    is the nearest line above that starts less indented (not blank, not a comment); the
    lines between are passed over by one comparison each, as a long record has tens of
    thousands."""
    line = lines[number]
    depth = len(line) - len(line.lstrip(" ")) if line.strip() else len(line)
    kept, pad = [line], " " * depth
    for above in range(number - 1, -1, -1):
        if depth == 0:
            break
        candidate = lines[above]
        if candidate[:depth] == pad:
            continue  # indented at least as deep: inside the outline's last line, or beside it
        stripped = candidate.lstrip(" ")
        if stripped.strip() and not stripped.startswith("#"):
            kept.append(candidate)
            depth = len(candidate) - len(stripped)
            pad = " " * depth
    kept.reverse()
    return kept, len(kept) - 1


def _marked_path(lines: list[str], number: int, before: str, after: str
                 ) -> tuple[tuple, set[str], Document] | None:
    """Where the marker sits, read with the word replaced by it: the rest of the line kept
    when that reads, else dropped, else with the line's open brackets closed; last, the
    text cut at the marker with every bracket still open closed (a flow list that goes on
    over several lines). Also the values beside the marker in its list."""
    quote = before[-1:] if before[-1:] in "\"'" else ""
    marked = before + MARKER + quote
    attempts = [lines[:number] + [before + MARKER + after] + lines[number + 1:],
                lines[:number] + [marked + _closers(before)] + lines[number + 1:],
                lines[:number] + [marked] + lines[number + 1:],
                lines[:number] + [marked + _closers("\n".join(lines[:number] + [before]))]]
    for attempt in attempts:
        document = load_text("\n".join(attempt), "<completion>").document
        found = _find_marker(document) if document is not None else None
        if found is not None:
            return *found, document
    return None


_SCALAR_STARTS = "[{,:-?\n"  # a quote after one of these opens a quoted scalar


def _closers(before: str) -> str:
    """The brackets left open before the cursor, closed in order. Quoted scalars and
    comments are skipped; an apostrophe inside a plain word (O'Brien) is no quote."""
    stack, quote, comment = [], "", False
    last = previous = "\n"  # the character just before, and the last one that is not a space
    for char in before:
        if char == "\n":
            comment = False
        elif comment:
            pass
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and previous in _SCALAR_STARTS:
            quote = char
        elif char == "#" and last in " \t\n":
            comment = True
        elif char in "[{":
            stack.append("]" if char == "[" else "}")
        elif char in "]}" and stack:
            stack.pop()
        last = char
        if char == "\n" or not char.isspace():
            previous = char
    return "".join(reversed(stack))


def _find_marker(document: Document) -> tuple[tuple, set[str]] | None:
    """The marker's path, and the other values of the list it is an item of (if it is)."""
    stack: list[tuple[Any, tuple, SequenceNode | None]] = [(document.root, (), None)]
    while stack:
        node, path, within = stack.pop()
        if isinstance(node, ScalarNode) and MARKER in str(node.value):
            items = within.value if within is not None else []
            return path, {str(item.value) for item in items if item is not node and isinstance(item, ScalarNode)}
        if isinstance(node, SequenceNode):
            stack.extend((item, path + (index,), node) for index, item in enumerate(node.value))
        elif isinstance(node, MappingNode):
            stack.extend((value, path + (key.value,), None) for key, value in node.value
                         if isinstance(key, ScalarNode))
    return None


def _reference_kind(path: tuple) -> str | None:
    """The list whose ids a value at `path` names, if it is a reference: `party` of a
    co-chair, `agenda_item` of an agreement, `sources` below the top level, and so on."""
    names = [(depth, step) for depth, step in enumerate(path) if isinstance(step, str)]
    if not names:
        return None
    depth, name = names[-1]
    kind = REFERENCE_KINDS.get(name)
    if kind is None or (depth == 0 and name == kind):  # the top-level list defines the ids
        return None
    return kind


def _defined_ids(data: dict, kind: str) -> list[Offer]:
    seen, found = set(), []
    for item in data.get(kind) or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in seen:
            seen.add(item["id"])
            label = item.get("name") or item.get("title") or item.get("text") or ""
            found.append(Offer(item["id"], f"{kind}: {label}" if isinstance(label, str) and label else kind, True))
    return found


def _allowed_values(data: dict, path: tuple) -> list[Offer]:
    root = schema.load_cached(schema.version_of(data))
    schemas = schema_walk.at_instance(root, path)
    values: list[Any] = []
    for part in schemas:
        values.extend(part.get("enum") or [])
        if "const" in part:
            values.append(part["const"])
    description = schema_walk.first_sentence(schema_walk.first(schemas, "description"))
    unique = list(dict.fromkeys(v for v in values if isinstance(v, str)))
    return [Offer(value, description, False) for value in unique]
