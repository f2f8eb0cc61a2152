"""Dates within one record: order, and weekdays that agree with their dates."""

from __future__ import annotations

from datetime import date

from . import ERROR, WARNING, Violation, rule
from .context import RecordContext, describe, meeting_span, round_span, span

# A meeting longer than this is a slip in a year or month (a summit lasts days, a round of
# negotiations a few weeks), and a document the meeting produced comes out within days of it.
LONGEST_MEETING_DAYS = 31
LATEST_DOCUMENT_DAYS = 365

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule("D001", "date-order", ERROR, "Dates in a record are out of order.")
def date_order(ctx: RecordContext):
    """A meeting cannot end before it starts, a document it produced cannot be issued
    before it began, the next round cannot come before this one (nor be bounded before it),
    and the earlier rounds a record lists cannot come after it. From schema 1.2 also: a
    meeting's `not_before` cannot come after its `not_after` (nor after its start), a stop
    cannot end before it starts, an event an agreement schedules cannot come before the
    meeting that set it, a party's statement about a meeting held cannot precede it (one
    made ahead of it, if the record keeps it, is a case for a suppression with the reason),
    and a change of status (`status_change`) is announced on or before the day the meeting
    was planned for, and postpones it to a later date. A meeting known only by bounds
    counts from its `not_before`. Dates known only to the month or year count as the span
    they cover, so the rule fires only when the spans cannot agree. Usually a typo in a day
    or a month.

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
    data = ctx.data
    bounded = "not_before" in dates or "not_after" in dates
    if bounded:
        yield from _bounds_order(dates)
    if "stops" in data:
        yield from _stop_order(ctx)
    if "status_change" in data:
        yield from _status_change_order(ctx)
    meeting = meeting_span(data) or (_bounded_span(dates) if bounded else None)
    if not meeting:
        return
    if "statements" in data or any("schedules" in agreement for agreement in data.get("agreements") or ()):
        yield from _after_the_meeting(ctx, meeting)  # schema 1.2 fields, absent from most records
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


def _bounded_span(dates: dict) -> tuple[date, date] | None:
    """The days a meeting known only by bounds can have covered: from its not_before (to
    its not_after, or without end); None with no lower bound, which nothing can precede."""
    earliest, latest = span(dates.get("not_before")), span(dates.get("not_after"))
    return (earliest[0], latest[1] if latest else date.max) if earliest else None


def _bounds_order(dates: dict):
    """D001 for a meeting's own bounds: not_before before not_after, and around its start."""
    earliest, latest = span(dates.get("not_before")), span(dates.get("not_after"))
    if earliest and latest and latest[1] < earliest[0]:
        yield Violation(("dates", "not_after"), f"the meeting is bounded by {describe(latest)} (not_after), before "
                                                f"{describe(earliest)} (not_before)")
    held = meeting_span({"dates": {key: dates[key] for key in ("start", "end", "within") if key in dates}})
    if held and earliest and held[1] < earliest[0]:
        yield Violation(("dates", "not_before"), f"the meeting ({describe(held)}) is dated before its own bound "
                                                 f"{describe(earliest)} (not_before)")
    if held and latest and held[0] > latest[1]:
        yield Violation(("dates", "not_after"), f"the meeting ({describe(held)}) is dated after its own bound "
                                                f"{describe(latest)} (not_after)")


def _stop_order(ctx: RecordContext):
    for index, stop in ctx.items("stops"):
        days = stop.get("dates") or {}
        start, end = span(days.get("start")), span(days.get("end"))
        if start and end and end[1] < start[0]:
            where = stop.get("city") or stop.get("country")
            yield Violation(("stops", index, "dates", "end"),
                            f"the stop in {where} ends ({days['end']}) before it starts ({days['start']})")


def _status_change_order(ctx: RecordContext):
    """A meeting is called off, put off or downgraded before it was to begin (or on the day),
    and put off to later than that."""
    change = ctx.data.get("status_change") or {}
    dates = ctx.data.get("dates") or {}
    planned = span(dates.get("start")) or span(dates.get("within")) or span(dates.get("not_after"))
    announced = span(change.get("announced"))
    if planned and announced and announced[0] > planned[1]:
        yield Violation(("status_change", "announced"), f"the change is announced on {describe(announced)}, after "
                                                        f"the meeting was to begin ({describe(planned)})")
    postponed_to = span(change.get("postponed_to"))
    original = meeting_span(ctx.data)
    if postponed_to and original and postponed_to[1] <= original[0]:
        yield Violation(("status_change", "postponed_to"), f"the meeting is postponed to {describe(postponed_to)}, "
                                                           f"not later than it was planned ({describe(original)})")


def _after_the_meeting(ctx: RecordContext, meeting: tuple[date, date]):
    """D001 for what comes of a meeting: the events its agreements schedule and, for a
    meeting held, its parties' statements about it."""
    for index, agreement in ctx.items("agreements"):
        for s_index, schedule in enumerate(agreement.get("schedules") or []):
            path = ("agreements", index, "schedules", s_index)
            for key in ("date", "not_before", "not_after"):
                when = span(schedule.get(key))
                if when and when[1] < meeting[0]:
                    yield Violation(path + (key,), f"agreement {agreement.get('id')!r} schedules "
                                                   f"{schedule.get('what')!r} for {describe(when)} ({key}), before "
                                                   f"the meeting that set it began ({describe(meeting)})")
            earliest, latest = span(schedule.get("not_before")), span(schedule.get("not_after"))
            if earliest and latest and latest[1] < earliest[0]:
                yield Violation(path + ("not_after",), f"{schedule.get('what')!r} is bounded by {describe(latest)} "
                                                       f"(not_after), before {describe(earliest)} (not_before)")
    if ctx.data.get("status", "held") not in ("held", "downgraded"):
        return  # statements about a meeting not held (a cancellation) may come before its date
    for index, statement in ctx.items("statements"):
        issued = span(statement.get("issued"))
        if issued and issued[1] < meeting[0]:
            yield Violation(("statements", index, "issued"), f"statement {statement.get('id')!r} is dated "
                                                             f"{describe(issued)}, before the meeting began "
                                                             f"({describe(meeting)})")


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


@rule("D005", "unissued-document-dated", ERROR, "A document that was not issued has an issue date.")
def unissued_document_dated(ctx: RecordContext):
    """A document whose `status` is not-issued (schema 1.2: the customary communique the
    meeting did not agree on) was never issued, so it has no issue date; a date or weekday
    under `issued` is the meeting's date copied, or the status is wrong. Give the day the
    sources say it was due in its `as_stated`, or the date of a statement that reports its
    absence under `statements`.

    Bad:
        documents:
          - {id: joint-communique, kind: joint-communique, status: not-issued, issued: {date: 2025-07-11}, sources: [s1]}

    Good:
        documents:
          - {id: joint-communique, kind: joint-communique, status: not-issued, sources: [s1]}
    """
    for index, document in ctx.items("documents"):
        issued = document.get("issued") or {}
        if document.get("status") == "not-issued":
            for key in ("date", "weekday"):
                if key in issued:
                    yield Violation(("documents", index, "issued", key),
                                    f"document {document.get('id')!r} was not issued (status not-issued), "
                                    f"yet has an issue {key} ({issued[key]})")
