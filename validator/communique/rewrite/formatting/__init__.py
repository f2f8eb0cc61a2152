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

Reading. A file is first loaded as every command loads it (communique.documents.loading); a file that
does not load cleanly is reported and left untouched. The text is then parsed with
ruamel.yaml in round-trip mode (YAML 1.2): its events give the structure, the anchors and
aliases and where every key and item stands, and its tokens where every dash, scalar and
anchor stands, and so which `#` starts a comment. Values are not taken from ruamel but from
the loader's data, so that the formatter reads every value as the other commands do.

Writing. The new text is written by this package (writer.py), not by ruamel's dumper,
which keeps a comment on a line of its own with the key *above* it and would carry it off
with that key when keys are reordered.

Safety. Before anything is written, the new text is loaded again: it must give the same
data (types included), hold the same comments, and come out unchanged when formatted
again; otherwise the file is left untouched and K002 says why. A file is replaced
atomically (a temporary file in its folder, fsync, os.replace; a symlink's target, with its
permission bits) and only when its bytes change. `--check` and `--diff` write nothing.
JSON files are left alone: they have no YAML layout to put right.

The package: tree.py builds the node tree from ruamel's events and the loader's values;
comments.py ties comments and blank lines to it; order.py sets the schema's key order;
writer.py lays the text out and scalars.py spells each value; per_file.py reads, checks,
diffs and writes one file; lines.py counts lines one way for all of them; errors.py holds
Unformattable. This module holds the codes, the two entry points, and the checks that make
a rewrite safe.

ruamel.yaml is imported only when a file is formatted.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.findings import CANNOT_FORMAT, NOT_CANONICAL, WRITE_FAILED, Finding, Severity, exit_code  # noqa: F401 (re-exported)
from ...documents.files import find_records
from ...documents.loading import load_bytes, load_text
from ...run.reporting import Report
from .comments import find_comments, place_comments
from .errors import Unformattable
from .lines import Lines
from .order import order_keys
from .readers_agree import check_readers_agree, first_difference
from .suppressions_kept import check_suppressions_kept
from .tree import Tree, parse
from .writer import Writer, hoist_comments, keep_suppressed_mappings_inline

_Writer = Writer  # tests/rewrite/test_formatting.py patches formatting._Writer.write





def format_paths(paths, check: bool = False, want_diff: bool = False,
                 record_filter=None) -> tuple[Report, int, str]:
    """`communique fmt`: format (or, with `check`, only check) every record file under `paths`.

    Returns the report (whose summary is the tally of files), the exit code and a unified
    diff of the changes (empty unless `want_diff`). `want_diff` writes nothing, like
    `check`: it shows what would change.
    """
    from .per_file import format_file  # imported here: it imports the codes and format_text from here

    files, findings, found = find_records(paths, record_filter)
    diffs = []
    changed = unchanged = failed = skipped = 0
    for path in files:
        outcome = format_file(path, write=not (check or want_diff), want_diff=want_diff, report_change=check)
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
    code = exit_code(findings, fail_on=Severity.ERROR)
    report = Report.of_files(findings, files, found, record_filter)
    if files:
        report.summary = _tally(changed, unchanged, failed, skipped, dry=check or want_diff, report=report)
    return report, code, "".join(diffs)


def format_stdin(stdin, *, check_only: bool) -> tuple[bytes | None, Report, int]:
    """Standard input formatted: the new bytes (None when it cannot be formatted: the input
    then goes out as it came), the report and the exit code."""
    from .per_file import format_loaded

    is_json = stdin.name.lower().endswith(".json")
    loaded = load_bytes(stdin.raw, stdin.name, is_json=is_json)
    text = stdin.raw.decode("utf-8-sig", errors="replace")
    if loaded.document is None or is_json:
        outcome_findings, new_raw = list(loaded.findings), None
    else:
        outcome, new_raw = format_loaded(stdin.name, stdin.raw, loaded.document, report_change=check_only)
        outcome_findings = outcome.findings
    report = Report(sorted(outcome_findings, key=Finding.sort_key), 1, texts={stdin.name: text})
    return new_raw, report, exit_code(outcome_findings, fail_on=Severity.ERROR)


def _only_not_canonical(findings: list[Finding]) -> bool:
    return all(f.code is NOT_CANONICAL for f in findings)


