"""The edits behind the editor's code actions: a finding's safe fix, all of a record's safe
fixes, an inline suppression. Each is checked before it is offered: a fix as `check --fix`
checks it, a suppression by reading the record back with the same data."""

from __future__ import annotations

import re

from ..core.findings import Finding
from ..documents.loading import Document, load_text
from ..lint.suppression import REASON_PLACEHOLDER, UNPROTECTED, parse_suppressions
from ..rewrite.fixing import fix_document
from ..rewrite.formatting.readers_agree import first_difference

_BRACKETS = re.compile(r"(#\s*communique:\s*ignore\[)([^\]]*)(\])")


def fixed_text(document: Document, findings: list[Finding]) -> tuple[str, str] | None:
    """The record's text with the safe fixes of `findings` made, and what they do; None
    when there is none, or it would not pass its checks."""
    fixed = fix_document(document, findings)
    if fixed is None or fixed.new_text is None:
        return None
    return fixed.new_text, "; ".join(fix.title for fix in fixed.fixes)


def suppressed_text(document: Document, finding: Finding) -> str | None:
    """The record's text with `# communique: ignore[CODE] <reason>` on the finding's line
    (or the code added to the suppression already there); None when the code cannot be
    suppressed, or the comment would change what the record holds."""
    code = finding.code.code
    if code.startswith(UNPROTECTED) or not finding.line or not finding.show_source:
        return None  # a finding about the whole record (S900: fix the schema problems) is not silenced
    lines = document.text.split("\n")
    number = finding.line - 1
    if number >= len(lines):
        return None
    line = lines[number]
    existing = _BRACKETS.search(line)
    if existing:
        codes = [c.strip() for c in existing.group(2).split(",") if c.strip()] + [code]
        lines[number] = line[:existing.start(2)] + ", ".join(codes) + line[existing.end(2):]
    else:
        ending = "\r" if line.endswith("\r") else ""
        lines[number] = f"{line.rstrip()}  # communique: ignore[{code}] {REASON_PLACEHOLDER}{ending}"
    text = "\n".join(lines)
    reloaded = load_text(text, document.path, is_json=document.path.lower().endswith(".json")).document
    if reloaded is None or first_difference(reloaded.data, document.data) is not None:
        return None
    entry = parse_suppressions(text).get(finding.line)
    return text if entry is not None and code in entry.codes else None
