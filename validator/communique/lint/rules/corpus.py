"""Rules across the corpus of records.

The `Corpus` index is built once per run, in one pass over the records; each rule then
walks an index, never pairs of records, so the cost grows linearly with the corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...documents.loading import Document
from ...documents.placeholders import is_placeholder
from . import ERROR, INFO, WARNING, Violation, rule
from .context import describe, disjoint, meeting_span, round_span, span


@dataclass(slots=True)
class Entry:
    """What the corpus rules need of one record: a slim copy, so that memory stays flat
    however many records there are (the documents themselves are released)."""

    path: str
    record_id: Any
    series: str | None
    round: int | None
    span: Any
    venue: dict
    next_round: dict | None
    related_rounds: tuple  # a tuple: most records have none, and the empty tuple is shared
    edition: str | None = None
    periodicity: str | None = None
    status: str | None = None  # the meeting's status (schema 1.2); absent means held
    # (json path, record id) of each other record this one names (schema 1.2: the meeting
    # a framework was launched at, the event this one was held on the margins of)
    records: tuple = ()

    @property
    def held(self) -> bool:
        """Whether the record is of a meeting that took place, not of a plan of one."""
        return self.status not in NOT_HELD

    @classmethod
    def of(cls, document: Document) -> "Entry":
        data = document.data
        series = data.get("series") or {}
        next_round = data.get("next_round")
        return cls(document.path, data.get("id"), series.get("id"), series.get("round"), meeting_span(data),
                   _place(data.get("venue")), _reference(next_round) if next_round else None,
                   tuple(_reference(r) for r in data.get("related_rounds") or ()),
                   series.get("edition"), series.get("periodicity"), data.get("status"), _records_named(data))


# A record with one of these statuses (schema 1.2) is the plan of a round that did not take
# place as planned: not the round held. The held round, if any, has a record of its own.
NOT_HELD = {"planned", "postponed", "cancelled"}


_REFERENCE_KEYS = ("series", "round", "edition", "status", "when", "until", "not_before", "not_after")
_YEAR = re.compile(r"(\d{4})\b")


def _records_named(data: dict) -> tuple:
    """(json path, record id) of the records a record names: launched_at, on_margins_of."""
    named = tuple((("frameworks", index, "launched_at"), framework["launched_at"])
                  for index, framework in enumerate(data.get("frameworks") or []) if "launched_at" in framework)
    margins = data.get("on_margins_of") or {}
    return named + ((("on_margins_of", "record"), margins["record"]),) if "record" in margins else named


def edition_year(edition: Any) -> int | None:
    """The year an edition label starts with ("2022", "2024 autumn"), if any."""
    match = _YEAR.match(edition) if isinstance(edition, str) else None
    return int(match.group(1)) if match else None


def _place(place: dict | None) -> dict:
    return {key: place[key] for key in ("city", "country") if key in place} if place else {}


def _reference(reference: dict) -> dict:
    """The parts of a round reference that the corpus rules compare."""
    slim = {key: reference[key] for key in _REFERENCE_KEYS if key in reference}
    if "venue" in reference:
        slim["venue"] = _place(reference["venue"])
    return slim


@dataclass(slots=True)
class RecordSummary:
    """One record's contribution to the index: small, and picklable for worker processes."""

    entry: Entry
    parties: list[tuple]  # (party id, json path of its name, name)
    people: list[tuple]   # (person id, json path of the person, {"name", "title"})
    items: list[tuple] = field(default_factory=list)  # ("party", "person" or "series", id, json path, Wikidata item)

    def pooled(self, pool: dict) -> "RecordSummary":
        """The summary with each string, date and JSON path replaced by the equal one the
        pool already holds: records repeat the same ids, names, places and paths, and at
        100,000 records one copy of each instead of one per record is most of the index."""
        entry = self.entry
        for name in _ENTRY_VALUES:
            setattr(entry, name, _pooled(getattr(entry, name), pool))
        self.parties = [_pooled(party, pool) for party in self.parties]
        self.people = [_pooled(person, pool) for person in self.people]
        self.items = [_pooled(item, pool) for item in self.items]
        return self

    @classmethod
    def of(cls, document: Document) -> "RecordSummary":
        data = document.data
        # Placeholders that `communique new` left (N004 reports them) are nobody yet.
        # An unnamed side (schema 1.1) has no name to compare.
        parties = [(party.get("id"), ("parties", index, "name"), party.get("name"))
                   for index, party in enumerate(data.get("parties") or [])
                   if isinstance(party.get("name"), str) and not is_placeholder(party.get("name"))]
        people = [(person.get("person_id"), (list_name, index), {"name": person.get("name"), "title": person.get("title")})
                  for list_name in ("co_chairs", "participants")
                  for index, person in enumerate(data.get(list_name) or [])
                  if not (is_placeholder(person.get("person_id")) or is_placeholder(person.get("name")))]
        return cls(Entry.of(document), parties, people, list(_wikidata_items(data)))


