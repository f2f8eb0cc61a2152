"""The command line as users run it: output lines, summary, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import FIXTURES, RECORDS

VALID = FIXTURES / "valid" / "minimal.yaml"
INVALID = FIXTURES / "invalid" / "title-is-a-number.yaml"


def test_valid_records_exit_0(run):
    result = run("validate", RECORDS)
    assert result.exit_code == 0
    assert result.output == f"No problems in {len(list(RECORDS.glob('*.yaml')))} files.\n"


def test_findings_exit_1_with_file_line_column_code_and_path(run):
    result = run("validate", "--no-source", INVALID, VALID)
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


def test_folder_without_records_is_said_but_not_an_error(run, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run("validate", tmp_path)
    assert result.exit_code == 0  # as ruff does: nothing to check is not a failure, but it is said
    assert result.output == f"No records checked; no records found in {tmp_path}.\n"


def test_no_paths_without_a_configured_records_folder_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "give the records to check" in result.output


def test_no_paths_checks_the_configured_records_folder(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "data"\n')
    (tmp_path / "data").mkdir()
    shutil.copy(INVALID, tmp_path / "data" / INVALID.name)
    monkeypatch.chdir(tmp_path / "data")  # found by walking up, as from any folder of the repository
    result = run("validate", "--no-source")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"{INVALID.name}:4:8: S103")


def test_bad_input_exits_1_with_one_message_each(run):
    folder = FIXTURES / "bad_input"
    result = run("validate", "--no-source", folder)
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
    from communique.schema import LATEST

    assert json.loads(result.output)["$id"].endswith(f"/{LATEST}/record.schema.json")  # the latest
    assert json.loads(run("schema", "--version", "1.0").output)["$id"].endswith("/1.0/record.schema.json")
    path = run("schema", "--path").output.strip()
    assert path.endswith("record.schema.json") and os.path.isfile(path)
    assert run("schema", "--version", "9.9").exit_code == 2
    assert "1.0\t" in run("schema", "--list").output


def test_validate_out_of_process_ignores_suppression_comments():
    # In a fresh process no rule is registered: `validate` must not judge suppressions.
    process = subprocess.run([sys.executable, "-m", "communique", "validate", str(RECORDS)],
                             capture_output=True, text=True)
    assert process.returncode == 0
    assert process.stdout.startswith("No problems in ")


def test_console_script_runs_out_of_process_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: [\n")
    process = subprocess.run([sys.executable, "-m", "communique", "validate", str(bad)],
                             capture_output=True, text=True)
    assert process.returncode == 1
    assert "Y001" in process.stdout and "Traceback" not in process.stderr


def test_text_output_shows_the_offending_line_under_each_finding(run):
    result = run("validate", INVALID)
    lines = result.output.splitlines()
    assert lines[1:4] == ["  |", "4 | title: 2026", "  |        ^"]
    assert "\x1b[" not in result.output  # not a terminal: no colour


def test_check_reports_schema_and_rule_findings_in_one_stream(run, tmp_path):
    record = tmp_path / "example-dialogue-07.yaml"
    record.write_text((FIXTURES / "rules" / "D002-weekday-mismatch" / "passes.yaml").read_text()
                      .replace("Thursday", "Friday").replace("title: Example dialogue", "title: 3"))
    result = run("check", "--no-source", record)
    codes = [line.split()[1] for line in result.output.splitlines()[:-1]]
    assert "S103" in codes and "S900" in codes and result.exit_code == 1  # and the rules were not run
    result = run("lint", "--no-source", record)
    assert [line.split()[1] for line in result.output.splitlines()[:-1]] == ["S900", "Q003"]


def test_fail_on_and_exit_zero(run):
    warning_only = FIXTURES / "rules" / "C001-side-without-chair" / "fails.yaml"
    assert run("check", "--select", "C001", warning_only).exit_code == 0
    assert run("check", "--select", "C001", "--fail-on", "warning", warning_only).exit_code == 1
    assert run("check", "--select", "C001", "--fail-on", "warning", "--exit-zero", warning_only).exit_code == 0


def test_io_error_wins_over_exit_zero(run, tmp_path):
    assert run("check", "--exit-zero", tmp_path / "missing.yaml").exit_code == 2


def test_output_file_receives_the_report(run, tmp_path):
    out = tmp_path / "report.json"
    result = run("check", "--format", "json", "--output-file", out, INVALID)
    assert result.output == ""
    assert [f["code"] for f in json.loads(out.read_text())["findings"]] == ["S900", "S103", "Q003"]
    assert result.exit_code == 1


def test_missing_sources_folder_is_a_usage_error(run, tmp_path):
    result = run("check", "--sources", tmp_path / "nope", RECORDS)
    assert result.exit_code == 2
    assert "sources folder" in result.output


def test_records_lint_clean_with_the_seeds_as_sources(run, seeds):
    result = run("check", "--sources", seeds, RECORDS)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No problems in ")


def test_rules_lists_every_code_and_rule_explains_one(run):
    listing = run("rules").output
    for code in ("F001", "Y002", "S101", "D001", "X004", "U001"):
        assert f"\n{code} " in "\n" + listing
    as_json = json.loads(run("rules", "--format", "json").output)
    assert {"code", "name", "severity", "summary", "doc"} <= set(as_json[0])
    explained = run("rule", "D002").output
    assert explained.startswith("D002 weekday-mismatch (error)") and "Bad:" in explained and "Good:" in explained
    assert run("rule", "weekday-mismatch").output == explained
    assert run("rule", "Z999").exit_code == 2


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    import pty

    bad = tmp_path / "bad.yaml"
    bad.write_text(INVALID.read_text())
    script = f"import sys; sys.argv=['communique','validate',{str(bad)!r}]; from communique.cli import main; main()"

    def output_under_tty(env):
        leader, follower = pty.openpty()
        process = subprocess.run([sys.executable, "-c", script], stdout=follower, stderr=follower, env=env)
        os.close(follower)
        data = b""
        try:
            while chunk := os.read(leader, 4096):
                data += chunk
        except OSError:
            pass
        os.close(leader)
        assert process.returncode == 1
        return data.decode()

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[" in output_under_tty(env)
    assert "\x1b[" not in output_under_tty({**env, "NO_COLOR": "1"})


# --- standard input --------------------------------------------------------------------------


def test_a_record_on_standard_input_is_checked_under_its_file_name(run, tmp_path):
    folder = FIXTURES / "rules" / "X004-next-round-mismatch" / "fails"
    shutil.copytree(folder, tmp_path / "records")
    target = sorted((tmp_path / "records").glob("*.yaml"))[0]
    text = target.read_text()
    piped = run("check", "--format", "json", "--stdin-filename", target, "-", input=text)
    on_disk = run("check", "--format", "json", target)
    assert piped.exit_code == on_disk.exit_code
    assert json.loads(piped.output)["findings"] == json.loads(on_disk.output)["findings"]
    # Corpus rules that fire on standard input read it once: no second read of a spent stream.
    assert any(f["code"].startswith("X") for f in json.loads(piped.output)["findings"])


def test_standard_input_without_a_name_has_positions_and_no_file_name_rule(run):
    result = run("check", "--no-source", "-", input=INVALID.read_text())
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        ("<stdin>:1:1: S900 record does not match the schema, so lint rules were not run on it; fix the schema "
         "problems and check again"),
        "<stdin>:4:8: S103 expected string, got integer 2026; quote it (at $.title)"]
    assert "N003" not in result.output


def test_stdin_filename_needs_a_dash(run):
    result = run("check", "--stdin-filename", "x.yaml", INVALID)
    assert result.exit_code == 2 and "give `-` among the PATHS" in result.output


def test_stdin_excluded_by_the_configuration_is_skipped(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\n')
    monkeypatch.chdir(tmp_path)
    result = run("check", "--stdin-filename", "notes/x.yaml", "-", input=INVALID.read_text())
    assert result.exit_code == 0
    assert result.output == "No records checked; 1 file skipped: not records by communique.toml.\n"


def test_fmt_formats_standard_input_to_standard_output(run):
    messy = "id: example-meeting\nschema_version: '1.0'\n"
    result = run("fmt", "-", input=messy)
    assert result.exit_code == 0
    assert result.stdout == 'schema_version: "1.0"\nid: example-meeting\n'
    check = run("fmt", "--check", "-", input=messy)
    assert check.exit_code == 1 and "K001" in check.stderr and check.stdout == ""
    diff = run("fmt", "--diff", "-", input=messy)
    assert diff.exit_code == 1 and "+schema_version: \"1.0\"" in diff.stdout.splitlines()


def test_fmt_passes_standard_input_that_is_not_a_record_through(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\n')
    monkeypatch.chdir(tmp_path)
    text = "a:   1\nb: [x,    y]\n"
    result = run("fmt", "--stdin-filename", ".pre-commit-config.yaml", "-", input=text)
    assert result.exit_code == 0 and result.stdout == text


# --- what the summary says -------------------------------------------------------------------


def test_a_missing_file_is_not_counted_as_checked(run, tmp_path):
    result = run("validate", "--no-source", VALID, tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"{tmp_path / 'nope.yaml'}:1:1: F001 no such file or directory",
                                          "No problems in 1 file; 1 path not found."]


def clean_record(tmp_path):
    target = tmp_path / "example-meeting.yaml"  # named after its id
    shutil.copy(VALID, target)
    return target


def test_the_quote_check_note_belongs_to_the_run(run, tmp_path):
    result = run("check", "--no-source", "--ignore", "C001", clean_record(tmp_path))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "info: Q003 evidence quotes were not checked: no sources folder (--sources DIR or `sources` in the "
        "configuration)",
        "No problems in 1 file; 1 note."]


def test_rules_piped_into_head_ends_quietly():
    result = subprocess.run(f"{shlex_quote(sys.executable)} -m communique rules | head -1", shell=True,
                            capture_output=True, text=True)
    assert result.stdout.startswith("A001 ") and result.stderr == ""


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_export_and_check_name_their_output_option_alike(run, tmp_path):
    record = clean_record(tmp_path)
    for command in (["export"], ["check", "--format", "json"]):
        out = tmp_path / f"{command[0]}.out"
        result = run(*command, "-o", out, record)
        assert result.stdout == "" and out.read_text()
        assert run(*command, "--output-file", out, record).exit_code == 0


def test_a_named_pipe_is_refused_by_check_as_by_fmt(run, tmp_path):
    pipe = tmp_path / "example-meeting.yaml"
    os.mkfifo(pipe)  # no writer: opening it to read would block for ever
    for command in ("check", "fmt"):
        refused = run(command, "--no-source", pipe)
        assert refused.exit_code == 2
        assert "F001 not a regular file (a pipe or a device); give `-` to read standard input" in refused.output


def test_a_folder_whose_files_the_configuration_leaves_out_says_so(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\nexclude = ["*.yaml"]\n')
    (tmp_path / "records").mkdir()
    shutil.copy(VALID, tmp_path / "records" / "example-meeting.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 0
    assert result.output == ("No records checked; no records found in records (1 .yaml/.yml/.json file there is "
                             "left out by communique.toml).\n")
    (tmp_path / "communique.toml").write_text('records = "records"\nexclude = ["records/drafts/"]\n')
    (tmp_path / "records" / "example-meeting.yaml").rename(tmp_path / "records" / "drafts.yaml")
    (tmp_path / "records" / "drafts").mkdir()
    (tmp_path / "records" / "drafts.yaml").rename(tmp_path / "records" / "drafts" / "x.yaml")
    (tmp_path / "records" / ".gitkeep").write_text("")
    assert run("check", "records/.gitkeep").output == "No records checked; 1 file skipped: not records by " \
                                                      "communique.toml.\n"
    assert run("check").output == ("No records checked; no records found in records (1 folder there is left out by "
                                   "communique.toml).\n")


def test_notes_on_the_run_do_not_decide_the_exit_code(run, tmp_path):
    result = run("check", "--no-source", "--ignore", "C001", "--fail-on", "info", clean_record(tmp_path))
    assert result.output.splitlines()[-1] == "No problems in 1 file; 1 note."
    assert result.exit_code == 0


def test_standard_input_stands_in_for_its_file_once(run, tmp_path):
    folder = tmp_path / "recs"
    shutil.copytree(FIXTURES / "rules" / "X004-next-round-mismatch" / "fails", folder)
    target = sorted(folder.glob("*.yaml"))[0]
    result = run("check", "--format", "json", "--stdin-filename", target, "-", folder, input=target.read_text())
    payload = json.loads(result.output)
    assert payload["files_checked"] == len(list(folder.glob("*.yaml")))
    keys = [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in payload["findings"]]
    assert len(keys) == len(set(keys))


def test_fmt_passes_input_it_cannot_format_through_byte_for_byte():
    import subprocess as sp

    broken = b"title: Gen\xe8ve\n"
    result = sp.run([sys.executable, "-m", "communique", "fmt", "-"], input=broken, capture_output=True)
    assert result.stdout == broken and result.returncode == 1 and b"F002" in result.stderr
    huge = b"notes: " + b"x" * (9 * 1024 * 1024) + b"\n"
    result = sp.run([sys.executable, "-m", "communique", "fmt", "-"], input=huge, capture_output=True)
    assert result.stdout == huge and b"F004" in result.stderr


def test_the_report_never_replaces_a_file_it_checked(run, tmp_path):
    record = clean_record(tmp_path)
    before = record.read_text()
    result = run("check", "-o", record, record)
    assert result.exit_code == 2 and "is one of the files checked" in result.stderr
    assert record.read_text() == before


# --- how reports are shown: --statistics, --quiet, --color ---------------------------------

def test_statistics_count_findings_by_code_most_first(run):
    result = run("check", "--config", FIXTURES.parent / "communique.toml", "--statistics", FIXTURES / "invalid")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and len(lines) > 3
    findings = json.loads(run("check", "--config", FIXTURES.parent / "communique.toml", "--format", "json",
                              FIXTURES / "invalid").stdout)["findings"]
    by_code = {line.split()[1]: int(line.split()[0]) for line in lines}
    assert by_code["S101"] == sum(1 for f in findings if f["code"] == "S101")
    as_json = json.loads(run("check", "--config", FIXTURES.parent / "communique.toml", "--statistics", "--format",
                             "json", FIXTURES / "invalid").stdout)
    assert {entry["code"]: entry["count"] for entry in as_json} == by_code


def test_statistics_refuse_a_format_they_cannot_be(run):
    result = run("check", "--statistics", "--format", "sarif", RECORDS)
    assert result.exit_code == 2 and "--statistics" in result.output


def test_quiet_leaves_out_the_summary_line(run):
    loud = run("validate", FIXTURES / "invalid" / "missing-title.yaml")
    quiet = run("validate", "-q", FIXTURES / "invalid" / "missing-title.yaml")
    assert loud.exit_code == quiet.exit_code == 1
    assert "Found 1 problem" in loud.stdout and "Found" not in quiet.stdout and "S101" in quiet.stdout
    assert run("validate", "-q", RECORDS).stdout == ""


def test_color_always_wins_over_no_color_and_never_means_none(run, monkeypatch):
    target = FIXTURES / "invalid" / "missing-title.yaml"
    assert "\x1b[" not in run("validate", target).stdout  # auto, and not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in run("validate", "--color", "always", target).stdout
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run("validate", "--color", "never", target).stdout
    assert "\x1b[" not in run("validate", "--color", "always", "--format", "json", target).stdout


def test_rule_accepts_a_code_in_any_case_and_suggests_without_a_stray_semicolon(run):
    assert run("rule", "r001").output == run("rule", "R001").output
    result = run("rule", "r1")
    assert result.exit_code == 2
    assert "Error: unknown code 'r1' (did you mean 'R001'?); `communique rules` lists them" in result.output
    assert "?;" not in result.output


def test_every_suggestion_inside_a_message_reads_as_an_aside(run, tmp_path):
    """A suggestion followed by more of the message is put in brackets, whichever command
    makes it: configuration keys, `migrate --to`, `schema diff` and an unknown version."""
    (tmp_path / "communique.toml").write_text('recrods = "records"\n', encoding="utf-8")
    record = tmp_path / "r.yaml"
    record.write_text('schema_version: "1.01"\n', encoding="utf-8")
    outputs = {
        "configuration": run("validate", "--config", tmp_path / "communique.toml", record),
        "migrate": run("migrate", "--to", "1.01", record),
        "schema diff": run("schema", "diff", "1.0", "1.01"),
        "schema_version": run("validate", "--no-source", record),
    }
    for what, result in outputs.items():
        assert "(did you mean '" in result.output, (what, result.output)
        assert "?;" not in result.output, (what, result.output)


def test_rules_and_rule_give_every_code_as_json(run):
    from communique.lint.fixable import FIXES
    from communique.lint.selection import known_codes

    listed = json.loads(run("rules", "--format", "json").output)
    assert [entry["code"] for entry in listed] == sorted(known_codes())
    for entry in listed:
        assert entry["summary"] and entry["explanation"] and entry["severity"] in ("error", "warning", "info")
        assert entry["examples"]["bad"].strip() and entry["examples"]["good"].strip()
        assert entry["fixable"] == (entry["code"] in FIXES)
        single = run("rule", entry["code"], "--format", "json")
        assert single.exit_code == 0 and json.loads(single.output) == entry
    s003 = next(entry for entry in listed if entry["code"] == "S003")
    assert s003["examples"] == {"bad": "schema_version: 1.0\n", "good": 'schema_version: "1.0"\n'}
    assert "quotes a schema_version" in s003["fix"] and "Bad:" not in s003["explanation"]


def test_dash_capital_v_prints_the_version(run):
    from communique.core.version import __version__

    assert run("-V").output == run("--version").output == f"communique, version {__version__}\n"


def test_help_lists_every_command_with_its_whole_summary(run):
    from communique.cli import main

    output = run("--help").output
    listed = output.split("\nCommands:\n")[1]
    names = [line.split()[0] for line in listed.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert names == sorted(name for name, command in main.commands.items() if not command.hidden)
    assert not any(line.rstrip().endswith("...") for line in listed.splitlines())
    assert "Validate and lint in one pass: the entry point for pre-commit and CI." in " ".join(listed.split())
    assert not run("schema", "--help").output.rstrip().endswith("...")


def _bash_complete(words: str) -> list[str]:
    """What bash offers after `words`, through the script `communique` prints for bash,
    sourced by a real bash: the console script, as an installed communique has it."""
    script = Path(sys.executable).with_name("communique")
    assert script.exists(), f"the console script {script} is missing: install the package (pip install -e .)"
    shell = ('eval "$(_COMMUNIQUE_COMPLETE=bash_source communique)"; COMP_WORDS=($WORDS); '
             'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); [[ "$WORDS" == *" " ]] && COMP_CWORD=${#COMP_WORDS[@]}; '
             '_communique_completion communique; printf "%s\\n" "${COMPREPLY[@]}"')
    env = {**os.environ, "PATH": f"{script.parent}{os.pathsep}{os.environ['PATH']}", "WORDS": words}
    process = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=60)
    assert process.returncode == 0 and process.stderr == "", process.stderr
    return process.stdout.split()


def test_bash_completion_script_completes_commands_options_codes_and_formats():
    script = subprocess.run([sys.executable, "-c", "from communique.cli import main; main(prog_name='communique')"],
                            env={**os.environ, "_COMMUNIQUE_COMPLETE": "bash_source"}, capture_output=True, text=True)
    assert "complete -o nosort -F _communique_completion communique" in script.stdout
    for shell in ("zsh", "fish"):  # the scripts the README gives for zsh and fish
        other = subprocess.run([sys.executable, "-c", "from communique.cli import main; main(prog_name='communique')"],
                               env={**os.environ, "_COMMUNIQUE_COMPLETE": f"{shell}_source"}, capture_output=True,
                               text=True)
        assert f"_COMMUNIQUE_COMPLETE={shell}_complete" in other.stdout
    assert _bash_complete("communique ch") == ["check"]
    assert _bash_complete("communique check --sel") == ["--select"]
    from communique.lint.selection import known_codes

    assert _bash_complete("communique check --select D0") == sorted(c for c in known_codes() if c.startswith("D0"))
    assert _bash_complete("communique check --select D0")[:2] == ["D001", "D002"]
    assert _bash_complete("communique check --ignore X001,X01") == [f"X001,{c}" for c in sorted(known_codes())
                                                                     if c.startswith("X01")]
    from communique.cli import FORMATS

    assert _bash_complete("communique check --format ") == FORMATS
    assert _bash_complete("communique rule s90") == ["S900"]


def test_the_readme_documents_completion_for_bash_zsh_and_fish_with_scripts_click_gives():
    import re

    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shells = re.findall(r"_COMMUNIQUE_COMPLETE=(\w+)_source communique", readme)
    assert {"bash", "zsh", "fish"} <= set(shells)
    for shell in set(shells):
        script = subprocess.run([sys.executable, "-c", "from communique.cli import main; main(prog_name='communique')"],
                                env={**os.environ, "_COMMUNIQUE_COMPLETE": f"{shell}_source"}, capture_output=True,
                                text=True)
        assert script.returncode == 0 and "_communique_completion" in script.stdout, shell


def test_the_readme_says_what_the_tests_need_and_gives_a_fast_subset_that_exists():
    import re
    import shlex

    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up")[1].split("\n## ")[0]
    for needed in ("minutes", "chromium", "nvim", "npm", "PyPI"):
        assert needed in setup, needed
    fast = next(line for line in setup.splitlines() if "pytest -m" in line)
    words = shlex.split(fast)
    marker = words[len(words) - words[::-1].index("-m")]  # the last -m: the one after pytest
    names = re.fullmatch(r"not (\w+)(?: and not (\w+))*", marker)
    assert names, marker
    registered = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    for name in re.findall(r"not (\w+)", marker):
        assert f'"{name}:' in registered, name  # a registered marker
    from ..conftest import INTEGRATION

    assert "integration" in marker and all((REPO / path).exists() for path in INTEGRATION)
