"""The rules on what schema 1.1 can say: series named by year, plans that are tentative or
bounded, id caveat paths, and the new fields that refer to parties and frameworks."""

from __future__ import annotations

import json

RECORD = """\
schema_version: "1.1"
id: {id}
title: Example high-level dialogue
kind: dialogue
series: {{id: example-hld, edition: "{edition}", periodicity: {periodicity}}}
dates: {{start: "{start}"}}
parties:
  - {{id: "no", name: Norway, kind: state, country: "NO"}}
  - {{id: se, name: Sweden, kind: state, country: SE}}
co_chairs:
  - {{person_id: kari-nordmann, name: Kari Nordmann, title: Foreign Minister, party: "no", role: co-chair}}
  - {{person_id: sven-svensson, name: Sven Svensson, title: Foreign Minister, party: se, role: co-chair}}
agenda: []
agreements: []
sources:
  - {{id: s1, kind: news-report}}
"""


def write(folder, edition, start, periodicity="annual", extra="", name=None):
    record_id = name or f"example-hld-{edition}"
    path = folder / f"{record_id}.yaml"
    path.write_text(RECORD.format(id=record_id, edition=edition, start=start, periodicity=periodicity) + extra)
    return path


def findings(run, *args) -> list[tuple[str, str]]:
    result = run("check", "--no-source", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["message"]) for f in json.loads(result.output)["findings"] if f["code"] != "Q003"]


def test_a_record_named_by_edition_checks_clean(run, tmp_path):
    assert findings(run, write(tmp_path, "2022", "2022-05-10")) == []


