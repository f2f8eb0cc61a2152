"""`communique fmt`: canonical form, comments and values kept, safe writes, --check and --diff.

Fixtures in tests/fixtures/fmt/ are named for what they show; `NAME.expected.yaml` is the
formatted `NAME.yaml`, and a fixture without one is already canonical. Files the formatter
must leave alone are in fmt/untouched/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from communique.documents.loading import load_file

from ..conftest import FIXTURES, RECORDS

FMT = FIXTURES / "fmt"
INPUTS = sorted(p for p in FMT.glob("*.yaml") if not p.name.endswith(".expected.yaml"))
EXPECTED = sorted(FMT.glob("*.expected.yaml"))
RECORD_FILES = sorted(RECORDS.glob("*.yaml"))


def expected_for(path):
    expected = path.with_name(path.name[: -len(".yaml")] + ".expected.yaml")
    return expected if expected.exists() else path


def copy(path, folder, name=None):
    target = folder / (name or path.name)
    shutil.copyfile(path, target)
    return target


def data_json(path) -> str:
    """The loaded data as JSON, keys sorted: equal only for equal values of equal types."""
    loaded = load_file(str(path))
    assert loaded.document is not None, loaded.findings
    return json.dumps(loaded.document.data, sort_keys=True, ensure_ascii=False)


# --- canonical form, fixture by fixture ---------------------------------------------------


def test_there_are_fixtures_with_and_without_changes():
    assert len(INPUTS) >= 6 and len(EXPECTED) >= 5
    assert any(expected_for(p) == p for p in INPUTS)  # at least one already canonical
    for expected in EXPECTED:
        assert expected.with_name(expected.name.replace(".expected", "")).exists(), f"{expected.name} has no input"


@pytest.mark.parametrize("fixture", INPUTS, ids=lambda p: p.stem)
def test_fixture_formats_to_its_expected_output(run, tmp_path, fixture):
    target = copy(fixture, tmp_path)
    result = run("fmt", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == expected_for(fixture).read_text(encoding="utf-8")
    changed = expected_for(fixture) != fixture
    # One summary line, and nothing on standard error.
    assert result.stdout == ("1 file reformatted, 0 files left unchanged.\n" if changed
                             else "0 files reformatted, 1 file left unchanged.\n")
    assert result.stderr == ""
    assert data_json(target) == data_json(fixture)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_expected_outputs_are_canonical(run, tmp_path, expected):
    result = run("fmt", "--check", copy(expected, tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 files would be reformatted, 1 file already formatted.\n"


def test_keys_follow_the_schema_through_refs_and_allof():
    text = (FMT / "keys-out-of-order.expected.yaml").read_text(encoding="utf-8")
    top = [m.group(1) for m in re.finditer(r"^([a-z_]+):", text, re.M)]
    assert top == ["schema_version", "id", "title", "kind", "series", "dates", "venue", "parties", "co_chairs",
                   "agreements", "next_round", "sources", "caveats", "encoder_remark", "another_unknown"]
    # co_chair is allOf [person] + role: the person's fields, in the person's order
    assert ("  - person_id: espen-barth-eide\n    name: Espen Barth Eide\n    title: Foreign Minister\n"
            "    party: \"no\"\n    role: co-chair\n    sources: [s1]\n") in text
    assert "      - source: s1\n        quote: agreed to meet again in Oslo\n" in text  # agreements[].evidence[]
    assert '  venue:\n    city: Oslo\n    country: "NO"\n' in text  # next_round.venue ($ref place)
    assert '      - value: "2025-06-11"\n        sources: [s1]\n' in text  # caveats[].claims[]


def test_comments_stay_with_their_keys_and_items():
    text = (FMT / "comments-kept.expected.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schema/1.0/record.schema.json"
    assert lines[1].startswith("# A header comment stays at the top")
    assert "id: example-dialogue-04  # end of line: stays with id" in lines
    assert '  - id: "no"  # communique: ignore[C001] the source names no one for this side' in lines
    assert "    name: European Union  # on the name, which moves below id" in lines
    above = lines.index("# Above series: moves with series.")
    assert lines[above + 1] == "series:  # end of line after a key with a block under it"
    inside = lines.index("    # Above kind, inside the first party.")
    assert lines[inside + 1] == "    kind: state"
    deeper = lines.index("    # Indented deeper than what follows: stays at the end of this party.")
    assert lines[deeper - 1] == "    kind: organisation" and lines[deeper + 1] == "sources:"
    assert lines[-1] == "# The last comment of the file."
    assert "\n\n\n" not in text  # runs of blank lines become one


def test_comments_in_and_around_lists_stay_beside_their_items():
    lines = (FMT / "comments-in-lists.expected.yaml").read_text(encoding="utf-8").splitlines()
    assert "dates:  # after a flow mapping: stays with its key" in lines
    assert '  - id: "no"  # on a dash of its own: joins the first key of the item' in lines
    assert "  - id: eu  # after a flow item" in lines
    assert "    frameworks: [a, b]  # after a flow list: the list stays in flow style" in lines
    assert "      - s1  # inside a flow list, beside s1: the list goes to block style" in lines
    assert lines[lines.index("  # above the only source") + 1] == "  - id: s1"


def test_every_comment_of_the_input_is_in_the_output():
    for fixture in INPUTS:
        def comments(path):
            return sorted(re.findall(r"(?:^|\s)(#.*)$", path.read_text(encoding="utf-8"), re.M))
        assert comments(fixture) == comments(expected_for(fixture)), fixture.name


# --- idempotence and data over every record and fixture -------------------------------------


def test_records_and_fixtures_format_idempotently(run, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    for path in RECORD_FILES + INPUTS + EXPECTED:
        copy(path, first, f"{path.parent.name}-{path.name}")
    assert run("fmt", first).exit_code == 0
    shutil.copytree(first, second)
    result = run("fmt", second)
    assert result.exit_code == 0, result.output
    count = len(list(first.iterdir()))
    assert result.stdout == f"0 files reformatted, {count} files left unchanged.\n"
    for path in first.iterdir():
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name
    check = run("fmt", "--check", first)
    assert check.exit_code == 0 and check.stdout == f"0 files would be reformatted, {count} files already formatted.\n"


@pytest.mark.parametrize("record", RECORD_FILES, ids=lambda p: p.stem)
def test_record_formats_without_losing_a_value_or_a_comment(run, tmp_path, record):
    target = copy(record, tmp_path)
    assert run("fmt", target).exit_code == 0
    assert data_json(target) == data_json(record)
    original = record.read_text(encoding="utf-8").splitlines()
    formatted = [line.strip() for line in target.read_text(encoding="utf-8").splitlines()]
    assert formatted[0] == original[0] == "# yaml-language-server: $schema=../schema/1.2/record.schema.json"
    for line in original[1:]:
        if re.search(r"\s# ", line):  # an end-of-line comment: still on the line of its key
            assert line.strip() in formatted, line


def test_shipped_records_check_mode_agrees_with_formatting(run, tmp_path):
    result = run("fmt", "--check", "--format", "json", RECORDS)
    reported = {os.path.basename(f["path"]) for f in json.loads(result.stdout)["findings"]}
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} <= {"K001"}
    for record in RECORD_FILES:
        target = copy(record, tmp_path)
        run("fmt", target)
        assert (target.read_bytes() != record.read_bytes()) == (record.name in reported), record.name
    assert result.exit_code == (1 if reported else 0)


# --- --check and --diff -----------------------------------------------------------------------


def test_check_reports_the_first_line_that_would_change_and_writes_nothing(run, tmp_path):
    target = copy(FMT / "keys-out-of-order.yaml", tmp_path)
    before = target.read_bytes()
    result = run("fmt", "--check", "--no-source", target)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{target}:2:1: K001 not in canonical form: `communique fmt` would write this line as `schema_version: \"1.0\"`",
        "1 file would be reformatted, 0 files already formatted.",
    ]
    assert result.stderr == ""
    assert target.read_bytes() == before


def test_check_exit_codes(run, tmp_path):
    canonical = copy(FMT / "already-canonical.yaml", tmp_path)
    assert run("fmt", "--check", canonical).exit_code == 0
    assert run("fmt", "--check", canonical, copy(FMT / "quoting.yaml", tmp_path)).exit_code == 1
    missing = run("fmt", "--check", canonical, tmp_path / "nope.yaml")
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}:1:1: F001 no such file or directory" in missing.stdout
    assert run("fmt", tmp_path / "nope.yaml").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("fmt", empty)  # as ruff does: said, but not an error
    assert nothing.exit_code == 0
    assert nothing.stdout == f"No records checked; no records found in {empty}.\n"


def test_diff_is_a_unified_diff_and_nothing_is_written(run, tmp_path):
    target = copy(FMT / "flow-to-block.yaml", tmp_path)
    before = target.read_bytes()
    for args in (["--check", "--diff"], ["--diff"]):
        result = run("fmt", *args, target)
        assert target.read_bytes() == before
        assert result.stdout.startswith(f"--- {target}\t(original)\n+++ {target}\t(formatted)\n@@ ")
        lines = result.stdout.splitlines()
        assert {"-dates: {start: 2025-06-11, end: 2025-06-12, sources: [s1]}", "+dates:", '+  start: "2025-06-11"',
                "-      - s1", "+    sources: [s1, s2]"} <= set(lines)
        assert result.exit_code == 1  # --diff implies --check
    clean = run("fmt", "--check", "--diff", copy(FMT / "already-canonical.yaml", tmp_path))
    assert clean.exit_code == 0 and clean.stdout == "0 files would be reformatted, 1 file already formatted.\n"


def test_byte_order_mark_and_crlf_are_not_canonical(run, tmp_path):
    source = (FMT / "already-canonical.yaml").read_bytes()
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + source)
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(source.replace(b"\n", b"\r\n"))
    result = run("fmt", "--check", "--no-source", bom, crlf)
    assert result.exit_code == 1
    assert f"{bom}:1:1: K001 not in canonical form: the file starts with a byte-order mark" in result.stdout
    assert f"{crlf}:1:1: K001 not in canonical form: the file has CR or CRLF line endings, not LF" in result.stdout
    assert run("fmt", bom, crlf).exit_code == 0
    assert bom.read_bytes() == crlf.read_bytes() == source


# --- files left alone, safe writes ----------------------------------------------------------


@pytest.mark.parametrize("name, code", [("syntax-error.yaml", "Y001"), ("duplicate-key.yaml", "Y002")])
@pytest.mark.parametrize("check", [False, True])
def test_a_file_that_does_not_load_is_left_untouched(run, tmp_path, name, code, check):
    target = copy(FMT / "untouched" / name, tmp_path)
    os.utime(target, (1_000_000_000, 1_000_000_000))
    before = target.read_bytes()
    result = run("fmt", *(["--check"] if check else []), "--no-source", target)
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(target))}:\d+:\d+: {code} ", result.stdout, re.M), result.stdout
    assert target.read_bytes() == before
    assert target.stat().st_mtime == 1_000_000_000
    assert os.listdir(tmp_path) == [name]


def test_other_files_are_formatted_when_one_does_not_load(run, tmp_path):
    broken = copy(FMT / "untouched" / "syntax-error.yaml", tmp_path)
    target = copy(FMT / "quoting.yaml", tmp_path)
    result = run("fmt", tmp_path)
    assert result.exit_code == 1
    assert target.read_bytes() == (FMT / "quoting.expected.yaml").read_bytes()
    assert broken.read_bytes() == (FMT / "untouched" / "syntax-error.yaml").read_bytes()
    assert result.stdout.endswith("1 file reformatted, 0 files left unchanged, 1 file not formatted (see the findings).\n")


def test_a_canonical_file_is_not_rewritten(run, tmp_path):
    target = copy(FMT / "already-canonical.yaml", tmp_path)
    os.utime(target, (1_000_000_000, 1_000_000_000))
    inode = target.stat().st_ino
    result = run("fmt", target)
    assert result.exit_code == 0 and result.stdout == "0 files reformatted, 1 file left unchanged.\n"
    assert target.stat().st_mtime == 1_000_000_000 and target.stat().st_ino == inode


def test_rewrite_is_atomic_and_keeps_permission_bits(run, tmp_path):
    target = copy(FMT / "keys-out-of-order.yaml", tmp_path)
    os.chmod(target, 0o640)
    inode = target.stat().st_ino
    assert run("fmt", target).exit_code == 0
    assert target.read_bytes() == (FMT / "keys-out-of-order.expected.yaml").read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert os.listdir(tmp_path) == [target.name]  # no temporary file left behind


def test_a_failed_write_leaves_the_file_and_no_temporary_file(run, tmp_path, monkeypatch):
    target = copy(FMT / "keys-out-of-order.yaml", tmp_path)
    before = target.read_bytes()

    def refuse(*_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 2
    assert f"{target}:1:1: K003 cannot write: Permission denied" in result.stdout
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == [target.name]


def test_a_symlink_keeps_pointing_at_the_formatted_file(run, tmp_path):
    real = copy(FMT / "quoting.yaml", tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    assert run("fmt", link).exit_code == 0
    assert link.is_symlink() and real.read_bytes() == (FMT / "quoting.expected.yaml").read_bytes()


def test_nothing_is_written_when_the_output_would_lose_a_value(run, tmp_path, monkeypatch):
    from communique.rewrite import formatting

    target = copy(FMT / "keys-out-of-order.yaml", tmp_path)
    before = target.read_bytes()
    original = formatting._Writer.write
    monkeypatch.setattr(formatting._Writer, "write", lambda self: original(self).replace("round: 4\n", "round: 5\n"))
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 1
    assert f"{target}:1:1: K002 the formatted text would not hold the same data; the file is left as it is" \
        in result.stdout
    assert target.read_bytes() == before


def test_nothing_is_written_when_the_output_would_lose_a_comment(run, tmp_path, monkeypatch):
    from communique.rewrite import formatting

    target = copy(FMT / "comments-kept.yaml", tmp_path)
    before = target.read_bytes()
    original = formatting._Writer.write
    monkeypatch.setattr(formatting._Writer, "write",
                        lambda self: original(self).replace("  # on the name, which moves below id", ""))
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 1
    assert "K002 the formatted text would not keep every comment" in result.stdout
    assert target.read_bytes() == before


def test_json_files_are_left_alone(run, tmp_path):
    record = tmp_path / "record.json"
    record.write_text('{"schema_version": "1.0", "id": "x", "title": "T", "kind": "talks"}', encoding="utf-8")
    before = record.read_bytes()
    result = run("fmt", tmp_path)
    assert result.exit_code == 0
    assert record.read_bytes() == before
    assert result.stdout == "0 files reformatted, 0 files left unchanged, 1 JSON file skipped.\n"


# --- scalars ----------------------------------------------------------------------------------

# value -> how the canonical form writes it (None: plain, as the value itself)
SCALARS = {
    # Plain: every reader (YAML 1.2 core, YAML 1.1 and PyYAML, ruamel.yaml) reads the string.
    "plain words": None, "Türkiye": None, "2025-10": None, "a#b": None, "-x": None, "x - y": None, "C++": None,
    "Norway": None, "yesterday": None, "n/a": None, "1.0.0": None, "10:20:xx": None,
    # Quoted for YAML 1.1 readers (PyYAML): booleans in every case, the specification's y/n,
    # sexagesimal and underscored numbers, binary, timestamps, the merge and value keys.
    "NO": '"NO"', "yes": '"yes"', "off": '"off"', "On": '"On"', "Y": '"Y"', "y": '"y"', "n": '"n"', "N": '"N"',
    "1__0": '"1__0"', "1_000": '"1_000"', "1:20": '"1:20"', "190:20:30": '"190:20:30"', "0b101": '"0b101"',
    "2025-11-21": '"2025-11-21"', "2025-11-21T10:00:00Z": '"2025-11-21T10:00:00Z"', "2025-1-2 10:00:00": '"2025-1-2 10:00:00"',
    "<<": '"<<"', "=": '"="',
    # Quoted for YAML 1.2 readers: numbers, booleans, null, and YAML syntax.
    "https://example.org/a?b=c#d": None, "it's": None, 'say "hi" later': None,
    "1.0": '"1.0"', "2026": '"2026"', "010": '"010"', "0x1F": '"0x1F"', "0o17": '"0o17"', "1e3": '"1e3"',
    ".5": '".5"', "-1": '"-1"', "+1": '"+1"', ".inf": '".inf"', ".NaN": '".NaN"', "true": '"true"',
    "False": '"False"', "null": '"null"', "~": '"~"', "": '""', " lead": '" lead"', "trail ": '"trail "',
    "a: b": '"a: b"', "a #b": '"a #b"', "ends:": '"ends:"', "#x": '"#x"', "- x": '"- x"', "-": '"-"',
    "? x": '"? x"', ": x": '": x"', "[x]": '"[x]"', "{x}": '"{x}"', "*x": '"*x"', "&x": '"&x"', "!x": '"!x"',
    "|x": '"|x"', ">x": '">x"', "%x": '"%x"', "@x": '"@x"', "`x": '"`x"', "'x'": "\"'x'\"",
    '"x"': '"\\"x\\""', "---": '"---"', "...": '"..."', "tab\there": '"tab\\there"', "back\\slash": None,
    "bell\x07": '"bell\\x07"', "zero\u200bwidth": '"zero\\u200Bwidth"', "line\u2028sep": '"line\\u2028sep"',
    "emoji \U0001F600": None,
}


def test_strings_are_plain_when_yaml_reads_them_back_unchanged_else_double_quoted(run, tmp_path):
    values = list(SCALARS)
    target = tmp_path / "scalars.yaml"
    def quoted(value):  # JSON text, with the characters YAML 1.1 takes for line breaks escaped (Y011)
        return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

    lines = ['schema_version: "1.0"'] + [f"k{n}: {quoted(v)}" for n, v in enumerate(values)]
    lines += ["list: " + quoted(values)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = data_json(target)
    result = run("fmt", target)
    assert result.exit_code == 0, result.output
    assert data_json(target) == before
    written = target.read_text(encoding="utf-8").splitlines()
    for n, value in enumerate(values):
        assert written[n + 1] == f"k{n}: {SCALARS[value] or value}", value
    assert written[-1].startswith('list: [plain words, Türkiye, 2025-10, a#b, -x, x - y, C++, Norway, yesterday, '
                                  'n/a, 1.0.0, "10:20:xx", "NO", "yes", "off", "On", "Y", "y", "n", "N", "1__0",')
    assert '"https://example.org/a?b=c#d"' in written[-1]  # inside [...], a ':' is quoted


def test_numbers_booleans_and_null_in_canonical_spelling(run, tmp_path):
    target = tmp_path / "values.yaml"
    target.write_text("a: 0o17\nb: 0x1f\nc: 1e3\nd: TRUE\ne: ~\nf:\ng: 007\nh: -0.50\ni: 5e-324\nj: 1e16\n",
                      encoding="utf-8")
    before = data_json(target)
    assert run("fmt", target).exit_code == 0
    # A float keeps a point in it: `5e-324` is a string to YAML 1.1 readers.
    assert target.read_text(encoding="utf-8") == ("a: 15\nb: 31\nc: 1000.0\nd: true\ne: null\nf: null\ng: 7\n"
                                                  "h: -0.5\ni: 5.0e-324\nj: 1.0e+16\n")
    assert data_json(target) == before


def test_multi_line_strings_are_literal_blocks_when_they_can_be(run, tmp_path):
    target = tmp_path / "blocks.yaml"
    values = {"clip": "one\ntwo\n", "strip": "one\ntwo", "keep": "one\ntwo\n\n", "spaces": "one \ntwo",
              "indented": " one\ntwo", "inner": "one\n\n  two\n"}
    target.write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8")
    before = data_json(target)
    assert run("fmt", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == (
        "clip: |\n  one\n  two\n"
        "strip: |-\n  one\n  two\n"
        'keep: "one\\ntwo\\n\\n"\n'
        'spaces: "one \\ntwo"\n'
        'indented: " one\\ntwo"\n'
        "inner: |\n  one\n\n    two\n")
    assert data_json(target) == before


def test_without_a_known_schema_version_keys_keep_their_order(run, tmp_path):
    target = tmp_path / "future.yaml"
    target.write_text("id: x\nschema_version: '9.9'\ndates: {end: 2025-01-02, start: 2025-01-01}\n", encoding="utf-8")
    assert run("fmt", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == \
        'id: x\nschema_version: "9.9"\ndates:\n  end: "2025-01-02"\n  start: "2025-01-01"\n'


def test_ruamel_is_imported_only_when_a_file_is_formatted(tmp_path):
    code = ("import sys, communique.cli, communique.rewrite.formatting\n"
            "assert 'ruamel' not in str(list(sys.modules)), 'ruamel imported early'\n"
            "communique.rewrite.formatting.format_paths([sys.argv[1]], check=True)\n"
            "assert 'ruamel.yaml' in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", code, str(FMT / "already-canonical.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_k001_is_registered_with_examples():
    from communique.core.findings import CODES, Severity
    from communique.rewrite import formatting

    entry = CODES["K001"]
    assert entry is formatting.NOT_CANONICAL
    assert (entry.name, entry.severity) == ("not-canonical", Severity.ERROR)
    assert "Bad:\n" in entry.doc and "Good:\n" in entry.doc
    assert CODES["K003"].io_error and not CODES["K002"].io_error


# --- suppressions and other readers -------------------------------------------------------------


def test_a_flow_mapping_with_a_suppression_stays_on_its_line(run, tmp_path):
    target = tmp_path / "example-meeting.yaml"
    target.write_text((FIXTURES / "valid" / "minimal.yaml").read_text().replace(
        'kind: meeting', 'kind: meeting\ndates: {weekday: Friday, start: "2025-02-20"}  '
                         '# communique: ignore[D002] the source says Friday'))
    before = json.loads(run("check", "--format", "json", target).output)["findings"]
    assert run("fmt", target).exit_code == 0
    assert 'dates: {start: "2025-02-20", weekday: Friday}  # communique: ignore[D002] the source says Friday' \
        in target.read_text()
    assert json.loads(run("check", "--format", "json", target).output)["findings"] == before


def test_a_suppression_that_would_move_away_from_its_finding_leaves_the_file_untouched(run, tmp_path):
    target = tmp_path / "example-meeting.yaml"
    text = (FIXTURES / "valid" / "minimal.yaml").read_text().replace(
        '  - id: "no"\n    name: Norway', '  - name: Norway  # communique: ignore[C001] no one is named\n    id: "no"')
    target.write_text(text)
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 1 and target.read_text() == text
    assert "K002 the suppression on line 7 would no longer stand beside" in result.output


def test_values_other_readers_read_otherwise_are_quoted_and_checked(run, tmp_path, monkeypatch):
    from communique.rewrite.formatting import scalars

    target = tmp_path / "x.yaml"
    target.write_text("country: 'NO'\ntitle: '1__0'\n'<<': merge\nstart: '2025-11-21'\n")
    assert run("fmt", target).exit_code == 0
    assert target.read_text() == 'country: "NO"\ntitle: "1__0"\n"<<": merge\nstart: "2025-11-21"\n'
    # Were the quoting wrong, the differential check would stop the write and say which reader disagreed.
    monkeypatch.setattr(scalars, "reads_alike", lambda text: True)
    target.write_text("country: 'NO'\n")
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 1 and target.read_text() == "country: 'NO'\n"
    assert "K002 PyYAML (YAML 1.1) would read $.country of the formatted text as false, not the string 'NO'" \
        in result.output


def test_a_save_while_fmt_writes_is_never_overwritten(run, tmp_path, monkeypatch):
    from communique.documents import writing

    target = copy(FMT / "quoting.yaml", tmp_path)
    real_fsync = writing.os.fsync
    saved = "schema_version: '1.0'  # saved by an editor meanwhile\n"

    def fsync_then_editor_saves(descriptor):
        real_fsync(descriptor)
        if target.read_text(encoding="utf-8") != saved:  # the new content is written and synced: now the save
            target.write_text(saved, encoding="utf-8")

    monkeypatch.setattr(writing.os, "fsync", fsync_then_editor_saves)
    result = run("fmt", "--no-source", target)
    assert result.exit_code == 1 and "the file changed while it was formatted" in result.output
    assert target.read_text(encoding="utf-8") == saved
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.parametrize("value", ["9th Example\tDialogue", "a\t\tb", "T\u00fcrkiye\tand\tEU", "x\t-\ty"])
def test_a_plain_scalar_with_an_inner_tab_is_double_quoted_with_the_same_value(run, tmp_path, value):
    import yaml
    from ruamel.yaml import YAML

    target = tmp_path / "tabs.yaml"
    target.write_text(f'schema_version: "1.0"\ntitle: {value}  # a comment\nlist: [one, {value}]\n'
                      f"nested:\n  - key: {value}\n", encoding="utf-8")
    before = data_json(target)
    assert json.loads(before)["title"] == value  # the loader reads the tab as part of the value
    result = run("fmt", target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    quoted = json.dumps(value, ensure_ascii=False)
    assert text == (f'schema_version: "1.0"\ntitle: {quoted}  # a comment\nlist: [one, {quoted}]\n'
                    f"nested:\n  - key: {quoted}\n")
    assert data_json(target) == before
    for data in (yaml.safe_load(text), YAML(typ="safe", pure=True).load(text)):
        assert data["title"] == data["list"][1] == data["nested"][0]["key"] == value


def test_a_tab_inside_quotes_or_a_comment_is_left_as_it_is(run, tmp_path):
    target = tmp_path / "tabs.yaml"
    target.write_text('schema_version: "1.0"\ntitle: "a\tb"  # a\tcomment\n', encoding="utf-8")
    assert run("fmt", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == 'schema_version: "1.0"\ntitle: "a\\tb"  # a\tcomment\n'
