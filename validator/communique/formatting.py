"""`communique fmt`: rewrite records into one canonical layout, keeping every value and comment.

The canonical form
  - Mapping keys in the order the schema declares them: the record schema's `properties`,
    followed through `$ref`, `allOf`, `anyOf` and `oneOf` (a schema's base before its own
    properties, so a co-chair lists a person's fields, then `role`), in the schema that the
    record's `schema_version` names. Keys the schema does not know follow the known ones in
    their own order. Without a known `schema_version`, keys keep their order.
  - Mappings in block style, indented by 2; a sequence 2 further in than its key
    (`  - item`), a mapping in a sequence starting on the dash line (`  - id: x`). A sequence
    whose items are all scalars is written in flow style (`sources: [a, b]`), unless a
    comment stands beside or between its items: then it stays in block style, so that the
    comments stay with their items. Empty collections are `[]` and `{}`.
  - Strings plain where YAML 1.2 (core schema), and libyaml, read the plain text back as the
    same string; otherwise in double quotes, with escapes for control and invisible
    characters: `schema_version: "1.0"`, `when: "2026"`, `title: "true"`, but `country: NO`,
    `start: 2025-11-21`, `within: 2025-10`. A string of several lines is a literal block
    (`|` or `|-`) when one can hold it exactly, otherwise double-quoted. Nothing is wrapped.
  - `null`, `true`, `false`; integers in decimal; floats as Python's repr writes them.
  - Every comment kept, with what it stands beside: a comment at the end of a line with the
    key or item that line belongs to (the last to start before the comment; after a flow
    collection, with the collection's key); a comment on lines of its own with the key or
    item below it, unless it is indented deeper than that one, when it stays at the end of
    the block above it. A comment above the first key of the file stays at the top. Blank
    lines between entries are kept, each run as one; none at the start of a block or the
    end of the file. Anchors and aliases are kept (an anchor moves to wherever its node is
    now written first).
  - UTF-8 without a byte-order mark, LF line endings, one newline at the end.

Reading. A file is first loaded as every command loads it (communique.loading); a file that
does not load cleanly is reported and left untouched. The text is then parsed with
ruamel.yaml in round-trip mode (YAML 1.2): its events give the structure, the anchors and
aliases and where every key and item stands, and its tokens where every dash, scalar and
anchor stands, and so which `#` starts a comment. Values are not taken from ruamel but from
the loader's data, so that the formatter reads every value as the other commands do.

Writing. The new text is written by this module, not by ruamel's dumper, which keeps a
comment on a line of its own with the key *above* it and would carry it off with that key
when keys are reordered.

Safety. Before anything is written, the new text is loaded again: it must give the same
data (types included), hold the same comments, and come out unchanged when formatted
again; otherwise the file is left untouched and K002 says why. A file is replaced
atomically (a temporary file in its folder, fsync, os.replace; a symlink's target, with its
permission bits) and only when its bytes change. `--check` and `--diff` write nothing.
JSON files are left alone: they have no YAML layout to put right.

ruamel.yaml is imported only when a file is formatted.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import findings as F
from .files import find_records
from .findings import Finding, Severity, register
from .loading import _NotJson, load_file, load_text, resolve_plain
from .reporting import Report

NOT_CANONICAL = register(
    "K001", "not-canonical", "The file is not in canonical form; `communique fmt` would rewrite it.",
    """Records are kept in one layout, so that a change to a record shows as a change to its
values and not to its layout, and so that records read alike: keys in the order the schema
declares them, 2-space indentation with `  - ` items, lists of plain values in flow style,
strings quoted (in double quotes) only where YAML 1.2 would read them otherwise.
`communique fmt --check` reports a file that differs, at the first line that would change;
`communique fmt FILE` rewrites it, keeping every value and comment (`--diff` shows the change).

Bad:
    id: pk-eu-strategic-dialogue-07
    schema_version: '1.0'
    dates: {start: 2025-11-21}
    parties:
    - id: pk
      name: "Pakistan"
      sources:
        - 000_977b91af71d6b120

Good:
    schema_version: "1.0"
    id: pk-eu-strategic-dialogue-07
    dates:
      start: 2025-11-21
    parties:
      - id: pk
        name: Pakistan
        sources: [000_977b91af71d6b120]
""")
CANNOT_FORMAT = register(
    "K002", "cannot-format", "The formatter could not rewrite the file without changing it; it was left untouched.",
    """Before writing, the formatter loads its output again and checks that it holds the same
