"""`communique export`: the corpus as plain data."""

from __future__ import annotations

import csv
import io
import json
import shutil

from .conftest import FIXTURES, RECORDS


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