def _tally(changed: int, unchanged: int, failed: int, skipped: int, *, dry: bool, report: Report) -> str:
    """fmt's one summary line: what became of each file, then what was not looked at."""
    from ...run.reporting import files_count as files
    from ...run.reporting import tally

    parts = [f"{files(changed)} {'would be reformatted' if dry else 'reformatted'}",
             f"{files(unchanged)} {'already formatted' if dry else 'left unchanged'}"]
    if failed:
        parts.append(f"{files(failed)} not formatted (see the findings)")
    if skipped:
        parts.append(f"{files(skipped).replace('file', 'JSON file')} skipped")
    return tally(parts, report)


def format_text(text: str, data: Any, path: str = "<text>") -> str:
    """The canonical form of `text`, whose data (as communique.documents.loading reads it) is `data`.

    Raises Unformattable when the result would not hold the same data and comments, or
    would not be stable under formatting again.
    """
    original = text
    text = _without_plain_tabs(_without_trailing_blanks(text, path), path)
    new_text, comments = _format(text, data)
    if new_text == original:
        return new_text
    reloaded = load_text(new_text, path)
    if reloaded.document is None:
        first = reloaded.findings[0]
        raise Unformattable(f"the formatted text would not load ({first.code.code} at line {first.line}: "
                            f"{first.message}); the file is left as it is")
    if not _same_data(data, reloaded.document.data):
        raise Unformattable("the formatted text would not hold the same data; the file is left as it is")
    check_readers_agree(new_text, data, lambda json_path: _original_position(text, path, json_path))
    check_suppressions_kept(text, new_text, path)
    again, new_comments = _format(new_text, reloaded.document.data)
    if sorted(comments) != sorted(new_comments):
        raise Unformattable("the formatted text would not keep every comment; the file is left as it is")
    if again != new_text:
        raise Unformattable("formatting is not stable for this file (a second pass changes it); "
                            "the file is left as it is")
    return new_text


def _same_data(a: Any, b: Any) -> bool:
    """Equal, with types: 1, 1.0 and True are three different values here."""
    return first_difference(a, b) is None


_TRAILING_BLANKS = re.compile(r"(?<![\\ \t])[ \t]+$", re.M)


def _without_trailing_blanks(text: str, path: str) -> str:
    """`text` without spaces and tabs at the ends of lines, but inside block scalars, where
    they are content, and after a backslash, where they are escaped. Elsewhere YAML ignores
    them, but ruamel.yaml, which the formatter parses with, refuses a tab there."""
    if not _TRAILING_BLANKS.search(text):
        return text
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    document = load_text(text, path).document
    kept: set[int] = set()
    stack = [document.root] if document is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            kept.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    lines = text.split("\n")
    return "\n".join(line if number in kept else _TRAILING_BLANKS.sub("", line) for number, line in enumerate(lines))


_BREAK = re.compile(r"\r\n|\r|\n")


def _without_plain_tabs(text: str, path: str) -> str:
    """`text` with a space for each tab inside an unquoted scalar (`title: a<TAB>b`), for
    ruamel.yaml, whose scanner refuses one there though YAML allows it. The text keeps its
    length and structure, and ruamel's reading gives only the structure and positions: the
    values come from the loader, which keeps the tab (the writer then double-quotes it, `\t`)."""
    if "\t" not in text:
        return text
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    document = load_text(text, path).document
    spans = []
    stack = [document.root] if document is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode) and not node.style:
            spans.append((node.start_mark, node.end_mark))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    if not spans:
        return text
    starts = [0] + [match.end() for match in _BREAK.finditer(text)]
    chars = list(text)
    for start, end in spans:
        first, last = starts[start.line] + start.column, starts[end.line] + end.column
        if "\t" in text[first:last]:
            chars[first:last] = text[first:last].replace("\t", " ")
    return "".join(chars)


def _original_position(text: str, path: str, json_path: tuple) -> tuple[int, int]:
    document = load_text(text, path).document
    return document.position(json_path) if document is not None else (1, 1)


def _format(text: str, data: Any) -> tuple[str, list[str]]:
    """The canonical text, and the comments of `text` (for checking that none is lost)."""
    events, tokens = parse(text)
    lines = Lines(text)
    found = find_comments(lines, tokens)
    tree = Tree(lines, events, tokens, data)
    place_comments(tree, found)
    order_keys(tree.root)
    keep_suppressed_mappings_inline(tree.entries)
    hoist_comments(tree.entries)
    return Writer(tree).write(), [comment.text for comment in found.comments]
