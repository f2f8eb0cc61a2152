"""The in-memory index gives each record the same cross-record findings as a whole-corpus
run, from its neighbourhood alone: on the rule fixtures, and on random corpora built to
collide (shared ids, rounds, names one letter apart)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from communique.documents.loading import load_file
from communique.lint.rules import all_rules
from communique.lint.rules.corpus import Corpus, Entry, RecordSummary
from communique.server.index import CorpusIndex
from hypothesis import given
from hypothesis import strategies as st

from ..conftest import FIXTURES

CORPUS_RULES = [rule for rule in all_rules() if rule.scope == "corpus"]


def findings_of(corpus: Corpus, path: str) -> list:
    return sorted((rule.code.code, violation.json_path, violation.message)
                  for rule in CORPUS_RULES for found_path, violation in rule.check(corpus) if found_path == path)


def assert_same_as_whole_corpus(summaries: list[RecordSummary]) -> None:
    whole, index = Corpus(), CorpusIndex()
    for summary in sorted(summaries, key=lambda s: s.entry.path):
        whole.add(summary)
        index.put(summary.entry.path, summary)
    for summary in summaries:
        path = summary.entry.path
        assert findings_of(index.neighbourhood(summary), path) == findings_of(whole, path), path


@pytest.mark.parametrize("folder", sorted(p.name for p in (FIXTURES / "rules").iterdir() if p.name.startswith("X")))
def test_the_neighbourhood_finds_what_the_whole_corpus_finds_on_the_rule_fixtures(folder):
    files = sorted((FIXTURES / "rules" / folder).rglob("*.yaml"))
    documents = [load_file(str(f)).document for f in files]
    summaries = [RecordSummary.of(d) for d in documents if d is not None and isinstance(d.data, dict)]
    assert summaries
    assert_same_as_whole_corpus(summaries)


NAMES = ["Kaja Kallas", "Kaia Kallas", "Kaja Kalas", "Ishaq Dar", "Ishaq Darr", "Ishak Darr", "Maros Sefcovic",
         "Maroš Šefčovič", "Amir Khan Muttaqi", "Amir Khan Mutaqi"]
TITLES = ["Foreign Minister", "Deputy Prime Minister", "foreign  minister"]
CITIES = [("Ankara", "TR"), ("Doha", "QA"), ("Istanbul", "TR"), ("Brussels", "BE")]


@st.composite
def summaries(draw) -> list[RecordSummary]:
    found = []
    for number in range(draw(st.integers(2, 12))):
        series = draw(st.sampled_from(["a", "b", "c"]))
        round_number = draw(st.one_of(st.none(), st.integers(1, 5)))
        start = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
        span = (start, start + timedelta(days=draw(st.integers(0, 2))))
        city, country = draw(st.sampled_from(CITIES))
        next_round = None
        if draw(st.booleans()):
            planned_city, planned_country = draw(st.sampled_from(CITIES))
            next_round = {"round": draw(st.integers(1, 6)), "venue": {"city": planned_city, "country": planned_country},
                          "when": draw(st.sampled_from(["2025", "2026", "2025-06"]))}
        related = [{"series": draw(st.sampled_from(["a", "b", "c"])), "round": draw(st.integers(1, 5)),
                    "venue": {"city": draw(st.sampled_from(CITIES))[0]}}
                   for _ in range(draw(st.integers(0, 1)))]
        edition = draw(st.one_of(st.none(), st.sampled_from(["2024", "2025", "2026"])))
        entry = Entry(f"records/r{number:02d}.yaml", draw(st.sampled_from(["x", "y", f"id-{number}"])), series,
                      round_number, span, {"city": city, "country": country}, next_round, related, edition,
                      draw(st.sampled_from([None, "annual"])))
        parties = [(party_id, ("parties", i, "name"), draw(st.sampled_from(["Pakistan", "pakistan", "Afghanistan"])))
                   for i, party_id in enumerate(draw(st.lists(st.sampled_from(["pk", "af", "tr"]), max_size=2,
                                                              unique=True)))]
        people = [(draw(st.sampled_from(["p1", "p2", "p3", "p4", "p5"])), ("co_chairs", i),
                   {"name": draw(st.sampled_from(NAMES)), "title": draw(st.sampled_from(TITLES))})
                  for i in range(draw(st.integers(0, 3)))]
        found.append(RecordSummary(entry, parties, people))
    return found


@given(summaries())
def test_the_neighbourhood_finds_what_the_whole_corpus_finds_on_random_corpora(corpus):
    assert_same_as_whole_corpus(corpus)


@given(summaries(), st.data())
def test_the_index_stays_exact_through_edits_and_deletions(corpus, data):
    index = CorpusIndex()
    current = {}
    for summary in corpus:
        index.put(summary.entry.path, summary)
        current[summary.entry.path] = summary
    for summary in data.draw(st.lists(st.sampled_from(corpus), max_size=4)):  # delete some, put others back
        if summary.entry.path in current and data.draw(st.booleans()):
            index.put(summary.entry.path, None)
            del current[summary.entry.path]
        else:
            index.put(summary.entry.path, summary)
            current[summary.entry.path] = summary
    fresh = CorpusIndex()
    for path, summary in current.items():
        fresh.put(path, summary)
    whole = Corpus()
    for path in sorted(current):
        whole.add(current[path])
    for path, summary in current.items():
        assert findings_of(index.neighbourhood(summary), path) == findings_of(whole, path)
    assert index._variant_ids == fresh._variant_ids and index._person_uses == fresh._person_uses


def test_a_chain_of_look_alike_names_is_followed_to_its_end():
    """X008 names every id of a group: a record whose person is one letter from a second id,
    itself one letter from a third, is told of both, though it shares nothing with the third."""
    def record(number: int, person_id: str, name: str) -> RecordSummary:
        entry = Entry(f"r{number}.yaml", f"r{number}", None, None, None, {}, None, [])
        return RecordSummary(entry, [], [(person_id, ("co_chairs", 0), {"name": name})])

    corpus = [record(1, "kallas-1", "Kaja Kallas"), record(2, "kallas-2", "Kaia Kallas"),
              record(3, "kallas-3", "Kaia Kalas"), record(4, "someone", "Someone Else")]
    index = CorpusIndex()
    for summary in corpus:
        index.put(summary.entry.path, summary)
    messages = [message for code, _, message in findings_of(index.neighbourhood(corpus[0]), "r1.yaml")]
    assert len(messages) == 1 and "kallas-2" in messages[0] and "kallas-3" in messages[0]
    assert_same_as_whole_corpus(corpus)
