"""Safe fixes: `communique check --fix` (and `--diff` to preview them).

A fix is mechanical and has one right answer: the value a finding points at is replaced by
another scalar, in place, and nothing else in the file moves. Only these are made:

- S003: a `schema_version` written as a number (`1.1`) is quoted (`"1.1"`);
- S103: a whole number written as a float (`1.0`, `1e0`) where the schema wants an integer
  is written as one (`1`);
- a country code in lower case (`pk`) is upper-cased, when that is an ISO 3166-1 code;
- S104: a value the schema does not allow becomes the one allowed value it is close to
  (a different case, or one close match; two close matches are no fix);
- R001: a reference to an undefined id becomes the one defined id it is close to.

Each fix is checked before the file is replaced, as `migrate` checks its edits: the new
text loads, holds exactly the old data with the fixed values, keeps every comment, and reads
the same to PyYAML and ruamel.yaml. The file is replaced atomically, unless it changed
since it was read. A fix that fails a check is not made, and says why.
"""

from __future__ import annotations

import ast
import copy
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .. import schema
from ..core.findings import Finding
from ..documents.loading import Document, load_file, load_text
from ..lint.fixable import COUNTRY_CODES, FIXES
from ..schema import walk as schema_walk

# The ids a reference may name, by the field that holds it.
REFERENCE_KINDS = {"party": "parties", "parties": "parties", "issued_by": "parties", "member_of": "parties",
                   "by": "parties", "agenda_item": "agenda", "frameworks": "frameworks", "held_under": "frameworks",
                   "source": "sources", "sources": "sources"}


@dataclass(frozen=True)
class Fix:
    path: tuple  # JSON path of the value
    new: Any  # the value it will hold
    title: str  # what the fix does, in a few words


@dataclass
class FileFixes:
    path: str
    fixes: list[Fix] = field(default_factory=list)
    old_text: str = ""
    new_text: str | None = None
    problem: str | None = None  # why the fixes were not made


_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]")


def parse_json_path(text: str | None) -> tuple | None:
    """The steps of a finding's JSON path ("$.agreements[0].parties"), as validation writes it."""
    if not text or not text.startswith("$"):
        return None
    steps, at = [], 1
    while at < len(text):
        match = _STEP.match(text, at)
        if match is None:
            return None
        name, index, quoted = match.groups()
        steps.append(name if name is not None else int(index) if index is not None else ast.literal_eval(quoted))
        at = match.end()
    return tuple(steps)


def one_close(value: str, candidates) -> str | None:
    """The single candidate `value` is a slip of: the same but for case, or the one close
    match. None when there is none, or more than one."""
    candidates = [c for c in candidates if isinstance(c, str)]
    same_but_case = [c for c in candidates if c.lower() == value.lower() and c != value]
    if len(same_but_case) == 1:
        return same_but_case[0]
    close = difflib.get_close_matches(value, candidates, n=2, cutoff=0.8)
    return close[0] if len(close) == 1 and close[0] != value else None


def _value_at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _iso_countries() -> tuple:
    return tuple(schema.load_cached(schema.LATEST)["$defs"]["iso_3166_alpha2"]["enum"])


def fix_for(document: Document, finding: Finding) -> Fix | None:
    """The safe fix of one finding, if it has one."""
    code = finding.code.code
    path = parse_json_path(finding.json_path) if code in FIXES else None
    if path is None:
        return None
    try:
        value = _value_at(document.data, path)
    except (KeyError, IndexError, TypeError):
        return None
    if code == "S003" and path == ("schema_version",) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        written = getattr(document.node_at(path), "value", None)
        return Fix(path, written, f"quote schema_version {written}") if written in schema.versions() else None
    if code == "S103":
        return _integral_float_fix(document, path, value)
    if not isinstance(value, str):
        return None
    if path[-1] == "country" and code in COUNTRY_CODES and value != value.upper() \
            and value.upper() in _iso_countries():
        return Fix(path, value.upper(), f"upper-case country code {value!r}")
    if code == "S104":
        root = schema.load_cached(schema.version_of(document.data))
        allowed = schema_walk.first(schema_walk.at_instance(root, path), "enum") or []
        match = one_close(value, allowed)
        return Fix(path, match, f"{value!r} -> {match!r}") if match else None
    if code == "R001":
        kind = next((REFERENCE_KINDS[s] for s in reversed(path) if isinstance(s, str) and s in REFERENCE_KINDS), None)
        if kind is None:
            return None
        defined = [item.get("id") for item in document.data.get(kind) or [] if isinstance(item, dict)]
        match = one_close(value, defined)
        return Fix(path, match, f"{value!r} -> {match!r}") if match else None
    return None


