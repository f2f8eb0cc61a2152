"""Where things are in a record's text, in the editor's terms: 0-based lines, columns in
characters (the protocol layer converts those to the client's code units)."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.findings import Finding
from ..documents.loading import Document
from ..rewrite.fixing import parse_json_path

Position = tuple[int, int]  # (line, character), 0-based


def finding_range(document: Document | None, lines: list[str], finding: Finding) -> tuple[Position, Position]:
    """The span a finding covers: the scalar it points at, else the rest of its word (a
    key, a collection's first line), else its line."""
    if not finding.line:
        return (0, 0), (0, len(lines[0]) if lines else 0)
    start = (finding.line - 1, max(finding.column - 1, 0))
    if not finding.show_source:  # about the record as a whole
        return start, (start[0], _line_end(lines, start[0]))
    node = _node_starting_at(document, finding, start)
    if isinstance(node, ScalarNode) and node.end_mark is not None:
        end = (node.end_mark.line, node.end_mark.column)
        if end > start:
            return start, end
    return start, (start[0], _word_end(lines, start))


def _node_starting_at(document: Document | None, finding: Finding, start: Position) -> Node | None:
    path = parse_json_path(finding.json_path) if document is not None and finding.json_path else None
    if path is None or document.root is None:
        return None
    for key in (False, True):
        node = document.node_at(path, key=key)
        if node is not None and (node.start_mark.line, node.start_mark.column) == start:
            return node
    return None


def _line_end(lines: list[str], line: int) -> int:
    return len(lines[line].rstrip("\r\n")) if line < len(lines) else 0


def _word_end(lines: list[str], start: Position) -> int:
    """The end of the token at `start`; the end of the line when there is none."""
    if start[0] >= len(lines):
        return start[1]
    text = lines[start[0]].rstrip("\r\n")
    end = start[1]
    while end < len(text) and not text[end].isspace() and text[end] not in ":,]}#":
        end += 1
    return end if end > start[1] else len(text)


def path_at(document: Document, position: Position) -> tuple[tuple, bool] | None:
    """The JSON path of the deepest node at `position`, and whether it is a mapping key
    there (hover on `title:` is about the field `title`)."""
    node, path = document.root, ()
    if node is None or not _contains(node, position):
        return None
    while True:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, ScalarNode) else None
                if _contains(key_node, position):
                    return path + (name,), True
                if _contains(value_node, position):
                    node, path = value_node, path + (name,)
                    break
            else:
                return path, False
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                if _contains(item, position):
                    node, path = item, path + (index,)
                    break
            else:
                return path, False
        else:
            return path, False


def _contains(node: Node, position: Position) -> bool:
    start = (node.start_mark.line, node.start_mark.column)
    end = (node.end_mark.line, node.end_mark.column)
    # A scalar holds the position just after it (the cursor at the end of a word); an empty
    # node holds its one position.
    return start <= position < end or (position == end and (start == end or isinstance(node, ScalarNode)))


def text_change(old: str, new: str) -> tuple[Position, Position, str]:
    """The one replacement that turns `old` into `new`: the span of `old` between their
    common start and common end, and what goes there. Edits stay small, so the editor keeps
    the cursor and the undo history makes sense."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return offset_position(old, prefix), offset_position(old, len(old) - suffix), new[prefix:len(new) - suffix]


def offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)
