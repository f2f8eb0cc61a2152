"""`communique migrate`: move records to a newer minor version of the schema, losslessly.

A minor version only adds (docs/versioning.md), so a record valid under 1.0 is valid under
1.1 once its `schema_version` says so. Moving it changes three things and nothing else:

  1. the value of `schema_version` becomes the target (`"1.0"` -> `"1.1"`), in the quotes
     it was written in;
  2. the editor comment on the first line, `# yaml-language-server: $schema=<...>/1.0/
     record.schema.json`, names the target's folder (`.../1.1/record.schema.json`): only
     that version segment changes. Whether the file it points at exists is not checked (a
     keeper's copy for editors is brought up to date by `communique init --refresh-schema`,
     and `check` warns when it is stale: P001);
  3. from 1.0 to 1.1, each caveat `path` that steps into a list by position, where the item
     there has a string `id`, names the item by its id instead (`/agreements/19/parties` ->
     `/agreements/deepen-sep-cooperation/parties`), escaped per RFC 6901 (`~0`, `~1`); other
     steps are kept as written. 1.0 reads a caveat path as plain RFC 6901; 1.1 matches a
     step into a list against the items' ids first, and reads it as a decimal position only
     when no item has that id (communique.documents.pointer.resolve). So where an item of the list has
     an id that reads as a number, an id step and a position could be taken for one
     another, by a person if not by the resolver: the step stays a position, and M003 says
     so. The same where two items share the id (R002). A path that leads nowhere under 1.0
     (R003) is left as written.

Lossless: the document is not written out again. Each change is an edit of the text at the
exact place the loader (communique.documents.loading) found the value, so comments, layout, quoting,
key order, line endings and a byte-order mark stay byte for byte. A plain value stays plain
where every common reader reads the new value back as itself (communique.rewrite.formatting.scalars
decides), else it is double-quoted; a quoted one keeps its quotes. JSON records are edited
the same way (JSON strings, and no editor comment).

Safety, before anything is written: the new text must load as every command loads it, hold
the old data but for the migrated values (types compared), read the same to PyYAML and
ruamel.yaml (JSON: the json module) but for those values, keep every comment, validate under
the target version, and every caveat path must lead to the same field as before, read as its
version reads it. Otherwise the file is left untouched and M001 says why, where. A file is
replaced atomically, and not when it changed since it was read (writing.write_atomically).

Records the tool cannot move are left untouched with M001: not valid under their own version
(fix them first: `communique validate`), a `schema_version` it does not know, a move across a
major version. A file that does not load is reported as every command reports it (F, Y). A
record already at the target is left as it is ("already 1.1"). A record newer than the
target is a usage error: migrate moves records forward only.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import schema
from ..core.errors import SettingsError
from ..core.findings import (
    CANNOT_MIGRATE,
    FILE_UNREADABLE,
    MIGRATE_WRITE_FAILED,
    MISSING_VERSION,
    NOT_A_MAPPING,
    NOT_MIGRATED,
    POSITION_KEPT,
    UNKNOWN_VERSION,
    Finding,
    Severity,
    exit_code,
)
from ..documents.files import find_records
from ..documents.loading import Document, load_file, load_text
from ..documents.pointer import MISSING, item_with_id, resolve, steps
from ..documents.writing import rewrite_finding
from ..run.reporting import Report


class MigrateUsageError(SettingsError):
    """A target that cannot be used: unknown, or older than a record given."""


class CannotMigrate(Exception):
    """The record cannot be moved safely; the message says why (M001 at line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


# --- versions ----------------------------------------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def check_target(target: str) -> str:
    """`target` if this tool carries that version, else MigrateUsageError naming those it does."""
    from ..core.hints import did_you_mean_aside

    known = schema.versions()
    if target not in known:
        raise MigrateUsageError(f"--to: unknown schema version {target!r}{did_you_mean_aside(target, known)}; "
                                f"known: {', '.join(known)}")
    return target


def reads_ids(version: str) -> bool:
    """Whether caveat paths of `version` may name a list item by its id (1.1 on), as the
    rules read them (R003)."""
    return version != "1.0"


def _declared_version(data: Any) -> str | None:
    """The version a record declares, when it is one this tool carries."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) and version in schema.versions() else None


def _crosses_major(old: str, new: str) -> bool:
    return version_key(old)[0] != version_key(new)[0]


# --- the edits -----------------------------------------------------------------------------


@dataclass
class Migration:
    """A record moved: its new text, and what changed."""

    text: str
    old_version: str
    new_version: str
    paths: dict[int, tuple[str, str]] = field(default_factory=dict)  # caveat index -> (old, new), where changed
    notes: list[Finding] = field(default_factory=list)  # M003: positions kept
    header: bool = False  # the editor comment was changed


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def migrate_document(document: Document, target: str, *, is_json: bool = False) -> Migration | None:
    """The record moved to `target`, checked; None when it is there already. Raises
    CannotMigrate (and MigrateUsageError for a record newer than `target`)."""
    data = document.data
    old = _declared_version(data)
    if old is None:
        raise _version_unknown(document)
    if version_key(old) > version_key(target):
        raise MigrateUsageError(f"--to {target} is older than {document.path}, which is on {old}: migrate moves "
                                "records forward only")
    if old == target:
        return None
    if _crosses_major(old, target):
        raise CannotMigrate(f"{target} is a new major version: records on {old} cannot be moved there mechanically; "
                            "docs/versioning.md and its migration note say how", *document.position(("schema_version",)))
    _require_valid(document, old)
    text = document.text
    migration = Migration(text, old, target)
    edits = [_version_edit(document, target, is_json)]
    header = None if is_json else _header_edit(text, old, target)
    if header is not None:
        edits.append(header)
        migration.header = True
    if not reads_ids(old) and reads_ids(target):
        edits += _caveat_edits(document, migration, is_json)
    migration.text = apply_edits(text, edits)
    _verify(document, migration, is_json)
    return migration


def _version_unknown(document: Document) -> CannotMigrate:
    """Why the record's version is not one to move from, in the words validation uses."""
    from ..schema.validation import validate_document

    problems = [f for f in validate_document(document) if f.code in (NOT_A_MAPPING, MISSING_VERSION, UNKNOWN_VERSION)]
    if problems:
        first = problems[0]
        return CannotMigrate(f"cannot tell which schema version the record is on ({first.code.code} {first.message}); "
                             "a record is moved from the version it declares", first.line, first.column)
    return CannotMigrate("cannot tell which schema version the record is on", *document.position(("schema_version",)))


def _require_valid(document: Document, version: str) -> None:
    """A record is moved only from a valid state: the checks after the move compare it with
    that state, and a record that is invalid under its own version says nothing reliable."""
    from ..schema.validation import validate_document

    problems = validate_document(document, version)
    if problems:
        first = problems[0]
        count = f"{len(problems)} problems; the first is " if len(problems) > 1 else ""
        where = f" at {first.json_path}" if first.json_path else ""
        raise CannotMigrate(f"not valid under schema {version}, so it is not moved ({count}{first.code.code}{where}: "
                            f"{first.message}); fix what `communique validate` reports, then migrate again",
                            first.line, first.column)


def _version_edit(document: Document, target: str, is_json: bool) -> _Edit:
    node = document.node_at(("schema_version",))
    return scalar_edit(document, node, document.data["schema_version"], target, "schema_version", is_json, flow=False)


_HEADER = r"(#[ \t]*yaml-language-server:[ \t]*\$schema=[^\r\n]*?[/=]){version}(/record\.schema\.json)(?=[ \t]*(?:\r|\n|\Z))"


def _header_edit(text: str, old: str, new: str) -> _Edit | None:
    """The editor comment on the first line, pointed at `new`'s folder (only when it has the
    shape `communique new` writes: .../<old>/record.schema.json)."""
    match = re.match(_HEADER.format(version=re.escape(old)), text)
    if match is None:
        return None
    start = match.end(1)
    return _Edit(start, start + len(old), new)


def _caveat_edits(document: Document, migration: Migration, is_json: bool) -> list[_Edit]:
    data = document.data
    caveats = data.get("caveats")
    if not isinstance(caveats, list):
        return []
    root = document.root
    caveats_node = document.node_at(("caveats",))
    edits = []
    for index, caveat in enumerate(caveats):
        pointer = caveat.get("path") if isinstance(caveat, dict) else None
        if not isinstance(pointer, str):
            continue
        node = document.node_at(("caveats", index, "path"))
        new, kept = rewrite_pointer(data, pointer)
        for where, identifier, why in kept:
            line, column = _start(node)
            migration.notes.append(Finding(document.path, line, column, POSITION_KEPT,
                                           f"caveat path {pointer!r} keeps position {where}: {why}",
                                           f"$.caveats[{index}].path"))
        if new == pointer:
            continue
        migration.paths[index] = (pointer, new)
        caveat_node = document.node_at(("caveats", index))
        flow = any(getattr(n, "flow_style", False) for n in (root, caveats_node, caveat_node))
        edits.append(scalar_edit(document, node, pointer, new, f"the caveat path {pointer!r}", is_json, flow=flow))
    return edits


def escape(step: str) -> str:
    """A reference token of a JSON Pointer (RFC 6901)."""
    return step.replace("~", "~0").replace("/", "~1")


def _is_position(step: str) -> bool:
    return step.isascii() and step.isdigit()


def rewrite_pointer(data: Any, pointer: str) -> tuple[str, list[tuple[str, str, str]]]:
    """`pointer`, read as 1.0 reads it (RFC 6901), with each step that names a list item by
    its position replaced by the item's `id`, where the item has a string id; and, for each
    position kept although its item has an id, (position, id, why).

    A position is kept when any item of that list has an id that reads as a decimal number
    (a 1.1 reader matches ids first, then positions: `/parties/7` would name the item whose
    id is "7" if there is one, else the eighth, and a reader of the record cannot tell
    which was meant), or when another item has the same id. A pointer that leads nowhere
    under 1.0 comes back as it was: there is no item to name."""
    if pointer == "":
        return pointer, []
    out, kept, node = [], [], data
    for raw, step in zip(pointer.split("/")[1:], steps(pointer)):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and _is_position(step) and int(step) < len(node):
            item = node[int(step)]
            identifier = item.get("id") if isinstance(item, dict) else None
            if isinstance(identifier, str) and identifier:
                ids = [other.get("id") for other in node if isinstance(other, dict)]
                numeric = [i for i in ids if isinstance(i, str) and i.isdigit()]
                where = "/".join(out)
                if numeric:
                    kept.append((step, identifier, (f"an item of /{where} has an id that reads as a number "
                                                    f"({numeric[0]!r}), so an id there could be taken for a position; "
                                                    f"give that item another id to name item {step} by its id "
                                                    f"{identifier!r}")))
                elif ids.count(identifier) > 1:
                    kept.append((step, identifier, (f"more than one item of /{where} has the id {identifier!r} "
                                                    "(R002); give each its own id to name it by its id")))
                else:
                    raw = escape(identifier)
            node = item
        else:
            return pointer, []
        out.append(raw)
    return "".join("/" + raw for raw in out), kept


def locate(data: Any, pointer: str, *, by_id: bool) -> tuple | None:
    """The JSON path (keys and positions) of what `pointer` names in `data`, read as
    communique.documents.pointer.resolve reads it, or None when it names nothing. Two pointers name
    the same field when they locate the same path, which equal values cannot tell."""
    node, path = data, []
    for step in steps(pointer):
        if isinstance(node, dict) and step in node:
            node, path = node[step], path + [step]
        elif isinstance(node, list):
            item = item_with_id(node, step) if by_id else MISSING
            if item is not MISSING:
                position = next(i for i, other in enumerate(node) if other is item)
            elif _is_position(step) and int(step) < len(node):
                position = int(step)
            else:
                return None
            node, path = node[position], path + [position]
        else:
            return None
    return tuple(path)


# --- editing text at the loader's positions ------------------------------------------------

_ANCHOR = re.compile(r"&[^ \t\r\n]+[ \t]*")


def _start(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def scalar_edit(document: Document, node: Node | None, old: str, new: str, what: str, is_json: bool, *,
                 flow: bool) -> _Edit:
    """The edit that writes `new` where the scalar `node` (holding `old`) stands: in its own
    quotes, or plain where plain reads back as `new` for every common reader, else in
    double quotes (JSON: a JSON string)."""
    from .formatting.scalars import double_quoted, scalar

    if not isinstance(node, ScalarNode) or node.value != old:
        raise CannotMigrate(f"cannot find {what} in the text", *(_start(node) if node is not None else (1, 1)))
    text = document.text
    start, end = node.start_mark.index, node.end_mark.index
    anchor = _ANCHOR.match(text, start, end)
    if anchor is not None:  # `&name value`: the value follows its anchor
        start = anchor.end()
    written = text[start:end]
    style = node.style
    if style in ('"', "'") and len(written) >= 2 and written[0] == written[-1] == style:
        if is_json:
            replacement = _json_string(new)
        elif style == "'" and _single_quotable(new):
            replacement = "'" + new.replace("'", "''") + "'"
        else:
            replacement = double_quoted(new)
    elif not style and written == node.value:
        replacement = scalar(new, flow=flow)
    else:
        how = "is a block scalar" if style in ("|", ">") else "is written over several lines"
        raise CannotMigrate(f"cannot edit {what} where it stands: it {how}; write it on one line "
                            "and migrate again", *_start(node))
    return _Edit(start, end, replacement)


def _single_quotable(value: str) -> bool:
    return all(char == " " or (char.isprintable() and char not in "\x85\u2028\u2029\ufeff") for char in value)


def _json_string(value: str) -> str:
    """`value` as a JSON string: escapes for what JSON requires and for what is not shown
    as itself (line and paragraph separators, which the loader refuses raw)."""
    import json

    out = []
    for char in json.dumps(value, ensure_ascii=False)[1:-1]:
        out.append(char if _single_quotable(char) or char == "\\" else
                   "".join(f"\\u{unit:04x}" for unit in _utf16_units(char)))
    return '"' + "".join(out) + '"'


def _utf16_units(char: str) -> list[int]:
    encoded = char.encode("utf-16-be")
    return [int.from_bytes(encoded[i:i + 2], "big") for i in range(0, len(encoded), 2)]


def apply_edits(text: str, edits: list[_Edit]) -> str:
    """The text with each edit made (from the end, so that offsets hold); `check --fix` too."""
    unique = sorted({(e.start, e.end): e for e in edits}.values(), key=lambda e: e.start)  # an alias: one edit
    for before, after in zip(unique, unique[1:]):
        if after.start < before.end:
            raise CannotMigrate("two values to migrate overlap in the text; the file is left as it is")
    for edit in reversed(unique):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


# --- checking the result -------------------------------------------------------------------


def expected_data(data: Any, migration: Migration) -> Any:
    """`data` as the migrated record must hold it: the new version and caveat paths."""
    expected = copy.deepcopy(data)
    expected["schema_version"] = migration.new_version
    for index, (_, new) in migration.paths.items():
        expected["caveats"][index]["path"] = new
    return expected


def _verify(document: Document, migration: Migration, is_json: bool) -> None:
    from ..schema.validation import format_json_path, validate_document
    from .formatting.readers_agree import first_difference

    reloaded = load_text(migration.text, document.path, is_json=is_json)
    if reloaded.document is None:
        first = reloaded.findings[0]
        raise CannotMigrate(f"the migrated text would not load ({first.code.code} {first.message}); the file is "
                            "left as it is", first.line, first.column)
    new = reloaded.document
    difference = first_difference(expected_data(document.data, migration), new.data)
    if difference is not None:
        path, wanted, got = difference
        raise CannotMigrate(f"the migrated text would hold {got!r} at {format_json_path(path)}, not {wanted!r} (an "
                            "alias shares a migrated value?); the file is left as it is", *document.position(path))
    problems = validate_document(new, migration.new_version)
    if problems:
        first = problems[0]
        raise CannotMigrate(f"the migrated record would not be valid under {migration.new_version} "
                            f"({first.code.code} {first.message}); the file is left as it is", first.line, first.column)
    _check_caveats_point_alike(document, new, migration)
    if not is_json:
        _check_comments_kept(document, new, migration)
    _check_readers_agree(document, migration, is_json)


def _check_caveats_point_alike(old: Document, new: Document, migration: Migration) -> None:
    """Every caveat path leads to the same field under the new version as under the old (by
    the path it leads to, and the value there), each read as its version reads it."""
    from .formatting.readers_agree import first_difference

    old_ids, new_ids = reads_ids(migration.old_version), reads_ids(migration.new_version)
    for index, caveat in enumerate(old.data.get("caveats") or []):
        before = caveat.get("path") if isinstance(caveat, dict) else None
        if not isinstance(before, str):
            continue
        was = locate(old.data, before, by_id=old_ids)
        if was is None:
            continue  # it led nowhere (R003); left as written
        after = migration.paths.get(index, (before, before))[1]
        now = locate(new.data, after, by_id=new_ids)
        value_before, value_after = resolve(old.data, before, by_id=old_ids), resolve(new.data, after, by_id=new_ids)
        if now != was or value_after is MISSING or first_difference(value_before, value_after) is not None:
            from ..schema.validation import format_json_path

            shown = f"{before!r}" if after == before else f"{before!r} (as {after!r})"
            raise CannotMigrate(f"caveat path {shown} would point at "
                                f"{format_json_path(now) if now is not None else 'nothing'} under "
                                f"{migration.new_version}, not at {format_json_path(was)}: a 1.1 reader matches ids "
                                "first, and an item of that list has the id it would read; give that item another "
                                "id, then migrate again", *old.position(("caveats", index, "path")))


_COMMENT_START = re.compile(r"(?<![^ \t\r\n])#")
_LINE_END = re.compile(r"\r|\n")


def comments(text: str, root: Node | None) -> list[str]:
    """The comments of a YAML text, in order: each `#` that starts a line or follows a space
    or tab, outside every scalar the loader found (keys, values, block scalars), to the end
    of its line."""
    spans = sorted({(n.start_mark.index, n.end_mark.index) for n in _scalars(root)})
    starts = [start for start, _ in spans]
    found, after = [], 0
    for match in _COMMENT_START.finditer(text):
        at = match.start()
        if at < after:
            continue
        inside = bisect_right(starts, at) - 1
        if inside >= 0 and spans[inside][0] <= at < spans[inside][1]:
            continue
        end = _LINE_END.search(text, at)
        after = end.start() if end else len(text)
        found.append(text[at:after])
    return found


def _scalars(root: Node | None):
    seen, stack = set(), [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            yield node
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)


def _check_comments_kept(old: Document, new: Document, migration: Migration) -> None:
    before, after = comments(old.text, old.root), comments(new.text, new.root)
    if migration.header and before:
        before[0] = re.sub(_HEADER.format(version=re.escape(migration.old_version)),
                           lambda m: f"{m.group(1)}{migration.new_version}{m.group(2)}", before[0], count=1)
    if before != after:
        lost = next((c for c in before if c not in after), None)
        what = f"the comment {lost!r}" if lost else "the order of the comments"
        raise CannotMigrate(f"the migrated text would not keep {what}; the file is left as it is")


def readers_of(is_json: bool) -> list[tuple[str, Callable[[str], Any]]]:
    if is_json:
        import json

        return [("the json module", json.loads)]
    from .formatting.readers_agree import READERS

    return READERS


def _check_readers_agree(document: Document, migration: Migration, is_json: bool) -> None:
    """Each other common reader reads the migrated text as it read the old one, but for the
    migrated values: a value written anew must mean the same to all of them. A reader that
    could not read the old text has nothing to compare."""
    from ..schema.validation import format_json_path
    from .formatting.readers_agree import first_difference

    for name, load in readers_of(is_json):
        try:
            theirs = load(document.text)
            expected = expected_data(theirs, migration)
        except Exception:  # a reader's own errors, or data it shapes otherwise (1.1 merge keys)
            continue
        try:
            now = load(migration.text)
        except Exception as error:
            raise CannotMigrate(f"{name} cannot read the migrated text ({type(error).__name__}); the file is left "
                                "as it is")
        difference = first_difference(expected, now)
        if difference is not None:
            path = difference[0]
            raise CannotMigrate(f"{name} would read {format_json_path(path)} of the migrated text otherwise than "
                                "before; the file is left as it is", *document.position(path))


# --- files ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False  # migrated (written, or would be with --check)
    diff: str = ""


@dataclass
class _Read:
    path: str
    document: Document | None
    raw: bytes = b""
    findings: list[Finding] = field(default_factory=list)


def _read(path: str) -> _Read:
    """The file loaded as every command loads it, and its bytes (for the write guard)."""
    loaded = load_file(path)
    if loaded.document is None:
        return _Read(path, None, findings=list(loaded.findings))
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return _Read(path, None, findings=[Finding(path, 1, 1, FILE_UNREADABLE,
                                                   f"cannot read file: {error.strerror or error}")])
    if raw.decode("utf-8-sig", errors="replace") != loaded.document.text:
        return _Read(path, None, findings=[Finding(path, 1, 1, CANNOT_MIGRATE,
                                                   "the file changed while it was read; try again")])
    return _Read(path, loaded.document, raw)


def migrate_file(read: _Read, target: str, *, write: bool, want_diff: bool, report_change: bool) -> Outcome:
    """Move one read file to `target`: `write` it, show the change as a diff (`want_diff`),
    report it as M002 (`report_change`, for --check)."""
    if read.document is None:
        return Outcome(findings=list(read.findings))
    path, document = read.path, read.document
    try:
        migration = migrate_document(document, target, is_json=path.lower().endswith(".json"))
    except CannotMigrate as problem:
        return Outcome(findings=[Finding(path, problem.line, problem.column, CANNOT_MIGRATE, str(problem))])
    if migration is None:
        return Outcome()
    outcome = Outcome(findings=list(migration.notes), changed=True)
    bom = b"\xef\xbb\xbf" if read.raw.startswith(b"\xef\xbb\xbf") else b""
    new_raw = bom + migration.text.encode("utf-8")
    if report_change:
        moved = len(migration.paths)
        paths = f", with {moved} caveat path{'' if moved == 1 else 's'} naming list items by id" if moved else ""
        line, column = document.position(("schema_version",))
        outcome.findings.append(Finding(path, line, column, NOT_MIGRATED,
                                        f"on schema {migration.old_version}; `communique migrate` would move it to "
                                        f"{migration.new_version}{paths}", "$.schema_version"))
    if want_diff:
        outcome.diff = unified_diff(path, document.text, migration.text)
    if write:
        problem = rewrite_finding(path, read.raw, new_raw, changed=CANNOT_MIGRATE, failed=MIGRATE_WRITE_FAILED,
                                  done="migrated", again="migrate it again")
        if problem is not None:
            outcome.findings.append(problem)
    return outcome


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def unified_diff(path: str, old: str, new: str, label: str = "migrated") -> str:
    """The change as a unified diff, each line with its own line ending (migrate's, and
    `check --diff`'s with label "fixed")."""
    import difflib

    lines = difflib.unified_diff(_LINES.findall(old), _LINES.findall(new), f"{path}\t(original)",
                                 f"{path}\t({label})")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)


def migrate_paths(paths, target: str = schema.LATEST, *, check: bool = False, want_diff: bool = False,
                  record_filter=None) -> tuple[Report, int, str]:
    """`communique migrate`: move (or, with `check`, only report) every record under `paths`
    to `target`. Returns the report (whose summary is the tally of files), the exit code and
    a unified diff of the changes (empty unless `want_diff`, which writes nothing, like
    `check`). Every file is read before any is written, so that a record newer than the
    target (MigrateUsageError) stops the run before it has changed anything."""
    check_target(target)
    files, findings, found = find_records(paths, record_filter)
    reads = [_read(path) for path in files]
    for read in reads:
        version = _declared_version(read.document.data) if read.document is not None else None
        if version is not None and version_key(version) > version_key(target):
            raise MigrateUsageError(f"--to {target} is older than {read.path}, which is on {version}: migrate moves "
                                    "records forward only")
    diffs = []
    migrated = unchanged = failed = 0
    for read in reads:
        outcome = migrate_file(read, target, write=not (check or want_diff), want_diff=want_diff, report_change=check)
        findings.extend(outcome.findings)
        if outcome.diff:
            diffs.append(outcome.diff)
        if any(f.severity >= Severity.ERROR and f.code is not NOT_MIGRATED for f in outcome.findings):
            failed += 1
        elif outcome.changed:
            migrated += 1
        else:
            unchanged += 1
    code = exit_code(findings, fail_on=Severity.ERROR)
    report = Report.of_files(findings, files, found, record_filter)
    if files:
        report.summary = _tally(migrated, unchanged, failed, target, dry=check or want_diff, report=report)
    return report, code, "".join(diffs)


def _tally(migrated: int, unchanged: int, failed: int, target: str, *, dry: bool, report: Report) -> str:
    """migrate's one summary line, in fmt's words: what became of each file, then what was
    not looked at."""
    from ..run.reporting import files_count as files
    from ..run.reporting import tally

    parts = [f"{files(migrated)} {'would be migrated' if dry else 'migrated'} to {target}",
             f"{files(unchanged)} already {target}"]
    if failed:
        parts.append(f"{files(failed)} not migrated (see the findings)")
    return tally(parts, report)
