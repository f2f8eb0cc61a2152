"""`communique new`: a skeleton that names itself by the convention and validates once
its placeholders are filled."""

from __future__ import annotations

import json

import pytest
from communique.documents.loading import load_file

from ..conftest import REPO


def keeper(tmp_path):
    """A repository set up by `communique init`, the current folder for the test."""
    from click.testing import CliRunner
    from communique.cli import main

    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    return tmp_path


def test_new_writes_a_named_skeleton_pointing_at_the_repository_schema_copy(run, tmp_path, monkeypatch):
    monkeypatch.chdir(keeper(tmp_path))
    result = run("new", "--series", "pk-eu-strategic-dialogue", "--round", "8", "--kind", "dialogue",
                 "--start", "2026-03-02", "--city", "Islamabad", "--country", "pk", "--party", "pk=Pakistan",
                 "--party", "eu=European Union")
    assert result.exit_code == 0, result.output
    path = tmp_path / "records" / "pk-eu-strategic-dialogue-08.yaml"  # the configured records folder
    first = path.read_text().splitlines()[0]
    # A path relative to the record, into the repository: it works for every collaborator.
    assert first == "# yaml-language-server: $schema=../.communique/schema/1.3/record.schema.json"
    assert (path.parent / first.split("$schema=")[1]).resolve().is_file()
    data = load_file(path).document.data
    assert data["id"] == "pk-eu-strategic-dialogue-08" and data["venue"]["country"] == "PK"
    assert data["schema_version"] == "1.3"  # new records start on the latest version
    assert [(p["id"], p["kind"]) for p in data["parties"]] == [("pk", "state"), ("eu", "organisation")]
    # One co-chair placeholder per party.
    assert [(c["party"], c["person_id"]) for c in data["co_chairs"]] == [("pk", "todo-pk-chair"), ("eu", "todo-eu-chair")]


def test_without_a_schema_copy_no_path_outside_the_repository_is_written(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "--id", "example-talks", "--kind", "talks")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "records" / "example-talks.yaml").read_text()
    assert "yaml-language-server" not in text and "site-packages" not in text
    assert "communique init" in result.stderr


def test_no_co_chairs_writes_an_empty_list(run, tmp_path):
    result = run("new", "--id", "example-talks", "--kind", "talks", "--party", "pk=Pakistan", "--no-co-chairs",
                 "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert load_file(tmp_path / "example-talks.yaml").document.data["co_chairs"] == []


def test_skeleton_is_reported_until_placeholders_are_filled_then_clean(run, tmp_path):
    folder = tmp_path / "records"
    run("new", "--series", "example-dialogue", "--round", "1", "--kind", "dialogue", "--start", "2026-03-02",
        "--city", "Oslo", "--country", "NO", "--party", "no=Norway", "--dir", folder)
    path = folder / "example-dialogue-01.yaml"
    before = json.loads(run("check", "--format", "json", path).output)["findings"]
    assert {f["code"] for f in before} >= {"N004"}
    text = path.read_text()
    for placeholder, value in [('"TODO: the meeting as the sources name it"', "First example dialogue"),
                               ("todo-no-chair", "kari-nordmann"), ('"TODO: full name of the no chair"', "Kari Nordmann"),
                               ('"TODO: post at the time"', "Foreign Minister"), ("todo-source", "s1")]:
        text = text.replace(placeholder, value)
    path.write_text(text)
    after = run("check", "--format", "json", "--ignore", "Q003", path)
    assert json.loads(after.output)["findings"] == [] and after.exit_code == 0


def test_one_off_meeting_by_id_and_refusal_to_overwrite(run, tmp_path):
    args = ("new", "--id", "dar-lavrov-moscow-2025", "--kind", "meeting", "--dir", tmp_path)
    assert run(*args).exit_code == 0
    assert (tmp_path / "dar-lavrov-moscow-2025.yaml").is_file()
    again = run(*args)
    assert again.exit_code == 2 and "exists" in again.output
    assert run(*args, "--force").exit_code == 0


@pytest.mark.parametrize("args, message", [
    ([], "give --series and --round, or --id"),
    (["--series", "x"], "--series needs --round"),
    (["--id", "x"], "give --kind"),
    (["--id", "x", "--kind", "talks", "--start", "2025-02-30"], "--start: '2025-02-30' is not a valid date"),
    (["--id", "x", "--kind", "talks", "--start", "20250101"], "--start: '20250101' is not in the required form"),
    (["--id", "x", "--kind", "talks", "--party", "Pakistan"], "must be given as ID=NAME"),
    (["--id", "x: y", "--kind", "talks"], "--id: 'x: y' is not in the required form"),
    (["--id", "TRUE", "--kind", "talks"], "did you mean 'true'?"),
    (["--id", "../escaped", "--kind", "talks"], "--id: '../escaped' is not in the required form"),
    (["--series", "a #b", "--round", "1", "--kind", "talks"], "did you mean 'a-b'?"),
    (["--id", "x", "--kind", "talks", "--country", "UK"], "the code of United Kingdom is 'GB'"),
    (["--id", "x", "--kind", "talks", "--country", "Belgium"], "did you mean 'BE' (Belgium)?"),
    (["--id", "x", "--kind", "talks", "--party", "Pk=Pakistan"], "--party: 'Pk' is not in the required form"),
    (["--id", "x", "--kind", "talks", "--party", "af=A", "--party", "af=B"], "--party: 'af' is given twice"),
    (["--id", "x", "--kind", "talks", "--start", "2026-03-02", "--end", "2026-03-01"], "--end: 2026-03-01 is before"),
    (["--id", "", "--kind", "talks"], "--id: '' is not in the required form"),
])
def test_values_are_checked_before_anything_is_written(run, tmp_path, args, message):
    result = run("new", *args, "--dir", tmp_path)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_prompts_in_a_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "communique", "new", "--dir", str(tmp_path)],
                               stdin=follower, stdout=follower, stderr=follower, cwd=REPO)
    os.close(follower)
    answers = iter(["example-talks", "2", "talks", "Second example talks", "2025-10-25", "Ankara", "tr",
                    "pk=Pakistan,af=Afghanistan"])
    transcript = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        if chunk.rstrip().endswith(b":"):
            os.write(leader, (next(answers) + "\n").encode())
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0, transcript.decode()
    data = load_file(tmp_path / "example-talks-02.yaml").document.data
    assert data["title"] == "Second example talks" and data["venue"] == {"city": "Ankara", "country": "TR"}
    assert [p["id"] for p in data["parties"]] == ["pk", "af"] and data["kind"] == "talks"


