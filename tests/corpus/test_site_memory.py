"""What `communique site` holds while it writes (issue 23): at 100,000 records it peaked at
1.25 GiB, most of it the index page and its timelines, made whole at the end; and each
meeting page leaves a reference cycle, which piled up in the workers that read records
with the collector off. Both are measured in amounts that do not depend on timing or on
the machine's load: bytes traced, objects a collection finds."""

from __future__ import annotations

import gc
import tracemalloc
from datetime import date, timedelta

from communique.corpus import site
from communique.corpus.tables import record_rows

SERIES, ROUNDS = 300, 10  # 3,000 meetings: an index of about 4 MB


def meeting(number: int) -> dict:
    """A meeting row with the columns the site keeps (site.MEETING_COLUMNS)."""
    series, round_number = divmod(number, ROUNDS)
    day = date(2000, 1, 1) + timedelta(days=round_number * 90 + series)
    return {"record_id": f"series-{series:04}-{round_number + 1:02}", "title": f"Round {round_number + 1}",
            "series_id": f"series-{series:04}", "round": round_number + 1, "edition": None, "start": day,
            "end": day + timedelta(days=1), "date_precision": "day", "venue_city": "Geneva", "venue_country": "CH",
            "result": "agreed"}


def test_the_index_is_written_without_being_held(tmp_path):
    """The index lists every meeting, each series with its timelines. Made whole, it took five
    times its size at once (the template's pieces, the text they join into, its bytes), and
    the timelines of every series, laid out before it, its size again; written a piece and
    a series at a time, the build holds under a tenth of it."""
    built = site.Site()
    built.add("series", [{"series_id": f"series-{series:04}", "name": f"Dialogue {series}", "periodicity": None}
                         for series in range(SERIES)])
    built.add("meetings", [meeting(number) for number in range(SERIES * ROUNDS)])
    warm = site.Site()  # Jinja imported and every template compiled, once: a site of one meeting
    warm.add("meetings", [meeting(0)])
    warm.finish(tmp_path / "warm")
    tracing = tracemalloc.is_tracing()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        before = tracemalloc.get_traced_memory()[0]
        built.finish(tmp_path / "site")
        held = tracemalloc.get_traced_memory()[1] - before
    finally:
        if not tracing:
            tracemalloc.stop()
    index = tmp_path / "site" / "index.html"
    size = index.stat().st_size
    assert size > 3_000_000 and index.read_text(encoding="utf-8").count("<tr>") > SERIES * ROUNDS
    assert held < size / 4, f"writing an index of {size:,} bytes held {held:,}"
    # The other pages made from every meeting were written in the same pass, held no more.
    assert (tmp_path / "site" / "places" / "ch-geneva.html").read_text().count("<tr>") > SERIES * ROUNDS
    assert (tmp_path / "site" / "search-index.js").read_text().count('"Round ') == SERIES * ROUNDS
    assert len(list((tmp_path / "site" / "series").glob("*.html"))) == SERIES


def traced(work) -> int:
    """The memory `work()` leaves allocated, in bytes traced."""
    tracing = tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        if not tracing:
            tracemalloc.stop()


def test_the_agreements_wait_on_disk_for_the_series_pages():
    """What each meeting agreed is shown on its series page and searched, at the end; the
    texts are most of a record's rows, so the site keeps them in a file, not in memory."""
    built = site.Site()
    text = "The sides agreed to deepen cooperation on trade, energy and the rights of migrants. " * 2
    rows = [{"record_id": f"meeting-{number:05}", "agreement_id": f"agreement-{position}", "kind": "commitment",
             "text": f"{text}{number}"} for number in range(SERIES * ROUNDS) for position in range(5)]
    size = sum(len(row["text"]) for row in rows)
    held = traced(lambda: [built.add("agreements", rows[start:start + 5]) for start in range(0, len(rows), 5)])
    assert held < size / 4, f"{size:,} bytes of agreements held {held:,}"  # an offset a meeting
    assert built.agreements.of("meeting-00042")[4] == ("agreement-4", "commitment", f"{text}42")
    built.agreements.close()


def test_meeting_pages_leave_no_cycles_to_pile_up_with_the_collector_off(collected):
    """Where records are read, the collector is off; each page leaves a cycle (its context
    and the macros it imports with it) holding the record, freed every CYCLES_EVERY pages."""
    data = collected.entries[0].data
    rows = record_rows(data, "record.yaml")
    site.render_meeting(data, rows)  # the template compiled, once
    pages = 3 * site.CYCLES_EVERY
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        site.render_meeting(data, rows)
        one_page = gc.collect()
        for _ in range(pages):
            site.render_meeting(data, rows)
        left = gc.collect()
    finally:
        if collecting:
            gc.enable()
    assert one_page > 0  # the pass's reason: were pages to leave no cycles, it could go
    assert left < site.CYCLES_EVERY * one_page, f"{pages} pages left {left} objects in cycles, one page {one_page}"
