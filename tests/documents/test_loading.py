"""Reading records: YAML 1.2 semantics, positions, and hostile input refused cleanly."""

from __future__ import annotations

import pytest
from communique.documents import loading
from communique.documents.loading import load_bytes, load_file, load_text

from ..conftest import FIXTURES, expectations

BAD_INPUT = sorted(p for p in (FIXTURES / "bad_input").iterdir() if p.suffix in (".yaml", ".json"))


def data_of(text: str):
    result = load_text(text, "t.yaml")
    assert result.findings == [], result.findings
    return result.document.data


def codes_of(result) -> list[str]:
    return [f.code.code for f in result.findings]


# --- YAML 1.2 core schema, as editors and ruamel.yaml read it -------------------------

@pytest.mark.parametrize("text, value", [
    ("NO", "NO"),            # YAML 1.1 would say false: Norway's country code must survive
    ("no", "no"),
    ("on", "on"),
    ("yes", "yes"),
    ("Off", "Off"),
    ("010", 10),             # decimal in 1.2, octal 8 in 1.1
    ("0o10", 8),
    ("0x1F", 31),
    ("1_000", "1_000"),      # no digit separators in 1.2
    ("2025-11-21", "2025-11-21"),  # unquoted dates stay strings
    ("12:30", "12:30"),      # no sexagesimal numbers in 1.2
    ("true", True),
    ("True", True),
    ("~", None),
    ("null", None),
    ("1.5", 1.5),
    ("-.5", -0.5),
    ("1e3", 1000.0),
    ("+12", 12),
    ("'010'", "010"),
    ('"true"', "true"),
])
def test_plain_scalars_follow_yaml_1_2_core_schema(text, value):
    loaded = data_of(f"key: {text}\n")["key"]
    assert loaded == value and type(loaded) is type(value)


def test_agrees_with_ruamel_yaml_1_2_on_non_date_scalars():
    ruamel = pytest.importorskip("ruamel.yaml")
    yaml = ruamel.YAML(typ="safe", pure=True)
    scalars = ["NO", "on", "010", "0o17", "0x1F", "1.5", "-2", "true", "FALSE", "null", "~", "abc", "12:30", "+7"]
    text = "".join(f"k{i}: {s}\n" for i, s in enumerate(scalars))
    assert data_of(text) == yaml.load(text)


def test_bom_and_crlf_are_fine():
    result = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: x\r\n", "t.yaml")
    assert result.findings == []
    assert result.document.data == {"a": 1, "b": "x"}
    assert result.document.position(("b",)) == (2, 4)


def test_a_second_byte_order_mark_at_the_start_is_refused_where_it_stands():
    # Found by fuzzing fmt: ruamel.yaml and libyaml read a doubled BOM differently.
    result = load_bytes(b"\xef\xbb\xbf\xef\xbb\xbf# c\na: 1\n", "t.yaml")
    assert [(f.line, f.column, f.code.code) for f in result.findings] == [(1, 1, "Y001")]
    assert "second byte-order mark" in result.findings[0].message


def test_positions_count_characters_not_bytes():
    document = load_text('a: ["éé", x]\n', "t.yaml").document
    assert document.position(("a", 1)) == (1, 11)


def test_anchors_and_aliases_within_limits_are_allowed():
    assert data_of("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


# --- hostile and broken input ---------------------------------------------------------

@pytest.mark.parametrize("path", BAD_INPUT, ids=lambda p: p.name)
def test_bad_input_fixture_gives_one_clear_finding(path):
    (line, column, code, message), = expectations(path)
    result = load_file(path)
    assert result.document is None
    finding, = result.findings
    assert finding.code.code == code
    assert message in finding.message
    if line is not None:
        assert (finding.line, finding.column) == (line, column)


def test_nesting_a_million_deep_is_refused_without_crashing():
    result = load_text("[" * 1_000_000 + "]" * 1_000_000, "deep.yaml")
    assert codes_of(result) == ["Y006"]


def test_deep_block_nesting_is_refused():
    text = "".join(" " * i + "-\n" for i in range(400))
    assert codes_of(load_text(text, "deep.yaml")) == ["Y006"]


def test_deep_nesting_through_aliases_is_refused():
    text = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 300))
    assert codes_of(load_text(text, "alias-chain.yaml")) == ["Y006"]


def test_recursive_alias_is_refused():
    assert codes_of(load_text("a: &x [*x]\n", "t.yaml")) in (["Y005"], ["Y001"])


def test_5000_digit_integer_is_refused_not_crashing():
    result = load_text("a: " + "9" * 5000 + "\n", "t.yaml")
    assert codes_of(result) == ["Y009"]
    assert "5000 digits" in result.findings[0].message


def test_5000_digit_integer_in_json_is_refused_where_it_stands_in_our_words():
    result = load_text('{"a": [1,\n  ' + "9" * 5000 + "]}", "t.json", is_json=True)
    finding, = result.findings
    assert (finding.code.code, finding.line, finding.column) == ("Y009", 2, 3)
    assert finding.message == "integer of 5000 digits is too long (limit 4300); quote it"
    assert "sys.set_int_max_str_digits" not in finding.message


@pytest.mark.parametrize("digits, code", [(4300, None), (4301, "Y009")])
def test_the_integer_limit_is_the_same_in_json_and_yaml(digits, code):
    for text, is_json in (('{"a": ' + "1" * digits + "}", True), ("a: " + "1" * digits, False)):
        result = load_text(text, "t.json" if is_json else "t.yaml", is_json=is_json)
        assert codes_of(result) == ([code] if code else [])
        if code:
            assert (result.findings[0].line, result.findings[0].column) == (1, 7 if is_json else 4)