def _integral_float_fix(document: Document, path: tuple, value: Any) -> Fix | None:
    """1.0 -> 1, only where the schema wants an integer: a float in a text field is quoted
    by hand, not rounded."""
    from ..schema.validation import wants_integer

    if not isinstance(value, float) or not value.is_integer():
        return None
    if not wants_integer(schema.load_cached(schema.version_of(document.data)), path):
        return None
    written = getattr(document.node_at(path), "value", value)
    return Fix(path, int(value), f"{written} -> {int(value)}")


def plan(findings: list[Finding]) -> list[FileFixes]:
    """The fixes of the findings shown, by file (each file read once, in report order)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.code.code in FIXES and finding.path:
            by_file.setdefault(finding.path, []).append(finding)
    planned = []
    for path, found in by_file.items():
        loaded = load_file(path)
        fixed = fix_document(loaded.document, found) if loaded.document is not None else None
        if fixed is not None:
            planned.append(fixed)
    return planned


def fixable_paths(document: Document, findings: list[Finding]) -> frozenset[str]:
    """The JSON paths of a record's findings that have a safe fix. The fixed text is not
    made and checked here (that re-reads the record with every reader, about 50 ms): `--fix`
    and `--diff` do it, and say so for a file whose fixes they then refuse."""
    return frozenset(f.json_path for f in findings if f.code.code in FIXES and fix_for(document, f) is not None)


def fix_document(document: Document, findings: list[Finding]) -> FileFixes | None:
    """The fixes of one record's findings, applied to its text and checked (or the reason
    they cannot be made); None when none of the findings has a fix."""
    fixes = {}
    for finding in findings:
        fix = fix_for(document, finding)
        if fix is not None:
            fixes.setdefault(fix.path, fix)  # one value, one fix, whichever codes point at it
    return _apply(document, FileFixes(document.path, list(fixes.values()))) if fixes else None


class CannotFix(Exception):
    pass


def _apply(document: Document, file_fixes: FileFixes) -> FileFixes:
    """The fixed text, checked; or the reason it cannot be made."""
    from .migrating import CannotMigrate, apply_edits, scalar_edit

    file_fixes.old_text = document.text
    is_json = document.path.lower().endswith(".json")
    try:
        edits = []
        for fix in file_fixes.fixes:
            node = document.node_at(fix.path)
            parent = document.node_at(fix.path[:-1])
            flow = bool(getattr(parent, "flow_style", False) or getattr(document.root, "flow_style", False))
            edits.append(scalar_edit(document, node, getattr(node, "value", None), fix.new, fix.title, is_json,
                                      flow=flow))
        new_text = apply_edits(document.text, edits)
        _verify(document, new_text, file_fixes.fixes, is_json)
    except (CannotMigrate, CannotFix) as problem:
        file_fixes.problem = str(problem).replace("migrate again", "fix again").replace("migrated", "fixed")
        return file_fixes
    file_fixes.new_text = new_text
    return file_fixes


def _with_fixes(data: Any, fixes: list[Fix]) -> Any:
    expected = copy.deepcopy(data)
    for fix in fixes:
        holder = _value_at(expected, fix.path[:-1])
        holder[fix.path[-1]] = fix.new
    return expected


def _verify(document: Document, new_text: str, fixes: list[Fix], is_json: bool) -> None:
    from .formatting.readers_agree import first_difference
    from .migrating import comments, readers_of

    reloaded = load_text(new_text, document.path, is_json=is_json).document
    if reloaded is None:
        raise CannotFix("the fixed text would not load; the file is left as it is")
    if first_difference(_with_fixes(document.data, fixes), reloaded.data) is not None:
        raise CannotFix("the fixed text would change more than the fixed values; the file is left as it is")
    if not is_json and comments(document.text, document.root) != comments(new_text, reloaded.root):
        raise CannotFix("the fixed text would not keep every comment; the file is left as it is")
    for name, load in readers_of(is_json):
        try:
            expected = _with_fixes(load(document.text), fixes)
        except Exception:  # a reader that cannot read the old text, or shapes it otherwise
            continue
        try:
            now = load(new_text)
        except Exception as error:
            raise CannotFix(f"{name} cannot read the fixed text ({type(error).__name__}); the file is left as it is")
        if first_difference(expected, now) is not None:
            raise CannotFix(f"{name} would read the fixed text otherwise; the file is left as it is")


def write(file_fixes: FileFixes) -> str | None:
    """Replace the file with its fixed text; None on success, else why not."""
    from ..documents.writing import replace_unless_changed

    with open(file_fixes.path, "rb") as handle:
        raw = handle.read()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    if raw[len(bom):].decode("utf-8", errors="replace") != file_fixes.old_text:
        return "the file changed since it was checked; it is left as saved, check it again"
    problem = replace_unless_changed(file_fixes.path, raw, bom + file_fixes.new_text.encode("utf-8"))
    return None if problem is None else problem[1]