def test_the_id_of_a_record_named_by_edition_is_series_and_edition(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10", name="example-hld-22")
    assert ("N003", "record id 'example-hld-22' should be 'example-hld-2022' (series id and edition)") in \
        findings(run, record)


def test_the_next_edition_of_an_annual_series_is_the_following_year(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10", extra='next_round: {edition: "2024"}\n')
    assert findings(run, record) == [
        ("N001", "next edition is '2024', but this annual series is at '2022': expected 2023")]
    irregular = write(tmp_path, "2022", "2022-05-10", periodicity="irregular", extra='next_round: {edition: "2021"}\n')
    assert findings(run, irregular) == [("N001", "next edition '2021' is not later than this edition '2022'")]


def test_editions_out_of_date_order_a_missing_year_and_a_duplicate_are_found(run, tmp_path):
    first, later = write(tmp_path, "2022", "2022-05-10"), write(tmp_path, "2024", "2021-05-10")
    codes = [code for code, _ in findings(run, first, later)]
    assert codes.count("X003") == 1 and codes.count("X010") == 2  # the gap is shown on both sides
    (gap,) = [m for c, m in findings(run, first) if c == "X010"]  # as pre-commit shows it to whoever adds 2022
    assert gap.startswith("no record of the 2023 edition of annual 'example-hld' between this 2022 edition")
    twin = write(tmp_path, "2024", "2024-05-10", name="example-hld-2024-again")
    assert ("X002", f"edition '2024' of 'example-hld' is also encoded in {later}") in findings(run, twin)


def test_a_tentative_plan_is_not_held_against_the_record_of_that_round_but_a_slipped_one_warns(run, tmp_path):
    planned = 'next_round: {edition: "2023", when: "2023-03"}\n'
    write(tmp_path, "2023", "2023-09-01")
    slipped = write(tmp_path, "2022", "2022-05-10", extra=planned)
    (finding,) = findings(run, slipped)
    assert finding[0] == "X011" and "planned for 2023-03-01..2023-03-31 here but was held 2023-09-01" in finding[1]
    assert run("check", "--no-source", slipped).exit_code == 0  # a warning: the source was encoded faithfully
    slipped.write_text(slipped.read_text().replace(planned, planned.replace("}", ", status: tentative}")))
    assert findings(run, slipped) == []
    bounded = 'next_round: {edition: "2023", not_after: "2023-06-30", as_stated: before the summer}\n'
    slipped.write_text(slipped.read_text().split("next_round")[0] + bounded)
    (finding,) = findings(run, slipped)
    assert finding[0] == "X011" and "no later than 2023-06-30" in finding[1]


def test_new_fields_that_name_parties_and_frameworks_are_checked(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10", extra=(
        "convened_by: {parties: [nor]}\nheld_under: [sep]\n"
        "delegations: [{party: se, size: 7, as_stated: seven officials}]\n"
        "side_events: [{id: business, title: Business forum, parties: [dk]}]\n"))
    assert sorted(m for c, m in findings(run, record) if c == "R001") == [
        "framework 'sep' is not defined in this record",
        "party 'dk' is not defined in this record; defined: no, se",
        "party 'nor' is not defined in this record; did you mean 'no'?"]


def test_an_amount_may_be_given_by_a_third_party_of_its_agreement(run, tmp_path):
    agreement = ("agreements:\n  - id: funds\n    kind: welcome\n    text: Funds welcomed.\n    parties: [\"no\", se]\n"
                 "    third_parties: [{id: jp, name: Japan, kind: state, country: JP}]\n"
                 "    amounts: [{value: 5000000, currency: USD, by: jp}, {value: 1, currency: EUR, by: dk}]\n"
                 "    evidence: [{source: s1, quote: welcomed the funds}]\n")
    record = write(tmp_path, "2022", "2022-05-10")
    record.write_text(record.read_text().replace("agreements: []\n", agreement))
    assert findings(run, record) == [("R001", "party or third party 'dk' is not defined in this record; "
                                              "defined: jp, no, se")]


def test_a_caveat_path_by_id_resolves_and_one_by_position_warns(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10")
    text = record.read_text() + "caveats:\n  - {path: /parties/se/country, kind: inferred, note: From context.}\n"
    record.write_text(text)
    assert findings(run, record) == []
    record.write_text(text.replace("/parties/se/country", "/parties/1/country"))
    assert findings(run, record) == [("R004", "caveat path '/parties/1/country' names item 1 by its position; name "
                                              "it by its id 'se' so that the caveat stays with it when the list is "
                                              "reordered")]
    record.write_text(text.replace("/parties/se/country", "/parties/dk/country"))
    assert [c for c, _ in findings(run, record)] == ["R003"]


def test_parties_with_several_roles_or_no_name_are_sides_only_when_they_take_part(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10")
    record.write_text(record.read_text().replace(
        "co_chairs:", "  - {id: qa, name: Qatar, kind: state, country: QA, roles: [host, mediator]}\n"
                      "  - {id: side-a, unnamed: true, as_stated: both parties}\nco_chairs:"))
    assert findings(run, record) == []  # neither a mediating host nor an unnamed side needs a named chair


def test_earlier_rounds_and_bounds_of_the_next_are_in_date_order(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10", extra=(
        'previous_rounds: [{when: "2030", status: held}]\nnext_round: {not_after: "2021-12-31"}\n'))
    assert sorted(findings(run, record)) == [
        ("D001", "an earlier round is dated 2030-01-01..2030-12-31, not before this meeting (2022-05-10)"),
        ("D001", "next round is bounded by 2021-12-31 (not_after), not after this meeting (2022-05-10)")]


def test_member_of_names_another_party_that_is_an_organisation(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10")
    record.write_text(record.read_text().replace(
        "  - {id: se, name: Sweden, kind: state, country: SE}",
        "  - {id: se, name: Sweden, kind: state, country: SE, member_of: [\"no\"]}\n"
        "  - {id: nc, name: Nordic Council, kind: organisation, member_of: [nc]}"))
    assert [m for c, m in findings(run, record) if c == "R001"] == [
        "party 'se' cannot be a member of 'no': member_of names an organisation of this record, other than the party",
        "party 'nc' cannot be a member of 'nc': member_of names an organisation of this record, other than the party"]


def test_a_1_0_record_reads_caveat_paths_as_plain_json_pointers(run, tmp_path):
    record = write(tmp_path, "2022", "2022-05-10")
    text = record.read_text().replace('schema_version: "1.1"', 'schema_version: "1.0"').replace(
        'edition: "2022", periodicity: annual', "round: 1").replace("example-hld-2022", "example-hld-01")
    (tmp_path / "example-hld-01.yaml").write_text(
        text + "caveats:\n  - {path: /parties/se/country, kind: inferred, note: From context.}\n")
    assert [c for c, _ in findings(run, tmp_path / "example-hld-01.yaml")] == ["R003"]  # ids are 1.1's
