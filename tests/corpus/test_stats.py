"""`communique stats`: the corpus at a glance, for people and for scripts."""

from __future__ import annotations

import json
import re
import shutil

from ..conftest import RECORDS


def test_json_counts_the_corpus(run, keeper):
    result = run("stats", "--format", "json", keeper)
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["meetings"] == len(list(keeper.glob("*.yaml")))
    series = {entry["series_id"]: entry for entry in summary["series"]}
    assert series["af-pk-talks"]["rounds"] == [1, 2, 3] and series["af-pk-talks"]["first"] == "2025-10-01"
    assert sum(entry["count"] for entry in summary["by_year"]) == summary["meetings"]
    assert summary["top_parties"][0] == {"id": "pk", "name": "Pakistan", "meetings": 7}  # 6 records and a shape
    planned = {(entry["series_id"], entry["round"]) for entry in summary["planned_not_recorded"]}
    assert ("pk-eu-strategic-dialogue", 8) in planned and ("pk-eu-political-dialogue", 11) in planned
    assert sum(entry["count"] for entry in summary["agreements_by_kind"]) == summary["agreements"]


def test_text_shows_gaps_and_announced_rounds(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("af-pk-talks-01", "af-pk-talks-03", "pk-eu-strategic-dialogue-07"):
        shutil.copy(RECORDS / f"{name}.yaml", folder)
    result = run("stats", folder)
    assert result.exit_code == 0
    text = result.stdout
    assert "3 meetings, 2 series" in text
    assert re.search(r"\n  af-pk-talks +2  2025-10-01 to 2025-11-07; rounds 1, 3\n", text)
    assert re.search(r"\n  pk-eu-strategic-dialogue +1  2025-11-21; round 7\n", text)
    gaps = text.split("Series with a missing round\n")[1].split("\n\n")[0]
    assert "af-pk-talks" in gaps and "missing 2" in gaps
    announced = text.split("Announced rounds not yet recorded\n")[1]
    assert "pk-eu-strategic-dialogue round 8" in announced and "announced by pk-eu-strategic-dialogue-07" in announced


def test_records_that_cannot_be_counted_are_reported_and_fail_the_run(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(RECORDS / "af-pk-talks-01.yaml", folder)
    (folder / "broken.yaml").write_text("id: [unclosed\n")
    result = run("stats", "--format", "json", folder)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["meetings"] == 1
    assert "broken.yaml:2:1: Y001" in result.stderr and "1 problem (above) left records out" in result.stderr


def test_a_round_called_off_is_a_meeting_but_no_round_held(run, tmp_path):
    """A record of a cancelled round (schema 1.2's status) counts among the meetings, not
    among the rounds held: the series still has a gap there, as X010 says."""
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("af-pk-talks-01", "af-pk-talks-02", "af-pk-talks-03"):
        shutil.copy(RECORDS / f"{name}.yaml", folder)
    second = folder / "af-pk-talks-02.yaml"
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("\nkind:", "\nstatus: cancelled\nstatus_change:\n  by: [pk]\n"
                                   "  sources: [001_fa99d96cec5996b8]\nkind:", 1), encoding="utf-8")
    assert run("validate", second).exit_code == 0
    summary = json.loads(run("stats", "--format", "json", folder).stdout)
    assert summary["meetings"] == 3
    assert {entry["series_id"]: entry["rounds"] for entry in summary["series"]}["af-pk-talks"] == [1, 3]
    assert {"series_id": "af-pk-talks", "missing_rounds": [2]} in summary["gaps"]
