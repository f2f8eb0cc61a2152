"""Timeline geometry: rounds in date order, labels that never overlap, gaps and undated rounds."""

from __future__ import annotations

from datetime import date, timedelta

from communique.corpus.timeline import CHAR_WIDTH, Point, layout


def point(day, label, venue="", number=None, planned=False, last=None):
    return Point(day, last or day, label, venue, "", None if planned else "x.html", planned, number)


def test_close_rounds_get_labels_in_different_rows():
    start = date(2025, 10, 1)
    points = [point(start + timedelta(days=3 * n), f"Round {n}", "Istanbul", n) for n in range(1, 6)]
    marks = layout(points).marks
    assert [m.x for m in marks] == sorted(m.x for m in marks)
    for a in marks:
        for b in marks:
            if a is not b and a.label_y == b.label_y:
                width = max(len(a.label), len(a.venue), len(b.label), len(b.venue)) * CHAR_WIDTH
                assert abs(a.x - b.x) >= width, (a, b)


def test_a_partial_date_spans_its_days_and_marks_its_middle():
    [mark] = layout([point(date(2025, 10, 1), "Round 1", last=date(2025, 10, 31))]).marks
    assert mark.x_from < mark.x < mark.x_to


def test_missing_round_numbers_are_a_gap_and_undated_rounds_are_listed():
    timeline = layout([point(date(2020, 1, 1), "Round 1", number=1), point(date(2022, 1, 1), "Round 4", number=4),
                       Point(None, None, "Round 5", "", "", None, True, None)])
    assert [gap.label for gap in timeline.gaps] == ["round 2-3 not recorded"]
    assert timeline.undated == ["Round 5 (planned)"]
    assert [tick.label for tick in timeline.ticks] == ["2020", "2021", "2022"]


def test_each_width_keeps_labels_inside_the_drawing_and_ticks_apart():
    from communique.corpus.timeline import FITS, TICK_SPACING

    start = date(2025, 1, 1)
    points = [point(start + timedelta(days=30 * n), f"Round {n} (planned)", "Ouagadougou", n) for n in range(1, 13)]
    for width in FITS.values():
        timeline = layout(points, width)
        assert timeline.width == width
        for mark in timeline.marks:
            half = max(len(mark.label), len(mark.venue)) * CHAR_WIDTH / 2
            assert half <= mark.label_x <= width - half, (width, mark)
        xs = [tick.x for tick in timeline.ticks]
        assert len(xs) >= 2 and min(b - a for a, b in zip(xs, xs[1:])) >= TICK_SPACING * 0.9, (width, xs)
