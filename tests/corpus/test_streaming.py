"""The outputs stream their records (issue 23): built a piece at a time, from a spool on
disk, they must be what the same outputs built from tables held whole are."""

from __future__ import annotations

import json
from dataclasses import replace

from communique.corpus import site, stats
from communique.corpus.collect import Spool, Wanted, collect
from communique.corpus.exporting import render
from communique.corpus.tables import CORPUS_WIDE, TABLES, stream

from .conftest import CORPUS


def spooled_stream(spool, entries):
    return stream(spool.in_recency_order(entries), chunk=3)


def test_a_spool_gives_back_each_entry_whole_in_recency_order(collected):
    with Spool() as spool:
        light = [spool.put(entry) for entry in reversed(collected.entries)]
        assert all(entry.rows is None and entry.offset is not None for entry in light)
        back = list(spool.in_recency_order(light))
    assert [replace(entry, offset=None) for entry in back] == sorted(collected.entries, key=lambda e: e.recency)


def test_the_streamed_pieces_join_into_the_tables_build_gives(collected, rows):
    joined = {name: [] for name in TABLES}
    order = []
    with Spool() as spool:
        light = [spool.put(entry) for entry in collected.entries]
        for name, piece in spooled_stream(spool, light):
            joined[name] += piece
            order.append(name)
    assert joined == rows
    assert len(rows["meetings"]) > 3 and order.count("meetings") > 1  # meetings come in pieces, in date order
    later = set(order[order.index(next(iter(CORPUS_WIDE))):])
    assert later == set(CORPUS_WIDE) | {"meetings"}  # what waits for the last record comes last


def test_stats_tallied_from_the_stream_are_the_summary_of_the_whole_tables(collected, rows):
    tally = stats.Tally()
    with Spool() as spool:
        for name, piece in spooled_stream(spool, [spool.put(entry) for entry in collected.entries]):
            tally.add(name, piece)
    assert tally.summary() == stats.summarise(rows)
    assert tally.summary()["planned_not_recorded"]  # the corpus announces rounds, so the order of ties is tested


def test_the_site_written_as_records_stream_is_the_site_of_the_whole_tables(tmp_path, rows):
    entries = collect(CORPUS, wanted=Wanted(rows=True, page=site.render_meeting, data=False)).entries
    whole = site.pages(entries, rows)
    with Spool() as spool:
        pages = site.write(tmp_path, spool.in_recency_order([spool.put(entry) for entry in entries]))
    written = {path.relative_to(tmp_path).as_posix(): path.read_text(encoding="utf-8")
               for path in tmp_path.rglob("*") if path.is_file()}
    assert written == whole
    assert pages == sum(name.endswith(".html") for name in whole)


def test_the_json_export_written_record_by_record_is_one_json_array(collected):
    records = [entry.data for entry in collected.entries]
    for some in (records, records[:1], []):
        assert render(some, "json") == json.dumps(some, ensure_ascii=False, indent=2) + "\n"
