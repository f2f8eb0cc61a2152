"""Reading a record's data without positions, several times faster than `loading` does.

`check FILE` compares one record with every record in its folder, and those others are
read only for their data: ids, rounds, names, dates. Composing libyaml's node tree for
them, with a line and column on every node, is most of the cost of such a run. py-yaml12
(a Rust YAML 1.2 reader) builds the data directly, resolving scalars by the same YAML 1.2
core schema as `scalars.resolve_plain`; its answer is taken only where it is certain to
equal the full reader's, and `None` (read it in full) is returned everywhere else:

- what the full reader refuses before parsing (characters YAML text cannot hold, a %YAML
  directive, nesting beyond the composer's bound) is left to it, which says why;
- anchors and tags (any `&` or `!` in the text): the full reader caps alias expansion and
  refuses tags; records seldom hold either;
- tabs (libyaml refuses some that py-yaml12 reads as indentation), and the ends of texts
  where the two put a final line break in a block scalar differently: a text whose last
  line has no line break, or that ends in an empty block scalar;
- data JSON cannot hold exactly (a key that is not a string, infinity, not-a-number), and
  JSON files, whose strict syntax the full reader checks.

Differences remain only in files the full reader refuses: a mapping that repeats a key
(Y002) is read here with its last value, and a few malformed forms libyaml rejects (a flow
mapping holding a bare `>`, a block sequence item with an empty key) are read as data. Such
a file joins the cross-record index only if its data also matches the schema, and its own
check reports it. So this reader serves only the index of `check FILE`: the data outputs,
which must leave out every record `check` refuses, read each record in full.
"""

from __future__ import annotations

import re
from math import isfinite
from typing import Any

from .limits import MAX_FILE_BYTES
from .loading import text_refused

try:
    from yaml12 import parse_yaml as _parse_yaml
except ImportError:  # pragma: no cover - a platform without its wheel: every file is read in full
    _parse_yaml = None


def read_data(raw: bytes, path: str) -> dict[str, Any] | None:
    """The record in `raw` as data, when the fast reader's answer is certain to be the full
    reader's; None: read the file with `loading.load_bytes` instead."""
    if _parse_yaml is None or path.lower().endswith(".json") or len(raw) > MAX_FILE_BYTES or b"\x00" in raw:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if ("&" in text or "!" in text or "\t" in text or not text.endswith("\n") or _ends_in_empty_block(text)
            or text_refused(text)):
        return None
    try:
        documents = _parse_yaml(text, multi=True)  # all of them: a second one is refused (Y007)
    except Exception:  # a syntax error: the full reader reports it, at its line
        return None
    if len(documents) != 1 or not isinstance(documents[0], dict):
        return None
    data = documents[0]
    return data if _plain_json(data) else None


# A block scalar's header (`|`, `>-`, `|2+`...) and what may follow it on its line.
_BLOCK_HEADER = re.compile(r"[|>][-+1-9]{0,2}[ \t]*(#.*)?\Z")


def _ends_in_empty_block(text: str) -> bool:
    """Whether the text may end in a block scalar with no lines (`note: |` as the last
    line), which py-yaml12 reads as a line break and libyaml, as YAML says, as empty."""
    last = text.rstrip().rpartition("\n")[2].strip()
    if last and not last.startswith("#"):  # the common case, without splitting the text
        return _BLOCK_HEADER.search(last) is not None
    for line in reversed(text.splitlines()):
        content = line.strip()
        if content and not content.startswith("#"):
            return _BLOCK_HEADER.search(content) is not None
    return False


def _plain_json(value: Any) -> bool:
    """Whether `value` (a dict or a list) holds only what JSON holds: string keys, finite
    numbers, and none of the wrappers the reader gives tagged or unhashable nodes. Each
    collection's items are judged by the set of their types at once: most hold only strings
    and numbers, and only collections and floats are looked at one by one."""
    stack = [value]
    while stack:
        items = stack.pop()
        if items.__class__ is dict:
            if not _STRING_KEYS.issuperset(map(type, items)):
                return False
            items = items.values()
        kinds = set(map(type, items))
        if _LEAVES.issuperset(kinds):
            continue
        if not _ALLOWED.issuperset(kinds):
            return False
        for item in items:
            kind = item.__class__
            if kind is dict or kind is list:
                stack.append(item)
            elif kind is float and not isfinite(item):
                return False
    return True


_STRING_KEYS = frozenset({str})
_LEAVES = frozenset({str, int, bool, type(None)})
_ALLOWED = _LEAVES | {float, dict, list}
