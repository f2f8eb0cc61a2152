"""`export --format quickstatements`: every line read back against the QuickStatements V1
grammar (Help:QuickStatements), and the statements hold the record's values.

No maintained V1 parser is published on PyPI (the packages there write commands), so the
grammar is written here from the documented syntax: one command a line, tab-separated;
`CREATE`, or a subject (an item id, or LAST after a CREATE) then a label/description/alias
(`Len "..."`) or a property, its value, qualifier pairs (P...) and then source pairs (S...).
"""

from __future__ import annotations

import re

from communique.corpus import quickstatements

from .formats_helpers import MEETING_ITEM, NEXT_MEETING_ITEM, PARTY_ITEMS, SERIES_ITEM, export, record, written

ITEM = r"Q[1-9]\d*"
STRING = r'"[^"\t]*"'
TIME = r"[+-]\d{4,}-(\d\d)-(\d\d)T00:00:00Z/(\d{1,2})"
MONOLINGUAL = r'[a-z-]+:"[^"\t]*"'
VALUE = re.compile(rf"{ITEM}|{STRING}|{TIME}|{MONOLINGUAL}")


def parse(text: str) -> list[dict]:
    """The commands of a V1 batch; an AssertionError names the first line that breaks the grammar."""
    commands, created = [], False
    assert text.endswith("\n")
    for number, line in enumerate(text[:-1].split("\n"), 1):
        if line == "CREATE":
            created = True
            commands.append({"command": "CREATE"})
            continue
        fields = line.split("\t")
        subject, prop, value, rest = fields[0], fields[1], fields[2], fields[3:]
        assert re.fullmatch(ITEM, subject) or (subject == "LAST" and created), (number, line)
        if re.fullmatch(r"[LDA][a-z-]+", prop):
            assert re.fullmatch(STRING, value), (number, line)
            assert not rest, (number, line)
        else:
            assert re.fullmatch(r"P[1-9]\d*", prop), (number, line)
            assert VALUE.fullmatch(value), (number, line)
        qualifiers, sources = [], []
        assert len(rest) % 2 == 0, (number, line)
        for key, part in zip(rest[::2], rest[1::2]):
            assert VALUE.fullmatch(part), (number, line)
            if key.startswith("S"):
                assert re.fullmatch(r"S[1-9]\d*", key), (number, line)
                sources.append((key, part))
            else:
                assert re.fullmatch(r"P[1-9]\d*", key) and not sources, (number, line)  # qualifiers come first
                qualifiers.append((key, part))
        time = re.fullmatch(TIME, value)
        if time:  # the precision says which parts are known: 00 exactly where they are not
            month, day, precision = time.group(1), time.group(2), int(time.group(3))
            assert precision in (9, 10, 11), (number, line)
            assert (month == "00") == (precision == 9) and (day == "00") == (precision < 11), (number, line)
        commands.append({"subject": subject, "property": prop, "value": value, "qualifiers": qualifiers,
                         "sources": sources})
    return commands


def statements(commands, prop):
    return [c for c in commands if c.get("property") == prop]


def test_the_export_reads_back_as_v1_with_each_meeting_created(run, tmp_path):
    result, text = export(run, tmp_path, "quickstatements")
    assert result.exit_code == 0, result.output
    commands = parse(text)
    assert len(statements(commands, "Len")) == sum(c.get("command") == "CREATE" for c in commands) == 6
    assert {"value": '"Second round of Afghanistan-Pakistan talks"'}.items() <= statements(commands, "Len")[1].items()
    assert len(statements(commands, "P31")) == 6 and {c["value"] for c in statements(commands, "P31")} == {"Q2761147"}
    times = [c["value"] for c in commands if c.get("property") in ("P585", "P580", "P582")]
    assert "+2025-10-00T00:00:00Z/10" in times  # af-pk-talks-01: known to the month (dates.within)
    assert "+2025-10-25T00:00:00Z/11" in times  # af-pk-talks-02: to the day
    assert ["+2025-11-06T00:00:00Z/11", "+2025-11-07T00:00:00Z/11"] == [  # af-pk-talks-03: two days
        c["value"] for c in commands if c.get("property") in ("P580", "P582")]
    # No record has an id yet (schema 1.2): nothing item-valued but P31, and it is said.
    assert not statements(commands, "P710") and not statements(commands, "P179")
    assert "left out 18 participant (P710): parties without a wikidata id" in result.stderr


def with_ids(name: str, item: str | None) -> dict:
    data = record(name)
    if item:
        data["wikidata"] = item
    data["series"]["wikidata"] = SERIES_ITEM
    for party in data["parties"]:
        party["wikidata"] = PARTY_ITEMS[party["id"]]
    return data


def test_ids_give_statements_on_the_existing_item_with_references():
    second = with_ids("af-pk-talks-02", MEETING_ITEM)
    second["sources"][0].update(url="https://example.org/report", published="2025-11-24")
    third = with_ids("af-pk-talks-03", NEXT_MEETING_ITEM)
    first = with_ids("af-pk-talks-01", None)  # no item: created, and never linked by P155/P156
    text, notes = written(quickstatements, [first, second, third])
    commands = parse(text)
    assert sum(c.get("command") == "CREATE" for c in commands) == 1
    mine = [c for c in commands if c.get("subject") == MEETING_ITEM]
    assert not statements(mine, "Len")  # an existing item keeps its label
    series = statements(mine, "P179")
    assert series[0]["value"] == SERIES_ITEM and series[0]["qualifiers"] == [("P1545", '"2"')]
    participants = {c["value"]: c["sources"] for c in statements(mine, "P710")}
    assert set(participants) == {"Q843", "Q889", "Q43", "Q846"}
    assert participants["Q843"] == [("S854", '"https://example.org/report"'), ("S577", "+2025-11-24T00:00:00Z/11")]
    assert statements(mine, "P585")[0]["sources"][0] == ("S854", '"https://example.org/report"')
    # Rounds 2 and 3 both have items: each names the other; round 1 has none.
    links = {(c["subject"], c["property"], c["value"]) for c in commands if c.get("property") in ("P155", "P156")}
    assert links == {(MEETING_ITEM, "P156", NEXT_MEETING_ITEM), (NEXT_MEETING_ITEM, "P155", MEETING_ITEM)}
    assert not any("parties without" in note for note in notes)


def test_a_meeting_not_held_gets_no_time_and_it_is_said():
    data = record("af-pk-talks-02")
    data["status"] = "cancelled"
    data["status_change"] = {"sources": ["001_fa99d96cec5996b8"]}
    commands = parse(written(quickstatements, [data])[0])
    assert not [c for c in commands if c.get("property") in ("P585", "P580", "P582")]
    assert any("meetings not held" in note for note in written(quickstatements, [data])[1])


def test_a_year_is_precision_9_and_a_title_v1_cannot_quote_is_left_out():
    data = record("af-pk-talks-01")
    data["dates"] = {"within": "2025"}
    data["title"] = 'The "Doha" round'
    text, notes = written(quickstatements, [data])
    commands = parse(text)
    assert statements(commands, "P585")[0]["value"] == "+2025-00-00T00:00:00Z/9"
    assert not statements(commands, "Len")
    assert any("labels" in note and "af-pk-talks-01" in note for note in notes)
