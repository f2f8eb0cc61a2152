"""Writing the tree as canonical text: block layout, flow lists of scalars, comments in place.

The text is written here rather than by ruamel's dumper, which keeps a comment on a line of
its own with the key *above* it, and would carry it off with that key when keys are
reordered.
"""

from __future__ import annotations

from .scalars import literal_ok, scalar
from .tree import Entry, Node, Tree

INDENT = 2


def hoist_comments(entries: list[Entry]) -> None:
    """A collection that is a sequence item starts on the dash line (`- id: x`). So a
    comment at the end of the item's line goes down to that first entry (outermost items
    first), and the comments above the first entry go up above the dash (deepest items
    first); this happens before any layout is chosen, after the keys are ordered."""
    compact = [entry for entry in entries if _compact(entry)]
    for entry in compact:
        first = entry.node.in_order()[0]
        if entry.eol and _block(entry.node, compact=True):
            first.eol = entry.eol + first.eol
            entry.eol = []
    for entry in reversed(compact):
        first = entry.node.in_order()[0]
        entry.before.extend(first.before + first.eol[1:])
        first.before, first.eol = [], first.eol[:1]


def keep_suppressed_mappings_inline(entries: list[Entry]) -> None:
    """A flow mapping of scalars, written on one line that carries an inline suppression
    (`dates: {start: ..., weekday: Friday}  # communique: ignore[D002] ...`), stays on one
    line: a suppression works on the line a finding points at, and in block style its
    keys would move to lines of their own, away from it."""
    for entry in entries:
        node = entry.node
        if (node.kind == "map" and node.flow and node.entries and node.line == node.end_line == entry.line
                and any("communique:" in comment for comment in entry.eol if comment)
                and all(item.node.kind == "scalar" and not item.node.anchor and item.key.kind == "scalar"
                        and not item.key.anchor and not item.before and not item.eol for item in node.entries)
                and not any(comment is not None for comment in node.trail)):  # no comment inside to lose
            node.keep_inline = True


