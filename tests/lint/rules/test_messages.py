"""Messages that help fix the record: the closest defined id, the closest passage."""

from __future__ import annotations

import json

from ...conftest import FIXTURES

Q001 = FIXTURES / "rules" / "Q001-quote-not-in-source"


def messages(run, *args) -> list[str]:
    return [f["message"] for f in json.loads(run("check", "--format", "json", *args).output)["findings"]]


def test_an_unknown_reference_names_the_closest_defined_id(run, tmp_path):
    record = tmp_path / "example-meeting.yaml"
    record.write_text((FIXTURES / "valid" / "minimal.yaml").read_text().replace(
        "co_chairs: []", "co_chairs: [{person_id: kari-nordmann, name: Kari Nordmann, title: Foreign Minister, "
                         "party: nor, role: co-chair}]"))
    assert messages(run, "--select", "R001", record) == ["party 'nor' is not defined in this record; did you mean 'no'?"]


def test_a_quote_not_in_the_source_shows_the_closest_passage_and_what_differs(run, tmp_path):
    record = tmp_path / "example-meeting.yaml"
    record.write_text((Q001 / "fails.yaml").read_text().replace(
        "both sides agreed to hold the next round in Oslo", "Both sides agreed to convene the next round"))
    (message,) = messages(run, "--select", "Q001", "--sources", Q001 / "sources", record)
    assert message == ("quote not found in source 's1'; closest passage: \u201c\"both sides agreed to convene the "
                       "next round\"\u201d (case differs: the source has 'both', the quote 'Both')")
    record.write_text((Q001 / "fails.yaml").read_text())
    (message,) = messages(run, "--select", "Q001", "--sources", Q001 / "sources", record)
    assert "the source has 'convene' where the quote has 'hold'" in message
    record.write_text((Q001 / "fails.yaml").read_text().replace(
        "both sides agreed to hold the next round in Oslo", "an entirely different sentence"))
    assert messages(run, "--select", "Q001", "--sources", Q001 / "sources", record) == [
        "quote not found in source 's1'; no passage of the source comes close"]


def test_a_name_that_starts_like_a_placeholder_is_not_one(run, tmp_path):
    record = tmp_path / "example-meeting.yaml"
    record.write_text((FIXTURES / "valid" / "minimal.yaml").read_text().replace(
        "co_chairs: []", "co_chairs: [{person_id: todor-zhivkov, name: Todor Zhivkov, title: Chairman, "
                         "party: no, role: chair}]"))
    assert messages(run, "--select", "N004", record) == []
