"""The rules on what schema 1.2 can say: organisations that take part through their members,
records whose sources name no heads, meetings that were not held, dissent and exceptions,
documents not issued, statements, stops, schedules and date bounds, and series known by
name alone."""

from __future__ import annotations

import json

RECORD = """\
schema_version: "1.2"
id: {id}
title: Example ministerial meeting
kind: ministerial
{series}dates: {{start: "{start}"}}
parties:
  - {{id: gcc, name: Gulf Cooperation Council, kind: organisation}}
  - {{id: sa, name: Saudi Arabia, kind: state, country: SA, member_of: [gcc]}}
  - {{id: qa, name: Qatar, kind: state, country: QA, member_of: [gcc]}}
  - {{id: "no", name: Norway, kind: state, country: "NO"}}
co_chairs:
  - {{person_id: faisal-bin-farhan, name: Faisal bin Farhan, title: Foreign Minister, party: sa, role: co-chair}}
  - {{person_id: mohammed-al-thani, name: Mohammed Al Thani, title: Prime Minister, party: qa, role: co-chair}}
  - {{person_id: kari-nordmann, name: Kari Nordmann, title: Foreign Minister, party: "no", role: co-chair}}
agenda:
  - {{id: gaza, topic: Gaza, sources: [s1]}}
  - {{id: kashmir, topic: Kashmir, sources: [s1]}}
sources:
  - {{id: s1, kind: news-report}}
"""

AGREEMENT = """\
agreements:
  - id: peaceful-resolutions
    kind: call
    text: Called for the peaceful resolution of conflicts.
    parties: {parties}
    evidence: [{{source: s1, quote: called for the peaceful resolution}}]
{more}"""


def write(folder, name="example-meeting", start="2025-07-10", series="", extra="", agreement=None):
    path = folder / f"{name}.yaml"
    text = RECORD.format(id=name, start=start, series=series) + extra
    text += agreement if agreement is not None else "agreements: []\n"
    path.write_text(text)
    return path


def findings(run, *args) -> list[tuple[str, str]]:
    result = run("check", "--no-source", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["message"]) for f in json.loads(result.output)["findings"]
            if f["code"] not in ("Q003", "N003")]


def codes(run, *args) -> list[str]:
    return sorted(code for code, _ in findings(run, *args))


def test_an_organisation_taking_part_through_its_members_needs_no_chair_of_its_own(run, tmp_path):
    record = write(tmp_path)
    assert findings(run, record) == []
    record.write_text(record.read_text().replace(", member_of: [gcc]", ""))  # then nobody speaks for the GCC
    assert findings(run, record) == [("C001", "party 'gcc' has no co-chair or head of delegation")]


def test_a_record_whose_sources_name_no_heads_says_so_once_and_c001_is_quiet(run, tmp_path):
    record = write(tmp_path)
    text = record.read_text()
    headless = text[:text.index("co_chairs:")] + "co_chairs: []\n" + text[text.index("agenda:"):]
    record.write_text(headless)
    assert codes(run, record) == ["C001", "C001", "C001"]  # gcc is spoken for by its members
    record.write_text(headless.replace("parties:", "heads_named: false\nparties:", 1))
    assert findings(run, record) == []


def test_dissenting_and_excepted_parties_must_be_parties_and_not_also_agree(run, tmp_path):
    more = ("    dissent: [{parties: [\"no\"], kind: reservation, as_stated: entered a reservation}]\n"
            "    except: [{parties: [qa], as_stated: all members except Qatar}]\n")
    record = write(tmp_path, agreement=AGREEMENT.format(parties="[gcc]", more=more))
    assert findings(run, record) == []
    record.write_text(record.read_text().replace("parties: [gcc]", 'parties: [gcc, "no", qa]'))
    assert findings(run, record) == [
        ("R005", "party 'no' dissented from agreement 'peaceful-resolutions' but is also among its parties"),
        ("R005", "party 'qa' is excepted from agreement 'peaceful-resolutions' but is also among its parties")]
    record.write_text(record.read_text().replace('parties: ["no"]', "parties: [nor]").replace("parties: [qa]",
                                                                                              "parties: [qat]"))
    assert [code for code, message in findings(run, record) if "is not defined" in message] == ["R001", "R001"]


