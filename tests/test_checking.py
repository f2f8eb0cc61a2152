"""The pipeline as pre-commit runs it: some files given, the whole corpus as context."""

from __future__ import annotations

import json
import shutil

from .conftest import FIXTURES

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
    from communique.loading import Document, load_text
    from communique.validation import validate_document

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