def test_writing_where_it_cannot_is_an_io_error_not_a_traceback(run, tmp_path):
    (tmp_path / "example-talks.yaml").mkdir()
    result = run("new", "--id", "example-talks", "--kind", "talks", "--dir", tmp_path, "--force")
    assert result.exit_code == 2 and "cannot write" in result.stderr and "it is a folder" in result.stderr
    blocked = tmp_path / "blocked"
    blocked.write_text("a file")
    result = run("new", "--id", "example-talks", "--kind", "talks", "--dir", blocked / "sub")
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_a_record_written_where_the_configuration_does_not_look_is_said(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\nexclude = ["records/drafts/"]\n')
    monkeypatch.chdir(tmp_path)
    result = run("new", "--id", "example-talks", "--kind", "talks", "--dir", "records/drafts")
    assert result.exit_code == 0
    assert "is not among the records communique.toml describes" in result.stderr


def test_new_writes_no_file_through_a_link(run, tmp_path):
    outside = tmp_path / "outside.yaml"
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "example-talks.yaml").symlink_to(outside)  # dangling
    result = run("new", "--id", "example-talks", "--kind", "talks", "--dir", tmp_path / "records", "--force")
    assert result.exit_code == 2 and "it is a link" in result.stderr and not outside.exists()


def test_an_id_that_disagrees_with_series_and_round_is_refused(run, tmp_path):
    result = run("new", "--series", "ab", "--round", "1", "--id", "ab-1", "--kind", "talks", "--dir", tmp_path)
    assert result.exit_code == 2 and "has the id 'ab-01'" in result.output
    assert run("new", "--series", "ab", "--round", "1", "--id", "ab-01", "--kind", "talks",
               "--dir", tmp_path).exit_code == 0


def test_a_series_named_by_year_takes_an_edition(run, tmp_path, monkeypatch):
    monkeypatch.chdir(keeper(tmp_path))
    result = run("new", "--series", "example-hld", "--edition", "2022", "--kind", "dialogue", "--start", "2022-05-10",
                 "--city", "Oslo", "--country", "NO", "--party", "no=Norway", "--party", "se=Sweden", "--no-co-chairs")
    assert result.exit_code == 0, result.output
    data = load_file(tmp_path / "records" / "example-hld-2022.yaml").document.data
    assert (data["id"], data["series"]) == ("example-hld-2022", {"id": "example-hld", "edition": "2022"})
    assert run("new", "--series", "example-hld", "--edition", "2023", "--id", "hld-2023", "--kind", "dialogue"
               ).output.endswith("has the id 'example-hld-2023'; leave --id out, or give 'example-hld-2023'\n")
    assert run("new", "--edition", "2023", "--id", "x", "--kind", "dialogue").exit_code == 2


def test_a_new_record_is_named_like_the_records_beside_it(run, tmp_path):
    """Once a folder's records are named for editors (`<id>.communique.yaml`, which the JSON
    Schema Store catalog matches), a new one is too; and such a name gives the id (N003)."""
    held = tmp_path / "af-pk-talks-01.communique.yaml"
    held.write_bytes((REPO / "records" / "af-pk-talks-01.yaml").read_bytes())
    result = run("new", "--id", "example-talks-02", "--kind", "talks", "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    written = tmp_path / "example-talks-02.communique.yaml"
    assert written.is_file() and load_file(written).document.data["id"] == "example-talks-02"
    assert run("check", "--no-source", "--select", "N003", held).exit_code == 0
    renamed = held.rename(tmp_path / "af-pk-talks-02.communique.yaml")
    (finding,) = json.loads(run("check", "--no-source", "--format", "json", "--select", "N003", renamed).output)[
        "findings"]
    assert finding["message"] == "record id 'af-pk-talks-01' does not match the file name 'af-pk-talks-02'"
