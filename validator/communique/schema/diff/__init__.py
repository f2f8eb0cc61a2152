"""`communique schema diff OLD NEW`: every change between two versions of the schema, and
for each whether records valid under OLD stay valid under NEW.

The question asked of each change is the record keeper's: can a record that OLD accepts be
refused by NEW? Adding an optional property, an enum value or a looser bound cannot; a new
required property, a removed enum value, a narrower type or a lower maximum can. Where the
answer cannot be proved from the two schemas (a changed pattern, a changed condition), the
change is called breaking: a minor version must be shown to keep old records valid, not
assumed to.

The schemas are walked side by side, keyword by keyword, so that each change is named at
its place (`$defs/slug/maxLength`) with a one-line reason. A general compatibility checker
(jsoncompat) gives one verdict for the whole document instead, and did not serve here: see
docs/versioning.md.

The version marker (`properties/schema_version` and `$id`) differs between any two
versions by design; it is reported as such and does not make a diff breaking, since moving
a record to a new minor version means changing only its `schema_version`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from .changes import BREAKING, COMPATIBLE, Change, Diff, Source
from .reading import DiffInputError, load_source
from .walk import Context, Walker

__all__ = ["BREAKING", "COMPATIBLE", "Change", "Diff", "DiffInputError", "Source", "compare", "diff_schemas",
           "diff_sources", "load_source", "minor_steps", "render_json", "render_text"]


def compare(old_spec: str, new_spec: str) -> Diff:
    """The changes from OLD to NEW, each a version or a schema file; DiffInputError when one
    cannot be read."""
    return diff_sources(load_source(old_spec), load_source(new_spec))


def diff_sources(old: Source, new: Source) -> Diff:
    result = Diff(old, new)
    walker = Walker(old.data, new.data)
    new_data = walker.version_marker(old.data, new.data)
    result.marker = walker.marker
    walker.node(old.data, new_data, "", Context())
    result.changes = walker.changes
    return result


def diff_schemas(old: Any, new: Any) -> list[Change]:
    """The changes between two schema documents (already parsed)."""
    return diff_sources(Source("OLD", old), Source("NEW", new)).changes


def minor_steps(versions: Iterable[str]) -> list[tuple[str, str]]:
    """Each pair of consecutive versions of one major version (oldest first): the steps
    that must keep old records valid. 1.0, 1.1, 2.0 -> [(1.0, 1.1)]."""
    ordered = sorted(versions, key=lambda v: tuple(int(part) for part in v.split(".")))
    return [(a, b) for a, b in pairwise(ordered) if a.split(".")[0] == b.split(".")[0]]


# --- output ------------------------------------------------------------------------------------

def render_text(diff: Diff) -> str:
    """One line per change (verdict, place, what changed: why), then the summary."""
    lines = [f"{change.verdict:<10}  {change.path or '(root)'}  {change.description}: {change.reason}"
             for change in diff.changes]
    lines.append(diff.summary())
    return "\n".join(lines) + "\n"


def render_json(diff: Diff) -> str:
    payload = {
        "old": diff.old.label,
        "new": diff.new.label,
        "compatible": diff.compatible,
        "breaking": len(diff.breaking),
        "changes": [{"path": c.path, "verdict": c.verdict, "change": c.description, "reason": c.reason}
                    for c in diff.changes],
        "summary": diff.summary(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
