"""Which codes a run reports, checked against the registry.

`--select` and `--ignore`, and the configuration's `select`, `ignore`, `severity` and
`per-path-ignores`, name codes (`X004`) or prefixes of codes (`X`, `S1`). Each is checked
when it is read: an unknown code, a lower-case one or a prefix that matches nothing is a
usage error with a suggestion, so a typo can never turn a check off.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..core.errors import SettingsError
from ..core.hints import did_you_mean_aside

_SHAPE = re.compile(r"[A-Z]+[0-9]*\Z")


class SelectionError(SettingsError):
    """A code or prefix that names nothing; the message says where it was written."""


def known_codes() -> dict:
    """Every registered code, the lint rules' included."""
    from ..core.findings import CODES
    from .rules import all_rules

    all_rules()
    return CODES


def check_code(code: str, where: str, *, prefix: bool = True) -> str:
    codes = known_codes()
    if code in codes:
        return code
    if prefix and _SHAPE.match(code) and any(known.startswith(code) for known in codes):
        return code
    candidates = set(codes)
    if prefix:
        candidates |= {known[:length] for known in codes for length in range(1, len(known))}
    what = "code or prefix" if prefix else "code"
    raise SelectionError(f"{where}: unknown {what} {code!r}{did_you_mean_aside(code, sorted(candidates))}; "
                         "`communique rules` lists the codes")


def check_codes(codes: Iterable[str], where: str) -> list[str]:
    return [check_code(code, where) for code in codes]


def check_ignorable(codes: Iterable[str], where: str) -> list[str]:
    """Codes to ignore: F and Y cannot be, since a record that cannot be read was not checked."""
    codes = list(codes)
    for code in codes:
        if code.startswith(("F", "Y")):
            raise SelectionError(f"{where}: {code!r} cannot be ignored: file and parse problems (F, Y) are always "
                                 "reported, since a record that cannot be read was not checked")
    return codes


def parse_option(values: Iterable[str], option: str) -> list[str]:
    """Codes given as `--select D,R001 --select X`: split, stripped and checked."""
    found = []
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        if not any(parts):
            raise SelectionError(f"{option}: no code given; write codes or prefixes, e.g. {option} D,R001")
        found += [check_code(part, option) for part in parts if part]
    return found


def explanation(entry) -> str:
    """What `communique rule CODE` prints, and the editor's hover shows: why the code
    matters, its safe fix if it has one, and its examples."""
    from .fixable import FIXES

    fix = f"Safe fix (`check --fix`): {FIXES[entry.code]}.\n\n" if entry.code in FIXES else ""
    return f"{entry.code} {entry.name} ({entry.severity})\n\n{entry.summary}\n\n{fix}" + \
        (entry.doc + "\n" if entry.doc else "")


def describe(entry) -> dict:
    """A code's metadata as data (`communique rules --format json`, `rule --format json`):
    what the text says, in fields a script can use without parsing prose."""
    from .fixable import FIXES
    from .rules import split_doc

    explanation, examples = split_doc(entry.doc)
    return {"code": entry.code, "name": entry.name, "severity": str(entry.severity), "summary": entry.summary,
            "explanation": explanation, "examples": examples, "fixable": entry.code in FIXES,
            "fix": FIXES.get(entry.code), "doc": entry.doc}
