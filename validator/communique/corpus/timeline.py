"""Where each round of a series goes on its timeline: geometry only, drawn by the site's
template as inline SVG.

Rounds are placed by date on one axis; a round known only to the month or year is drawn as
a bar over the days it can have been held. Rounds a record announces but none encodes are
drawn hollow and marked planned; a round number missing between recorded ones is marked
as a gap. Labels are stacked in rows above the axis so that neighbours never overlap.

A timeline is laid out for a width in CSS pixels and drawn no narrower (labels must stay
readable, at their own size): the site draws each series for a wide screen, a tablet and a
phone (FITS) and shows the one that fits. A narrower layout has fewer ticks and more rows
of labels, and a label near an edge moves inwards rather than being cut.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH = 900
# The widths the site lays each timeline out for, by the class of its drawing; each fits
# the main column of the screens the stylesheet shows it on: a phone from 360 px, a screen
# from 40rem (640 px), one from 60rem (960 px).
FITS = {"narrow": 320, "medium": 560, "wide": WIDTH}
LEFT, RIGHT = 50, 50
ROW_HEIGHT = 32
TOP = 16
BELOW_AXIS = 58
CHAR_WIDTH = 7.2  # px per character at the label size, a safe over-estimate for system fonts
TICK_SPACING = 72  # px of axis per tick label, at least


@dataclass(frozen=True)
class Mark:
    x: float
    x_from: float
    x_to: float
    label_x: float  # the labels' middle: above the mark, unless that would cut them at an edge
    label: str
    venue: str
    when: str
    href: str | None  # None for a planned round, which has no page
    planned: bool
    label_y: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Gap:
    x_from: float
    x_to: float
    label: str
    label_x: float


@dataclass
class Timeline:
    width: int = WIDTH
    height: float = 0
    axis_y: float = 0
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # rounds that cannot be placed


@dataclass(frozen=True)
class Point:
    """One round to place: its span of days (or None), label, venue and link."""

    first: date | None
    last: date | None
    label: str
    venue: str
    when: str
    href: str | None
    planned: bool
    number: int | None


def layout(points: list[Point], width: int = WIDTH) -> Timeline:
    """Where each point goes on a timeline `width` px wide."""
    timeline = Timeline(width=width)
    dated = sorted((p for p in points if p.first), key=lambda p: (p.first, p.label))
    timeline.undated = [p.label + (" (planned)" if p.planned else "") for p in points if not p.first]
    if not dated:
        return timeline
    start, end = _domain(min(p.first for p in dated), max(p.last or p.first for p in dated))
    days = (end - start).days

    def x(day: date) -> float:
        return round(LEFT + (day - start).days / days * (width - LEFT - RIGHT), 1)

    placed = []
    row_ends: list[float] = []  # right edge of the last label in each row
    for point in dated:
        last = point.last or point.first
        middle = x(point.first + timedelta(days=(last - point.first).days // 2))
        half = max(len(point.label) + (10 if point.planned else 0), len(point.venue)) * CHAR_WIDTH / 2 + 4
        label_x = _inside(middle, half, width)
        row = next((i for i, right in enumerate(row_ends) if right < label_x - half), len(row_ends))
        if row == len(row_ends):
            row_ends.append(float("-inf"))
        row_ends[row] = label_x + half
        placed.append((point, middle, x(point.first), x(last), label_x, row))
    rows = max(1, len(row_ends))
    timeline.axis_y = TOP + rows * ROW_HEIGHT + 20
    timeline.height = timeline.axis_y + BELOW_AXIS
    timeline.marks = [Mark(middle, x_from, x_to, label_x, point.label, point.venue, point.when, point.href,
                           point.planned, timeline.axis_y - 24 - row * ROW_HEIGHT)
                      for point, middle, x_from, x_to, label_x, row in placed]
    most = max(2, (width - LEFT - RIGHT) // TICK_SPACING)
    timeline.ticks = [Tick(x(day), label) for day, label in _ticks(start, end, most)]
    timeline.gaps = _gaps(dated, x, width)
    return timeline


def _domain(first: date, last: date) -> tuple[date, date]:
    """The days the axis covers: the rounds with a margin, at least half a year in all."""
    margin = max(timedelta(days=45), (last - first) * 0.06)
    first, last = first - margin, last + margin
    short = timedelta(days=200) - (last - first)
    if short > timedelta(0):
        first, last = first - short / 2, last + short / 2
    return first, last


def _ticks(start: date, end: date, most: int) -> list[tuple[date, str]]:
    """Month ticks on an axis of up to two years, else year ticks; `most` of them at most."""
    if (end - start).days <= 2 * 366:
        months, day = [], date(start.year, start.month, 1)
        while day <= end:
            if day >= start:
                name = calendar.month_abbr[day.month]
                months.append((day, f"{name} {day.year}" if day.month == 1 or not months else name))
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        step = max(1, -(-len(months) // most))
        return months[::step]
    years = range(start.year + 1, end.year + 1)
    step = max(1, -(-len(years) // most))
    return [(date(year, 1, 1), str(year)) for year in years[::step]]


def _gaps(dated: list[Point], x, width: int) -> list[Gap]:
    """A gap between consecutive numbered rounds whose numbers are not consecutive."""
    numbered = [p for p in dated if p.number is not None]
    gaps = []
    for before, after in zip(numbered, numbered[1:]):
        if after.number - before.number > 1:
            missing = (str(before.number + 1) if after.number - before.number == 2
                       else f"{before.number + 1}-{after.number - 1}")
            x_from, x_to, label = x(before.last or before.first), x(after.first), f"round {missing} not recorded"
            gaps.append(Gap(x_from, x_to, label, _inside((x_from + x_to) / 2, len(label) * CHAR_WIDTH / 2 + 4, width)))
    return gaps


def _inside(middle: float, half: float, width: int) -> float:
    """Where a label `half` px either side of its middle goes to be whole within `width`:
    at `middle`, unless that would cut it at an edge."""
    return round(min(max(middle, half), width - half), 1)
