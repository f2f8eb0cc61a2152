"""One record file: read it, format it, and report, diff or write the change.

A file that does not load as every command loads it (communique.documents.loading) is reported and
left untouched. A file is replaced atomically and only when its bytes change, so that an
interrupted run or a full disk never leaves half a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...core import findings as F
from ...core.findings import Finding
from ...documents.loading import load_file
from ...documents.writing import rewrite_finding
from . import CANNOT_FORMAT, NOT_CANONICAL, WRITE_FAILED, format_text
from .errors import Unformattable
from .lines import LINE_BREAKS


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False  # not in canonical form (written, or would be with --check)
    skipped: bool = False
    diff: str = ""


def format_file(path: str, *, write: bool, want_diff: bool, report_change: bool) -> Outcome:
    """Format one file: `write` it, show the change as a diff (`want_diff`), report it as
    K001 (`report_change`, for --check)."""
    if path.lower().endswith(".json"):
        return Outcome(skipped=True)  # JSON records have no YAML layout to put right
    loaded = load_file(path)
    if loaded.document is None:
        return Outcome(findings=list(loaded.findings))
    document = loaded.document
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return Outcome(findings=[Finding(path, 1, 1, F.FILE_UNREADABLE, f"cannot read file: {_reason(error)}")])
    if raw.decode("utf-8-sig", errors="replace") != document.text:
        return Outcome(findings=[Finding(path, 1, 1, CANNOT_FORMAT, "the file changed while it was read; try again")])
    outcome, new_raw = format_loaded(path, raw, document, report_change=report_change)
    if outcome.changed and want_diff:
        outcome.diff = unified_diff(path, document.text, new_raw.decode("utf-8"))
    if outcome.changed and write:
        problem = rewrite_finding(path, raw, new_raw, changed=CANNOT_FORMAT, failed=WRITE_FAILED, done="formatted",
                                  again="format it again")
        if problem is not None:
            outcome.findings.append(problem)
    return outcome


def format_loaded(path: str, raw: bytes, document, *, report_change: bool) -> tuple[Outcome, bytes | None]:
    """The canonical bytes of a loaded record (None when it cannot be formatted safely: K002),
    and the outcome: changed or not, and K001 when `report_change`. Shared by files and
    standard input."""
    try:
        new_text = format_text(document.text, document.data, path)
    except Unformattable as problem:
        return Outcome(findings=[Finding(path, problem.line, problem.column, CANNOT_FORMAT, str(problem))]), None
    new_raw = new_text.encode("utf-8")
    if new_raw == raw:
        return Outcome(), new_raw
    outcome = Outcome(changed=True)
    if report_change:
        outcome.findings.append(not_canonical(path, raw, document.text, new_text))
    return outcome, new_raw


def unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    old_lines = [line + "\n" for line in _split_lines(old)]
    new_lines = new.splitlines(keepends=True)
    if old_lines == new_lines:  # only the byte-order mark or line endings differ
        return f"--- {path}\t(original)\n+++ {path}\t(formatted)\n# line endings or byte-order mark only\n"
    return "".join(difflib.unified_diff(old_lines, new_lines, f"{path}\t(original)", f"{path}\t(formatted)"))


def not_canonical(path: str, raw: bytes, old: str, new: str) -> Finding:
    """K001 at the first line that would change, saying how."""

    def finding(line: int, what: str) -> Finding:
        return Finding(path, line, 1, NOT_CANONICAL, f"not in canonical form: {what}")

    old_lines, new_lines = _split_lines(old), new.split("\n")[:-1]
    for number, (was, wanted) in enumerate(zip(old_lines, new_lines), start=1):
        if was.rstrip("\r") != wanted:
            shown = wanted if len(wanted) <= 80 else wanted[:77] + "..."
            return finding(number, f"`communique fmt` would write this line as `{shown}`")
    if len(old_lines) > len(new_lines):
        return finding(len(new_lines) + 1, "`communique fmt` would remove this line")
    if len(old_lines) < len(new_lines):
        return finding(max(len(old_lines), 1), "`communique fmt` would add lines after this one")
    if raw.startswith(b"\xef\xbb\xbf"):
        return finding(1, "the file starts with a byte-order mark")
    if "\r" in old:
        return finding(1, "the file has CR or CRLF line endings, not LF")
    return finding(1, "the file does not end with exactly one newline")


def _split_lines(text: str) -> list[str]:
    lines = LINE_BREAKS.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _reason(error: OSError) -> str:
    return str(error.strerror or error)