data and the same comments as the file, and that formatting it again changes nothing. When
a check fails (or the file cannot be parsed for formatting), the file is left as it is and
this finding names the problem: please report it, with the file.""")
WRITE_FAILED = register(
    "K003", "write-failed", "The formatted file could not be written.",
    "The file is read-only, its folder cannot be written, or the disk is full. The file is "
    "unchanged. The run exits 2.", io_error=True)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
INDENT = 2

# YAML 1.2 printable characters; anything else is escaped in a double-quoted string.
# Line and paragraph separators and NEL are line breaks to YAML 1.1 readers, and a BOM
# inside text is invisible: they are escaped as well.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = frozenset(",[]{}:")
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


class _Unformattable(Exception):
    """The file cannot be formatted safely; the message says why."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


# ---------------------------------------------------------------------------------------
# The command


@dataclass
class _Outcome:
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False  # not in canonical form (written, or would be with --check)
    skipped: bool = False
    diff: str = ""


def format_paths(paths, check: bool = False, want_diff: bool = False) -> tuple[Report, int, str]:
    """`communique fmt`: format (or, with `check`, only check) every record file under `paths`.

    Returns the report, the exit code and a unified diff of the changes (empty unless
    `want_diff`). `want_diff` writes nothing, like `check`: it shows what would change.
    """
    files, findings = find_records(paths)
    diffs = []
    changed = unchanged = failed = skipped = 0
    for path in files:
        outcome = _format_file(path, write=not (check or want_diff), want_diff=want_diff, report_change=check)
        findings.extend(outcome.findings)
        if outcome.diff:
            diffs.append(outcome.diff)
        if outcome.skipped:
            skipped += 1
        elif outcome.findings and not (check and outcome.changed and _only_not_canonical(outcome.findings)):
            failed += 1
        elif outcome.changed:
            changed += 1
        else:
            unchanged += 1
    if files:
        print(_tally(changed, unchanged, failed, skipped, dry=check or want_diff), file=sys.stderr)
    code = EXIT_CLEAN
    if any(f.code.io_error for f in findings):
        code = EXIT_ERROR
    elif any(f.severity >= Severity.ERROR for f in findings):
        code = EXIT_FINDINGS
    return Report(sorted(findings, key=Finding.sort_key), len(files)), code, "".join(diffs)


def _only_not_canonical(findings: list[Finding]) -> bool:
    return all(f.code is NOT_CANONICAL for f in findings)


def _tally(changed: int, unchanged: int, failed: int, skipped: int, *, dry: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'' if count == 1 else 's'}"

    parts = [f"{files(changed)} {'would be reformatted' if dry else 'reformatted'}",
             f"{files(unchanged)} {'already formatted' if dry else 'left unchanged'}"]
    if failed:
        parts.append(f"{files(failed)} not formatted (see the findings)")
    if skipped:
        parts.append(f"{files(skipped).replace('file', 'JSON file')} skipped")
    return ", ".join(parts) + "."


def _format_file(path: str, *, write: bool, want_diff: bool, report_change: bool) -> _Outcome:
    if path.lower().endswith(".json"):
        return _Outcome(skipped=True)  # JSON records have no YAML layout to put right
    loaded = load_file(path)
    if loaded.document is None:
        return _Outcome(findings=list(loaded.findings))
    document = loaded.document
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return _Outcome(findings=[Finding(path, 1, 1, F.FILE_UNREADABLE,
                                          f"cannot read file: {error.strerror or error}")])
    if raw.decode("utf-8-sig", errors="replace") != document.text:
        return _Outcome(findings=[Finding(path, 1, 1, CANNOT_FORMAT, "the file changed while it was read; try again")])
    try:
        new_text = format_text(document.text, document.data, path)
    except _Unformattable as problem:
        return _Outcome(findings=[Finding(path, problem.line, problem.column, CANNOT_FORMAT, str(problem))])
    new_raw = new_text.encode("utf-8")
    if new_raw == raw:
        return _Outcome()
    outcome = _Outcome(changed=True)
    if want_diff:
        outcome.diff = _unified_diff(path, document.text, new_text)
    if report_change:
        outcome.findings.append(_not_canonical(path, raw, document.text, new_text))
    if write:
        problem = _write_atomically(path, raw, new_raw)
        if problem is not None:
            outcome.findings.append(problem)
    return outcome


def _unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    old_lines = [line + "\n" for line in _split_lines(old)]
    new_lines = new.splitlines(keepends=True)
    if old_lines == new_lines:  # only the byte-order mark or line endings differ
        return f"--- {path}\t(original)\n+++ {path}\t(formatted)\n# line endings or byte-order mark only\n"
    return "".join(difflib.unified_diff(old_lines, new_lines, f"{path}\t(original)", f"{path}\t(formatted)"))


