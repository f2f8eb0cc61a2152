"""Comments and blank lines: finding them in the text, and tying each to what it stands with.

A comment at the end of a line goes with the key or item that line belongs to (after a flow
collection, with the collection's key); a comment on lines of its own with the key or item
below it, unless it is indented deeper than that one, when it stays at the end of the block
above it. A blank line goes with the next comment in its gap, or else before the next
entry. So when keys are reordered, their comments and blank lines move with them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lines import Lines
from .tree import Entry, Node, Tree


@dataclass
class Comment:
    index: int
    line: int
    column: int
    text: str
    own_line: bool  # nothing but white space before it on its line


@dataclass
class Scan:
    comments: list[Comment]
    blank_lines: list[int]  # outside scalars, without comments
    header_marks: list[tuple[int, str]]  # (line, text) of directives and `---`


def find_comments(lines: Lines, tokens: list) -> Scan:
    """Find every comment and blank line. In a text that parses, a `#` outside scalars,
    anchors, aliases, tags and directives starts a comment (YAML wants white space before
    it, but libyaml also takes `'quoted'# comment`)."""
    text = lines.text
    covered, inside_lines, header_marks = _spans(lines, tokens)
    starts = [span[0] for span in covered]
    comments = []
    index = text.find("#")
    while index != -1:
        span = bisect_right(starts, index) - 1
        if not (span >= 0 and index < covered[span][1]):
            line = lines.line_of(index)
            line_text = lines.text_of(line)
            column = index - lines.starts[line]
            comments.append(Comment(index, line, column, line_text[column:].rstrip(), not line_text[:column].strip()))
            if line + 1 >= len(lines.starts):
                break
            index = text.find("#", lines.starts[line + 1])
        else:
            index = text.find("#", index + 1)
    commented = {comment.line for comment in comments}
    blank_lines = [line for line in range(len(lines.starts))
                   if line not in inside_lines and line not in commented
                   and not lines.text_of(line).strip() and lines.starts[line] < len(text)]
    return Scan(comments, blank_lines, header_marks)


def _spans(lines: Lines, tokens: list) -> tuple[list[tuple[int, int]], set[int], list[tuple[int, str]]]:
    """Where no comment can start: the sorted spans of scalars, anchors, aliases, tags and
    directives; the lines inside a multi-line scalar; and the directives and `---` marks."""
    from ruamel.yaml import tokens as T

    covered: list[tuple[int, int]] = []
    inside_lines: set[int] = set()
    header_marks: list[tuple[int, str]] = []
    for token in tokens:
        if not isinstance(token, (T.ScalarToken, T.AnchorToken, T.AliasToken, T.TagToken, T.DirectiveToken,
                                  T.DocumentStartToken)):
            continue
        start, end = lines.mark(token.start_mark), lines.mark(token.end_mark)
        if isinstance(token, T.ScalarToken):
            block = token.style in ("|", ">")
            keep = False  # a block scalar that keeps its trailing blank lines (`|+`)
            if block:
                # The header line (`|-  # comment`) is not the scalar's text.
                header = re.match(r"[|>][0-9+-]*", lines.text[start.index:])
                keep = header is not None and "+" in header.group()
                begin = lines.starts[start.line + 1] if start.line + 1 < len(lines.starts) else end.index
                covered.append((begin, max(begin, end.index)))
            else:
                covered.append((start.index, end.index))
            last = lines.last_line(start, end, trim_blank=block and not keep)
            inside_lines.update(range(start.line + 1, last + 1))
        elif isinstance(token, T.DocumentStartToken):
            header_marks.append((start.line, "---"))
        else:
            covered.append((start.index, end.index))
            if isinstance(token, T.DirectiveToken):
                header_marks.append((start.line, lines.text[start.index:end.index].strip()))
    covered.sort()
    return covered, inside_lines, header_marks


def place_comments(tree: Tree, found: Scan) -> None:
    """Tie every comment and blank line to an entry (before it, or at the end of its line),
    to the end of a collection, or to the header above the document."""
    line_starts = tree.lines.starts
    first_line = tree.root.line
    marks: dict[int, list[str]] = {}
    for line, text in found.header_marks:
        if line <= first_line:
            marks.setdefault(line, []).append(text)
    header_lines: dict[int, list[str]] = {line: [] for line in marks}
    placed: list[list] = []  # [item, destination]; an item is a Comment or a blank line's number
    items = [(c.index, c) for c in found.comments] + [(line_starts[n], n) for n in found.blank_lines]
    for _, item in sorted(items, key=lambda pair: pair[0]):
        line = item.line if isinstance(item, Comment) else item
        if line < first_line:
            header_lines.setdefault(line, []).extend([item.text] if isinstance(item, Comment) else [])
        else:
            placed.append([item, _destination(tree, item) if isinstance(item, Comment) else None])
    tree.header = []
    for line in sorted(header_lines):
        parts = marks.get(line, []) + header_lines[line]
        tree.header.append("  ".join(parts) if parts else None)
    # A blank line goes with the next comment in its gap, or else before the next entry.
    next_comment = None
    for pair in reversed(placed):
        if isinstance(pair[0], Comment):
            next_comment = pair
            continue
        following = tree.entry_after(line_starts[pair[0]])
        if next_comment is not None and next_comment[1][0] != "eol" \
                and (following is None or next_comment[0].index < following.start):
            pair[1] = next_comment[1]
        elif following is not None:
            pair[1] = ("before", following)
    for item, destination in placed:
        if destination is None:
            continue  # a blank line at the end
        where, target = destination
        text = item.text if isinstance(item, Comment) else None
        if where == "eol":
            target.eol.append(text)
        elif where == "before":
            target.before.append(text)
        elif target is None:
            tree.footer.append(text)
        else:
            target.trail.append(text)


def _destination(tree: Tree, comment: Comment) -> tuple:
    entries = tree.entries
    if not comment.own_line:
        # The entry on whose lines it stands that started last before it.
        position = bisect_right(tree.entry_starts, comment.index) - 1
        while position >= 0 and entries[position].end_line < comment.line:
            position -= 1
        if position >= 0:
            entry = entries[position]
            # After the end of a flow collection (`key: [a, b]  # c`): with its key.
            while entry.parent.flow and entry.parent.owner is not None and comment.line == entry.parent.end_line:
                entry = entry.parent.owner
            return ("eol", entry)
    following = tree.entry_after(comment.index)
    previous = tree.entry_before(comment.index)
    if previous is not None and previous.node.kind in ("scalar", "alias") \
            and previous.line < comment.line < previous.end_line:
        return ("before", previous)  # between a key and its value on a later line
    if previous is not None and (following is None or comment.column > following.column):
        # Indented deeper than what follows: the end of a block that closes here.
        closing = previous.parent
        while closing is not None:
            if following is not None and _contains(closing, following):
                break
            first = closing.entries[0]
            if first.column <= comment.column:
                return ("trail", closing)
            closing = closing.owner.parent if closing.owner is not None else None
    if following is not None:
        return ("before", following)
    root = tree.root
    return ("trail", root if root.kind in ("map", "seq") and root.entries else None)


def _contains(collection: Node, entry: Entry) -> bool:
    node = entry.parent
    while node is not None:
        if node is collection:
            return True
        node = node.owner.parent if node.owner is not None else None
    return False
