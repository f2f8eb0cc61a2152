"""What hovering shows: for a finding, its rule's explanation; for a field, what the schema
says of it."""

from __future__ import annotations

from .. import schema
from ..core.findings import Finding
from ..documents.loading import Document
from ..schema import walk as schema_walk
from .positions import Position, path_at


def explain_findings(findings: list[Finding]) -> str:
    """Markdown: each code's explanation (`communique rule CODE`), once per code."""
    from ..lint.selection import explanation

    parts, seen = [], set()
    for finding in findings:
        if finding.code.code not in seen:
            seen.add(finding.code.code)
            title, _, body = explanation(finding.code).partition("\n\n")
            parts.append(f"**{title}**\n\n{finding.message}\n\n```text\n{body.strip()}\n```")
    return "\n\n---\n\n".join(parts)


def describe_field(document: Document, position: Position) -> str | None:
    """Markdown: the schema's description of the field at `position`, with its allowed
    values when the schema lists them."""
    found = path_at(document, position)
    if found is None or not found[0]:
        return None
    path, _ = found
    version = schema.version_of(document.data)
    root = schema.load_cached(version)
    schemas = schema_walk.at_instance(root, path)
    description = schema_walk.first(schemas, "description")
    if not description:
        return None
    name = next((step for step in reversed(path) if isinstance(step, str)), "")
    allowed = [value for part in schemas for value in part.get("enum") or [] if isinstance(value, str)]
    values = f"\n\nAllowed: {', '.join(f'`{v}`' for v in allowed[:30])}" + (" ..." if len(allowed) > 30 else "") \
        if allowed else ""
    return f"**{name}** (schema {version})\n\n{description}{values}"
