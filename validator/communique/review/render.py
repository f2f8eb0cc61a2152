"""A diff of records for its readers: text for a terminal, Markdown for a pull request (as
GitHub renders it: every value in a code span, so that nothing a record holds becomes
markup), JSON for scripts."""

from __future__ import annotations

import json
from typing import Any, Callable

from ..run.reporting import code_span
from .facts import Change, RecordChange

SIGNS = {"added": "+", "removed": "-", "changed": "~"}
LONG = 160  # a value longer than this is cut in text and Markdown (JSON has it whole)


def render_text(changes: list[RecordChange], passages: Callable[[dict], str | None] | None = None) -> str:
    if not changes:
        return "No change of meaning.\n"
    lines = []
    for record in changes:
        lines.append(_headline(record, lambda text: text))
        for change in record.changes:
            lines.append(f"  {SIGNS[change.kind]} {change.where}: {_values(change, _short)}")
            lines += [f"      {line}" for line in _backing(change, passages, lambda text: text)]
    lines.append(_summary(changes))
    return "\n".join(lines) + "\n"


def render_markdown(changes: list[RecordChange], passages: Callable[[dict], str | None] | None = None) -> str:
    lines = ["### What this change says", ""]
    if not changes:
        return "\n".join(lines + ["No change of meaning.", ""])
    for record in changes:
        lines += [f"**{_headline(record, _code)}**", ""]
        for change in record.changes:
            lines.append(f"- {SIGNS[change.kind]} {_code(change.where)}: {_values(change, lambda v: _code(_short(v)))}")
            lines += [f"  - {line}" for line in _backing(change, passages, _code)]
        lines.append("")
    lines += [_summary(changes), ""]
    return "\n".join(lines)


def render_json(changes: list[RecordChange], passages: Callable[[dict], str | None] | None = None) -> str:
    def change_data(change: Change) -> dict:
        steps = [step.key if step.item is None else {"item": step.item} for step in change.path]
        data: dict[str, Any] = {"kind": change.kind, "path": change.where, "steps": steps}
        if change.kind != "added":
            data["old"] = change.old
        if change.kind != "removed":
            data["new"] = change.new
        data["evidence"] = [dict(item, passage=passages(item)) if passages else item for item in change.evidence]
        data["sources"] = change.sources
        return data

    records = [{"kind": r.kind, "id": r.id, "path": r.path,
                **({"old_id": r.old_id, "old_path": r.old_path} if r.kind == "renamed" else {}),
                "changes": [change_data(c) for c in r.changes]} for r in changes]
    return json.dumps({"records": records, "summary": _counts(changes)}, indent=2, ensure_ascii=False, default=str) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def _headline(record: RecordChange, quoted: Callable[[str], str]) -> str:
    if record.kind == "renamed":
        return f"meeting {quoted(record.old_id)} renamed {quoted(record.id)} ({record.path})"
    if record.kind in ("added", "removed"):
        return f"meeting {quoted(record.id)} {record.kind} ({record.path})"
    return f"meeting {quoted(record.id)} ({record.path})"


def _values(change: Change, shown: Callable[[Any], str]) -> str:
    if change.kind == "changed":
        return f"{shown(change.old)} -> {shown(change.new)}"
    return shown(change.new if change.kind == "added" else change.old)


def _backing(change: Change, passages, quoted: Callable[[str], str]) -> list[str]:
    lines = []
    for item in change.evidence:
        lines.append(f"evidence ({quoted(str(item.get('source', '?')))}): {quoted(_short(item['quote']))}")
        passage = passages(item) if passages else None
        if passage:
            lines.append(f"in the source: {quoted(passage)}")
    if not change.evidence and change.sources:
        lines.append("sources: " + ", ".join(quoted(source) for source in change.sources))
    return lines


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= LONG else text[:LONG - 3] + "..."


def _code(text: str) -> str:
    return code_span(text, in_table=False)


def _summary(changes: list[RecordChange]) -> str:
    facts = sum(len(r.changes) for r in changes)
    parts = [f"{count} {kind}" for kind, count in _counts(changes).items() if count]
    return f"{len(changes)} meeting{'' if len(changes) == 1 else 's'} ({', '.join(parts)}); " \
           f"{facts} fact{'' if facts == 1 else 's'} changed."


def _counts(changes: list[RecordChange]) -> dict[str, int]:
    return {kind: sum(r.kind == kind for r in changes) for kind in ("changed", "added", "removed", "renamed")}
