"""A001 reads what the reader noted while building a record's values (whether any plain
scalar reads otherwise to YAML 1.1) and walks the tree only when one does: its findings
must be what the walk alone finds, whatever the text."""

from __future__ import annotations

from dataclasses import replace

from communique.documents.loading import load_text
from communique.lint.rules.context import RecordContext
from communique.lint.rules.yaml_versions import yaml_version_ambiguity
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ...conftest import FIXTURES, RECORDS

# Plain scalars that YAML 1.1 and 1.2 read alike, and ones they read differently.
ALIKE = ["Oslo", "Norway", "talks", "2nd round", "Turkiye", "nothing", "offer", "x-1", "ninety", "Year 2025"]
DIFFERENT = ["NO", "yes", "on", "Off", "010", "1:20", "2025-11-21", "0b101", "1_000", "+.5", "y", "=", "<<", "~x"]


def findings(document) -> list[tuple]:
    return [(v.json_path, v.message, v.key) for v in yaml_version_ambiguity(RecordContext(document, None))]


def assert_as_the_walk_finds(text: str) -> bool | None:
    """The rule's findings on `text` as read, and as the walk alone gives them; the note."""
    document = load_text(text, "r.yaml").document
    walked = findings(replace(document, yaml11_differs=None))  # not noted: the rule walks the tree
    assert findings(document) == walked
    assert document.yaml11_differs in (None, bool(walked))
    return document.yaml11_differs


def test_the_note_matches_the_walk_on_every_record_and_fixture():
    texts = [path.read_text(encoding="utf-8") for path in [*RECORDS.glob("*.yaml"), *FIXTURES.rglob("*.yaml")]]
    notes = []
    for text in texts:
        if load_text(text, "r.yaml").document is not None:
            notes.append(assert_as_the_walk_finds(text))
    assert False in notes and True in notes  # both kinds met: the fast path and the walk


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALIKE + DIFFERENT), st.sampled_from(ALIKE + DIFFERENT),
                          st.sampled_from(["map", "seq", "key"])), min_size=1, max_size=6, unique_by=lambda t: t[0]))
def test_a_plain_scalar_anywhere_is_found_as_the_walk_finds_it(items):
    lines = ["id: r"]
    for index, (first, second, shape) in enumerate(items):
        if shape == "map":
            lines.append(f"field{index}: {first}")
        elif shape == "seq":
            lines.append(f"list{index}:\n  - {first}\n  - {second}")
        else:
            lines.append(f"nested{index}:\n  {first}: {second}")
    text = "\n".join(lines) + "\n"
    assume(load_text(text, "r.yaml").document is not None)  # `010:` or `+.5:` is a key that is no string
    assert assert_as_the_walk_finds(text) is not None  # noted, with no anchor in the text
