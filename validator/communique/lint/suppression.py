"""Inline suppressions: `# communique: ignore[C001, X004] reason` on the line a finding
points at silences those codes there. Suppressions that silence nothing are reported, so
they cannot outlive the problem they were written for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core import findings as F
from ..core.findings import Finding, Severity

_DIRECTIVE = re.compile(r"#\s*communique:\s*ignore\[([^\]]*)\]\s*(.*)$")

UNUSED = F.register(
    "U001", "unused-suppression", "A suppression comment silences nothing.",
    "A `# communique: ignore[CODE]` comment whose code no longer fires on its line is left "
    "over from a fixed problem, or sits on the wrong line. Remove it, or move it to the line "
    "the finding points at.\n\nBad:\n    title: 7th Pakistan-EU Strategic Dialogue  # communique: ignore[N002]\n\n"
    "Good:\n    title: 7th Pakistan-EU Strategic Dialogue",
    severity=Severity.WARNING)
NO_REASON = F.register(
    "U002", "suppression-without-reason", "A suppression comment gives no reason.",
    "A suppression is a decision a reviewer should be able to check: say why, after the "
    "brackets (the sources are silent, the sources disagree...). The editor's suppress action "
    "writes `<reason>` there for you to replace; left as it is, it is no reason.\n\nBad:\n"
    "    - id: af  # communique: ignore[C001]\n\nGood:\n"
    "    - id: af  # communique: ignore[C001] the source names no one for either side",
    severity=Severity.WARNING)
UNPROTECTED = ("F", "Y", "U")  # codes that a suppression can never silence
REASON_PLACEHOLDER = "<reason>"  # what the editor's "suppress" action writes, for the keeper to replace


@dataclass
class Suppression:
    line: int
    column: int
    codes: list[str]
    reason: str
    used: set = field(default_factory=set)


def parse_suppressions(text: str) -> dict[int, Suppression]:
    """Suppression comments by 1-based line number."""
    found = {}
    if "communique:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match:
            codes = [code.strip() for code in match.group(1).split(",") if code.strip()]
            found[number] = Suppression(number, match.start() + 1, codes, match.group(2).strip())
    return found


def apply_suppressions(path: str, findings: list[Finding], suppressions: dict[int, Suppression],
                       active_codes: set[str]) -> list[Finding]:
    """Findings that survive the file's suppressions, plus findings about the suppressions."""
    kept = []
    for finding in findings:
        entry = suppressions.get(finding.line)
        code = finding.code.code
        if entry and code in entry.codes and not code.startswith(UNPROTECTED):
            entry.used.add(code)
        else:
            kept.append(finding)
    for entry in suppressions.values():
        for code in entry.codes:
            if code in entry.used:
                continue
            if code not in F.CODES:
                message = f"suppression names unknown code {code!r}"
            elif code not in active_codes:
                continue  # the rule is not selected in this run: nothing to judge
            else:
                message = f"suppression of {code} silences nothing on this line"
            kept.append(Finding(path, entry.line, entry.column, UNUSED, message))
        if not entry.reason or entry.reason == REASON_PLACEHOLDER:
            unfilled = f" (replace {REASON_PLACEHOLDER} by it)" if entry.reason else ""
            kept.append(Finding(path, entry.line, entry.column, NO_REASON,
                                f"suppression of {', '.join(entry.codes)} gives no reason{unfilled}"))
    return kept