class Writer:
    def __init__(self, tree: Tree):
        self.tree = tree
        self.out: list[str] = []
        self.fresh = True  # at the start of the file or of a block: no blank line here
        self.emitted: set[int] = set()  # anchored nodes already written in full

    def write(self) -> str:
        tree = self.tree
        for line in tree.header:
            self._blank() if line is None else self._line(line)
        node, alias = self._resolve(tree.root)
        if alias is not None:
            self._line(f"*{alias}")
        elif node.kind in ("map", "seq") and self._shape(node) != "inline":
            if node.anchor:
                self._line(f"&{node.anchor}")
            self._entries(node, 0)
        else:
            self._line(self._anchored(node, self._inline(node)))
        self._comments(_trim(tree.footer), 0)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"

    # -- lines

    def _line(self, text: str) -> None:
        self.out.append(text)
        self.fresh = False

    def _blank(self) -> None:
        if not self.fresh and self.out and self.out[-1] != "":
            self.out.append("")

    def _comments(self, items: list, indent: int) -> None:
        for item in items:
            if item is None:
                self._blank()
            else:
                self._line(" " * indent + item)

    # -- nodes

    def _resolve(self, node: Node) -> tuple[Node, str | None]:
        """The node to write here, and the anchor name when it is written as an alias."""
        node = node.real()
        if node.anchor is not None:
            if id(node) in self.emitted:
                return node, node.anchor
            self.emitted.add(id(node))
        return node, None

    @staticmethod
    def _shape(node: Node) -> str:
        """inline (a scalar, `[]`, `{}` or a flow sequence), literal, map or seq (blocks)."""
        if node.kind == "scalar":
            return "literal" if literal_ok(node.value) else "inline"
        if not node.entries or getattr(node, "keep_inline", False):
            return "inline"
        if node.kind == "map":
            return "map"
        return "seq" if _block(node) else "inline"

    def _inline(self, node: Node) -> str:
        if node.kind == "scalar":
            return scalar(node.value, flow=False)
        if node.kind == "map":
            pairs = [f"{scalar(e.key.value, flow=True)}: {scalar(e.node.value, flow=True)}" for e in node.in_order()]
            return "{" + ", ".join(pairs) + "}"
        if not node.entries:
            return "[]"
        items = []
        for entry in node.entries:
            item, alias = self._resolve(entry.node)
            items.append(f"*{alias}" if alias is not None else self._anchored(item, scalar(item.value, flow=True)))
        return "[" + ", ".join(items) + "]"

    @staticmethod
    def _anchored(node: Node, text: str) -> str:
        return f"&{node.anchor} {text}" if node.anchor else text

    def _key(self, key: Node) -> str:
        if key.kind == "alias":
            return f"*{key.anchor} "
        if key.anchor:
            self.emitted.add(id(key))
        return self._anchored(key, scalar(key.value, flow=False))

    def _entries(self, collection: Node, indent: int, first_prefix: str | None = None) -> None:
        for position, entry in enumerate(collection.in_order()):
            before = list(entry.before) + entry.eol[1:]
            if position == 0:
                before = _trim(before, leading=True)
            if position == 0 and first_prefix is not None:
                # Written on the dash line: anything above it goes above the dash
                # (hoist_comments has normally moved it to the item already).
                self._comments(before, len(first_prefix) - len(first_prefix.lstrip(" ")))
                prefix = first_prefix
            else:
                self._comments(before, indent)
                prefix = " " * indent
            head = f"{prefix}{self._key(entry.key)}:" if collection.kind == "map" else f"{prefix}-"
            self._value(entry, indent, head)
        self._comments(_trim(collection.trail), indent)

    def _value(self, entry: Entry, indent: int, head: str) -> None:
        """Write `head` (a key and colon, or a dash) followed by the entry's value."""
        eol = f"  {entry.eol[0]}" if entry.eol else ""
        node, alias = self._resolve(entry.node)
        if alias is not None:
            self._line(f"{head} *{alias}{eol}")
            return
        anchor = f" &{node.anchor}" if node.anchor else ""
        shape = self._shape(node)
        if shape == "inline":
            self._line(f"{head}{anchor} {self._inline(node)}{eol}")
        elif shape == "literal":
            value = node.value
            chomp = "" if value.endswith("\n") else "-"
            self._line(f"{head}{anchor} |{chomp}{eol}")
            body = value[:-1] if value.endswith("\n") else value
            for text in body.split("\n"):
                self.out.append(" " * (indent + INDENT) + text if text else "")
        elif entry.key is None and not anchor and not eol:
            # A mapping or sequence as a sequence item: its first entry on the dash line
            # (hoist_comments moved the comments of that entry to the item).
            self._entries(node, indent + INDENT, first_prefix=head + " ")
        else:
            self._line(f"{head}{anchor}{eol}")
            self.fresh = True
            self._entries(node, indent + INDENT)


def _trim(items: list, *, leading: bool = False) -> list:
    """Comment lines (None: a blank line) with runs of blank lines made one, and none at
    the end nor, with `leading`, at the start."""
    result: list = []
    for item in items:
        if item is None and (result[-1:] == [None] or (leading and not result)):
            continue
        result.append(item)
    while result and result[-1] is None:
        result.pop()
    return result


def _compact(entry: Entry) -> bool:
    """A sequence item whose mapping or sequence starts on the dash line (unless in flow style)."""
    node = entry.node
    return (entry.key is None and node.kind in ("map", "seq") and not node.anchor and bool(node.entries)
            and not getattr(node, "keep_inline", False))


def _block(node: Node, *, compact: bool = False) -> bool:
    """Whether a non-empty collection is written in block style: mappings always; sequences
    unless all their items are scalars and no comment stands among them (with `compact`,
    comments above the first item do not count: they go above the dash)."""
    if node.kind == "map" or not all(entry.node.real().kind == "scalar" for entry in node.entries):
        return True
    if any(item is not None for item in node.trail) or any(entry.eol for entry in node.entries):
        return True
    return any(item is not None for entry in node.entries[1 if compact else 0:] for item in entry.before)