@pytest.mark.parametrize("raw", [b"", b" ", b"\t", b"\n\n", b"\r\n", b" \t\r\n\t\n", b"\xef\xbb\xbf",
                                 b"\xef\xbb\xbf\t\r\n", b"\t\t\n   \n\t"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_file_of_whitespace_is_empty_whatever_whitespace_it_holds(raw, suffix):
    result = load_bytes(raw, "t" + suffix, is_json=suffix == ".json")
    finding, = result.findings
    assert (finding.code.code, finding.line, finding.column) == ("Y008", 1, 1)
    assert finding.message.startswith(f"file holds no {'JSON' if suffix == '.json' else 'YAML'} document")


@pytest.mark.parametrize("text", ["# a comment\n\t\n", "\t# a comment\r\n", "#\n\t#"])
def test_comments_and_tabs_are_an_empty_yaml_file(text):
    assert codes_of(load_text(text, "t.yaml")) == ["Y008"]


@pytest.mark.parametrize("text, code", [("\x0b\n", "Y001"), ("\t\x0c", "Y001"), ("\t\n%YAML 1.1\n", "Y010"),
                                        ("\t\na: 1\n", None), ("# c\n---\n", None)])
def test_whitespace_around_something_is_not_an_empty_file(text, code):
    assert "Y008" not in codes_of(load_text(text, "t.yaml"))
    if code:
        assert codes_of(load_text(text, "t.yaml")) == [code]


@pytest.mark.parametrize("text", ["a: .nan\n", "a: .inf\n", "a: -.Inf\n", "a: 1e999\n"])
def test_non_finite_numbers_are_refused(text):
    assert codes_of(load_text(text, "t.yaml")) == ["Y009"]


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    finding, = load_file(path).findings
    assert (finding.code.code, finding.line, finding.column) == ("F002", 2, 7)
    assert "0xe9" in finding.message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert codes_of(load_file(path)) == ["F003"]


def test_utf16_file_is_refused_as_binary(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    assert codes_of(load_file(path)) == ["F003"]


def test_large_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    result = load_file(path)
    assert codes_of(result) == ["F004"]
    assert "50.0 MiB" in result.findings[0].message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert codes_of(load_file(path)) == ["Y008"]


def test_missing_file_is_an_io_error(tmp_path):
    finding, = load_file(tmp_path / "nope.yaml").findings
    assert finding.code.code == "F001" and finding.code.io_error


def test_limits_are_documented_constants():
    # The limits are part of what users are told; keep them sane.
    assert loading.MAX_DEPTH < loading.COMPOSER_SAFE_DEPTH
    assert loading.MAX_FILE_BYTES >= 1024 * 1024


def test_json_syntax_errors_are_placed_where_the_json_parser_stops():
    import json

    path = FIXTURES / "bad_input" / "trailing-comma.json"
    text = path.read_text()
    try:
        json.loads(text)
    except json.JSONDecodeError as error:  # where depends on the Python version: 3.13 names the comma
        expected = (error.lineno, error.colno, f"invalid JSON: {error.msg}")
    finding, = load_file(path).findings
    assert (finding.line, finding.column, finding.message) == expected


def test_an_unquoted_colon_in_a_value_suggests_quoting():
    (finding,) = load_text("title: Talks: round 2\n", "x.yaml").findings
    assert (finding.code.code, finding.line, finding.column) == ("Y001", 1, 13)
    assert 'quote it, e.g. title: "Talks: round 2"' in finding.message


def test_nesting_stopped_by_libyaml_itself_is_reported_as_too_deep():
    (finding,) = load_text("[" * 1200 + "]" * 1200, "deep.yaml").findings
    assert finding.code.code == "Y006"


def test_a_yaml_1_1_directive_is_refused_with_the_reason():
    (finding,) = load_text("%YAML 1.1\n---\ncountry: NO\n", "x.yaml").findings
    assert (finding.code.code, finding.line) == ("Y010", 1) and "%YAML 1.1" in finding.message
    assert load_text("%YAML 1.2\n---\ncountry: NO\n", "x.yaml").document.data == {"country": "NO"}


@pytest.mark.parametrize("char, name", [("\u2028", "LINE SEPARATOR"), ("\u2029", "PARAGRAPH SEPARATOR"),
                                        ("\x85", "NEL")])
def test_characters_yaml_versions_read_as_different_breaks_are_refused(char, name):
    (finding,) = load_text(f'title: "a{char}b"\n', "x.yaml").findings
    assert (finding.code.code, finding.line, finding.column) == ("Y011", 1, 10) and name in finding.message
    assert load_text('title: "a\\Lb\\Pc\\Nd"\n', "x.yaml").document.data == {"title": "a\u2028b\u2029c\x85d"}


def test_a_control_character_is_reported_where_it_stands_on_one_line():
    (finding,) = load_text("id: x\ntitle: bell\x07\n", "x.yaml").findings
    assert (finding.code.code, finding.line, finding.column) == ("Y001", 2, 12)
    assert finding.message == ("control character U+0007 is not allowed in YAML text; write it as an escape inside "
                               "double quotes (\\x07), or remove it")


def test_a_byte_order_mark_is_allowed_only_at_the_start():
    assert load_text("\ufeffid: x\n", "x.yaml").document.data == {"id": "x"}
    (finding,) = load_text("# note\n\ufeffid: x\n", "x.yaml").findings
    assert (finding.code.code, finding.line, finding.column) == ("Y001", 2, 1) and "byte-order mark" in finding.message
