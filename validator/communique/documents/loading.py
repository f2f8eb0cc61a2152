"""Reading record files into data with positions, as YAML 1.2 (core schema).

libyaml (PyYAML's C binding) composes the node tree, which carries line and column for
every node; the values are then built here with YAML 1.2's scalar rules, because libyaml's
resolver follows YAML 1.1 (where `NO` is false and `010` is octal). Editors and ruamel.yaml
read records as YAML 1.2, and so must every command of this tool.

Hostile input is refused before it can hurt: files are size-capped, nesting depth is
bounded before libyaml's recursive composer sees the text (it crashes the process on deep
input), aliases are capped by expanded size, and tags are rejected rather than constructed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core import findings as F
from ..core.findings import Finding
from .limits import COMPOSER_SAFE_DEPTH, MAX_DEPTH, MAX_FILE_BYTES


@dataclass
class Document:
    """One parsed record file: its data, and the node tree that gives positions."""

    path: str
    text: str
    data: Any
    root: Any = None  # its yaml.nodes.Node, when it was parsed from a text
    # Whether a plain scalar in the text reads otherwise to YAML 1.1 readers, as noted while
    # its values were built; None: not known (rule A001 then looks for itself).
    yaml11_differs: bool | None = None
    _extra: dict = field(default_factory=dict, repr=False)

    def node_at(self, json_path: tuple, *, key: bool = False) -> Any:
        """The node at `json_path` (or, with key=True, the mapping key naming its last step).
        Falls back to the deepest node found when the path leaves the tree."""
        from yaml.nodes import MappingNode, SequenceNode  # loaded already: a root comes from PyYAML

        node = self.root
        for depth, step in enumerate(json_path):
            last = depth == len(json_path) - 1
            if isinstance(node, MappingNode) and isinstance(step, str):
                found = self._keys_of(node).get(step)
                if found is None:
                    return node
                node = found[0] if (key and last) else found[1]
            elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                return node
        return node

    def _keys_of(self, mapping) -> dict:
        """A mapping's (key node, value node) by key, built once per mapping and kept: a
        file with thousands of findings in one mapping costs one pass, not one per finding."""
        from yaml.nodes import ScalarNode

        index = self._extra.setdefault("keys", {})
        found = index.get(id(mapping))
        if found is None:
            found = {}
            for key_node, value_node in mapping.value:
                if isinstance(key_node, ScalarNode):
                    found.setdefault(key_node.value, (key_node, value_node))  # the first, as the builder keeps it
            index[id(mapping)] = found
        return found

    def position(self, json_path: tuple = (), *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at `json_path`; (0, 0) for data that came
        without a text (the Python API's `validate(dict)`), which has no positions."""
        if self.root is None:
            return (0, 0)
        node = self.node_at(json_path, key=key)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class LoadResult:
    document: Document | None
    findings: list[Finding]


def load_file(path: str | os.PathLike) -> LoadResult:
    """Read and parse one record file; problems come back as findings, never exceptions."""
    from .files import FileTooLarge, LinkOutside, NotRegularFile, read_record

    display = str(path)
    try:
        raw = read_record(path, MAX_FILE_BYTES)
    except LinkOutside as link:  # its lines are not shown under the finding either: they are not the repository's
        return LoadResult(None, [Finding(display, 1, 1, F.FILE_UNREADABLE, f"a link to {link.target}, outside the "
                                         f"repository {link.root}; it is not read", show_source=False)])
    except NotRegularFile:
        if os.path.isdir(path):
            return _fail(display, F.FILE_UNREADABLE, "is a directory, not a file")
        # A FIFO or a device could block for ever or never end; `-` reads standard input.
        return _fail(display, F.FILE_UNREADABLE, "not a regular file (a pipe or a device); give `-` to read "
                                                 "standard input")
    except FileTooLarge as large:
        return _fail(display, F.FILE_TOO_LARGE,
                     f"file is {large.size / 1048576:.1f} MiB; records are limited to {MAX_FILE_BYTES // 1048576} MiB")
    except FileNotFoundError:
        return _fail(display, F.FILE_UNREADABLE, "no such file or directory")
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        return _fail(display, F.FILE_UNREADABLE, f"cannot read file: {getattr(error, 'strerror', None) or error}")
    is_json = Path(display).suffix.lower() == ".json"
    return load_bytes(raw, display, is_json=is_json)