def _not_canonical(path: str, raw: bytes, old: str, new: str) -> Finding:
    old_lines, new_lines = _split_lines(old), new.split("\n")[:-1]
    for number, (was, wanted) in enumerate(zip(old_lines, new_lines), start=1):
        if was.rstrip("\r") != wanted:
            shown = wanted if len(wanted) <= 80 else wanted[:77] + "..."
            return Finding(path, number, 1, NOT_CANONICAL,
                           f"not in canonical form: `communique fmt` would write this line as `{shown}`")
    if len(old_lines) > len(new_lines):
        return Finding(path, len(new_lines) + 1, 1, NOT_CANONICAL,
                       "not in canonical form: `communique fmt` would remove this line")
    if len(old_lines) < len(new_lines):
        return Finding(path, max(len(old_lines), 1), 1, NOT_CANONICAL,
                       "not in canonical form: `communique fmt` would add lines after this one")
    if raw.startswith(b"\xef\xbb\xbf"):
        reason = "the file starts with a byte-order mark"
    elif "\r" in old:
        reason = "the file has CR or CRLF line endings, not LF"
    else:
        reason = "the file does not end with exactly one newline"
    return Finding(path, 1, 1, NOT_CANONICAL, f"not in canonical form: {reason}")


def _split_lines(text: str) -> list[str]:
    lines = _LINE_BREAKS.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _write_atomically(path: str, old_raw: bytes, new_raw: bytes) -> Finding | None:
    """Replace the file (the target of a symlink) by a temporary file in its folder, with
    its permission bits; None on success."""
    import tempfile

    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    try:
        status = os.stat(target)
        if not os.access(target, os.W_OK):
            return Finding(path, 1, 1, WRITE_FAILED, "cannot write: the file is read-only")
        with open(target, "rb") as handle:
            if handle.read() != old_raw:
                return Finding(path, 1, 1, CANNOT_FORMAT, "the file changed while it was formatted; try again")
        handle_fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as error:
        return Finding(path, 1, 1, WRITE_FAILED, f"cannot write: {error.strerror or error}")
    try:
        with os.fdopen(handle_fd, "wb") as handle:
            handle.write(new_raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown") and (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(temporary, status.st_uid, status.st_gid)
            except OSError:
                pass  # only the owner's permission bits can be kept
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return Finding(path, 1, 1, WRITE_FAILED, f"cannot write: {error.strerror or error}")
    try:  # make the rename itself durable
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------------------
# Formatting one text


def format_text(text: str, data: Any, path: str = "<text>") -> str:
    """The canonical form of `text`, whose data (as communique.loading reads it) is `data`.

    Raises _Unformattable when the result would not hold the same data and comments, or
    would not be stable under formatting again.
    """
    new_text, comments = _format(text, data)
    if new_text == text:
        return new_text
    reloaded = load_text(new_text, path)
    if reloaded.document is None:
        first = reloaded.findings[0]
        raise _Unformattable(f"the formatted text would not load ({first.code.code} at line {first.line}: "
                             f"{first.message}); the file is left as it is")
    if not _same_data(data, reloaded.document.data):
        raise _Unformattable("the formatted text would not hold the same data; the file is left as it is")
    again, new_comments = _format(new_text, reloaded.document.data)
    if sorted(comments) != sorted(new_comments):
        raise _Unformattable("the formatted text would not keep every comment; the file is left as it is")
    if again != new_text:
        raise _Unformattable("formatting is not stable for this file (a second pass changes it); "
                             "the file is left as it is")
    return new_text


def _same_data(a: Any, b: Any) -> bool:
    """Equal, with types: 1, 1.0 and True are three different values here."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_data(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_data(x, y) for x, y in zip(a, b))
    return a == b


def _format(text: str, data: Any) -> tuple[str, list[str]]:
    """The canonical text, and the comments of `text` (for checking that none is lost)."""
    events, tokens = _parse(text)
    tree = _Tree(text, events, tokens, data)
    tree.place_comments()
    tree.order_keys()
    tree.hoist_comments()
    return _Writer(tree).write(), [comment.text for comment in tree.comments]


def _parse(text: str) -> tuple[list, list]:
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
        raise _Unformattable(f"ruamel.yaml cannot parse the file: {error.problem or error}", line, column) from None
    except Exception as error:  # noqa: BLE001 - any parser failure leaves the file alone
        raise _Unformattable(f"ruamel.yaml cannot parse the file: {error}") from None
    return events, tokens


# ---------------------------------------------------------------------------------------
# The tree: nodes with positions, entries (keys and items) with their comments


@dataclass(eq=False)
class _Node:
    kind: str  # "map", "seq", "scalar" or "alias"
    value: Any = None  # a scalar's value, from the loader's data
    anchor: str | None = None
    target: "_Node | None" = None  # an alias's node
    flow: bool = False  # a collection in flow style in the source
    entries: list = field(default_factory=list)
    ordered: list | None = None  # entries in canonical order
    trail: list = field(default_factory=list)  # comments after the last entry
    owner: "_Entry | None" = None  # the entry this collection is the value of
    line: int = 0
    end_line: int = 0

    def real(self) -> "_Node":
        return self.target if self.kind == "alias" else self


@dataclass(eq=False)
class _Entry:
    key: _Node | None  # None for a sequence item
    node: _Node
    parent: _Node
    start: int  # character offset of the key, the item's dash, or a flow item
    line: int
    column: int
    end_line: int = 0
    before: list = field(default_factory=list)  # comment texts and None for a blank line
    eol: list = field(default_factory=list)


class _Mark(NamedTuple):
    index: int
    line: int
    column: int


@dataclass
class _Comment:
    index: int
    line: int
    column: int
    text: str
    own_line: bool  # nothing but white space before it on its line


class _Tree:
    def __init__(self, text: str, events: list, tokens: list, data: Any):
        from ruamel.yaml import events as E
        from ruamel.yaml import tokens as T

        self.E, self.T = E, T
        self.text = text
        self.line_starts = [0] + [m.end() for m in _LINE_BREAKS.finditer(text)]
        self.events = events
        self.position = 0
        self.dashes = [t.start_mark for t in tokens if isinstance(t, T.BlockEntryToken)]
        self.dash_position = 0
        self.anchors: dict[str, _Node] = {}
        self.entries: list[_Entry] = []
        self.header_marks: list[tuple[int, str]] = []  # (line, text) of directives and `---`
        self.footer: list = []
        self._scan_tokens(tokens)
        self._build(data)

    # -- structure

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
            raise _Unformattable("more than one document")
        self.entries.sort(key=lambda entry: entry.start)
        self.entry_starts = [entry.start for entry in self.entries]

    def _mark(self, mark) -> _Mark:
        """Line and column of a ruamel mark, counted here from its character offset, so that
        every line number in this module follows one definition of a line break."""
        line = bisect_right(self.line_starts, mark.index) - 1
        return _Mark(mark.index, line, mark.index - self.line_starts[line])

    def _mismatch(self, what: str, mark: _Mark) -> _Unformattable:
        return _Unformattable(f"ruamel.yaml and the loader disagree on {what}", mark.line + 1, mark.column + 1)

    def _node(self, event, data: Any, owner: _Entry | None) -> _Node:
        E = self.E
        start, end = self._mark(event.start_mark), self._mark(event.end_mark)
        if isinstance(event, E.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is None:
                raise _Unformattable(f"alias *{event.anchor} has no anchor", start.line + 1, start.column + 1)
            return _Node("alias", anchor=event.anchor, target=target, line=start.line, end_line=end.line)
        if isinstance(event, E.ScalarEvent):
            if isinstance(data, (dict, list)):
                raise self._mismatch("the structure", start)
            if event.value == "" and event.style is None and owner is not None:
                # An empty value (`key:`) has its mark at the next token, lines below.
                node = _Node("scalar", value=data, anchor=event.anchor, line=owner.line, end_line=owner.line)
            else:
                node = _Node("scalar", value=data, anchor=event.anchor, line=start.line,
                             end_line=self._scalar_end_line(start, end, event.style))
            self._register(node)
            return node
        if isinstance(event, E.SequenceStartEvent):
            if not isinstance(data, list):
                raise self._mismatch("the structure", start)
            node = _Node("seq", anchor=event.anchor, flow=bool(event.flow_style), owner=owner, line=start.line)
            self._register(node)
            while not isinstance(self.events[self.position], E.SequenceEndEvent):
                item = self._next()
                index = len(node.entries)
                if index >= len(data):
                    raise self._mismatch("the structure", start)
                mark = self._mark(item.start_mark) if node.flow else self._dash_before(item.start_mark)
                entry = _Entry(None, None, node, mark.index, mark.line, mark.column)
                entry.node = self._node(item, data[index], entry)
                entry.end_line = max(entry.node.end_line, entry.line)
                node.entries.append(entry)
                self.entries.append(entry)
            closing = self._mark(self._next().end_mark)
            if len(node.entries) != len(data):
                raise self._mismatch("the structure", start)
        elif isinstance(event, E.MappingStartEvent):
            if not isinstance(data, dict):
                raise self._mismatch("the structure", start)
            node = _Node("map", anchor=event.anchor, flow=bool(event.flow_style), owner=owner, line=start.line)
            self._register(node)
            seen = set()
            while not isinstance(self.events[self.position], E.MappingEndEvent):
                key_event = self._next()
                key_mark = self._mark(key_event.start_mark)
                key = self._node(key_event, None, None)
                name = self._key_name(key_event, key, key_mark)
                if name not in data or name in seen:
                    raise self._mismatch("the keys", key_mark)
                seen.add(name)
                if key.kind == "scalar":
                    key.value = name
                entry = _Entry(key, None, node, key_mark.index, key_mark.line, key_mark.column)
                entry.node = self._node(self._next(), data[name], entry)
                entry.end_line = max(entry.node.end_line, key.end_line)
                node.entries.append(entry)
                self.entries.append(entry)
            closing = self._mark(self._next().end_mark)
            if len(seen) != len(data):
                raise self._mismatch("the keys", start)
        else:
            raise _Unformattable(f"unexpected {type(event).__name__}", start.line + 1, start.column + 1)
        # A block collection ends with its last entry (its end event stands at the next token).
        node.end_line = closing.line if node.flow else max([node.line] + [e.end_line for e in node.entries])
        return node

    def _register(self, node: _Node) -> None:
        if node.anchor is not None:
            self.anchors[node.anchor] = node

    def _key_name(self, event, key: _Node, mark: _Mark) -> str:
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
            raise _Unformattable("a mapping key is not a string", mark.line + 1, mark.column + 1)
        return name

    def _dash_before(self, item_mark) -> _Mark:
        """The dash of the block sequence item that starts at `item_mark`: block sequence
        items and dash tokens come in the same order."""
        if self.dash_position >= len(self.dashes) or self.dashes[self.dash_position].index > item_mark.index:
            raise _Unformattable("cannot find the dash of a sequence item", *self._mark(item_mark)[1:])
        dash = self.dashes[self.dash_position]
        self.dash_position += 1
        return self._mark(dash)

    def _scalar_end_line(self, start: _Mark, end: _Mark, style: str | None) -> int:
        line = end.line if end.column > 0 or end.line == start.line else end.line - 1
        if style in ("|", ">"):  # trailing blank lines after a block scalar are not its text
            while line > start.line and not self._line_text(line).strip():
                line -= 1
        return line

    def _line_text(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n\x85\u2028\u2029")

    def _line_of(self, index: int) -> int:
        return bisect_right(self.line_starts, index) - 1

    # -- comments

    def _scan_tokens(self, tokens: list) -> None:
        """Find every comment and blank line. In a text that parses, a `#` outside scalars,
        anchors, aliases, tags and directives starts a comment (YAML wants white space before
        it, but libyaml also takes `'quoted'# comment`)."""
        T = self.T
        covered: list[tuple[int, int]] = []
        inside_lines: set[int] = set()  # lines inside a multi-line scalar
        for token in tokens:
            if not isinstance(token, (T.ScalarToken, T.AnchorToken, T.AliasToken, T.TagToken, T.DirectiveToken,
                                      T.DocumentStartToken)):
                continue
            start, end = self._mark(token.start_mark), self._mark(token.end_mark)
            if isinstance(token, T.ScalarToken):
                last = end.line if end.column > 0 or end.line == start.line else end.line - 1
                if token.style in ("|", ">"):
                    # The header line (`|-  # comment`) is not the scalar's text.
                    header = re.match(r"[|>][0-9+-]*", self.text[start.index:])
                    if header is None or "+" not in header.group():
                        while last > start.line and not self._line_text(last).strip():
                            last -= 1
                    begin = self.line_starts[start.line + 1] if start.line + 1 < len(self.line_starts) else end.index
                    covered.append((begin, max(begin, end.index)))
                else:
                    covered.append((start.index, end.index))
                inside_lines.update(range(start.line + 1, last + 1))
            elif isinstance(token, T.DocumentStartToken):
                self.header_marks.append((start.line, "---"))
            else:
                covered.append((start.index, end.index))
                if isinstance(token, T.DirectiveToken):
                    self.header_marks.append((start.line, self.text[start.index:end.index].strip()))
        covered.sort()
        starts = [span[0] for span in covered]
        text = self.text
        comments = []
        index = text.find("#")
        while index != -1:
            span = bisect_right(starts, index) - 1
            if not (span >= 0 and index < covered[span][1]):
                line = self._line_of(index)
                line_text = self._line_text(line)
                column = index - self.line_starts[line]
                comments.append(_Comment(index, line, column, line_text[column:].rstrip(),
                                         not line_text[:column].strip()))
                if line + 1 >= len(self.line_starts):
                    break
                index = text.find("#", self.line_starts[line + 1])
            else:
                index = text.find("#", index + 1)
        self.comments = comments
        commented = {comment.line for comment in comments}
        self.blank_lines = [line for line in range(len(self.line_starts))
                            if line not in inside_lines and line not in commented
                            and not self._line_text(line).strip() and self.line_starts[line] < len(text)]

    def place_comments(self) -> None:
        """Tie every comment and blank line to an entry (before it, or at the end of its
        line), to the end of a collection, or to the header above the document."""
        first_line = self.root.line
        marks: dict[int, list[str]] = {}
        for line, text in self.header_marks:
            if line <= first_line:
                marks.setdefault(line, []).append(text)
        header_lines: dict[int, list[str]] = {line: [] for line in marks}
        placed: list[list] = []  # [item, destination]; an item is a _Comment or a blank line's number
        items = [(c.index, c) for c in self.comments] + [(self.line_starts[n], n) for n in self.blank_lines]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            line = item.line if isinstance(item, _Comment) else item
            if line < first_line:
                header_lines.setdefault(line, []).extend([item.text] if isinstance(item, _Comment) else [])
            else:
                placed.append([item, self._destination(item) if isinstance(item, _Comment) else None])
        self.header = []
        for line in sorted(header_lines):
            parts = marks.get(line, []) + header_lines[line]
            self.header.append("  ".join(parts) if parts else None)
        # A blank line goes with the next comment in its gap, or else before the next entry.
        next_comment = None
        for pair in reversed(placed):
            if isinstance(pair[0], _Comment):
                next_comment = pair
                continue
            following = self._entry_after(self.line_starts[pair[0]])
            if next_comment is not None and next_comment[1][0] != "eol" \
                    and (following is None or next_comment[0].index < following.start):
                pair[1] = next_comment[1]
            elif following is not None:
                pair[1] = ("before", following)
        for item, destination in placed:
            if destination is None:
                continue  # a blank line at the end
            place, target = destination
            text = item.text if isinstance(item, _Comment) else None
            if place == "eol":
                target.eol.append(text)
            elif place == "before":
                target.before.append(text)
            elif target is None:
                self.footer.append(text)
            else:
                target.trail.append(text)

    def _entry_after(self, index: int) -> _Entry | None:
        position = bisect_right(self.entry_starts, index)
        return self.entries[position] if position < len(self.entries) else None

    def _entry_before(self, index: int) -> _Entry | None:
        position = bisect_left(self.entry_starts, index) - 1
        return self.entries[position] if position >= 0 else None

    def _destination(self, comment: _Comment) -> tuple:
        if not comment.own_line:
            # The entry on whose lines it stands that started last before it.
            position = bisect_right(self.entry_starts, comment.index) - 1
            while position >= 0 and self.entries[position].end_line < comment.line:
                position -= 1
            if position >= 0:
                entry = self.entries[position]
                # After the end of a flow collection (`key: [a, b]  # c`): with its key.
                while entry.parent.flow and entry.parent.owner is not None and comment.line == entry.parent.end_line:
                    entry = entry.parent.owner
                return ("eol", entry)
        following = self._entry_after(comment.index)
        previous = self._entry_before(comment.index)
        if previous is not None and previous.node.kind in ("scalar", "alias") \
                and previous.line < comment.line < previous.end_line:
            return ("before", previous)  # between a key and its value on a later line
        if previous is not None and (following is None or comment.column > following.column):
            # Indented deeper than what follows: the end of a block that closes here.
            closing = previous.parent
            while closing is not None:
                if following is not None and self._contains(closing, following):
                    break
                first = closing.entries[0]
                if first.column <= comment.column:
                    return ("trail", closing)
                closing = closing.owner.parent if closing.owner is not None else None
        if following is not None:
            return ("before", following)
        return ("trail", self.root if self.root.kind in ("map", "seq") and self.root.entries else None)

    @staticmethod
    def _contains(collection: _Node, entry: _Entry) -> bool:
        node = entry.parent
        while node is not None:
            if node is collection:
                return True
            node = node.owner.parent if node.owner is not None else None
        return False

    def hoist_comments(self) -> None:
        """A collection that is a sequence item starts on the dash line (`- id: x`). So a
        comment at the end of the item's line goes down to that first entry (outermost items
        first), and the comments above the first entry go up above the dash (deepest items
        first); this happens before any layout is chosen."""
        compact = [entry for entry in self.entries if _compact(entry)]
        for entry in compact:
            first = (entry.node.ordered or entry.node.entries)[0]
            if entry.eol and _block(entry.node, compact=True):
                first.eol = entry.eol + first.eol
                entry.eol = []
        for entry in reversed(compact):
            first = (entry.node.ordered or entry.node.entries)[0]
            entry.before.extend(first.before + first.eol[1:])
            first.before, first.eol = [], first.eol[:1]

    # -- key order

    def order_keys(self) -> None:
        schema_root = _schema_for(self.root)
        self._order(self.root, [schema_root] if schema_root is not None else [], schema_root, set())

    def _order(self, node: _Node, schemas: list, root: dict | None, done: set) -> None:
        node = node.real()
        if id(node) in done or node.kind not in ("map", "seq"):
            return
        done.add(id(node))
        expanded = _expand(schemas, root) if root is not None else []
        if node.kind == "seq":
            node.ordered = list(node.entries)
            for index, entry in enumerate(node.entries):
                self._order(entry.node, _item_schemas(expanded, index), root, done)
            return
        order, children, extra = _properties(expanded)
        rank = {name: position for position, name in enumerate(order)}
        known = sorted((e for e in node.entries if e.key.real().value in rank),
                       key=lambda e: rank[e.key.real().value])
        node.ordered = known + [e for e in node.entries if e.key.real().value not in rank]
        for entry in node.entries:
            name = entry.key.real().value
            self._order(entry.node, children.get(name, extra), root, done)


# ---------------------------------------------------------------------------------------
# Schema order


def _schema_for(root: _Node) -> dict | None:
    from . import schema

    if root.kind != "map":
        return None
    for entry in root.entries:
        if entry.key.real().value == "schema_version":
            version = entry.node.real().value
            if isinstance(version, str) and version in schema.versions():
                return schema.load_schema(version)
    return None


def _pointer(root: dict, reference: str) -> Any:
    node: Any = root
    for part in reference[1:].split("/")[1:] if reference.startswith("#/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _expand(schemas: list, root: dict) -> list[dict]:
    """Every schema that applies, through local `$ref`s and allOf/anyOf/oneOf: the ones a
    schema builds on before it, the alternatives after it."""
    found: list[dict] = []
    seen: set[int] = set()

    def visit(node: Any, depth: int) -> None:
        if not isinstance(node, dict) or id(node) in seen or depth > 32:
            return
        seen.add(id(node))
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#"):
            visit(root if reference == "#" else _pointer(root, reference), depth + 1)
        for part in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
            visit(part, depth + 1)
        found.append(node)
        for keyword in ("anyOf", "oneOf"):
            for part in node.get(keyword, []) if isinstance(node.get(keyword), list) else []:
                visit(part, depth + 1)

    for schema in schemas:
        visit(schema, 0)
    return found


def _properties(schemas: list[dict]) -> tuple[list[str], dict[str, list], list]:
    order: list[str] = []
    children: dict[str, list] = {}
    extra: list = []
    for schema in schemas:
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, child in properties.items():
                if name not in children:
                    order.append(name)
                    children[name] = []
                children[name].append(child)
        if isinstance(schema.get("additionalProperties"), dict):
            extra.append(schema["additionalProperties"])
    return order, children, extra


def _item_schemas(schemas: list[dict], index: int) -> list:
    found = []
    for schema in schemas:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and index < len(prefix):
            found.append(prefix[index])
        elif isinstance(schema.get("items"), dict):
            found.append(schema["items"])
    return found


# ---------------------------------------------------------------------------------------
# Writing


class _Writer:
    def __init__(self, tree: _Tree):
        self.tree = tree
        self.out: list[str] = []
        self.fresh = True  # at the start of the file or of a block: no blank line here
        self.emitted: set[int] = set()  # anchored nodes already written in full

    def write(self) -> str:
        tree = self.tree
        for line in tree.header:
            self._blank() if line is None else self._line(line)
        root = tree.root
        node, alias = self._resolve(root)
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

    def _resolve(self, node: _Node) -> tuple[_Node, str | None]:
        """The node to write here, and the anchor name when it is written as an alias."""
        node = node.real()
        if node.anchor is not None:
            if id(node) in self.emitted:
                return node, node.anchor
            self.emitted.add(id(node))
        return node, None

    @staticmethod
    def _shape(node: _Node) -> str:
        """inline (a scalar, `[]`, `{}` or a flow sequence), literal, map or seq (blocks)."""
        if node.kind == "scalar":
            return "literal" if _literal_ok(node.value) else "inline"
        if not node.entries:
            return "inline"
        if node.kind == "map":
            return "map"
        return "seq" if _block(node) else "inline"

    def _inline(self, node: _Node) -> str:
        if node.kind == "scalar":
            return _scalar(node.value, flow=False)
        if node.kind == "map":
            return "{}"
        if not node.entries:
            return "[]"
        items = []
        for entry in node.entries:
            item, alias = self._resolve(entry.node)
            items.append(f"*{alias}" if alias is not None else self._anchored(item, _scalar(item.value, flow=True)))
        return "[" + ", ".join(items) + "]"

    @staticmethod
    def _anchored(node: _Node, text: str) -> str:
        return f"&{node.anchor} {text}" if node.anchor else text

    def _key(self, key: _Node) -> str:
        if key.kind == "alias":
            return f"*{key.anchor} "
        if key.anchor:
            self.emitted.add(id(key))
        return self._anchored(key, _scalar(key.value, flow=False))

    def _entries(self, collection: _Node, indent: int, first_prefix: str | None = None) -> None:
        for position, entry in enumerate(collection.ordered or collection.entries):
            before = list(entry.before) + entry.eol[1:]
            if position == 0:
                before = _trim(before, leading=True)
            if position == 0 and first_prefix is not None:
                # Written on the dash line: anything above it goes above the dash
                # (_Tree.hoist_comments has normally moved it to the item already).
                self._comments(before, len(first_prefix) - len(first_prefix.lstrip(" ")))
                prefix = first_prefix
            else:
                self._comments(before, indent)
                prefix = " " * indent
            if collection.kind == "map":
                self._map_entry(entry, indent, prefix)
            else:
                self._item(entry, indent, prefix)
        self._comments(_trim(collection.trail), indent)

    def _value(self, entry: _Entry, indent: int, head: str) -> None:
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
            # (_Tree.hoist_comments moved the comments of that entry to the item).
            self._entries(node, indent + INDENT, first_prefix=head + " ")
        else:
            self._line(f"{head}{anchor}{eol}")
            self.fresh = True
            self._entries(node, indent + INDENT)

    def _map_entry(self, entry: _Entry, indent: int, prefix: str) -> None:
        self._value(entry, indent, f"{prefix}{self._key(entry.key)}:")

    def _item(self, entry: _Entry, indent: int, prefix: str) -> None:
        self._value(entry, indent, f"{prefix}-")


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


def _compact(entry: _Entry) -> bool:
    """A sequence item whose mapping or sequence starts on the dash line (unless in flow style)."""
    node = entry.node
    return entry.key is None and node.kind in ("map", "seq") and not node.anchor and bool(node.entries)


def _block(node: _Node, *, compact: bool = False) -> bool:
    """Whether a non-empty collection is written in block style: mappings always; sequences
    unless all their items are scalars and no comment stands among them (with `compact`,
    comments above the first item do not count: they go above the dash)."""
    if node.kind == "map" or not all(_scalar_like(entry.node) for entry in node.entries):
        return True
    if any(item is not None for item in node.trail) or any(entry.eol for entry in node.entries):
        return True
    return any(item is not None for entry in node.entries[1 if compact else 0:] for item in entry.before)


def _scalar_like(node: _Node) -> bool:
    return node.real().kind == "scalar"


# ---------------------------------------------------------------------------------------
# Scalars


def _scalar(value: Any, *, flow: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unformattable(f"number {value} cannot be written as JSON data")
        return repr(value)
    if isinstance(value, str):
        return value if _plain_ok(value, flow=flow) else _double_quoted(value)
    raise _Unformattable(f"unexpected value of type {type(value).__name__}")


def _printable(char: str) -> bool:
    """Shown as itself inside double quotes; invisible and control characters are escaped."""
    return char == " " or (char.isprintable() and char not in "\x85\u2028\u2029\ufeff")


def _plain_ok(text: str, *, flow: bool) -> bool:
    """True when `text`, unquoted, reads back as the same string under YAML 1.2 (and
    libyaml, which the loader uses), in block context or (with `flow`) inside [...]."""
    if not text or text != text.strip(" ") or not all(map(_printable, text)):
        return False
    first = text[0]
    if first in _INDICATORS and not (first == "-" and len(text) > 1 and text[1] != " "):
        return False
    if ": " in text or " #" in text or text.endswith(":") or text in ("---", "...") \
            or text.startswith(("--- ", "... ")):
        return False
    if flow and any(char in _FLOW_UNSAFE for char in text):
        return False
    try:
        return resolve_plain(text) == text and isinstance(resolve_plain(text), str)
    except _NotJson:
        return False


def _double_quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif _printable(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _literal_ok(value: Any) -> bool:
    """A string of several lines that a literal block scalar (`|` or `|-`) writes exactly
    and legibly: no trailing white space on a line, no tab, no invisible character, a first
    line that does not start with a space (which would need an indentation indicator), and
    at most one newline at the end."""
    if not isinstance(value, str) or "\n" not in value.rstrip("\n") or value.endswith("\n\n"):
        return False
    body = value[:-1] if value.endswith("\n") else value
    lines = body.split("\n")
    if not all(_printable(char) for line in lines for char in line):
        return False
    if any(line != line.rstrip(" ") for line in lines):
        return False
    first = next(line for line in lines if line)
    return not first.startswith(" ")
