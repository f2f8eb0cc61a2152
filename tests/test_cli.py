"""The command line as users run it: output lines, summary, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import FIXTURES, RECORDS

VALID = FIXTURES / "valid" / "minimal.yaml"
INVALID = FIXTURES / "invalid" / "title-is-a-number.yaml"


def test_valid_records_exit_0(run):
    result = run("validate", RECORDS)
    assert result.exit_code == 0
    assert result.output.strip().startswith("All ") and result.output.strip().endswith("valid.")


def test_findings_exit_1_with_file_line_column_code_and_path(run):
    result = run("validate", INVALID, VALID)
    assert result.exit_code == 1
    first, summary = result.output.strip().splitlines()
    assert first == f"{INVALID}:4:8: S103 expected string, got integer 2026; quote it (at $.title)"
    assert summary == "Found 1 problem (1 error) in 1 of 2 files."


def test_missing_path_exits_2_even_with_findings(run, tmp_path):
    result = run("validate", INVALID, tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}:1:1: F001 no such file or directory" in result.output


def test_dangling_symlink_is_an_io_error(run, tmp_path):
    link = tmp_path / "dangling.yaml"
    os.symlink(tmp_path / "gone.yaml", link)
    result = run("validate", link)
    assert result.exit_code == 2
    assert "F001" in result.output


def test_folder_without_records_is_a_usage_error(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no record files" in result.output


def test_no_paths_is_a_usage_error(run):
    assert run("validate").exit_code == 2


def test_bad_input_exits_1_with_one_message_each(run):
    folder = FIXTURES / "bad_input"
    result = run("validate", folder)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".json"))
    assert len(lines) == len(files) + 1
    assert "Traceback" not in result.output


def test_json_output(run):
    result = run("validate", "--format", "json", INVALID)
    payload = json.loads(result.output)
    assert payload["files_checked"] == 1
    finding, = payload["findings"]
    assert (finding["line"], finding["column"], finding["code"], finding["json_path"]) == (4, 8, "S103", "$.title")


def test_schema_command_prints_schema_and_path(run):
    result = run("schema")
    assert json.loads(result.output)["$id"].endswith("/1.0/record.schema.json")
    path = run("schema", "--path").output.strip()
    assert path.endswith("record.schema.json") and os.path.isfile(path)
    assert run("schema", "--version", "9.9").exit_code == 2
    assert "1.0\t" in run("schema", "--list").output


def test_console_script_runs_out_of_process_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: [\n")
    process = subprocess.run([sys.executable, "-m", "communique", "validate", str(bad)],
                             capture_output=True, text=True)
    assert process.returncode == 1
    assert "Y001" in process.stdout and "Traceback" not in process.stderr
