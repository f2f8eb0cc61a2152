"""The corpus, kept in memory and updated one file at a time.

`check` builds its corpus index once per run and runs the cross-record rules over all of
it; at 10,000 records that costs over a tenth of a second, too slow for every keystroke. So
the server keeps each record's summary, and indexes of who shares what with whom (a record
id, a series, a party id, a person id, a look-alike name, an id given a Wikidata item). To
re-check one record it runs the same corpus rules over just the records its findings can
depend on: its neighbourhood.

The neighbourhood is exact for the findings of that record: every rule compares records
through one of those keys, and the neighbourhood holds every record that shares one with it
(for X008, every person id joined to one of its own through a chain of look-alike names).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..lint.rules.corpus import Corpus, RecordSummary, first_named_use, name_variants


class CorpusIndex:
    def __init__(self) -> None:
        self.summaries: dict[str, RecordSummary] = {}
        self._by_id: dict = defaultdict(set)
        self._by_series: dict = defaultdict(set)
        self._party_uses: dict = defaultdict(set)
        self._person_uses: dict = defaultdict(set)
        self._item_uses: dict = defaultdict(set)  # ("party", "pk") -> the records giving it a Wikidata item
        self._variant_ids: dict = defaultdict(Counter)  # name variant -> person ids, counted by use

    def __len__(self) -> int:
        return len(self.summaries)

    def put(self, path: str, summary: RecordSummary | None) -> None:
        """Record what `path` now holds; None takes it out (a deleted file, or one that no
        longer matches the schema, which `check` leaves out of the corpus too)."""
        old = self.summaries.pop(path, None)
        if old is not None:
            self._file(path, old, -1)
        if summary is not None:
            self.summaries[path] = summary
            self._file(path, summary, +1)

    def _file(self, path: str, summary: RecordSummary, sign: int) -> None:
        entry = summary.entry
        keys = [(self._by_id, entry.record_id)] + [(self._by_series, s) for s in _series_of(summary) if s]
        keys += [(self._party_uses, party_id) for party_id, _, _ in summary.parties]
        keys += [(self._person_uses, person_id) for person_id, _, _ in summary.people]
        keys += [(self._item_uses, (kind, thing_id)) for kind, thing_id, _, _ in summary.items]
        for index, key in keys:
            if sign > 0:
                index[key].add(path)
            else:
                index[key].discard(path)
                if not index[key]:
                    del index[key]
        for person_id, _, person in summary.people:
            if isinstance(person.get("name"), str):
                for variant in name_variants(person["name"]):
                    counts = self._variant_ids[variant]
                    counts[person_id] += sign
                    if counts[person_id] <= 0:
                        del counts[person_id]
                        if not counts:
                            del self._variant_ids[variant]

    def neighbourhood(self, summary: RecordSummary) -> Corpus:
        """The records the corpus rules need to judge this one, indexed as the rules expect."""
        entry = summary.entry
        paths = set(self._by_id.get(entry.record_id, ()))
        for series in _series_of(summary):
            paths |= self._by_series.get(series, set())
        for _, record_id in entry.records:  # launched_at, on_margins_of (X013)
            paths |= self._by_id.get(record_id, set())
        corpus = Corpus()
        for path in sorted(paths):
            corpus.add_entry(self.summaries[path].entry)
        for party_id in {party_id for party_id, _, _ in summary.parties}:
            corpus.party_names[party_id] = self._uses(self._party_uses, party_id, "parties")
        for person_id in self._joined_people({person_id for person_id, _, _ in summary.people}):
            corpus.person_names[person_id] = self._uses(self._person_uses, person_id, "people")
        for key in {(kind, thing_id) for kind, thing_id, _, _ in summary.items}:  # X014
            corpus.items[key] = [(self.summaries[path].entry, where, item)
                                 for path in sorted(self._item_uses.get(key, ()))
                                 for kind, thing_id, where, item in self.summaries[path].items
                                 if (kind, thing_id) == key]
        return corpus

    def _uses(self, index: dict, key, kind: str) -> list[tuple]:
        """Every (entry, path, value) of a party or person id, in file order, as Corpus.add
        would have listed them."""
        found = []
        for path in sorted(index.get(key, ())):
            summary = self.summaries[path]
            found.extend((summary.entry, where, value) for item_id, where, value in getattr(summary, kind)
                         if item_id == key)
        return found

    def _joined_people(self, person_ids: set) -> set:
        """The person ids, with every id X008 would group with them: ids whose compared names
        share a variant, followed from id to id."""
        names: dict = {}

        def variants(person_id) -> set:
            if person_id not in names:
                use = first_named_use(self._uses(self._person_uses, person_id, "people"))
                names[person_id] = name_variants(use[2]) if use else set()
            return names[person_id]

        joined, waiting = set(person_ids), list(person_ids)
        while waiting:
            mine = variants(waiting.pop())
            candidates = {other for variant in mine for other in self._variant_ids.get(variant, ())}
            for other in candidates - joined:
                if variants(other) & mine:
                    joined.add(other)
                    waiting.append(other)
        return joined


def _series_of(summary: RecordSummary) -> set:
    """The series a record belongs to or names a round of: the records of those series are
    the ones its round rules compare it with."""
    entry = summary.entry
    return ({entry.series} | {reference.get("series") for reference in entry.related_rounds}) - {None}
