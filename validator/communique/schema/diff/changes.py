"""What a diff holds: each change with its place, verdict and reason, and the two schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMPATIBLE = "compatible"
BREAKING = "breaking"


@dataclass(frozen=True)
class Change:
    """One change, at the JSON Pointer (without the leading `#/`) of its keyword."""

    path: str
    verdict: str
    description: str
    reason: str
    # For a change made of others (a new reference, a new branch): the first of them that
    # breaks, as one line, so that reasons do not nest.
    cause: str = field(default="", compare=False, repr=False)

    @property
    def breaking(self) -> bool:
        return self.verdict == BREAKING


@dataclass(frozen=True)
class Source:
    """A schema to compare: its label in messages (the version, or the path as given)."""

    label: str
    data: Any
    path: Path | None = None


@dataclass
class Diff:
    old: Source
    new: Source
    changes: list[Change] = field(default_factory=list)
    marker: bool = False  # the version marker differs: records move by changing schema_version

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.breaking]

    @property
    def compatible(self) -> bool:
        return not self.breaking

    def summary(self) -> str:
        old, new = self.old.label, self.new.label
        if not self.changes:
            return f"compatible: no changes; records valid under {old} are valid under {new}"
        if self.compatible:
            once = " (once their schema_version says so)" if self.marker else ""
            return f"compatible: records valid under {old} stay valid under {new}{once}"
        count = len(self.breaking)
        return f"breaking: {count} change{'s break' if count != 1 else ' breaks'} records valid under {old}"
