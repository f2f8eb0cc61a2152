"""The document as a tree of nodes and entries, built from ruamel.yaml's events.

ruamel gives the structure, the anchors and aliases, and where every key and item stands;
the values come from the loader's data, so that the formatter reads every value as the
other commands do. Where the two disagree, the file is not formatted.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from ...documents.scalars import _NotJson, resolve_plain
from .errors import Unformattable
from .lines import Lines, Mark


def parse(text: str) -> tuple[list, list]:
    """Events and tokens of `text`, from ruamel.yaml's round-trip parser (YAML 1.2)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.scanner import RoundTripScanner

    tokens: list = []

    class RecordingScanner(RoundTripScanner):
        def get_token(self):
            token = super().get_token()
            tokens.append(token)
            return token

    yaml = YAML(typ="rt")
    yaml.Scanner = RecordingScanner
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            events = list(yaml.parse(text))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise Unformattable(f"ruamel.yaml cannot parse the file: {error.problem or error}", line, column) from None
    except Exception as error:  # noqa: BLE001 - any parser failure leaves the file alone
        raise Unformattable(f"ruamel.yaml cannot parse the file: {error}") from None
    return events, tokens


@dataclass(eq=False)
class Node:
    kind: str  # "map", "seq", "scalar" or "alias"
    value: Any = None  # a scalar's value, from the loader's data
    anchor: str | None = None
    target: "Node | None" = None  # an alias's node
    flow: bool = False  # a collection in flow style in the source
    entries: list = field(default_factory=list)
    ordered: list | None = None  # entries in canonical order
    trail: list = field(default_factory=list)  # comments after the last entry
    owner: "Entry | None" = None  # the entry this collection is the value of
    line: int = 0
    end_line: int = 0

    def real(self) -> "Node":
        return self.target if self.kind == "alias" else self

    def in_order(self) -> list:
        """The entries in canonical order once keys are ordered, else as they stand."""
        return self.ordered or self.entries


@dataclass(eq=False)
class Entry:
    key: Node | None  # None for a sequence item
    node: Node
    parent: Node
    start: int  # character offset of the key, the item's dash, or a flow item
    line: int
    column: int
    end_line: int = 0
    before: list = field(default_factory=list)  # comment texts and None for a blank line
    eol: list = field(default_factory=list)


