"""The cross-record index holds one copy of what records repeat."""

from __future__ import annotations

from communique.documents.loading import load_text
from communique.lint.rules.corpus import RecordSummary

RECORD = """\
schema_version: "1.0"
id: {id}
title: A round
kind: dialogue
series: {{id: example-dialogue, round: {round}}}
dates: {{start: 2026-03-0{round}}}
venue: {{city: Brussels, country: BE}}
parties:
  - {{id: no, name: Norway, kind: state}}
co_chairs:
  - {{person_id: kari-nordmann, name: Kari Nordmann, title: Foreign Minister, party: no, role: co-chair}}
"""


def summary(round_: int) -> RecordSummary:
    document = load_text(RECORD.format(id=f"example-dialogue-0{round_}", round=round_), f"r{round_}.yaml").document
    return RecordSummary.of(document)


def test_pooling_keeps_every_value_and_shares_what_records_repeat():
    pool: dict = {}
    first, second = summary(1), summary(2)
    expected = (summary(1), summary(2))
    first, second = first.pooled(pool), second.pooled(pool)
    assert (first, second) == expected  # nothing changed but identity
    assert first.entry.venue is second.entry.venue
    assert first.parties[0][2] is second.parties[0][2]  # "Norway"
    assert first.people[0][1] is second.people[0][1]  # the JSON path ("co_chairs", 0)
    assert first.people[0][2] is second.people[0][2]  # {"name": ..., "title": ...}
    assert first.entry.record_id is not second.entry.record_id


def test_pooling_never_lets_a_number_stand_for_a_boolean():
    """1 == True in Python: a pool keyed by value alone would hand one out for the other."""
    from communique.lint.rules.corpus import _pooled

    pool: dict = {}
    assert _pooled(("round", 1), pool) == ("round", 1)
    kept = _pooled(("round", True), pool)
    assert kept[1] is True
    assert _pooled({"a": "b", "c": None}, pool) is _pooled({"a": "b", "c": None}, pool)
    assert _pooled({"a": "b", "c": False}, pool)["c"] is False
