"""Records whose keys would not hold are left out, each with the finding that says why."""

from __future__ import annotations

import shutil

from communique.corpus.collect import collect

from ..conftest import RECORDS


def copy_records(tmp_path, *names):
    folder = tmp_path / "records"
    folder.mkdir()
    for name in names:
        shutil.copy(RECORDS / f"{name}.yaml", folder)
    return folder


def test_an_undefined_party_reference_leaves_the_record_out(tmp_path):
    folder = copy_records(tmp_path, "af-pk-talks-02", "af-pk-talks-03")
    path = folder / "af-pk-talks-03.yaml"
    path.write_text(path.read_text().replace("party: pk", "party: pak", 1))
    result = collect([str(folder)])
    assert [entry.record_id for entry in result.entries] == ["af-pk-talks-02"]
    [problem] = result.problems
    assert problem.code.code == "R001" and problem.path.endswith("af-pk-talks-03.yaml") and problem.line > 1
    assert "'pak'" in problem.message


def test_two_records_with_one_id_are_both_left_out(tmp_path):
    folder = copy_records(tmp_path, "af-pk-talks-01", "af-pk-talks-02")
    (folder / "copy.yaml").write_text((folder / "af-pk-talks-02.yaml").read_text())
    result = collect([str(folder)])
    assert [entry.record_id for entry in result.entries] == ["af-pk-talks-01"]
    assert sorted(p.code.code for p in result.problems) == ["X001", "X001"]
    assert all("neither is exported" in p.message and p.line == 3 for p in result.problems)


def test_a_record_that_fails_the_schema_is_left_out(tmp_path):
    folder = copy_records(tmp_path, "af-pk-talks-01")
    (folder / "broken.yaml").write_text('schema_version: "1.1"\nid: broken\n')
    result = collect([str(folder)])
    assert [entry.record_id for entry in result.entries] == ["af-pk-talks-01"]
    assert {p.code.code for p in result.problems} == {"S101"}