def _wikidata_items(data: dict):
    """("party", "person" or "series", its id, json path, item) of each Wikidata item a
    record gives (schema 1.3) for something with an id shared across the corpus."""
    def given(kind, node, id_key, path):
        if isinstance(node, dict) and isinstance(node.get("wikidata"), str) and isinstance(node.get(id_key), str):
            yield kind, node[id_key], path + ("wikidata",), node["wikidata"]

    yield from given("series", data.get("series"), "id", ("series",))
    for index, party in enumerate(data.get("parties") or []):
        yield from given("party", party, "id", ("parties", index))
    for index, agreement in enumerate(data.get("agreements") or []):
        for third, party in enumerate(agreement.get("third_parties") or [] if isinstance(agreement, dict) else []):
            yield from given("party", party, "id", ("agreements", index, "third_parties", third))
    for list_name in ("co_chairs", "participants"):
        for index, person in enumerate(data.get(list_name) or []):
            yield from given("person", person, "person_id", (list_name, index))
    convened = data.get("convened_by")
    for index, person in enumerate(convened.get("persons") or [] if isinstance(convened, dict) else []):
        yield from given("person", person, "person_id", ("convened_by", "persons", index))
    for index, delegation in enumerate(data.get("delegations") or []):
        for member, person in enumerate(delegation.get("members") or [] if isinstance(delegation, dict) else []):
            yield from given("person", person, "person_id", ("delegations", index, "members", member))


_ENTRY_VALUES = ("record_id", "series", "span", "venue", "next_round", "related_rounds", "edition", "periodicity",
                 "status", "records")
_SHAREABLE = frozenset({str, date})


def _pooled(value: Any, pool: dict) -> Any:
    """`value` with its strings, dates and tuples of them taken from `pool` (added when new).
    Only values no other type compares equal to are pooled under themselves (a string, a
    date, a tuple of those and ints: never True for 1). A dict of strings (a place, a
    person's name and title) is shared too, from a pool of its own: the rules read the index
    and never change it. Lists are rebuilt around pooled contents."""
    kind = value.__class__
    if kind in _SHAREABLE:
        return pool.setdefault(value, value)
    if kind is tuple:
        items = tuple(_pooled(item, pool) for item in value)
        if all(item.__class__ in _SHAREABLE or item.__class__ is int for item in items):  # a path, a span
            return pool.setdefault(items, items)
        return items
    if kind is dict:
        pooled = {_pooled(key, pool): _pooled(item, pool) for key, item in value.items()}
        if all(item.__class__ in _SHAREABLE or item is None for item in pooled.values()):
            return pool.setdefault(dict, {}).setdefault(tuple(pooled.items()), pooled)
        return pooled
    if kind is list:
        return [_pooled(item, pool) for item in value]
    return value


