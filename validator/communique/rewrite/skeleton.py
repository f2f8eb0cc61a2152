"""`communique new`: the text of a new record, every required field present.

Values the user gives are checked against the schema before anything is written, so a
mistyped id or country code is refused at once rather than reported later. Values the
user did not give are placeholders starting with "TODO", which rule N004 reports until
they are filled, so a skeleton cannot slip into the corpus half-written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..documents.files import RECORD_NAME_MARK, named_for_editors
from ..documents.placeholders import identifier, text

KINDS = ("dialogue", "talks", "summit", "ministerial", "meeting", "forum", "visit")
# Codes that are not ISO 3166-1 country codes but are often written for one.
NOT_ISO = {"UK": "GB", "EL": "GR"}


class SkeletonError(ValueError):
    """A value given for the new record cannot be used: `problem` says why and what to
    write; the message also names the option."""

    def __init__(self, option: str, problem: str):
        super().__init__(f"{option}: {problem}")
        self.problem = problem


@dataclass
class NewRecord:
    folder: Path
    series: str | None = None
    round: int | None = None
    edition: str | None = None  # a series named by year: "2022"
    record_id: str | None = None
    title: str | None = None
    kind: str = "dialogue"
    start: str | None = None
    end: str | None = None
    city: str | None = None
    country: str | None = None
    parties: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    co_chairs: bool = True  # one placeholder co-chair per party
    schema_ref: str | None = None  # the editor comment's schema path, relative to the folder

    @property
    def identifier(self) -> str:
        if self.record_id:
            return self.record_id
        return series_record_id(self.series, self.round, self.edition)

    @property
    def path(self) -> Path:
        """`<id>.yaml`, or `<id>.communique.yaml` where the folder's records are named so."""
        mark = RECORD_NAME_MARK if named_for_editors(self.folder) else ""
        return self.folder / f"{self.identifier}{mark}.yaml"


def series_record_id(series: str, round_number: int | None, edition: str | None) -> str:
    """The id of a series' record (rule N003): the round in two digits, else the edition."""
    if round_number is not None:
        return f"{series}-{round_number:02d}"
    return f"{series}-{'-'.join(re.findall(r'[a-z0-9]+', (edition or '').lower()))}"


def _q(value: str) -> str:
    """A double-quoted YAML scalar that every reader reads back as this string, with
    escapes for control and invisible characters (the formatter's own quoting)."""
    from .formatting.scalars import double_quoted

    return double_quoted(value)


def render(new: NewRecord, version: str = schema.LATEST) -> str:
    lines = [f"# yaml-language-server: $schema={new.schema_ref}"] if new.schema_ref else []
    lines += [
        f"schema_version: {_q(version)}",
        f"id: {_q(new.identifier)}",
        f"title: {_q(new.title or text('the meeting as the sources name it'))}",
        f"kind: {_q(new.kind)}",
    ]
    if new.series:
        lines += ["series:", f"  id: {_q(new.series)}"]
        lines += [f"  round: {new.round}"] if new.round is not None else []
        lines += [f"  edition: {_q(new.edition)}"] if new.edition is not None else []
    lines.append("dates:")
    lines.append(f"  start: {_q(new.start or text('YYYY-MM-DD'))}")
    if new.end:
        lines.append(f"  end: {_q(new.end)}")
    lines += ["venue:", f"  city: {_q(new.city or text('city'))}",
              f"  country: {_q(new.country or text('ISO code'))}"]
    parties = new.parties or [(identifier(), text("party name"))]
    lines.append("parties:")
    for party_id, name in parties:
        country = country_of(party_id)
        lines += [f"  - id: {_q(party_id)}", f"    name: {_q(name)}",
                  f"    kind: {'state' if country else 'organisation'}"]
        if country:
            lines.append(f"    country: {_q(country)}")
    if new.co_chairs:
        lines.append("co_chairs:  # who chaired or led each side, as the sources give them")
        for party_id, _ in parties:
            lines += [
                f"  - person_id: {_q(identifier(party_id + '-chair'))}",
                f"    name: {_q(text('full name of the ' + party_id + ' chair'))}",
                f"    title: {_q(text('post at the time'))}",
                f"    party: {_q(party_id)}",
                "    role: co-chair",
            ]
    else:
        lines.append("co_chairs: []  # add {person_id, name, title, party, role} for whoever the sources name")
    lines += [
        "agenda: []  # topics discussed: {id, topic, sources}",
        "agreements: []  # {id, kind, text, parties, evidence: [{source, quote}]}",
        "sources:  # the texts this record is encoded from, by file stem",
        f"  - id: {_q(identifier('source'))}",
        "    kind: news-report",
    ]
    return "\n".join(lines) + "\n"


def country_of(party_id: str) -> str | None:
    """The ISO 3166-1 code of a party whose id is one (`pk` -> "PK"); None for anything else."""
    import pycountry

    if len(party_id) != 2 or party_id.upper() in NOT_ISO:
        return None
    country = pycountry.countries.get(alpha_2=party_id.upper())
    return country.alpha_2 if country else None


def check_identifier(value: str, definition: str, option: str) -> str:
    """`value` as a schema `$defs/<definition>` id, or SkeletonError in the schema's words."""
    from ..schema.validation import value_problem

    problem = value_problem(definition, value)
    if problem:
        raise SkeletonError(option, problem)
    return value


def check_country(value: str, option: str = "--country") -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; SkeletonError for anything else."""
    import pycountry

    code = value.strip().upper()
    if code in NOT_ISO:
        raise SkeletonError(option, f"{value!r} is not an ISO 3166-1 country code; "
                                    f"the code of {pycountry.countries.get(alpha_2=NOT_ISO[code]).name} is {NOT_ISO[code]!r}")
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        try:
            guess = pycountry.countries.lookup(value.strip())
        except LookupError:
            guess = None
        hint = f"; did you mean {guess.alpha_2!r} ({guess.name})?" if guess else ""
        raise SkeletonError(option, f"{value!r} is not an ISO 3166-1 alpha-2 country code{hint}")
    return code


def check_date(value: str, option: str) -> str:
    from ..schema.validation import value_problem

    problem = value_problem("date", value)
    if problem:
        raise SkeletonError(option, problem)
    return value


def parse_party(value: str) -> tuple[str, str]:
    """`pk=Pakistan` -> ("pk", "Pakistan"), the id checked against the schema."""
    party_id, separator, name = value.partition("=")
    if not separator or not party_id.strip() or not name.strip():
        raise SkeletonError("--party", f"{value!r} must be given as ID=NAME, e.g. pk=Pakistan")
    return check_identifier(party_id.strip(), "local_id", "--party"), name.strip()


def check_parties(parties: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The parties, each id once: a repeated id makes every reference to it ambiguous (R002)."""
    seen = set()
    for party_id, _ in parties:
        if party_id in seen:
            raise SkeletonError("--party", f"{party_id!r} is given twice; each party has its own id")
        seen.add(party_id)
    return parties


def canonical(text: str, path: str) -> str:
    """The skeleton in the layout `communique fmt` keeps, so a new record starts formatted."""
    from ..documents.loading import load_text
    from .formatting import format_text

    return format_text(text, load_text(text, path).document.data, path)
