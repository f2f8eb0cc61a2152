"""Dates within one record: order, and weekdays that agree with their dates."""

from __future__ import annotations

from . import ERROR, WARNING, Violation, rule
from .context import RecordContext, describe, round_span, span, meeting_span

# A meeting longer than this is a slip in a year or month (a summit lasts days, a round of
# negotiations a few weeks), and a document the meeting produced comes out within days of it.
LONGEST_MEETING_DAYS = 31
LATEST_DOCUMENT_DAYS = 365

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule("D001", "date-order", ERROR, "Dates in a record are out of order.")
def date_order(ctx: RecordContext):
    """A meeting cannot end before it starts, a document it produced cannot be issued
    before it began, the next round cannot come before this one (nor be bounded before it),
    and the earlier rounds a record lists cannot come after it. Dates known only to
    the month or year count as the span they cover, so the rule fires only when the spans
    cannot agree. Usually a typo in a day or a month.

    Bad:
        dates: {start: 2025-11-21, end: 2025-11-19}
        next_round: {round: 8, when: "2024"}

    Good:
        dates: {start: 2025-11-19, end: 2025-11-21}
        next_round: {round: 8, when: "2026"}
    """
    dates = ctx.data.get("dates") or {}
    start, end = span(dates.get("start")), span(dates.get("end"))
    if start and end and end[0] < start[0]:
        yield Violation(("dates", "end"), f"meeting ends ({dates['end']}) before it starts ({dates['start']})")
    meeting = meeting_span(ctx.data)
    if not meeting:
        return
    for index, document in ctx.items("documents"):
        issued = span((document.get("issued") or {}).get("date"))
        if issued and issued[1] < meeting[0]:
            yield Violation(("documents", index, "issued", "date"),
                            f"document {document.get('id')!r} is dated {describe(issued)}, "
                            f"before the meeting began ({describe(meeting)})")
    next_round = ctx.data.get("next_round") or {}
    planned = round_span(next_round)
    if planned and planned[1] <= meeting[0]:
        yield Violation(("next_round", "when"),
                        f"next round is dated {describe(planned)}, not after this meeting ({describe(meeting)})")
    for bound in ("not_before", "not_after"):
        limit = span(next_round.get(bound))
        if limit and limit[1] <= meeting[0]:
            yield Violation(("next_round", bound), f"next round is bounded by {describe(limit)} ({bound}), not after "
                                                   f"this meeting ({describe(meeting)})")
    for index, earlier in ctx.items("previous_rounds"):
        held = round_span(earlier)
        if held and held[0] >= meeting[1]:
            yield Violation(("previous_rounds", index, "when"), f"an earlier round is dated {describe(held)}, not "
                                                                f"before this meeting ({describe(meeting)})")


@rule("D002", "weekday-mismatch", ERROR, "A stated weekday does not fall on the date it goes with.")
def weekday_mismatch(ctx: RecordContext):
    """Sources often give a weekday ("on Thursday") beside or instead of a date; where a
    record keeps both, they must agree, or one of them was mis-copied.

    Bad:
        dates: {start: 2025-02-20, weekday: Friday}

    Good:
        dates: {start: 2025-02-20, weekday: Thursday}
    """
    dates = ctx.data.get("dates") or {}
    yield from _check_weekday(dates.get("start"), dates.get("weekday"), ("dates", "weekday"))
    for index, document in ctx.items("documents"):
        issued = document.get("issued") or {}
        yield from _check_weekday(issued.get("date"), issued.get("weekday"), ("documents", index, "issued", "weekday"))


def _check_weekday(day: str | None, weekday: str | None, path: tuple):
    exact = span(day)
    if not exact or not weekday or exact[0] != exact[1]:
        return
    actual = WEEKDAYS[exact[0].weekday()]
    if actual != weekday:
        yield Violation(path, f"{day} was a {actual}, not a {weekday}")


@rule("D003", "document-long-after-meeting", WARNING,
      f"A document the meeting produced is dated more than {LATEST_DOCUMENT_DAYS} days after it ended.")
def document_long_after_meeting(ctx: RecordContext):
    """The documents of a record are those the meeting itself produced (its joint statement,
    a readout, a press release); they come out on the day or within days. One dated more
    than a year after the meeting ended has a slip in its year, or is a later document that
    belongs to another record. Partial dates count as the span they cover: the rule fires
    only when even the nearest days are more than a year apart.

    Bad:
        dates: {start: 2025-11-19, end: 2025-11-21}
        documents:
          - {id: statement, kind: joint-statement, issued: {date: 2052-11-21}, sources: [s1]}

    Good:
        dates: {start: 2025-11-19, end: 2025-11-21}
        documents:
          - {id: statement, kind: joint-statement, issued: {date: 2025-11-21}, sources: [s1]}
    """
    meeting = meeting_span(ctx.data)
    if not meeting:
        return
    for index, document in ctx.items("documents"):
        issued = span((document.get("issued") or {}).get("date"))
        if issued and (issued[0] - meeting[1]).days > LATEST_DOCUMENT_DAYS:
            yield Violation(("documents", index, "issued", "date"),
                            f"document {document.get('id')!r} is dated {describe(issued)}, "
                            f"{(issued[0] - meeting[1]).days} days after the meeting ended ({describe(meeting)}); "
                            f"a document the meeting produced comes out within {LATEST_DOCUMENT_DAYS} days of it")


@rule("D004", "meeting-too-long", WARNING, f"A meeting lasts more than {LONGEST_MEETING_DAYS} days.")
def meeting_too_long(ctx: RecordContext):
    """A record is one meeting or one round: a summit lasts a day or a few, a round of
    negotiations a few weeks at most. An end more than a month after the start is almost
    always a slip in the year or month of one of them, or a placeholder such as 9999-12-31.
    A meeting known only to a month or a year is given with `within`, not with a long span.
    Partial dates count as the shortest span they allow.

    Bad:
        dates: {start: 2025-11-19, end: 2026-11-21}

    Good:
        dates: {start: 2025-11-19, end: 2025-11-21}
    """
    dates = ctx.data.get("dates") or {}
    start, end = span(dates.get("start")), span(dates.get("end"))
    if start and end:
        days = (end[0] - start[1]).days + 1
        if days > LONGEST_MEETING_DAYS:
            yield Violation(("dates", "end"), f"the meeting would last {days} days ({dates['start']} to "
                                              f"{dates['end']}); more than {LONGEST_MEETING_DAYS} days is usually "
                                              "a slip in a year or month")