def load_bytes(raw: bytes, path: str, *, is_json: bool = False) -> LoadResult:
    if len(raw) > MAX_FILE_BYTES:
        return _fail(path, F.FILE_TOO_LARGE, f"file is larger than {MAX_FILE_BYTES // 1048576} MiB")
    if b"\x00" in raw:
        line, col = _byte_position(raw, raw.index(b"\x00"))
        return _fail(path, F.BINARY_FILE, "file contains NUL bytes: binary, or not UTF-8 (UTF-16?)", line, col)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = _byte_position(raw, error.start)
        return _fail(path, F.NOT_UTF8, f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8",
                     line, col)
    if text.startswith("\ufeff"):  # readers disagree on a second one: ruamel keeps it as text
        return _fail(path, F.SYNTAX_ERROR, "a second byte-order mark (U+FEFF) follows the first; YAML allows one only "
                     "at the start of the file: remove it")
    return load_text(text, path, is_json=is_json)


def load_text(text: str, path: str, *, is_json: bool = False) -> LoadResult:
    # Whatever whitespace a file with nothing in it holds (a tab, CRLF, a BOM), it gets one
    # finding (Y008): libyaml would call a tab a syntax error, and the json module "Expecting value".
    if is_json:
        if _blank(text, comments=False):
            return _fail(path, F.EMPTY_DOCUMENT, "file holds no JSON document (empty, or only whitespace)")
        problem = _check_json_syntax(text, path)
        if problem:
            return LoadResult(None, [problem])
    problem = _check_characters(text, path)
    if problem is None and _blank(text, comments=True):
        return _fail(path, F.EMPTY_DOCUMENT, "file holds no YAML document (empty, or only comments and whitespace)")
    problem = problem or _check_directive(text, path) or _guard_depth(text, path)
    if problem:
        return LoadResult(None, [problem])
    from .composing import build, compose  # PyYAML only for a text to parse: not for a run the cache answers

    root, problem = compose(text, path)
    if problem is not None:
        return LoadResult(None, [problem])
    if root is None:
        return _fail(path, F.EMPTY_DOCUMENT, "file holds no YAML document (empty, or only comments and whitespace)")
    data, findings, yaml11_differs = build(root, path, anchors="&" in text)
    return LoadResult(None if findings else Document(path, text, data, root, yaml11_differs), findings)


_CONTENT = re.compile(r"[^ \t\r\n]")


def _blank(text: str, *, comments: bool) -> bool:
    """Whether a text holds nothing but whitespace (and, in YAML, comments) after its BOM.
    It stops at the first line with content: on a record, the first or second line."""
    position = 1 if text.startswith("\ufeff") else 0
    while True:
        found = _CONTENT.search(text, position)
        if found is None:
            return True
        if not comments or text[found.start()] != "#":
            return False
        position = text.find("\n", found.start()) + 1
        if position == 0:
            return True


def _fail(path, code, message, line=1, column=1) -> LoadResult:
    return LoadResult(None, [Finding(path, line, column, code, message)])


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    prefix = raw[line_start:offset].decode("utf-8", errors="replace")
    return raw.count(b"\n", 0, offset) + 1, len(prefix) + 1


# What YAML allows in a file (its printable characters, with tab and the line breaks),
# less NEL and the Unicode line and paragraph separators: line breaks to YAML 1.1 readers
# (and to libyaml) but ordinary characters to YAML 1.2 ones, so the same text would hold
# different values. Inside double quotes, \N, \L and \P write them unambiguously.
_NOT_ALLOWED = "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
_BREAK_NAMES = {"\x85": ("NEL", "\\N"), "\u2028": ("LINE SEPARATOR", "\\L"),
                "\u2029": ("PARAGRAPH SEPARATOR", "\\P")}


# The printable ASCII characters and the three whitespace controls YAML allows: deleting
# them from an ASCII text leaves nothing when it holds no character to refuse, at a small
# fraction of the cost of the regular expression's scan.
_ALLOWED_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@lru_cache(maxsize=1)
def _not_allowed() -> re.Pattern:
    return re.compile(_NOT_ALLOWED)


