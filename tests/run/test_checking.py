"""The pipeline as pre-commit runs it: some files given, the whole corpus as context."""

from __future__ import annotations

import json
import shutil

import pytest

from ..conftest import FIXTURES

X004 = FIXTURES / "rules" / "X004-next-round-mismatch" / "fails"


def copy_corpus(tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(X004, folder)
    for path in folder.glob("*.yaml"):  # drop the fixture's expectation comments
        path.write_text("".join(line for line in path.read_text().splitlines(True) if not line.startswith("# expect")))
    return folder


def findings(run, *args):
    result = run("check", "--format", "json", "--select", "X", *args)
    return result, json.loads(result.output)["findings"]


def test_a_given_file_is_compared_with_its_folder(run, tmp_path):
    folder = copy_corpus(tmp_path)
    result, found = findings(run, folder / "example-dialogue-07.yaml")
    assert {f["code"] for f in found} == {"X004"}
    assert result.exit_code == 1


def test_findings_are_reported_only_on_the_given_files(run, tmp_path):
    folder = copy_corpus(tmp_path)
    result, found = findings(run, folder / "example-dialogue-08.yaml")
    assert found == [] and result.exit_code == 0


def test_corpus_option_points_elsewhere(run, tmp_path):
    folder = copy_corpus(tmp_path)
    lonely = tmp_path / "new"
    lonely.mkdir()
    shutil.move(str(folder / "example-dialogue-07.yaml"), lonely)
    assert findings(run, lonely)[1] == []
    assert {f["code"] for f in findings(run, "--corpus", folder, lonely)[1]} == {"X004"}


def test_a_broken_file_in_the_corpus_does_not_hide_findings_elsewhere(run, tmp_path):
    folder = copy_corpus(tmp_path)
    (folder / "broken.yaml").write_text("a: [\n")
    _, found = findings(run, folder / "example-dialogue-07.yaml")
    assert {f["code"] for f in found} == {"X004"}


@pytest.mark.parametrize("venue", [
    "venue: {city: Brussels, country: BE}",   # read fast, as data only
    "venue: &v {city: Brussels, country: BE}\nnote_venue: *v",  # an anchor: read in full (and fails the schema)
    "venue: &v {city: Brussels, country: BE}",  # an anchor: read in full
])
def test_the_folders_other_records_count_however_they_are_read(run, tmp_path, venue):
    """The records only indexed are read by the fast reader where it is sure, else in full:
    the round that follows is found either way, and one that fails the schema is left out."""
    folder = copy_corpus(tmp_path)
    neighbour = folder / "example-dialogue-08.yaml"
    neighbour.write_text(neighbour.read_text().replace("venue: {city: Brussels, country: BE}", venue))
    _, found = findings(run, folder / "example-dialogue-07.yaml")
    assert {f["code"] for f in found} == (set() if "note_venue" in venue else {"X004"})


def test_splitting_the_file_list_changes_nothing(run, tmp_path):
    """pre-commit may pass the files to several processes: the union of their reports
    equals one run over all the files."""
    folder = copy_corpus(tmp_path)
    files = sorted(folder.glob("*.yaml"))
    _, together = findings(run, *files)
    apart = [f for path in files for f in findings(run, path)[1]]
    key = lambda f: (f["path"], f["line"], f["column"], f["code"])  # noqa: E731
    assert sorted(map(key, together)) == sorted(map(key, apart))
    assert together  # the corpus has a cross-record finding to compare


def test_a_corpus_folder_outside_the_records_folder_is_read_in_full(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\n')
    (tmp_path / "records").mkdir()
    everything = tmp_path / "all"
    shutil.copytree(X004, everything)
    target = sorted(everything.glob("*.yaml"))[0]
    shutil.copy(target, tmp_path / "records" / target.name)
    monkeypatch.chdir(tmp_path)
    with_corpus = run("check", "--format", "json", "--select", "X", "--corpus", "all", f"records/{target.name}")
    assert [f["code"] for f in json.loads(with_corpus.output)["findings"] if f["code"] != "X001"]


def test_without_configuration_the_corpus_is_the_given_files_folder_not_its_subfolders(run, tmp_path):
    folder = copy_corpus(tmp_path)
    target = sorted(folder.glob("*.yaml"))[0]
    (folder / "unrelated").mkdir()
    (folder / "unrelated" / "noise.yaml").write_text("not: a record\n")
    result = run("check", "--show-files", "--no-source", target)
    listed = result.stderr.splitlines()
    assert listed[0] == f"checked: {target}"
    assert not [line for line in listed if "noise.yaml" in line]
    assert listed[-1].endswith("from the folders of the files checked (not their subfolders))")


def test_a_name_under_many_ids_is_one_conflict_reported_once_per_record(run, tmp_path):
    base = (FIXTURES / "valid" / "minimal.yaml").read_text()
    for i in range(40):
        text = base.replace("id: example-meeting", f"id: meeting-{i:02d}").replace(
            "co_chairs: []", f'co_chairs: [{{person_id: kari-nordmann-{i:02d}, name: Kari Nordmann, '
                             f'title: Foreign Minister, party: "no", role: chair}}]')
        (tmp_path / f"meeting-{i:02d}.yaml").write_text(text)
    _, found = findings(run, "--select", "X008", tmp_path)
    assert len(found) == 40  # not 780, one per pair
    assert all("and 36 more: the same person under more than one id?" in f["message"] for f in found)


def test_positions_come_from_one_index_per_mapping(monkeypatch):
    from communique.documents.loading import Document, load_text
    from communique.schema.validation import validate_document

    built = []
    original = Document._keys_of

    def counting(self, mapping):
        if id(mapping) not in self._extra.get("keys", {}):
            built.append(id(mapping))
        return original(self, mapping)

    monkeypatch.setattr(Document, "_keys_of", counting)
    text = 'schema_version: "1.0"\n' + "".join(f"unknown_{i}: {i}\n" for i in range(3000))
    problems = validate_document(load_text(text, "x.yaml").document)
    assert len([p for p in problems if p.code.code == "S102"]) == 3000
    assert len(built) == 1  # the top mapping's keys, indexed once for 3,000 positions


# --- X010: a gap is said on both sides, so the file that opens it shows it ------------------------

X010 = FIXTURES / "rules" / "X010-series-gap" / "passes" / "example-dialogue-07.yaml"


def write_rounds(folder, *rounds):
    folder.mkdir(exist_ok=True)
    base = X010.read_text()
    for number in rounds:
        (folder / f"example-dialogue-{number:02d}.yaml").write_text(
            base.replace("example-dialogue-07", f"example-dialogue-{number:02d}").replace("round 7", f"round {number}")
            .replace("round: 7", f"round: {number}"))
    return folder


def gaps(run, *args):
    found = json.loads(run("check", "--format", "json", "--select", "X010", *args).output)["findings"]
    return sorted((f["path"].rsplit("/", 1)[-1], f["message"]) for f in found)


def test_a_gap_is_reported_on_the_record_that_opens_it_when_only_that_file_is_checked(run, tmp_path):
    folder = write_rounds(tmp_path / "records", 7)
    write_rounds(folder, 5)  # added before round 7: the gap (6) opens below the existing record
    assert gaps(run, folder / "example-dialogue-05.yaml") == [
        ("example-dialogue-05.yaml", (f"no record of round 6 of 'example-dialogue' between this round 5 and round 7 "
                                      f"in {folder / 'example-dialogue-07.yaml'}"))]
    assert gaps(run, folder / "example-dialogue-07.yaml") == [
        ("example-dialogue-07.yaml", (f"no record of round 6 of 'example-dialogue' between round 5 in "
                                      f"{folder / 'example-dialogue-05.yaml'} and this round 7"))]


def test_a_record_between_two_gaps_is_told_of_each_once(run, tmp_path):
    folder = write_rounds(tmp_path / "records", 3, 5, 7)
    assert [message for _, message in gaps(run, folder / "example-dialogue-03.yaml")] == [
        (f"no record of round 4 of 'example-dialogue' between this round 3 and round 5 in "
         f"{folder / 'example-dialogue-05.yaml'}")]
    middle = [message for _, message in gaps(run, folder / "example-dialogue-05.yaml")]
    assert sorted(m.split(" between ")[0] for m in middle) == [
        "no record of round 4 of 'example-dialogue'", "no record of round 6 of 'example-dialogue'"]
    whole = gaps(run, folder)
    assert [name for name, _ in whole] == ["example-dialogue-03.yaml"] + ["example-dialogue-05.yaml"] * 2 + [
        "example-dialogue-07.yaml"]  # two findings a gap, one on each side


def test_a_wide_gap_names_the_rounds_missing_and_a_repeated_round_is_told_once_per_record(run, tmp_path):
    folder = write_rounds(tmp_path / "records", 5, 9)
    (folder / "example-dialogue-09-bis.yaml").write_text((folder / "example-dialogue-09.yaml").read_text())
    found = gaps(run, folder)
    assert len(found) == 3
    assert all("no record of rounds 6-8 of 'example-dialogue'" in message for _, message in found)
    assert found[0][1].endswith(f"round 9 in {folder / 'example-dialogue-09-bis.yaml'}, "
                                f"{folder / 'example-dialogue-09.yaml'}")


def test_gaps_split_across_runs_add_up_to_one_run_over_all(run, tmp_path):
    folder = write_rounds(tmp_path / "records", 1, 4, 5, 8)
    files = sorted(folder.glob("*.yaml"))
    apart = sorted(found for path in files for found in gaps(run, path))
    assert apart == gaps(run, *files) and len(apart) == 4


# --- S900 and U001 on a record whose rules did not run ----------------------------------------------

SUPPRESSED = FIXTURES / "rules" / "U001-unused-suppression" / "passes.yaml"


def failing_schema(tmp_path, extra: str = "bogus: 1\n"):
    """A record with a working suppression of a rule (N002), that fails the schema."""
    record = tmp_path / "example-dialogue-07.yaml"
    record.write_text(SUPPRESSED.read_text().replace("kind: dialogue\n", "kind: dialogue\n" + extra))
    return record


def codes(run, *args):
    result = run(*args[:1], "--format", "json", *args[1:])
    return result, [(f["code"], f["line"]) for f in json.loads(result.output)["findings"] if f["path"]]


def test_check_says_the_rules_were_not_run_on_a_record_that_fails_the_schema(run, tmp_path):
    record = failing_schema(tmp_path)
    result, found = codes(run, "check", "--select", "S,N", record)
    assert found == [("S900", 1), ("S102", 5)] and result.exit_code == 1
    message = json.loads(run("check", "--format", "json", "--select", "S,N", record).output)["findings"][0]["message"]
    assert message == ("record does not match the schema, so lint rules were not run on it; fix the schema problems "
                       "and check again")
    result, found = codes(run, "lint", "--select", "N", record)
    assert found == [("S900", 1)] and result.exit_code == 1


def test_rules_not_run_are_said_even_when_the_selection_leaves_s900_out(run, tmp_path):
    record = failing_schema(tmp_path)
    for command in ("check", "lint"):
        result, found = codes(run, command, "--select", "D001", record)
        assert found == [("S900", 1)] and result.exit_code == 1, command
    assert codes(run, "check", "--select", "S1", record)[1] == [("S102", 5)]  # no rule selected: nothing skipped
    result, found = codes(run, "check", "--select", "S,N", "--ignore", "S900", record)
    assert found == [("S102", 5)]


def test_a_record_whose_schema_problem_is_hidden_still_fails_for_the_rules_not_run(run, tmp_path):
    record = failing_schema(tmp_path, "bogus: 1  # communique: ignore[S102] kept for the importer\n")
    result, found = codes(run, "check", "--select", "S,N,U", record)
    assert found == [("S900", 1)] and result.exit_code == 1
    assert "Found 1 problem (1 error) in 1 of 1 file" in run("check", "--select", "S,N,U", record).output


def test_s900_in_every_output_format(run, tmp_path):
    record = failing_schema(tmp_path)
    args = ("check", "--select", "S,N", record)
    text = run(*args).output.splitlines()
    assert text[0] == (f"{record}:1:1: S900 record does not match the schema, so lint rules were not run on it; "
                       "fix the schema problems and check again")
    assert text[1].startswith(f"{record}:5:1: S102")  # no source line under S900: it is about the whole record
    assert text[-1] == "Found 2 problems (2 errors) in 1 of 1 file."
    sarif = json.loads(run("check", "--format", "sarif", *args[1:]).output)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif] == [
        ("S900", "error", 1), ("S102", "error", 5)]
    github = run("check", "--format", "github", *args[1:]).output.splitlines()
    assert github[0].startswith("::error file=") and ",line=1,col=1,title=S900 rules-skipped::record does not" in github[0]
    assert json.loads(run("check", "--format", "json", *args[1:]).output)["summary"]["error"] == 2


def test_suppressions_are_not_called_unused_where_the_rules_did_not_run(run, tmp_path):
    record = failing_schema(tmp_path)  # ignore[N002] on the title: N002 did not run
    for command in ("check", "lint"):
        assert "U001" not in [code for code, _ in codes(run, command, "--select", "S,N,U", record)[1]], command
    # A suppression without a reason, or of an unknown code, is judged without running anything.
    text = record.read_text()
    record.write_text(text.replace("ignore[N002] the sources call it the sixth", "ignore[N002, Z999]"))
    found = codes(run, "check", "--select", "S,N,U", record)[1]
    assert ("U002", 3) in found and ("U001", 3) in found
    assert "unknown code 'Z999'" in run("check", "--select", "S,N,U", "--no-source", record).output
    # Once the record matches the schema, the rule runs and the suppression is judged again:
    # used while the title says 6th, unused once it is corrected.
    record.write_text(text.replace("bogus: 1\n", ""))
    assert codes(run, "check", "--select", "N,U", record)[1] == []
    record.write_text(text.replace("bogus: 1\n", "").replace("6th example", "7th example"))
    assert codes(run, "check", "--select", "N,U", record)[1] == [("U001", 3)]


def test_suppressions_of_a_file_that_cannot_be_parsed_are_not_judged(run, tmp_path):
    record = failing_schema(tmp_path, "agenda: [\n")
    assert [code for code, _ in codes(run, "check", record)[1]] == ["Y001"]


def test_a_suppression_of_a_check_not_run_is_not_judged(run, tmp_path):
    """Only the checks that ran on a record can leave its suppressions unused: not a rule
    left out by the selection, nor one ignored for the file, nor the schema under `lint`,
    nor the quote checks without the sources folder."""
    record = tmp_path / "example-dialogue-07.yaml"
    record.write_text(SUPPRESSED.read_text().replace("6th example", "7th example").replace(
        "agreements: []", "agreements: []  # communique: ignore[S102, Q001, Q002, D001] checked by hand"))
    assert codes(run, "check", "--select", "N002,U", record)[1] == [("U001", 3)]
    unused = json.loads(run("check", "--format", "json", record).output)["findings"]
    assert sorted(f["message"] for f in unused if f["code"] == "U001") == [
        "suppression of D001 silences nothing on this line", "suppression of N002 silences nothing on this line",
        "suppression of S102 silences nothing on this line"]  # not Q001, Q002: no sources folder
    linted = json.loads(run("lint", "--format", "json", record).output)["findings"]
    assert "suppression of S102 silences nothing on this line" not in [f["message"] for f in linted]
    (tmp_path / "communique.toml").write_text('[per-path-ignores]\n"example-*.yaml" = ["N002", "D001"]\n')
    configured = json.loads(run("check", "--format", "json", record).output)["findings"]
    assert sorted(f["message"] for f in configured if f["code"] == "U001") == [
        "suppression of S102 silences nothing on this line"]


def test_the_runs_tasks_read_as_the_list_of_pairs_they_stand_for():
    from communique.run.checking import Tasks

    reported, context = ["a.yaml", "b.yaml"], ["c.yaml", "d.yaml", "e.yaml"]
    pairs = [(path, True) for path in reported] + [(path, False) for path in context]
    tasks = Tasks(reported, context)
    assert list(tasks) == pairs and len(tasks) == len(pairs)
    assert [tasks[index] for index in range(-5, 5)] == [pairs[index] for index in range(-5, 5)]
    assert tasks[::2] == pairs[::2] and tasks[1:4] == pairs[1:4]
    with pytest.raises(IndexError):
        tasks[5]
