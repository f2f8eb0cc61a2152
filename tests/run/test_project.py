"""`communique init`: a records repository set up, never a file overwritten, nothing
pointing outside the repository."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from communique import schema
from communique.core.version import __version__
from communique.run.config import load_config

from ..conftest import FIXTURES


def test_init_sets_up_a_new_repository(run, tmp_path):
    result = run("init", tmp_path)
    assert result.exit_code == 0, result.output
    created = [line.split()[1] for line in result.output.splitlines() if line.startswith("created")]
    assert created == ["communique.toml", "records/", "sources/README.md", ".communique/schema/1.0/record.schema.json",
                       ".communique/schema/1.1/record.schema.json", ".communique/schema/1.2/record.schema.json",
                       ".communique/schema/1.3/record.schema.json", ".communique/schema/README.md", ".pre-commit-config.yaml", ".github/workflows/records.yml",
                       ".gitattributes", ".vscode/settings.json", ".vscode/extensions.json"]
    config = load_config(tmp_path / "communique.toml")
    assert (config.records, config.sources, config.editor_schema) == (
        tmp_path / "records", tmp_path / "sources", tmp_path / ".communique" / "schema")
    assert "<source id>.txt" in (tmp_path / "sources" / "README.md").read_text()
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]
    assert hooks["repo"] == "https://github.com/communique-project/communique" and hooks["rev"] == f"v{__version__}"
    assert [h["files"] for h in hooks["hooks"]] == ["^records/", "^records/"]
    settings = json.loads((tmp_path / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"] == {"./.communique/schema/1.3/record.schema.json": ["records/**/*.yaml",
                                                                                         "records/**/*.yml"]}


def test_init_never_overwrites_and_says_what_it_skipped(run, tmp_path):
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []  # mine\n")
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2}\n')
    result = run("init", tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []  # mine\n"
    assert (tmp_path / ".vscode" / "settings.json").read_text() == '{"editor.tabSize": 2}\n'
    assert "skipped    .pre-commit-config.yaml" in result.output and "id: communique-check" in result.output
    assert "skipped    .vscode/settings.json" in result.output and '"yaml.schemas"' in result.output
    again = run("init", tmp_path)
    assert "created" not in again.output and "skipped    communique.toml  (exists; its settings are used)" in again.output


def test_init_adds_a_table_to_an_existing_pyproject(run, tmp_path):
    original = '[project]\nname = "my-meetings"\n'
    (tmp_path / "pyproject.toml").write_text(original)
    result = run("init", tmp_path)
    assert result.exit_code == 0 and "added      pyproject.toml  (a [tool.communique] table at its end)" in result.output
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original + "\n[tool.communique]\n") and '\nrecords = "records"' in text
    assert not (tmp_path / "communique.toml").exists()
    assert load_config(tmp_path / "pyproject.toml").records == tmp_path / "records"
    assert "skipped    pyproject.toml" in run("init", tmp_path).output


def test_other_folders_are_used_everywhere(run, tmp_path):
    result = run("init", "--records", "data/meetings", "--sources", "texts", tmp_path)
    assert result.exit_code == 0, result.output
    assert load_config(tmp_path / "communique.toml").records == tmp_path / "data" / "meetings"
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert {h["files"] for h in hooks} == {r"^data/meetings/"}
    assert (tmp_path / "texts" / "README.md").is_file() and (tmp_path / "data" / "meetings").is_dir()
    assert "data/meetings/**/*.yaml" in (tmp_path / ".vscode" / "settings.json").read_text()
    outside = run("init", "--records", "../elsewhere", tmp_path / "other")
    assert outside.exit_code == 2 and "give a folder inside the repository" in outside.output


def test_a_repository_not_on_github_gets_no_workflow(run, tmp_path):
    result = run("init", "--repo-url", "https://git.example.org/mirror/communique", tmp_path)
    assert result.exit_code == 0
    assert not (tmp_path / ".github").exists()
    assert ("skipped    .github/workflows/records.yml  (https://git.example.org/mirror/communique is not a GitHub "
            "repository URL") in result.output
    assert 'repo: "https://git.example.org/mirror/communique"' in (tmp_path / ".pre-commit-config.yaml").read_text()


def test_refresh_schema_needs_a_configuration(run, tmp_path):
    result = run("init", "--refresh-schema", tmp_path)
    assert result.exit_code == 2 and "run `communique init` first" in result.output


def test_the_schema_copy_is_checked_for_staleness(run, tmp_path, monkeypatch):
    run("init", tmp_path)
    (tmp_path / ".communique" / "schema" / "1.0" / "record.schema.json").unlink()
    record = tmp_path / "records" / "example-meeting.yaml"
    record.write_text((FIXTURES / "valid" / "minimal.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    result = run("check", "--select", "P", "--format", "json")
    (finding,) = json.loads(result.output)["findings"]
    assert finding["code"] == "P001" and finding["path"] == ".communique/schema/1.0/record.schema.json"
    assert "no copy of schema 1.0 here for editors" in finding["message"]
    assert result.exit_code == 0  # a warning
    text = run("check", "--no-source", "--select", "P,D")
    # The copy is not one of the records checked: a note, not "a problem in 1 of 1 file".
    assert text.output.splitlines()[-1] == "No problems in 1 file; 1 note."
    assert run("init", "--refresh-schema").exit_code == 0
    assert json.loads(run("check", "--select", "P", "--format", "json").output)["findings"] == []


def test_refresh_schema_brings_a_new_version_to_a_repository_set_up_before_it(run, tmp_path, monkeypatch):
    """A repository set up by a release that knew 1.0 to 1.2 gets the 1.3 copy for editors."""
    run("init", tmp_path)
    copies = tmp_path / ".communique" / "schema"
    (copies / "1.3" / "record.schema.json").unlink()
    (copies / "1.3").rmdir()
    monkeypatch.chdir(tmp_path)
    result = run("init", "--refresh-schema")
    assert result.exit_code == 0, result.output
    written = copies / "1.3" / "record.schema.json"
    assert json.loads(written.read_text()) == schema.load_schema("1.3")
    assert json.loads(written.read_text())["properties"]["schema_version"]["const"] == "1.3"
    assert json.loads(run("check", "--select", "P", "--format", "json").output)["findings"] == []


@pytest.mark.parametrize("records", ["my recs/D[1]", ".", "", "a\"b\\c", "*.yaml", ".hidden", "a/../b", "/abs"])
def test_folder_names_that_some_reader_would_misread_are_refused(run, tmp_path, records):
    result = run("init", "--records", records, tmp_path)
    assert result.exit_code == 2 and "cannot be used" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_folder_name_with_spaces_and_accents_works_everywhere(run, tmp_path, monkeypatch):
    assert run("init", "--records", "my recs/Dé 1", tmp_path).exit_code == 0
    monkeypatch.chdir(tmp_path)
    new = run("new", "--id", "example-talks", "--kind", "talks")
    assert new.exit_code == 0, new.output
    check = run("check", "--format", "json")
    payload = json.loads(check.output)
    assert payload["files_checked"] == 1
    # Only the placeholders, each as unfilled (N004), not as a bad date or country code.
    assert {f["code"] for f in payload["findings"]} == {"N004"}
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert re.match(hooks[0]["files"], "my recs/Dé 1/example-talks.yaml")


def test_nothing_is_written_when_a_target_cannot_be(run, tmp_path):
    (tmp_path / ".vscode").write_text("a file where a folder should be\n")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert "nothing was written: .vscode is a file, but .vscode/settings.json needs it to be a folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".vscode"]


def test_nothing_is_written_through_a_link_to_outside(run, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".vscode").symlink_to(outside)
    result = run("init", repo)
    assert result.exit_code == 0
    assert "skipped    .vscode/settings.json  (its folder is a link to outside the repository" in result.output
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("pyproject", ['[tool]\ncommunique = {records = "recs"}\n',
                                       '[tool.communique]\nrecords = "recs"\n'])
def test_an_existing_table_in_any_form_is_used_not_duplicated(run, tmp_path, pyproject):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = run("init", tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "pyproject.toml").read_text() == pyproject
    assert ('skipped    pyproject.toml  (exists; its settings are used; add sources = "sources" and '
            'editor-schema = ".communique/schema" to it, to use the folders init sets up)') in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.communique]\nselect = ["D"]\n')
    assert ('add records = "records" and sources = "sources" and editor-schema = ".communique/schema" to it'
            in run("init", tmp_path).output)
    assert (tmp_path / "recs").is_dir()


@pytest.mark.parametrize("content", [b'[project]\nname = "caf\xe9"\n', b"[project\nname = 1\n"])
def test_an_unreadable_pyproject_is_reported_not_appended_to(run, tmp_path, content):
    (tmp_path / "pyproject.toml").write_bytes(content)
    result = run("init", tmp_path)
    assert result.exit_code == 2 and "pyproject.toml cannot be read as TOML" in result.output
    assert (tmp_path / "pyproject.toml").read_bytes() == content


def test_options_that_an_existing_configuration_overrides_are_said_to_be_ignored(run, tmp_path):
    run("init", tmp_path)
    result = run("init", "--records", "data", tmp_path)
    assert "ignored    --records  (communique.toml already names 'records')" in result.output
    assert not (tmp_path / "data").exists()


def test_init_below_the_top_of_a_git_repository_warns(run, tmp_path):
    (tmp_path / ".git").mkdir()
    result = run("init", tmp_path / "sub")
    assert result.exit_code == 0
    assert "is not the top of its git repository" in result.stderr


def test_no_configuration_is_written_through_a_link(run, tmp_path):
    outside = tmp_path / "outside.toml"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "communique.toml").symlink_to(outside)
    result = run("init", repo)
    assert "skipped    communique.toml\n           (exists, but is not a readable file" in result.output
    assert not outside.exists()
    linked = tmp_path / "linked"
    linked.mkdir()
    (tmp_path / "shared.toml").write_text('[project]\nname = "x"\n')
    (linked / "pyproject.toml").symlink_to(tmp_path / "shared.toml")
    refused = run("init", linked)
    assert refused.exit_code == 2 and "pyproject.toml is a link" in refused.output
    assert (tmp_path / "shared.toml").read_text() == '[project]\nname = "x"\n'


def test_options_fill_in_what_an_existing_configuration_leaves_out(run, tmp_path):
    (tmp_path / "communique.toml").write_text("")
    result = run("init", "--records", "meetings", tmp_path)
    assert "ignored" not in result.output and (tmp_path / "meetings").is_dir()
    assert 'add records = "meetings"' in result.output
