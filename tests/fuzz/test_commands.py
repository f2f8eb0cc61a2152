"""Every command, on any record and any configuration: no traceback, an exit code of 0, 1
or 2, and nothing a record holds reaching the terminal as a control character."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from communique.cli import main
from hypothesis import given
from hypothesis import strategies as st

from .strategies import exotic_strings, integral_float_texts, record_texts

COMMANDS = [
    ["validate"], ["lint"], ["check"], ["check", "--format", "json"], ["check", "--format", "github"],
    ["check", "--format", "sarif"], ["fmt", "--check"], ["fmt", "--diff"], ["export"], ["export", "--format", "csv"],
    # The data outputs; OUT stands for a path in the test's own folder.
    ["export", "--format", "datapackage", "-o", "OUT"], ["export", "--format", "sqlite", "-o", "OUT"],
    # The exports for other tools.
    ["export", "--format", "jsonld"], ["export", "--format", "quickstatements"], ["export", "--format", "plover"],
    ["export", "--format", "timelinejs"],
    ["stats"], ["stats", "--format", "json"], ["site", "OUT"],
    ["check", "--statistics"], ["check", "-q", "--color", "always"], ["check", "--diff"], ["check", "--fix"],
]
WRITERS_ELSEWHERE = ("export", "stats", "site")  # read record files only, not standard input


def invoke(*args, input=None):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback a user would have seen
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    return result


@given(record_texts(), st.sampled_from(COMMANDS))
def test_every_command_ends_cleanly_on_any_record(text, command):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "record.yaml"
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = invoke(*[str(Path(folder) / "out") if arg == "OUT" else arg for arg in command], target)
        if command[-1] in ("check", "lint", "validate"):  # text output for a terminal
            assert "\x1b" not in result.output and "\u202e" not in result.output
        if command[0] in WRITERS_ELSEWHERE or {"--fix", "--diff"} & set(command):
            return
        piped = invoke(*command, "--stdin-filename", target, "-", input=target.read_bytes())
        if command[0] != "fmt":  # the same record through standard input: the same verdict
            assert piped.exit_code == result.exit_code, (result.output, piped.output)


@given(integral_float_texts(), st.sampled_from(COMMANDS))
def test_every_command_ends_cleanly_on_a_valid_record_with_integral_floats(text, command):
    """Records valid but for whole numbers written as floats (1.0, which JSON Schema counts as
    an integer) reach no code that wants an int: each command reports them or reads them."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "record.yaml"
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = invoke(*[str(Path(folder) / "out") if arg == "OUT" else arg for arg in command], target)
        assert "internal error" not in result.output


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | exotic_strings() | st.sampled_from(["D", "X008", "s1", "error", "*"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(exotic_strings(), inner, max_size=3),
    max_leaves=6)
config_keys = st.sampled_from(["records", "include", "exclude", "sources", "corpus", "editor-schema", "select",
                               "ignore", "fail-on", "severity", "per-path-ignores", "unknown"])


@given(st.dictionaries(config_keys, toml_values, max_size=4), st.sampled_from(COMMANDS[:4] + [["fmt", "--check"]]))
def test_any_configuration_is_used_or_refused_cleanly(table, command):
    import tomli_w

    with tempfile.TemporaryDirectory() as folder:
        try:
            text = tomli_w.dumps({k: v for k, v in table.items() if v is not None})
        except (TypeError, ValueError):
            return  # not a TOML document
        (Path(folder) / "communique.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
        (Path(folder) / "records").mkdir()
        (Path(folder) / "records" / "example-meeting.yaml").write_text(
            'schema_version: "1.0"\nid: example-meeting\n', encoding="utf-8")
        invoke(*command, Path(folder) / "records")


option_values = st.sampled_from(["D", "X008", "s1", "Z9", "", ",", "F", "Y001", "A", "error", "ERROR", "info", "0",
                                 "-1", "999", "x,y", "D,,R", "\x00", "é"]) | exotic_strings()


@given(st.lists(st.tuples(st.sampled_from(["--select", "--ignore", "--fail-on", "--jobs", "--format", "--corpus",
                                           "--sources", "--config", "--stdin-filename", "-o"]), option_values),
                max_size=4))
def test_any_options_are_used_or_refused_cleanly(options):
    import os

    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "example-meeting.yaml"
        record.write_text('schema_version: "1.0"\nid: example-meeting\n', encoding="utf-8")
        args = [part for pair in options for part in pair]
        before = record.read_bytes()
        here = os.getcwd()
        os.chdir(folder)  # an --output-file or --corpus of generated names lands here, not in the repository
        try:
            invoke("check", *args, record)
        finally:
            os.chdir(here)
        assert record.read_bytes() == before  # no option makes check change a record