def test_the_new_references_must_be_defined_in_the_record(run, tmp_path):
    extra = ("status: cancelled\n"
             "status_change: {by: [nor], announced: \"2025-07-09\", sources: [s1]}\n"
             "statements:\n"
             "  - {id: fo-regret, party: sw, kind: statement, issued: \"2025-07-09\", sources: [s1]}\n"
             "documents:\n"
             "  - {id: chairs-summary, kind: chairs-summary, sources: [s1]}\n")
    more = "    agenda_items: [gaza, kashmr]\n    document: chairs-summry\n"
    record = write(tmp_path, extra=extra, agreement=AGREEMENT.format(parties="[gcc]", more=more))
    messages = sorted(message for code, message in findings(run, record) if code == "R001")
    assert [m.split(" is not defined")[0] for m in messages] == [
        "agenda item 'kashmr'", "document 'chairs-summry'", "party 'nor'", "party 'sw'"]


def test_a_document_not_issued_has_no_issue_date(run, tmp_path):
    extra = ("documents:\n"
             "  - {id: joint-communique, kind: joint-communique, status: not-issued, sources: [s1]}\n")
    record = write(tmp_path, extra=extra)
    assert findings(run, record) == []
    dated = 'status: not-issued, issued: {date: "2025-07-11"},'
    record.write_text(record.read_text().replace("status: not-issued,", dated))
    assert findings(run, record) == [
        ("D005", "document 'joint-communique' was not issued (status not-issued), yet has an issue date (2025-07-11)")]


def test_a_change_of_status_is_announced_by_the_planned_day_and_postpones_to_later(run, tmp_path):
    record = write(tmp_path, extra="status: postponed\nstatus_change: {announced: \"2025-07-09\", "
                                   "postponed_to: \"2025-09\", sources: [s1]}\n")
    assert findings(run, record) == []
    record.write_text(record.read_text().replace("2025-07-09", "2025-07-12").replace('"2025-09"', '"2025-06"'))
    assert findings(run, record) == [
        ("D001", "the change is announced on 2025-07-12, after the meeting was to begin (2025-07-10)"),
        ("D001", "the meeting is postponed to 2025-06-01..2025-06-30, not later than it was planned (2025-07-10)")]


def test_d001_covers_bounds_stops_statements_and_schedules(run, tmp_path):
    extra = ("stops:\n  - {city: Jeddah, country: SA, dates: {start: \"2025-07-08\", end: \"2025-07-09\"}}\n"
             "statements:\n  - {id: fo, party: qa, kind: statement, issued: \"2025-07-11\", sources: [s1]}\n")
    more = "    schedules: [{what: first meeting of the working group, date: \"2025-09\"}]\n"
    record = write(tmp_path, extra=extra, agreement=AGREEMENT.format(parties="[gcc]", more=more))
    assert findings(run, record) == []
    text = record.read_text()
    record.write_text(text.replace('end: "2025-07-09"', 'end: "2025-07-07"').replace('issued: "2025-07-11"',
                      'issued: "2025-07-01"').replace('date: "2025-09"', 'date: "2025-06"'))
    assert sorted(message.split(" (")[0] for code, message in findings(run, record)) == [
        "agreement 'peaceful-resolutions' schedules 'first meeting of the working group' for "
        "2025-06-01..2025-06-30", "statement 'fo' is dated 2025-07-01, before the meeting began",
        "the stop in Jeddah ends"]
    bounded = text.replace('dates: {start: "2025-07-10"}', 'dates: {not_before: "2025-07-12", not_after: "2025-07-11"}')
    record.write_text(bounded)
    assert findings(run, record) == [
        ("D001", "the meeting is bounded by 2025-07-11 (not_after), before 2025-07-12 (not_before)"),
        ("D001", "statement 'fo' is dated 2025-07-11, before the meeting began (2025-07-12..2025-07-11)")]
    only_after = text.replace('dates: {start: "2025-07-10"}', 'dates: {not_before: "2025-07-12"}')
    record.write_text(only_after)
    assert findings(run, record) == [
        ("D001", "statement 'fo' is dated 2025-07-11, before the meeting began (2025-07-12 or later)")]


def test_a_statement_before_a_cancelled_meeting_is_in_order(run, tmp_path):
    extra = ("status: cancelled\nstatus_change: {by: [qa], announced: \"2025-07-01\", sources: [s1]}\n"
             "statements:\n  - {id: fo, party: qa, kind: statement, issued: \"2025-07-01\", sources: [s1]}\n")
    assert findings(run, write(tmp_path, extra=extra)) == []


