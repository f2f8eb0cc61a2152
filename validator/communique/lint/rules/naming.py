"""Numbering and naming: round ordinals, titles, file names."""

from __future__ import annotations

import re

from ...documents.files import STDIN_NAME, record_stem
from ...documents.placeholders import is_placeholder
from . import ERROR, Violation, rule
from .context import RecordContext
from .corpus import NOT_HELD, edition_year

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_ORDINAL = re.compile(r"\b(?:(\d+)(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b", re.IGNORECASE)


def title_ordinal(title: str) -> int | None:
    """The first ordinal in a title ("7th", "Seventh"), if any."""
    match = _ORDINAL.search(title)
    if not match:
        return None
    digits, word = match.groups()
    return int(digits) if digits else _ORDINAL_WORDS[word.lower()]


@rule("N001", "next-round-ordinal", ERROR, "The next round is not this round plus one.")
def next_round_ordinal(ctx: RecordContext):
    """`next_round` is the following round of the same series, so its ordinal is this
    record's `series.round` + 1. A planned round of another series belongs in
    `related_rounds`. In a series named by year (`edition`), the next edition is a later
    year, and the following year for an annual series. A meeting postponed or cancelled, or
    still planned (schema 1.2 `status`), was not held: its next round may be the same round,
    held later (`next_round: {round: 8, when: ...}` on the postponed round 8).

    Bad:
        series: {id: pk-eu-strategic-dialogue, round: 7}
        next_round: {round: 9}

    Good:
        series: {id: pk-eu-strategic-dialogue, round: 7}
        next_round: {round: 8}
    """
    series, next_round = ctx.data.get("series") or {}, ctx.data.get("next_round") or {}
    held = ctx.data.get("status") not in NOT_HELD
    if "round" in series and "round" in next_round and next_round["round"] != series["round"] + 1 \
            and (held or next_round["round"] != series["round"]):
        also = "" if held else f" (or {series['round']} again, this round not having been held)"
        yield Violation(("next_round", "round"),
                        f"next round is {next_round['round']}, but this is round {series['round']}: "
                        f"expected {series['round'] + 1}{also}")
    this, following = edition_year(series.get("edition")), edition_year(next_round.get("edition"))
    if not held and next_round.get("edition") == series.get("edition"):
        return  # the same edition, held later
    if this is not None and following is not None:
        if series.get("periodicity") == "annual" and following != this + 1:
            yield Violation(("next_round", "edition"), f"next edition is {next_round['edition']!r}, but this annual "
                                                       f"series is at {series['edition']!r}: expected {this + 1}")
        elif following <= this:
            yield Violation(("next_round", "edition"), f"next edition {next_round['edition']!r} is not later than "
                                                       f"this edition {series['edition']!r}")


@rule("N002", "title-ordinal", ERROR, "An ordinal in the title disagrees with series.round.")
def title_ordinal_mismatch(ctx: RecordContext):
    """Titles often carry the round ("7th", "Seventh"); when they do, it must be the
    round in `series.round`, or one of the two was mis-typed.

    Bad:
        title: 7th Pakistan-EU Strategic Dialogue
        series: {id: pk-eu-strategic-dialogue, round: 8}

    Good:
        title: 7th Pakistan-EU Strategic Dialogue
        series: {id: pk-eu-strategic-dialogue, round: 7}
    """
    series = ctx.data.get("series") or {}
    ordinal = title_ordinal(ctx.data.get("title", ""))
    if ordinal is not None and "round" in series and ordinal != series["round"]:
        yield Violation(("title",), f"title says round {ordinal}, series.round is {series['round']}")


@rule("N003", "file-name", ERROR, "The file name does not match the record id.")
def file_name(ctx: RecordContext):
    """Each record lives in `<id>.yaml` (or `.yml`, `.json`; or `<id>.communique.yaml`, the
    name editors know a record by), so that a record can be found from its id and two
    records cannot silently share one. For a round of a series the id
    is the series id and the round in two digits: `pk-eu-strategic-dialogue-07`; for a series
    named by year, the series id and the edition: `example-high-level-dialogue-2022`. A
    record of a round that was not held (schema 1.2 `status` planned, postponed or
    cancelled) may take that id too, or, when it stands beside the record of the round held
    (which keeps the plain id), add a word of its own: `pk-eu-strategic-dialogue-08-postponed`.

    Bad:
        # file records/strategic-dialogue.yaml
        id: pk-eu-strategic-dialogue-07

    Good:
        # file records/pk-eu-strategic-dialogue-07.yaml
        id: pk-eu-strategic-dialogue-07
    """
    record_id = ctx.data.get("id")
    stem = record_stem(ctx.document.path)
    if record_id != stem and ctx.document.path != STDIN_NAME:  # unnamed standard input has no file name
        yield Violation(("id",), f"record id {record_id!r} does not match the file name {stem!r}")
    series = ctx.data.get("series") or {}
    if "id" in series and "round" in series:
        expected, how = f"{series['id']}-{int(series['round']):02d}", "series id and two-digit round"
    elif "id" in series and isinstance(series.get("edition"), str):
        expected, how = f"{series['id']}-{_slug(series['edition'])}", "series id and edition"
    else:
        return  # a series known by name alone (schema 1.2): no convention to hold the id to
    if ctx.data.get("status") in NOT_HELD:
        if not (record_id == expected or isinstance(record_id, str) and record_id.startswith(expected + "-")):
            yield Violation(("id",), f"record id {record_id!r} should be {expected!r} ({how}), or that and a word "
                                     f"of its own beside the record of the round held, such as "
                                     f"{expected + '-' + ctx.data['status']!r}")
    elif record_id != expected:
        yield Violation(("id",), f"record id {record_id!r} should be {expected!r} ({how})")


def _slug(label: str) -> str:
    """An edition label as it stands in an id: "2024 Autumn" is 2024-autumn."""
    return "-".join(re.findall(r"[a-z0-9]+", label.lower()))


@rule("N004", "placeholder-left", ERROR, "A value is still a TODO placeholder.", scope="document",
      replaces_schema_findings=True)
def placeholder_left(ctx: RecordContext):
    """`communique new` writes placeholders ("TODO: ..." in text, "todo-..." in ids) where
    it did not know a value; a record is not finished until every one is replaced by what
    the sources say. A placeholder is reported as unfilled, not also as a bad date or code.

    Bad:
        title: "TODO: the meeting as the sources name it"

    Good:
        title: 7th Pakistan-EU Strategic Dialogue
    """
    if "todo" not in ctx.document.text.lower():
        return  # the common case, settled without walking the record
    stack = [((), ctx.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))
        elif is_placeholder(value):
            yield Violation(path, f"placeholder {value!r} is still to be filled in")