class Tree:
    """The root node, and every entry in the order it stands in the text. The comments are
    placed into it later (comments.place_comments): on entries, collections, `header` and `footer`."""

    def __init__(self, lines: Lines, events: list, tokens: list, data: Any):
        from ruamel.yaml import events as E
        from ruamel.yaml import tokens as T

        self.E = E
        self.lines = lines
        self.events = events
        self.position = 0
        self.dashes = [t.start_mark for t in tokens if isinstance(t, T.BlockEntryToken)]
        self.dash_position = 0
        self.anchors: dict[str, Node] = {}
        self.entries: list[Entry] = []
        self.header: list = []  # lines above the document: directives, `---`, comments
        self.footer: list = []  # comments after the last entry of the document
        self._build(data)

    def entry_after(self, index: int) -> Entry | None:
        position = bisect_right(self.entry_starts, index)
        return self.entries[position] if position < len(self.entries) else None

    def entry_before(self, index: int) -> Entry | None:
        position = bisect_left(self.entry_starts, index) - 1
        return self.entries[position] if position >= 0 else None

    # -- building

    def _next(self):
        event = self.events[self.position]
        self.position += 1
        return event

    def _build(self, data: Any) -> None:
        E = self.E
        event = self._next()
        while not isinstance(event, E.DocumentStartEvent):
            event = self._next()
        self.root = self._node(self._next(), data, None)
        event = self._next()
        if not isinstance(event, E.DocumentEndEvent):
            raise Unformattable("more than one document")
        self.entries.sort(key=lambda entry: entry.start)
        self.entry_starts = [entry.start for entry in self.entries]

    def _node(self, event, data: Any, owner: Entry | None) -> Node:
        E = self.E
        start, end = self.lines.mark(event.start_mark), self.lines.mark(event.end_mark)
        if isinstance(event, E.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is None:
                raise Unformattable.at(f"alias *{event.anchor} has no anchor", start)
            return Node("alias", anchor=event.anchor, target=target, line=start.line, end_line=end.line)
        if isinstance(event, E.ScalarEvent):
            if isinstance(data, (dict, list)):
                raise _mismatch("the structure", start)
            if event.value == "" and event.style is None and owner is not None:
                # An empty value (`key:`) has its mark at the next token, lines below.
                node = Node("scalar", value=data, anchor=event.anchor, line=owner.line, end_line=owner.line)
            else:
                node = Node("scalar", value=data, anchor=event.anchor, line=start.line,
                            end_line=self.lines.last_line(start, end, trim_blank=event.style in ("|", ">")))
            self._register(node)
            return node
        if isinstance(event, E.SequenceStartEvent):
            node = self._collection("seq", event, data, list, owner, start)
            self._items(node, data, start)
        elif isinstance(event, E.MappingStartEvent):
            node = self._collection("map", event, data, dict, owner, start)
            self._keys(node, data, start)
        else:
            raise Unformattable.at(f"unexpected {type(event).__name__}", start)
        closing = self.lines.mark(self._next().end_mark)
        # A block collection ends with its last entry (its end event stands at the next token).
        node.end_line = closing.line if node.flow else max([node.line] + [e.end_line for e in node.entries])
        return node

    def _collection(self, kind: str, event, data: Any, expected: type, owner: Entry | None, start: Mark) -> Node:
        if not isinstance(data, expected):
            raise _mismatch("the structure", start)
        node = Node(kind, anchor=event.anchor, flow=bool(event.flow_style), owner=owner, line=start.line)
        self._register(node)
        return node

    def _items(self, node: Node, data: list, start: Mark) -> None:
        while not isinstance(self.events[self.position], self.E.SequenceEndEvent):
            item = self._next()
            index = len(node.entries)
            if index >= len(data):
                raise _mismatch("the structure", start)
            mark = self.lines.mark(item.start_mark) if node.flow else self._dash_before(item.start_mark)
            entry = Entry(None, None, node, mark.index, mark.line, mark.column)
            self._add(node, entry, item, data[index], entry.line)
        if len(node.entries) != len(data):
            raise _mismatch("the structure", start)

    def _keys(self, node: Node, data: dict, start: Mark) -> None:
        seen = set()
        while not isinstance(self.events[self.position], self.E.MappingEndEvent):
            key_event = self._next()
            key_mark = self.lines.mark(key_event.start_mark)
            key = self._node(key_event, None, None)
            name = self._key_name(key_event, key, key_mark)
            if name not in data or name in seen:
                raise _mismatch("the keys", key_mark)
            seen.add(name)
            if key.kind == "scalar":
                key.value = name
            entry = Entry(key, None, node, key_mark.index, key_mark.line, key_mark.column)
            self._add(node, entry, self._next(), data[name], key.end_line)
        if len(seen) != len(data):
            raise _mismatch("the keys", start)

    def _add(self, collection: Node, entry: Entry, event, data: Any, first_end_line: int) -> None:
        """Build the entry's value from `event` and add the entry to its collection."""
        entry.node = self._node(event, data, entry)
        entry.end_line = max(entry.node.end_line, first_end_line)
        collection.entries.append(entry)
        self.entries.append(entry)

    def _register(self, node: Node) -> None:
        if node.anchor is not None:
            self.anchors[node.anchor] = node

    @staticmethod
    def _key_name(event, key: Node, mark: Mark) -> str:
        if key.kind == "alias":
            name = key.target.value
        elif event.style is None:
            try:
                name = resolve_plain(event.value)
            except _NotJson:
                name = None
        else:
            name = event.value.replace("\a", "") if event.style == ">" else event.value
        if not isinstance(name, str):
            raise Unformattable.at("a mapping key is not a string", mark)
        return name

    def _dash_before(self, item_mark) -> Mark:
        """The dash of the block sequence item that starts at `item_mark`: block sequence
        items and dash tokens come in the same order."""
        if self.dash_position >= len(self.dashes) or self.dashes[self.dash_position].index > item_mark.index:
            raise Unformattable.at("cannot find the dash of a sequence item", self.lines.mark(item_mark))
        dash = self.dashes[self.dash_position]
        self.dash_position += 1
        return self.lines.mark(dash)


def _mismatch(what: str, mark: Mark) -> Unformattable:
    return Unformattable.at(f"ruamel.yaml and the loader disagree on {what}", mark)
