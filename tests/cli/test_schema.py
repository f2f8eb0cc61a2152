"""`communique schema --bundle` and `--catalog`: files other tools load as they are."""

from __future__ import annotations

import json

import pytest
from communique import schema

from ..conftest import REPO


def test_bundle_prints_one_version_and_writes_every_version_in_the_repository_layout(run, tmp_path):
    printed = run("schema", "--bundle", "--version", "1.1")
    assert printed.exit_code == 0
    assert json.loads(printed.output) == schema.load_schema("1.1")
    written = run("schema", "--bundle", "-o", tmp_path / "out")
    assert written.exit_code == 0 and "wrote 4 self-contained schema files to" in written.stderr
    for version in schema.versions():
        assert (tmp_path / "out" / version / "record.schema.json").read_bytes() == \
            (REPO / "schema" / version / "record.schema.json").read_bytes()
    assert run("schema", "--bundle", "--version", "1.0", "-o", tmp_path / "one").exit_code == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["1.0"]


def test_catalog_at_another_address(run, tmp_path):
    result = run("schema", "--catalog", "--base-url", "https://schemas.example.org/communique/")
    (entry,) = json.loads(result.output)["schemas"]
    assert entry["url"] == "https://schemas.example.org/communique/1.3/record.schema.json"
    assert run("schema", "--catalog", "-o", tmp_path / "catalog.json").exit_code == 0
    assert (tmp_path / "catalog.json").read_text() == (REPO / "schema" / "catalog.json").read_text()


@pytest.mark.parametrize("args, message", [
    (["--bundle", "--catalog"], "--bundle and --catalog cannot be combined"),
    (["--path", "--bundle"], "--path and --bundle cannot be combined"),
    (["--base-url", "https://x.org"], "--base-url goes with --catalog"),
    (["--catalog", "--base-url", "schemas/"], "give an address (https://...)"),
    (["-o", "out"], "--output goes with --bundle or --catalog"),
    (["--bundle", "--version", "1.9"], "unknown schema version '1.9'"),
    (["--bundle", "diff", "1.0", "1.1"], "--bundle: options for printing a schema"),
])
def test_misused_options_are_usage_errors(run, args, message):
    result = run("schema", *args)
    assert result.exit_code == 2 and message in result.output


def test_a_folder_that_cannot_be_written_is_an_io_error(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("schema", "--bundle", "-o", blocker)
    assert result.exit_code == 2 and result.output.startswith(f"communique: error: cannot write {blocker}")
