"""Completion in a record being typed, which often does not parse as it stands."""

from __future__ import annotations

import pytest
from communique.server.completion import _closers, offers

from ..conftest import RECORDS

RECORD = (RECORDS / "pk-eu-strategic-dialogue-07.yaml").read_text(encoding="utf-8")


def at(text: str, fragment: str) -> tuple[str, tuple[int, int]]:
    """`text` with `fragment`'s line cut after it: the cursor at its end."""
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if fragment in line)
    column = lines[row].index(fragment) + len(fragment)
    return text, (row, column)


def labels(text: str, position) -> list[str]:
    return [offer.value for offer in offers(text, position)[0]]


@pytest.mark.parametrize(("typed", "offered"), [("    parties: [pk, ", ["eu"]), ("    parties: [pk, e", ["eu"]),
                                               ("    parties: [p", ["pk", "eu"])])
def test_a_flow_list_left_open_offers_the_party_ids_it_does_not_hold_yet(typed, offered):
    text = RECORD.replace("    parties: [pk, eu]\n", typed + "\n", 1)
    assert labels(*at(text, typed)) == offered


def test_a_full_list_has_nothing_left_to_offer_but_the_item_being_retyped_is_offered():
    text = RECORD.replace("    parties: [pk, eu]\n", "    parties: [pk, eu, ]\n", 1)
    assert labels(*at(text, "    parties: [pk, eu, ")) == []
    assert labels(*at(RECORD, "    parties: [pk, e")) == ["eu"]  # `eu` is the word being typed


def test_the_word_being_typed_is_what_the_offer_replaces():
    text = RECORD.replace("    agenda_item: bilateral-relations-sep\n", "    agenda_item: bilat\n", 1)
    text, position = at(text, "    agenda_item: bilat")
    found, start = offers(text, position)
    assert start == (position[0], position[1] - len("bilat"))
    assert "bilateral-relations-sep" in [offer.value for offer in found]
    assert all(offer.reference for offer in found)


def test_an_item_of_a_block_list_of_sources_offers_the_source_ids():
    text = RECORD.replace("      - source: 000_977b91af71d6b120\n", '      - source: "00\n', 1)
    found = labels(*at(text, '      - source: "00'))
    assert found and all(value[:3].isdigit() for value in found)


def test_the_list_that_defines_ids_is_not_offered_its_own_ids():
    text, position = at(RECORD, "  - id: deepen-sep-cooperation")
    assert labels(text, position) == []


def test_free_text_gets_no_offers():
    text, position = at(RECORD, "    text: Deepen cooperation")
    assert labels(text, position) == []


def test_an_enum_field_offers_the_schemas_values_for_the_records_version():
    text = RECORD.replace("    kind: commitment\n", "    kind: comm\n", 1)  # the first agreement's
    found = labels(*at(text, "    kind: comm"))
    assert "commitment" in found and "reaffirmation" in found and "state" not in found


def test_text_that_cannot_be_read_even_with_the_line_repaired_gets_no_offers():
    text = RECORD.replace("agreements:\n", "agreements: {\n", 1)
    text = text.replace("    kind: commitment\n", "    kind: comm\n", 1)
    assert labels(*at(text, "    kind: comm")) == []


def test_an_offer_is_written_so_that_every_reader_reads_it_as_the_id():
    text = (RECORDS / "af-pk-talks-02.yaml").read_text(encoding="utf-8")
    text = text.replace("parties:\n  - id: pk", "parties:\n  - id: \"no\"", 1)
    text = text.replace("co_chairs: []\n", "co_chairs:\n  - party: \n", 1)
    found, _ = offers(*at(text, "  - party: "))
    assert [(offer.value, offer.insert) for offer in found][:2] == [("no", '"no"'), ("af", "af")]
    quoted = text.replace("  - party: \n", '  - party: "n\n', 1)
    found, _ = offers(*at(quoted, '  - party: "n'))
    assert found[0].insert == "no"  # the quote is typed already


def test_a_flow_list_that_goes_on_over_lines_still_offers_the_ids():
    text = RECORD.replace("    parties: [pk, eu]\n", "    parties: [pk,\n      e\n", 1)
    assert labels(*at(text, "      e")) == ["eu"]


def test_an_apostrophe_in_a_word_or_a_comment_opens_nothing():
    text = RECORD.replace("    parties: [pk, eu]\n", "    parties: [pk, # O'Brien's side [sic\n      e\n", 1)
    assert labels(*at(text, "      e")) == ["eu"]
    assert _closers("a: O'Brien [x, 'y]', \"z[\"") == "]"


def test_ids_defined_below_a_cut_come_from_the_last_text_that_read():
    """Cut at a flow list that goes on over lines, the record loses its `sources` list (at the
    end): the ids come from the last version of the record that could be read."""
    typed = RECORD.replace("    frameworks: [sep]\n", "    sources: [000_977b91af71d6b120,\n      0\n", 1)
    assert labels(*at(typed, "      0")) == []
    from communique.documents.loading import load_text

    known = load_text(RECORD, "r.yaml").document.data
    found, _ = offers(*at(typed, "      0"), known=known)
    assert [offer.value for offer in found] == [source["id"] for source in known["sources"]
                                                if source["id"] != "000_977b91af71d6b120"]  # in the list already


def test_in_a_record_of_a_megabyte_the_outline_around_the_cursor_gives_what_the_whole_would(monkeypatch):
    from communique.documents.loading import load_text
    from communique.server import completion

    from .conftest import large_record

    text = large_record((RECORDS / "af-pk-talks-02.yaml").read_text(encoding="utf-8"))
    known = load_text(text, "r.yaml").document.data
    deep = text.index("  - id: keep-talking-3000\n")  # thousands of lines down, in the list of agreements

    def typed_at(old: str, new: str) -> tuple[str, tuple[int, int]]:
        where = text.index(old, deep)
        row = text.count("\n", 0, where)
        return text[:where] + new + text[where + len(old):], (row, len(new.rstrip("\n")))

    places = [typed_at("    parties: [pk, af]\n", "    parties: [pk, \n"),
              typed_at("    kind: commitment\n", "    kind: comm\n"),
              typed_at("    agenda_item: cross-border-terrorism\n", "    agenda_item: \n")]
    assert all(position[0] > 20_000 for _, position in places)
    outlined = [offers(typed, position, known=known) for typed, position in places]
    monkeypatch.setattr(completion, "OUTLINE_ABOVE", len(text) * 2)  # now the whole text is read
    whole = [offers(typed, position, known=known) for typed, position in places]
    assert outlined == whole
    assert [offer.value for offer in outlined[0][0]] == ["af", "tr", "qa"]
    assert "commitment" in [offer.value for offer in outlined[1][0]]
    assert [offer.value for offer in outlined[2][0]] == ["cross-border-terrorism"]