@dataclass
class Corpus:
    entries: list[Entry] = field(default_factory=list)
    by_id: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_round: dict[tuple[str, int], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_edition: dict[tuple[str, str], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    # the records of rounds planned but not held (postponed, cancelled, still planned), by
    # ("round" or "edition", series, number or label)
    plans: dict[tuple[str, str, Any], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    # (entry, json path, value) occurrences, keyed by the id they carry
    party_names: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    person_names: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    # (entry, json path, Wikidata item) of each item given, keyed by (kind, id): ("party", "pk")
    items: dict[tuple[str, str], list[tuple]] = field(default_factory=lambda: defaultdict(list))

    def add(self, summary: "RecordSummary") -> None:
        entry = summary.entry
        self.add_entry(entry)
        for party_id, path, name in summary.parties:
            self.party_names[party_id].append((entry, path, name))
        for person_id, path, person in summary.people:
            self.person_names[person_id].append((entry, path, person))
        for kind, thing_id, path, item in summary.items:
            self.items[(kind, thing_id)].append((entry, path, item))

    def add_entry(self, entry: Entry) -> None:
        """A record's place among the records (ids, rounds, editions), without its names."""
        self.entries.append(entry)
        self.by_id[entry.record_id].append(entry)
        if not entry.held:
            for label in ("round", "edition"):
                if entry.series and getattr(entry, label) is not None:
                    self.plans[(label, entry.series, getattr(entry, label))].append(entry)
            return  # a plan is neither a duplicate of the round held, nor a round in the series' order
        if entry.series and entry.round is not None:
            self.by_round[(entry.series, entry.round)].append(entry)
        if entry.series and entry.edition is not None:
            self.by_edition[(entry.series, entry.edition)].append(entry)

    def series_rounds(self) -> dict[str, list[tuple[int, Entry]]]:
        rounds = defaultdict(list)
        for (series, number), entries in self.by_round.items():
            rounds[series].extend((number, entry) for entry in entries)
        return {series: sorted(items, key=lambda item: item[0]) for series, items in rounds.items()}

    def series_edition_years(self) -> dict[str, list[tuple[int, Entry]]]:
        """Records of a series without a round but with a year edition, in year order: what
        round numbers are to a series named by year."""
        years = defaultdict(list)
        for (series, edition), entries in self.by_edition.items():
            year = edition_year(edition)
            years[series].extend((year, entry) for entry in entries if year is not None and entry.round is None)
        return {series: sorted(items, key=lambda item: item[0]) for series, items in years.items()}

    def targets(self, series: str, reference: dict) -> list[Entry]:
        """The records of the round a reference names, by round or by edition."""
        if "round" in reference:
            return self.by_round.get((series, reference["round"]), [])
        if "edition" in reference:
            return self.by_edition.get((series, reference["edition"]), [])
        return []


@rule("X001", "duplicate-record-id", ERROR, "Two records share an id.", scope="corpus")
def duplicate_record_id(corpus: Corpus):
    """A record id names one meeting across the corpus; two files with the same id make
    every reference to it ambiguous.

    Bad:
        # records/a.yaml and records/b.yaml both say
        id: pk-eu-strategic-dialogue-07

    Good:
        # one file, records/pk-eu-strategic-dialogue-07.yaml, says
        id: pk-eu-strategic-dialogue-07
    """
    for record_id, entries in corpus.by_id.items():
        if len(entries) > 1:
            paths = sorted(entry.path for entry in entries)
            for entry in entries:
                others = ", ".join(p for p in paths if p != entry.path)
                yield entry.path, Violation(("id",), f"record id {record_id!r} is also used by {others}")


@rule("X002", "duplicate-round", ERROR, "Two records encode the same round of a series.", scope="corpus")
def duplicate_round(corpus: Corpus):
    """One round of a series is one meeting, so it has one record; a second record of it
    is a duplicate or a wrong round number. A record whose `status` (schema 1.2) is
    planned, postponed or cancelled is the plan of a round, not the round held: it may
    stand beside the record of the round that did take place (X012 compares the two).

    Bad:
        # two records, both with
        series: {id: pk-eu-strategic-dialogue, round: 7}

    Good:
        # one record with round 7, another with round 8
        series: {id: pk-eu-strategic-dialogue, round: 8}
    """
    for field_name, groups in (("round", corpus.by_round), ("edition", corpus.by_edition)):
        for (series, label), entries in groups.items():
            if len(entries) > 1:
                paths = sorted(entry.path for entry in entries)
                shown = label if field_name == "round" else repr(label)
                for entry in entries:
                    others = ", ".join(p for p in paths if p != entry.path)
                    yield entry.path, Violation(("series", field_name),
                                                f"{field_name} {shown} of {series!r} is also encoded in {others}")


@rule("X003", "round-order", ERROR, "Round numbers of a series do not increase with the dates.", scope="corpus")
def round_order(corpus: Corpus):
    """A later round cannot have met before an earlier one. Dates known only to a month or
    a year count as their span, so the rule fires only when the spans cannot agree.

    Bad:
        # round 9
        dates: {start: 2025-02-20}
        # round 10
        dates: {start: 2024-07-17}

    Good:
        # round 9
        dates: {start: 2025-02-20}
        # round 10
        dates: {start: 2025-07-17}
    """
    for label, ordered in (("round", corpus.series_rounds()), ("edition", corpus.series_edition_years())):
        for series, rounds in ordered.items():
            dated = [(number, entry) for number, entry in rounds if entry.span]
            for (earlier, first), (later, second) in zip(dated, dated[1:]):
                if earlier < later and second.span[1] < first.span[0]:
                    yield second.path, Violation(
                        ("dates",), f"{label} {_name(second, later)} of {series!r} ({describe(second.span)}) is dated "
                                    f"before {label} {_name(first, earlier)} ({describe(first.span)}) in {first.path}",
                        key=True)


def _name(entry: Entry, number: int) -> str:
    return repr(entry.edition) if entry.round is None and entry.edition is not None else str(number)


def _place_mismatch(planned: dict, actual: dict | None) -> str | None:
    if not actual or not planned:
        return None
    for part in ("country", "city"):
        if planned.get(part) and actual.get(part) and planned[part].casefold() != actual[part].casefold():
            return f"{part} {planned[part]!r} but the record of that round says {actual[part]!r}"
    return None


# A round in one of these states makes no claim on where or when it will be held.
UNSETTLED = {"tentative", "proposed", "postponed", "cancelled"}


def _round_name(series: str, reference: dict) -> str:
    which = f"round {reference['round']}" if "round" in reference else f"edition {reference.get('edition')!r}"
    return f"{which} of {series!r}"


def _references(corpus: Corpus):
    """(entry, json path, series, reference) for every next or related round that names a
    round or edition and claims a date or place (not tentative, proposed, ...)."""
    for entry in corpus.entries:
        mentioned = [(("next_round",), entry.series, entry.next_round)] if entry.next_round else []
        mentioned += [(("related_rounds", index), reference.get("series"), reference)
                      for index, reference in enumerate(entry.related_rounds)]
        for path, series, reference in mentioned:
            if series and reference.get("status") not in UNSETTLED:
                for target in corpus.targets(series, reference):
                    if target is not entry:
                        yield entry, path, series, reference, target


def _venue_mismatches(corpus: Corpus, related: bool):
    for entry, path, series, reference, target in _references(corpus):
        if (path[0] == "related_rounds") == related:
            place = _place_mismatch(reference.get("venue") or {}, target.venue)
            if place:
                yield entry.path, Violation(path + ("venue",), f"{_round_name(series, reference)}: {place} "
                                                               f"({target.path})")


@rule("X004", "next-round-mismatch", ERROR, "next_round names a venue that the record of that round contradicts.",
      scope="corpus")
def next_round_mismatch(corpus: Corpus):
    """When the next round has a record of its own, the country and city announced here must
    agree with it. (A date that slipped is X011's business; a round whose status is
    tentative, proposed, postponed or cancelled is not compared.)

    Bad:
        # round 7
        next_round: {round: 8, venue: {city: Islamabad, country: PK}, when: "2026"}
        # round 8
        venue: {city: Brussels, country: BE}

    Good:
        # round 7
        next_round: {round: 8, venue: {city: Islamabad, country: PK}, when: "2026"}
        # round 8
        venue: {city: Islamabad, country: PK}
    """
    yield from _venue_mismatches(corpus, related=False)


@rule("X005", "related-round-mismatch", ERROR,
      "A round mentioned in related_rounds is placed where the record of that round says it was not.", scope="corpus")
def related_round_mismatch(corpus: Corpus):
    """A record may mention rounds of other series (a planned dialogue, earlier talks);
    where those rounds have records, the venue must agree.

    Bad:
        related_rounds: [{series: af-pk-talks, round: 2, venue: {city: Doha, country: QA}}]
        # while records/af-pk-talks-02.yaml has venue {city: Ankara, country: TR}

    Good:
        related_rounds: [{series: af-pk-talks, round: 2, venue: {city: Ankara, country: TR}}]
    """
    yield from _venue_mismatches(corpus, related=True)


@rule("X011", "plan-slipped", WARNING, "A round was held outside the dates another record planned for it.",
      scope="corpus")
def plan_slipped(corpus: Corpus):
    """Plans slip: a record that says "the next round in 2026" encodes its source faithfully
    even when the round met in 2027. The difference is worth a look (a mis-typed date, or a
    caveat to add), but it is not an error in either record. A round marked tentative,
    proposed, postponed or cancelled is not held to any date.

    Bad:
        # round 7
        next_round: {round: 8, when: "2026"}
        # round 8
        dates: {start: 2027-03-02}

    Good:
        # round 7
        next_round: {round: 8, when: "2026", status: tentative, as_stated: at a mutually agreed date}
        # round 8
        dates: {start: 2027-03-02}
    """
    for entry, path, series, reference, target in _references(corpus):
        planned = round_span(reference)
        name = _round_name(series, reference)
        if disjoint(planned, target.span):
            yield entry.path, Violation(path + ("when",), f"{name} is planned for {describe(planned)} here but was "
                                                          f"held {describe(target.span)} ({target.path})")
        earliest, latest = span(reference.get("not_before")), span(reference.get("not_after"))
        if earliest and target.span and target.span[1] < earliest[0]:
            yield entry.path, Violation(path + ("not_before",), f"{name} is planned for no earlier than "
                                                                f"{describe(earliest)} here but was held "
                                                                f"{describe(target.span)} ({target.path})")
        if latest and target.span and target.span[0] > latest[1]:
            yield entry.path, Violation(path + ("not_after",), f"{name} is planned for no later than "
                                                               f"{describe(latest)} here but was held "
                                                               f"{describe(target.span)} ({target.path})")


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _majority(values: list[str]) -> str:
    counts = Counter(_fold(v) for v in values)
    return max(counts, key=lambda folded: (counts[folded], folded))


@rule("X006", "party-id-conflict", ERROR, "One party id names different parties in different records.", scope="corpus")
def party_id_conflict(corpus: Corpus):
    """Party ids are shared across the corpus: `pk` is Pakistan in every record, so the
    parties of a meeting can be counted and compared. Two names under one id mean two
    parties share an id, or a name was mis-typed.

    Bad:
        # one record
        parties: [{id: af, name: Afghanistan, kind: de-facto-authority}]
        # another
        parties: [{id: af, name: Afghan Taliban, kind: de-facto-authority}]

    Good:
        # both records
        parties: [{id: af, name: Afghanistan, kind: de-facto-authority}]
    """
    for party_id, uses in corpus.party_names.items():
        usual = _majority([name for _, _, name in uses if name])
        for entry, path, name in uses:
            if name and _fold(name) != usual:
                other = next(n for _, _, n in uses if n and _fold(n) == usual)
                yield entry.path, Violation(path, f"party {party_id!r} is {name!r} here but {other!r} elsewhere")


@rule("X007", "person-name-conflict", ERROR, "One person id carries two spellings of a name.", scope="corpus")
def person_name_conflict(corpus: Corpus):
    """A person id stands for one person everywhere, spelt one way, so their meetings can
    be found together. Pick the spelling the sources use most and keep to it.

    Bad:
        # one record
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, ...}]
        # another
        co_chairs: [{person_id: ishaq-dar, name: Muhammad Ishaq Dar, ...}]

    Good:
        # both records
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, ...}]
    """
    for person_id, uses in corpus.person_names.items():
        names = [person.get("name") for _, _, person in uses if person.get("name")]
        if len({_fold(n) for n in names}) < 2:
            continue
        usual = _majority(names)
        for entry, path, person in uses:
            if person.get("name") and _fold(person["name"]) != usual:
                other = next(n for n in names if _fold(n) == usual)
                yield entry.path, Violation(path + ("name",), f"person {person_id!r} is spelt "
                                                                  f"{person['name']!r} here but {other!r} elsewhere")


def _name_key(name: str) -> str:
    """A name with case, accents, punctuation and spacing folded away."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def first_named_use(uses: list[tuple]) -> tuple | None:
    """(entry, path, name) of the first use of a person id whose name is long enough to
    compare: the name X008 compares that id by."""
    for entry, path, person in uses:
        if person.get("name") and len(_name_key(person["name"])) >= MIN_NAME_KEY:
            return entry, path, person["name"]
    return None


def name_variants(name: str) -> set[str]:
    """What X008 indexes a name by: two names it joins share one of these."""
    return _deletion_variants(_name_key(name))


def _deletion_variants(key: str) -> set[str]:
    """The key with any one character left out, and the key itself: two keys at most one
    edit apart (a letter added, dropped or changed) always share one of these."""
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


@rule("X008", "similar-person-names", WARNING, "Near-identical names carry different person ids.", scope="corpus")
def similar_person_names(corpus: Corpus):
    """Two person ids whose names differ only in case, accents, punctuation, spacing or one
    letter are probably one person entered twice. Names are indexed by their variants with
    one letter left out, so that only names sharing a variant are compared and the check
    stays linear in the corpus.

    Bad:
        # one record
        co_chairs: [{person_id: kaja-kallas, name: Kaja Kallas, ...}]
        # another
        co_chairs: [{person_id: kaia-kallas, name: Kaia Kallas, ...}]

    Good:
        # both records
        co_chairs: [{person_id: kaja-kallas, name: Kaja Kallas, ...}]
    """
    first_use: dict[str, tuple] = {}
    for person_id, uses in corpus.person_names.items():
        use = first_named_use(uses)
        if use is not None:
            first_use[person_id] = use
    # Person ids that share a variant are one group (a union-find over the variants), so a
    # name entered under many ids is one conflict, reported once per id, not once per pair.
    groups = _Groups()
    owner: dict[str, str] = {}
    for person_id, (_, _, name) in first_use.items():
        for variant in name_variants(name):
            if variant in owner:
                groups.join(owner[variant], person_id)
            else:
                owner[variant] = person_id
    for members in groups.of_more_than_one():
        ordered = sorted(members)
        for person_id in ordered:
            entry, path, name = first_use[person_id]
            others = [other for other in ordered if other != person_id]
            shown = ", ".join(f"{first_use[other][2]!r} ({other})" for other in others[:MAX_NAMED])
            more = f" and {len(others) - MAX_NAMED} more" if len(others) > MAX_NAMED else ""
            yield entry.path, Violation(path + ("person_id",), f"{name!r} ({person_id}) looks like {shown}{more}: "
                                                               "the same person under more than one id?")


class _Groups:
    """Union-find: which ids belong together, in near-linear time."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def of_more_than_one(self) -> list[set[str]]:
        members: dict[str, set[str]] = defaultdict(set)
        for item in self.parent:
            members[self.find(item)].add(item)
        return [group for group in members.values() if len(group) > 1]


MAX_NAMED = 3  # records or ids named in one message; the rest are counted


MIN_NAME_KEY = 6  # shorter names differ by one letter too often to mean anything


@rule("X009", "title-conflict", WARNING, "A person's title differs between records of overlapping dates.", scope="corpus")
def title_conflict(corpus: Corpus):
    """People change posts, so titles may differ between meetings months apart; but a
    person cannot hold two different titles during meetings that overlap in time. Titles
    are compared with case and spacing folded.

    Bad:
        # a meeting on 2025-11-21
        co_chairs: [{person_id: ishaq-dar, title: Foreign Minister, ...}]
        # another meeting on 2025-11-21
        co_chairs: [{person_id: ishaq-dar, title: Interior Minister, ...}]

    Good:
        # both meetings
        co_chairs: [{person_id: ishaq-dar, title: Foreign Minister, ...}]
    """
    import heapq

    for person_id, uses in corpus.person_names.items():
        dated = sorted(((e, p, person) for e, p, person in uses if e.span and person.get("title")),
                       key=lambda use: use[0].span[0])
        # Sweep in date order, keeping the uses still running at each start: by title, how
        # many, with one of them to name; and a heap of their ends to let them go. Each use
        # is compared with the running titles, not with every running use.
        ends: list = []
        running: dict[str, list] = {}  # folded title -> [count, (entry, person) of one use]
        for order, (entry, path, person) in enumerate(dated):
            while ends and ends[0][0] < entry.span[0]:
                _, _, title = heapq.heappop(ends)
                running[title][0] -= 1
                if not running[title][0]:
                    del running[title]
            title = _fold(person["title"])
            other = next((use for folded, (_, use) in running.items() if folded != title), None)
            if other is not None and other[0] is not entry:
                yield entry.path, Violation(path + ("title",), f"{person.get('name')} is titled {person['title']!r} "
                                                               f"here but {other[1]['title']!r} in {other[0].path}, "
                                                               "at the same time")
            count = running.setdefault(title, [0, (entry, person)])
            count[0] += 1
            heapq.heappush(ends, (entry.span[1], order, title))


@rule("X010", "series-gap", INFO, "A series has records of rounds on both sides of a missing one.", scope="corpus")
def series_gap(corpus: Corpus):
    """Rounds 7 and 9 without 8 usually mean a record still to be written (or a round
    number mis-typed). Said on the records on both sides of the gap, so that checking
    either one shows it: pre-commit checks only the files changed, and the file that opens
    or widens a gap may sit on either side of it (round 5 added while round 7 exists).
    Only rounds held count: a record of a postponed, cancelled or still planned round
    (schema 1.2 `status`) neither opens a gap nor fills one, and the message names it.

    Bad:
        # records/example-dialogue-07.yaml
        series: {id: example-dialogue, round: 7}    # no record of round 8 between this round 7 and round 9
        # records/example-dialogue-09.yaml
        series: {id: example-dialogue, round: 9}    # no record of round 8 between round 7 and this round 9

    Good:
        # records of rounds 7, 8 and 9
        series: {id: example-dialogue, round: 8}
    """
    rounds = corpus.series_rounds()
    years = {series: [(y, e) for y, e in items if e.periodicity == "annual"]  # only a yearly series misses a year
             for series, items in corpus.series_edition_years().items()}
    for field_name, ordered in (("round", rounds), ("edition", years)):
        for series, numbered in ordered.items():
            yield from _gaps(series, numbered, field_name, corpus.plans)


def _plans_between(plans: dict, series: str, field_name: str, previous: int, current: int) -> str:
    """", where only a plan stands: ..." for the records of rounds in a gap that were not held."""
    found = [(entry.status, entry.path) for number in range(previous + 1, current)
             for entry in plans.get((field_name, series, number if field_name == "round" else str(number)), [])]
    if not found:
        return ""
    shown = ", ".join(f"{status} in {path}" for status, path in sorted(found)[:MAX_NAMED])
    return f" (only a round not held: {shown})"


def _gaps(series: str, numbered: list[tuple[int, Entry]], field_name: str, plans: dict):
    """X010 for one series: each gap in its numbers, on the records on both sides of it."""
    def name(number: int) -> str:  # "round 7", or "the 2022 edition"
        return f"round {number}" if field_name == "round" else f"the {number} edition"

    by_number: dict[int, list[Entry]] = defaultdict(list)
    for number, entry in numbered:  # in order
        by_number[number].append(entry)
    numbers = list(by_number)
    kind = "" if field_name == "round" else "annual "
    for previous, current in zip(numbers, numbers[1:]):
        if current - previous < 2:
            continue
        if field_name == "round":
            missing = f"round {previous + 1}" if current - previous == 2 else f"rounds {previous + 1}-{current - 1}"
        else:
            missing = f"the {previous + 1} edition" if current - previous == 2 else \
                f"the {previous + 1}-{current - 1} editions"
        before, after = by_number[previous], by_number[current]
        missing += _plans_between(plans, series, field_name, previous, current)
        this_before = "this " + name(previous).removeprefix("the ")
        this_after = "this " + name(current).removeprefix("the ")
        for entry in before:
            yield entry.path, Violation(("series", field_name), f"no record of {missing} of {kind}{series!r} between "
                                                                f"{this_before} and {name(current)} in {_paths(after)}")
        for entry in after:
            yield entry.path, Violation(("series", field_name), f"no record of {missing} of {kind}{series!r} between "
                                                                f"{name(previous)} in {_paths(before)} and {this_after}")


def _paths(entries: list[Entry]) -> str:
    """The files of some records, for a message: the first MAX_NAMED, the rest counted."""
    paths = sorted(entry.path for entry in entries)
    more = f" and {len(paths) - MAX_NAMED} more" if len(paths) > MAX_NAMED else ""
    return ", ".join(paths[:MAX_NAMED]) + more


# A round postponed or cancelled was to be held on the dates its record gives; the round of
# that number held afterwards comes later. (A round still planned may be brought forward.)
CALLED_OFF = {"postponed", "cancelled"}


@rule("X012", "held-before-called-off", ERROR,
      "A round was held before the dates of a plan of it that was postponed or cancelled.", scope="corpus")
def held_before_called_off(corpus: Corpus):
    """A record of a postponed or cancelled meeting (schema 1.2 `status`) keeps the dates it
    was planned for; the record of the same round held is not a duplicate of it, but it
    comes after it: a round held before the plan of it was called off would have made that
    plan the next round. One of the two round numbers (or dates) is wrong. Only records
    whose dates are known are compared.

    Bad:
        # round 8, postponed
        status: postponed
        dates: {start: 2025-05-12}
        # round 8, held
        dates: {start: 2025-02-20}

    Good:
        # round 8, postponed
        status: postponed
        dates: {start: 2025-05-12}
        # round 8, held
        dates: {start: 2025-09-15}
    """
    for (label, series, number), plans in corpus.plans.items():
        targets = corpus.targets(series, {label: number})
        for plan in plans:
            if plan.status not in CALLED_OFF or not plan.span:
                continue
            for held in targets:
                if held.span and held.span[1] < plan.span[0]:
                    shown = number if label == "round" else repr(number)
                    yield held.path, Violation(("dates",), f"{label} {shown} of {series!r} is held here "
                                                           f"({describe(held.span)}), before the dates it was "
                                                           f"{plan.status} from ({describe(plan.span)}) in "
                                                           f"{plan.path}", key=True)


@rule("X013", "named-record-dates", ERROR,
      "A record named by launched_at or on_margins_of is dated where the meeting cannot be.", scope="corpus")
def named_record_dates(corpus: Corpus):
    """A record may name another (schema 1.2): a framework's `launched_at` is the earlier
    meeting that launched it, and `on_margins_of.record` the event this meeting was held on
    the margins of. Where that record is in the corpus, its dates must allow it: a framework
    cannot have been launched at a meeting that began after this one ended, and a meeting
    on the margins of an event is held while the event runs. A wrong id, or a date slip in
    one of the two. (A record the corpus does not hold is not reported.)

    Bad:
        # records/example-assembly-2025.yaml
        dates: {start: 2025-09-23, end: 2025-09-29}
        # the meeting on its margins
        dates: {start: 2025-10-14}
        on_margins_of: {name: UN General Assembly, record: example-assembly-2025}

    Good:
        # records/example-assembly-2025.yaml
        dates: {start: 2025-09-23, end: 2025-09-29}
        # the meeting on its margins
        dates: {start: 2025-09-24}
        on_margins_of: {name: UN General Assembly, record: example-assembly-2025}
    """
    for entry in corpus.entries:
        for path, record_id in entry.records:
            for named in corpus.by_id.get(record_id, ()):
                if named is entry or not (named.span and entry.span):
                    continue
                if path[0] == "frameworks" and named.span[0] > entry.span[1]:
                    yield entry.path, Violation(path, f"launched at {record_id!r} ({describe(named.span)}, "
                                                      f"{named.path}), which began after this meeting "
                                                      f"({describe(entry.span)})")
                elif path[0] == "on_margins_of" and disjoint(named.span, entry.span):
                    yield entry.path, Violation(path, f"held on the margins of {record_id!r} ({describe(named.span)}, "
                                                      f"{named.path}), but dated {describe(entry.span)}")


@rule("X014", "wikidata-conflict", ERROR, "One party, person or series id carries two Wikidata items.", scope="corpus")
def wikidata_conflict(corpus: Corpus):
    """A Wikidata item (schema 1.3) names the party, person or series behind an id, and
    exports write it for every record of that id: two items for one id put two different
    things in Wikidata's statements about it. One of the two is a typo, or the id is shared
    by two parties or people. The item most records give counts as the id's (on a tie, the
    first given).

    Bad:
        # one record
        parties: [{id: pk, name: Pakistan, wikidata: Q843, kind: state}]
        # another
        parties: [{id: pk, name: Pakistan, wikidata: Q834, kind: state}]

    Good:
        # both records (or one of them with no item)
        parties: [{id: pk, name: Pakistan, wikidata: Q843, kind: state}]
    """
    for (kind, thing_id), uses in corpus.items.items():
        counts = Counter(item for _, _, item in uses)
        if len(counts) < 2:
            continue
        usual = counts.most_common(1)[0][0]  # on a tie, the item given first
        for entry, path, item in uses:
            if item != usual:
                yield entry.path, Violation(path, f"{kind} {thing_id!r} is Wikidata item {item!r} here but "
                                                  f"{usual!r} elsewhere")
