"""The formatter's promise to suppressions: an inline `# communique: ignore[...]` works on
the line a finding points at, so after formatting, each suppression must still stand on a
line with exactly the same places of the record (keys and values, by JSON path) as before.
Otherwise a working suppression would stop working, or silence something else; the file is
then left untouched (K002), with what to change by hand."""

from __future__ import annotations

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ...documents.loading import Document, load_text
from ...lint.suppression import parse_suppressions
from ...schema.validation import format_json_path
from .errors import Unformattable


def check_suppressions_kept(text: str, new_text: str, path: str) -> None:
    before = parse_suppressions(text)
    if not before:
        return
    after = parse_suppressions(new_text)
    old_places, new_places = _places_by_line(load_text(text, path).document), \
        _places_by_line(load_text(new_text, path).document)
    unmatched = {}
    for line, suppression in sorted(after.items()):
        unmatched.setdefault(_identity(suppression), []).append(line)
    for line, suppression in sorted(before.items()):
        lines = unmatched.get(_identity(suppression))
        if not lines:  # the comment text is kept (checked elsewhere); this cannot happen
            raise Unformattable("a suppression comment would be lost; the file is left as it is", line, 1)
        new_line = lines.pop(0)
        was, now = old_places.get(line, set()), new_places.get(new_line, set())
        if was != now:
            away = sorted({place for place, _ in was - now}) or sorted({place for place, _ in now - was})
            raise Unformattable(
                f"the suppression on line {line} would no longer stand beside "
                f"{', '.join(format_json_path(place) for place in away[:3])} after formatting; the file is left as "
                "it is. Put what it silences first on its line (or the comment on the line of what it "
                "silences) in the order `communique fmt` keeps, then format again", line, suppression.column)


def _identity(suppression) -> tuple:
    return tuple(suppression.codes), suppression.reason


def _places_by_line(document: Document | None) -> dict[int, set]:
    """1-based line -> the (JSON path, is a key) of every key and value that starts on it."""
    places: dict[int, set] = {}
    if document is None or document.root is None:
        return places
    stack = [((), document.root)]
    seen = set()
    while stack:
        path, node = stack.pop()
        places.setdefault(node.start_mark.line + 1, set()).add((path, False))
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend((path + (index,), item) for index, item in enumerate(node.value))
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                step = key_node.value if isinstance(key_node, ScalarNode) else "?"
                places.setdefault(key_node.start_mark.line + 1, set()).add((path + (step,), True))
                stack.append((path + (step,), value_node))
    return places
