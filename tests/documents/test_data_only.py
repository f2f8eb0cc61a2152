"""The fast data-only reader: where it answers, it answers as the full reader does."""

from __future__ import annotations

from pathlib import Path

import pytest
from communique.documents.data_only import read_data
from communique.documents.loading import load_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def full_data(raw: bytes, name: str = "t.yaml"):
    loaded = load_bytes(raw, name)
    return None if loaded.document is None else loaded.document.data


def test_the_projects_records_read_as_the_full_reader_reads_them():
    records = sorted((ROOT / "records").rglob("*.yaml"))
    assert records
    fast = 0
    for path in records:
        raw = path.read_bytes()
        data = read_data(raw, str(path))
        if data is not None:
            fast += 1
            assert data == full_data(raw, str(path)), path
    assert fast >= len(records) // 2  # the fast reader is not declining everything


@pytest.mark.parametrize("value", [
    "NO", "no", "yes", "010", "0o10", "0x1F", "-0x1", "1_000", "0b101", "2025-11-21", "12:30", "true", "True",
    "~", "Null", "", "1e3", ".5", "1.", "+1", "-0", "'1'", '"x\\u00e9"', "'it''s'", "[1, b, {c: d}]", "{}",
    "|\n  x\n  y", ">\n  x\n  y\n\n  z", "|-\n  x", "|+\n  x\n", "a # comment", "x:y",
])
def test_scalars_resolve_as_yaml_1_2_says(value):
    raw = f"a: {value}\nb: 1\n".encode()
    assert read_data(raw, "t.yaml") == full_data(raw)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",               # anchors: the full reader caps their expansion
    "a: !!str 1\n",                   # tags are refused by the full reader
    "a:\n\t- 1\n",                    # tabs: libyaml refuses some py-yaml12 reads
    "a: |\n  x",                      # no final line break: the readers end the block apart
    "a: 1\nb: |\n",                   # an empty block scalar at the end
    "a: 1\nb: >-  # folded\n# c\n",
    "a: .inf\n",                      # no infinity in JSON
    "a: 1e400\n",
    "1: x\n",                         # keys are strings
    "? [1]\n: x\n",
    "a: 1\n---\nb: 2\n",              # two documents (Y007)
    "- a\n",                          # not a mapping
    "a: [\n",                         # a syntax error
    "%YAML 1.1\n---\na: no\n",        # another YAML version
    "a: \x07\n",                      # a character YAML text cannot hold
    "a: 1\n" + "[" * 3000 + "\n",     # nesting the depth guard must measure
    "\ufeff\ufeffa: 1\n",             # a second byte-order mark
])
def test_declines_what_only_the_full_reader_can_judge(text):
    assert read_data(text.encode(), "t.yaml") is None


def test_declines_json_files_and_bytes_that_are_not_utf8():
    assert read_data(b'{"a": 1}\n', "t.json") is None
    assert read_data(b"a: \xff\n", "t.yaml") is None
    assert read_data(b"a: \x00\n", "t.yaml") is None


def test_a_repeated_key_is_the_one_known_difference():
    """Documented in the module: the full reader refuses it (Y002); this one keeps the last."""
    raw = (FIXTURES / "bad_input" / "duplicate-key.yaml").read_bytes()
    assert full_data(raw) is None
    assert read_data(raw, "t.yaml") is not None


_ATOMS = st.sampled_from([
    "a", "b c", "1", "0x1F", "0o7", ".5", "1e3", "1e400", "~", "null", "True", "no", "2024-01-02", "-", "+1",
    "1_0", "'q'", "'it''s'", '"d\\u00e9"', '"x\\n"', "é", "[1, b]", "{k: v}", "[]", "{}", "''", '""', "- x", "|",
    ">-", "|+", "# c", "a #b", "a: b", "? x", ":", "x:y", "'", '"', "[", "{", "  ", "\\"])
_LINES = st.builds(lambda indent, key, values: " " * indent + key + ":" + "".join(" " + v for v in values),
                   st.integers(0, 6), st.sampled_from(["a", "b", "id", "- a", "- ", "? a", "'k'", '"k"', "k k"]),
                   st.lists(_ATOMS, max_size=3))
_FREE = st.builds(lambda indent, values: " " * indent + " ".join(values), st.integers(0, 6),
                  st.lists(_ATOMS, min_size=1, max_size=3))
_TEXTS = st.lists(st.one_of(_LINES, _LINES, _FREE), min_size=1, max_size=12).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_TEXTS)
def test_wherever_both_readers_give_data_it_is_the_same(text):
    raw = text.encode()
    data = read_data(raw, "t.yaml")
    if data is None:
        return
    full = full_data(raw)
    if full is not None:
        assert data == full
