"""`communique new`: the text of a new record, every required field present.

Values the user did not give are placeholders starting with "TODO", which rule N004 reports
until they are filled, so a skeleton cannot slip into the corpus half-written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import schema

PLACEHOLDER = "TODO"
# Two-letter ids that are organisations, not ISO 3166 country codes.
ORGANISATION_IDS = {"eu", "un"}


@dataclass
class NewRecord:
    folder: Path
    series: str | None = None
    round: int | None = None
    record_id: str | None = None
    title: str | None = None
    kind: str = "dialogue"
    start: str | None = None
    end: str | None = None
    city: str | None = None
    country: str | None = None
    parties: list[tuple[str, str]] = field(default_factory=list)  # (id, name)

    @property
    def identifier(self) -> str:
        if self.record_id:
            return self.record_id
        return f"{self.series}-{self.round:02d}"

    @property
    def path(self) -> Path:
        return self.folder / f"{self.identifier}.yaml"


def _q(value: str) -> str:
    """A YAML 1.2 scalar that reads back as this string (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render(new: NewRecord, version: str = schema.LATEST) -> str:
    schema_ref = Path(os.path.relpath(schema.schema_path(version), new.folder.resolve())).as_posix()
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"schema_version: {_q(version)}",
        f"id: {new.identifier}",
        f"title: {_q(new.title or PLACEHOLDER + ': the meeting as the sources name it')}",
        f"kind: {new.kind}",
    ]
    if new.series:
        lines += ["series:", f"  id: {new.series}", f"  round: {new.round}"]
    lines.append("dates:")
    lines.append(f"  start: {new.start or _q(PLACEHOLDER + ': YYYY-MM-DD')}")
    if new.end:
        lines.append(f"  end: {new.end}")
    lines += ["venue:", f"  city: {_q(new.city or PLACEHOLDER + ': city')}",
              f"  country: {new.country or _q(PLACEHOLDER + ': ISO code')}"]
    lines.append("parties:")
    for party_id, name in new.parties or [(PLACEHOLDER.lower(), PLACEHOLDER + ": party name")]:
        is_state = len(party_id) == 2 and party_id not in ORGANISATION_IDS
        lines += [f"  - id: {party_id}", f"    name: {_q(name)}", f"    kind: {'state' if is_state else 'organisation'}"]
        if is_state:
            lines.append(f"    country: {party_id.upper()}")
    lines += [
        "co_chairs:  # who chaired or led each side, as the sources give them",
        f"  - person_id: {PLACEHOLDER.lower()}-person",
        f"    name: {_q(PLACEHOLDER + ': full name')}",
        f"    title: {_q(PLACEHOLDER + ': post at the time')}",
        f"    party: {(new.parties[0][0] if new.parties else PLACEHOLDER.lower())}",
        "    role: co-chair",
        "agenda: []  # topics discussed: {id, topic, sources}",
        "agreements: []  # {id, kind, text, parties, evidence: [{source, quote}]}",
        "sources:  # the texts this record is encoded from, by file stem",
        f"  - id: {PLACEHOLDER.lower()}-source",
        "    kind: news-report",
    ]
    return "\n".join(lines) + "\n"


def parse_party(value: str) -> tuple[str, str]:
    """`pk=Pakistan` -> ("pk", "Pakistan")."""
    party_id, separator, name = value.partition("=")
    if not separator or not party_id.strip() or not name.strip():
        raise ValueError(f"party {value!r} must be given as ID=NAME, e.g. pk=Pakistan")
    return party_id.strip(), name.strip()


def canonical(text: str, path: str) -> str:
    """The skeleton in the layout `communique fmt` keeps, so a new record starts formatted."""
    from .formatting import format_text
    from .loading import load_text

    return format_text(text, load_text(text, path).document.data, path)