def series(round_number=None, status=None):
    ordinal = f", round: {round_number}" if round_number else ""
    return "series: {id: example-dialogue, name: Example dialogue" + ordinal + "}\n" + \
        (f"status: {status}\nstatus_change: {{sources: [s1]}}\n" if status else "")


def test_a_postponed_round_and_the_round_held_are_not_duplicates_and_fill_no_gap(run, tmp_path):
    seventh = write(tmp_path, "example-dialogue-07", "2025-01-10", series(7))
    plan = write(tmp_path, "example-dialogue-08-postponed", "2025-05-12", series(8, "postponed"),
                 extra="next_round: {round: 8, when: \"2025-09\"}\n")
    ninth = write(tmp_path, "example-dialogue-09", "2026-01-10", series(9))
    gap = [(c, m) for c, m in findings(run, seventh, plan, ninth)]
    assert [c for c, _ in gap] == ["X010", "X010"]  # the plan of round 8 is not round 8 held
    assert all(f"(only a round not held: postponed in {plan})" in m for _, m in gap)
    held = write(tmp_path, "example-dialogue-08", "2025-09-15", series(8))
    assert findings(run, seventh, plan, held, ninth) == []  # N001 accepts round 8 again after a postponed round 8
    held.write_text(held.read_text().replace("2025-09-15", "2025-02-20"))
    assert findings(run, seventh, plan, held, ninth) == [
        ("X011", f"round 8 of 'example-dialogue' is planned for 2025-09-01..2025-09-30 here but was held 2025-02-20 "
                 f"({held})"),
        ("X012", f"round 8 of 'example-dialogue' is held here (2025-02-20), before the dates it was postponed from "
                 f"(2025-05-12) in {plan}")]


def test_a_plan_opens_no_gap_and_its_next_round_may_be_itself(run, tmp_path):
    seventh = write(tmp_path, "example-dialogue-07", "2025-01-10", series(7))
    tenth = write(tmp_path, "example-dialogue-10", "2026-05-12", series(10, "planned"),
                  extra="next_round: {round: 12}\n")
    assert findings(run, seventh, tenth) == [
        ("N001", "next round is 12, but this is round 10: expected 11 (or 10 again, this round not having been held)")]


def test_two_held_records_of_a_round_are_still_duplicates(run, tmp_path):
    first = write(tmp_path, "example-dialogue-08", "2025-09-15", series(8))
    second = write(tmp_path, "example-dialogue-08-again", "2025-09-15", series(8, "downgraded"))
    assert codes(run, first, second) == ["X002", "X002"]  # a downgraded meeting was held


def test_a_series_known_by_name_alone_is_checked_and_exported(run, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    for name, start in (("example-dialogue-talks-a", "2025-01-10"), ("example-dialogue-talks-b", "2025-06-10")):
        write(records, name, start, series())
    assert findings(run, records) == []
    for command in (["stats", str(records)], ["export", "--format", "datapackage", "--output",
                                              str(tmp_path / "package"), str(records)],
                    ["site", "--output", str(tmp_path / "site"), str(records)]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert "Traceback" not in result.output


def test_the_id_of_a_round_not_held_may_add_a_word_to_that_of_the_round_held(run, tmp_path):
    plan = write(tmp_path, "example-dialogue-08-postponed", "2025-05-12", series(8, "postponed"))
    held = write(tmp_path, "example-dialogue-08", "2025-09-15", series(8))
    assert run("check", "--no-source", "--select", "N003,X001", plan, held).exit_code == 0
    (tmp_path / "alone").mkdir()
    alone = write(tmp_path / "alone", "example-dialogue-08", "2025-05-12", series(8, "postponed"))
    assert run("check", "--no-source", "--select", "N003", alone).exit_code == 0  # no round held yet
    plan.write_text(plan.read_text().replace("id: example-dialogue-08-postponed", "id: example-dialogue-8-postponed"))
    result = run("check", "--no-source", "--select", "N003", plan)
    assert "N003 record id 'example-dialogue-8-postponed' should be 'example-dialogue-08' (series id and two-digit " \
           "round), or that and a word of its own beside the record of the round held, such as " \
           "'example-dialogue-08-postponed'" in result.output
