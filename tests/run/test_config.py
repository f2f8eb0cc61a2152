"""Configuration: found by walking up, applied to selection, severity and paths."""

from __future__ import annotations

import json
import shutil

import pytest
from communique.run.config import find_config, load_config

from ..conftest import FIXTURES

C001_FAILS = FIXTURES / "rules" / "C001-side-without-chair" / "fails.yaml"


def project(tmp_path, config_name: str, config_text: str):
    records = tmp_path / "records"
    records.mkdir()
    target = records / "example-meeting.yaml"
    shutil.copy(C001_FAILS, target)
    (tmp_path / config_name).write_text(config_text)
    return target


def codes(run, *args) -> list[str]:
    result = run("check", "--format", "json", *args)
    return [f["code"] for f in json.loads(result.output)["findings"]]


def test_pyproject_table_is_found_by_walking_up(tmp_path):
    target = project(tmp_path, "pyproject.toml", '[project]\nname = "x"\n[tool.communique]\nignore = ["Q003"]\n')
    assert find_config(target) == tmp_path / "pyproject.toml"
    assert load_config(find_config(target)).ignore == ["Q003"]


def test_pyproject_without_our_table_is_passed_over(tmp_path):
    target = project(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(target) is None


def test_select_ignore_and_severity_from_communique_toml(run, tmp_path):
    target = project(tmp_path, "communique.toml", 'ignore = ["Q"]\n[severity]\nC001 = "error"\n')
    result = run("check", "--format", "json", target)
    found = json.loads(result.output)["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("C001", "error")]
    assert result.exit_code == 1


def test_per_path_ignores(run, tmp_path):
    target = project(tmp_path, "communique.toml", 'ignore = ["Q003"]\n[per-path-ignores]\n"records/*" = ["C"]\n')
    assert codes(run, target) == []


def test_command_line_select_overrides_config(run, tmp_path):
    target = project(tmp_path, "communique.toml", 'select = ["D"]\n')
    assert codes(run, target) == []
    assert codes(run, "--select", "C001", target) == ["C001"]


def test_sources_in_config_are_relative_to_the_config_file(run, tmp_path):
    target = project(tmp_path, "communique.toml", 'sources = "texts"\n')
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "s1.txt").write_text("text")
    assert "Q003" not in codes(run, target)


def test_bad_config_is_a_usage_error_naming_the_file(run, tmp_path):
    target = project(tmp_path, "communique.toml", 'selct = ["D"]\n')
    result = run("check", target)
    assert result.exit_code == 2
    assert "communique.toml" in result.output and "selct" in result.output
    (tmp_path / "communique.toml").write_text("ignore = [\n")
    result = run("check", target)
    assert result.exit_code == 2 and "invalid TOML" in result.output
    (tmp_path / "communique.toml").write_text('[severity]\nC001 = "fatal"\n')
    assert run("check", target).exit_code == 2


def test_a_byte_order_mark_in_the_configuration_is_harmless(run, tmp_path):
    target = project(tmp_path, "communique.toml", "")
    (tmp_path / "communique.toml").write_bytes(b'\xef\xbb\xbfignore = ["Q003"]\n')
    assert "Q003" not in codes(run, target)


@pytest.mark.parametrize("key", ["records", "sources", "corpus", "editor-schema"])
@pytest.mark.parametrize("folder", ["/", "..", "../elsewhere", "records/../../.."])
def test_a_configured_folder_outside_the_repository_is_a_usage_error_naming_key_and_file(run, tmp_path, monkeypatch,
                                                                                         key, folder):
    """`records = "/"` would walk the whole machine (20 GB of memory after ten minutes);
    `sources = "/etc"` would read its files into reports. Refused before anything is read."""
    repo = tmp_path / "repo"
    repo.mkdir()
    target = project(repo, "communique.toml", f'{key} = "{folder}"\n')
    monkeypatch.chdir(repo)
    for command in (["validate", target], ["fmt", "--check", target], ["check", target], ["check"]):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert "communique.toml" in result.output and f"{key} = " in result.output
        assert "lies outside the repository" in result.output and "Traceback" not in result.output


def test_a_nested_configuration_may_name_a_folder_of_its_repository(run, tmp_path):
    """drafts/communique.toml naming ../records stays inside the repository: the git top, or
    without git the outermost folder holding a configuration."""
    target = project(tmp_path, "communique.toml", 'records = "records"\n')
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "communique.toml").write_text('corpus = "../records"\nsources = "../records"\n')
    shutil.copy(target, tmp_path / "drafts" / "example-meeting.yaml")
    assert run("check", tmp_path / "drafts" / "example-meeting.yaml").exit_code == 1  # C001, not a usage error
    (tmp_path / "drafts" / "communique.toml").write_text('corpus = "../../elsewhere"\n')
    assert run("check", tmp_path / "drafts" / "example-meeting.yaml").exit_code == 2


def test_max_source_bytes_must_be_a_positive_number(run, tmp_path):
    target = project(tmp_path, "communique.toml", "")
    for value in ('"10MB"', "0", "-1", "true", "1.5"):
        (tmp_path / "communique.toml").write_text(f"max-source-bytes = {value}\n")
        result = run("check", target)
        assert result.exit_code == 2 and "max-source-bytes must be a positive number of bytes" in result.output