def _check_characters(text: str, path: str) -> Finding | None:
    """One finding, at its line and column, for the first character YAML text cannot hold."""
    if text.isascii() and not text.encode("ascii").translate(None, _ALLOWED_ASCII):
        return None
    # Compiled on first need (3 ms): ASCII texts, most records, are settled above.
    match = _not_allowed().search(text, 1 if text.startswith("\ufeff") else 0)  # one leading BOM is allowed
    if match is None:
        return None
    char = match.group()
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    if char == "\ufeff":
        return Finding(path, line, column, F.SYNTAX_ERROR,
                       "a byte-order mark (U+FEFF) stands inside the text; YAML allows one only at the start of "
                       "the file, and readers disagree on what it means elsewhere: remove it")
    if char in _BREAK_NAMES:
        name, escape = _BREAK_NAMES[char]
        return Finding(path, line, column, F.AMBIGUOUS_BREAK,
                       f"U+{ord(char):04X} {name} is a line break to YAML 1.1 readers but a character to YAML 1.2 "
                       f"ones; write it as {escape} inside double quotes")
    return Finding(path, line, column, F.SYNTAX_ERROR,
                   f"control character U+{ord(char):04X} is not allowed in YAML text; write it as an escape inside "
                   f"double quotes (\\x{ord(char):02X}), or remove it")


_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S+)", re.M)


def _check_directive(text: str, path: str) -> Finding | None:
    """Records are YAML 1.2; a file that declares another version is refused, not misread."""
    match = _DIRECTIVE.search(text)
    if match is None or match.group(1) == "1.2":
        return None
    line = text.count("\n", 0, match.start()) + 1
    return Finding(path, line, 1, F.YAML_VERSION,
                   f"the file declares %YAML {match.group(1)}; records are read as YAML 1.2, where `NO` is a string "
                   "and `010` is ten. Remove the directive, and quote what the versions read differently (A001)")


def _check_json_syntax(text: str, path: str) -> Finding | None:
    """JSON files must be strict JSON (no NaN, no comments), whatever YAML would accept."""

    def reject_constant(name):
        raise ValueError(f"{name} is not valid JSON")

    try:
        # Only the syntax is judged here: numbers are kept as their digits, so that an
        # integer longer than Python converts is reported by the YAML reading that follows,
        # at its line and column (Y009), not here at 1:1 in Python's words.
        json.loads(text, parse_constant=reject_constant, parse_int=str)
    except json.JSONDecodeError as error:
        return Finding(path, error.lineno, error.colno, F.SYNTAX_ERROR, f"invalid JSON: {error.msg}")
    except ValueError as error:
        line, col = _find_json_constant(text)
        return Finding(path, line, col, F.NUMBER_OUT_OF_RANGE, f"{error}")
    except RecursionError:
        return Finding(path, 1, 1, F.TOO_DEEP, f"collections nest more than {MAX_DEPTH} levels deep")
    return None


def _find_json_constant(text: str) -> tuple[int, int]:
    """Where NaN or Infinity stands in a JSON text (the json module does not say)."""
    inside_string = escaped = False
    line, line_start = 1, 0
    for index, char in enumerate(text):
        if inside_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside_string = False
        elif char == '"':
            inside_string = True
        elif char == "\n":
            line, line_start = line + 1, index + 1
        elif text.startswith(("NaN", "Infinity", "-Infinity"), index):
            return line, index - line_start + 1
    return 1, 1


def text_refused(text: str) -> bool:
    """Whether `load_text` might refuse a decoded text before parsing it (a character YAML
    cannot hold, a second byte-order mark, a %YAML directive, nesting that needs the exact
    depth scan): what a faster reader must leave to this one."""
    return (text.startswith("\ufeff") or _check_characters(text, "") is not None or "%YAML" in text
            or not _depth_surely_safe(text))


def _depth_surely_safe(text: str) -> bool:
    """A cheap upper bound on the depth settles almost every file: flow nesting needs a
    bracket per level, block nesting a new line or an indicator ('-', '?') per level, and an
    alias chain a '*' per level."""
    flow = text.count("[") + text.count("{") + text.count("*")
    block = text.count("\n") + text.count("-") + text.count("?") + 1
    return flow + block <= COMPOSER_SAFE_DEPTH


def _guard_depth(text: str, path: str) -> Finding | None:
    """Refuse input nested deeper than MAX_DEPTH before libyaml's composer recurses into it.
    Only when the cheap bound is high does an exact scan of libyaml's event stream (which
    does not recurse) run."""
    if _depth_surely_safe(text):
        return None
    from .composing import deepest_nesting

    return deepest_nesting(text, path)
