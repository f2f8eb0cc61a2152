"""Two versions of a record compared fact by fact: by id, never by position."""

from __future__ import annotations

import copy

import yaml
from communique.review.facts import Record, compare_records, compare_sets

from ..conftest import RECORDS

ROUND_7 = yaml.safe_load((RECORDS / "pk-eu-strategic-dialogue-07.yaml").read_text(encoding="utf-8"))


def changed(old: dict, new: dict) -> list[tuple]:
    return [(c.kind, c.where, c.old, c.new) for c in compare_records(old, new)]


def test_the_same_record_with_its_lists_and_keys_reordered_is_no_change():
    moved = copy.deepcopy(ROUND_7)
    moved["agreements"].reverse()
    moved["parties"].reverse()
    moved["venue"]["sources"].reverse()
    moved = dict(reversed(list(moved.items())))
    assert changed(ROUND_7, moved) == []


def test_a_changed_date_is_one_fact_with_old_new_and_its_sources():
    moved = copy.deepcopy(ROUND_7)
    moved["dates"]["start"] = "2025-11-19"
    [change] = compare_records(ROUND_7, moved)
    assert (change.kind, change.where, change.old, change.new) == ("changed", "dates.start", "2025-11-21", "2025-11-19")
    assert change.sources == ROUND_7["dates"]["sources"]


def test_an_agreement_that_gained_a_party_is_named_by_its_id_with_its_evidence():
    grown = copy.deepcopy(ROUND_7)
    agreement = grown["agreements"][0]
    agreement["parties"].append("un")
    assert changed(ROUND_7, grown) == [("added", f"agreements[{agreement['id']}].parties", None, "un")]
    [change] = compare_records(ROUND_7, grown)
    assert change.evidence == agreement["evidence"]


def test_an_agreement_added_and_one_removed_are_whole_items():
    other = copy.deepcopy(ROUND_7)
    gone = other["agreements"].pop(0)
    other["agreements"].append({"id": "new-one", "kind": "commitment", "text": "x", "parties": ["pk"]})
    assert ("removed", f"agreements[{gone['id']}]", gone, None) in changed(ROUND_7, other)
    assert ("added", "agreements[new-one]", None, other["agreements"][-1]) in changed(ROUND_7, other)


def test_a_co_chair_is_named_by_the_person_and_a_whole_number_written_as_a_float_is_the_same():
    retitled = copy.deepcopy(ROUND_7)
    retitled["co_chairs"][0]["title"] = "Foreign Minister"
    retitled["series"]["round"] = 7.0
    assert changed(ROUND_7, retitled) == [
        ("changed", "co_chairs[ishaq-dar].title", ROUND_7["co_chairs"][0]["title"], "Foreign Minister")]


def test_a_new_id_for_the_same_content_is_a_rename_and_other_records_are_added_or_removed():
    renamed = dict(ROUND_7, id="pk-eu-strategic-dialogue-7")
    other = {"schema_version": "1.2", "id": "other"}
    result = compare_sets([Record(ROUND_7["id"], "a.yaml", ROUND_7), Record("gone", "g.yaml", {"id": "gone"})],
                          [Record(renamed["id"], "b.yaml", renamed), Record("other", "o.yaml", other)])
    assert [(r.kind, r.id, r.old_id) for r in result] == [
        ("removed", "gone", None), ("added", "other", None), ("renamed", "pk-eu-strategic-dialogue-7", ROUND_7["id"])]
