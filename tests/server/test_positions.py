"""Ranges and edits in a record's text, as the editor is given them."""

from __future__ import annotations

from communique.core import findings as F
from communique.core.findings import Finding
from communique.documents.loading import load_text
from communique.lint.selection import known_codes
from communique.server.actions import suppressed_text
from communique.server.positions import finding_range, path_at, text_change

TEXT = 'title: Réunion à Genève\nseries:\n  id: example\n  round: 7\nnotes: a plain scalar\n  that runs on\n'


def document():
    return load_text(TEXT, "r.yaml").document


def finding(line: int, column: int, json_path: str | None, show_source: bool = True) -> Finding:
    return Finding("r.yaml", line, column, F.CODES["S104"], "m", json_path, show_source=show_source)


def test_a_finding_on_a_value_covers_the_value():
    lines = TEXT.split("\n")
    assert finding_range(document(), lines, finding(4, 10, "$.series.round")) == ((3, 9), (3, 10))
    # characters, not bytes: the accents count one each
    assert finding_range(document(), lines, finding(1, 8, "$.title")) == ((0, 7), (0, 23))


def test_a_finding_on_a_key_covers_the_key():
    assert finding_range(document(), TEXT.split("\n"), finding(2, 1, "$.series")) == ((1, 0), (1, 6))


def test_a_finding_on_the_whole_record_or_the_run_covers_a_line():
    lines = TEXT.split("\n")
    assert finding_range(document(), lines, finding(1, 1, None, show_source=False)) == ((0, 0), (0, 23))
    assert finding_range(None, lines, finding(0, 0, None)) == ((0, 0), (0, 23))


def test_a_multi_line_scalar_is_covered_to_its_end():
    assert finding_range(document(), TEXT.split("\n"), finding(5, 8, "$.notes")) == ((4, 7), (5, 14))


def test_the_path_at_a_position_tells_a_key_from_a_value():
    assert path_at(document(), (3, 3)) == (("series", "round"), True)
    assert path_at(document(), (3, 9)) == (("series", "round"), False)
    assert path_at(document(), (0, 10)) == (("title",), False)


def test_a_text_change_is_the_one_span_that_differs():
    old, new = "a: 1\nb: xyz\nc: 3\n", "a: 1\nb: XYZ\nc: 3\n"
    assert text_change(old, new) == ((1, 3), (1, 6), "XYZ")
    assert text_change(old, old) == ((3, 0), (3, 0), "")


def test_a_suppression_is_added_to_the_comment_already_on_the_line():
    text = "id: x  # communique: ignore[N003] named by its source\nkind: talks\n"
    found = Finding("r.yaml", 1, 5, known_codes()["X001"], "m", "$.id")
    assert suppressed_text(load_text(text, "r.yaml").document, found) == \
        "id: x  # communique: ignore[N003, X001] named by its source\nkind: talks\n"


def test_no_suppression_is_offered_where_a_comment_would_cut_a_value():
    found = Finding("r.yaml", 5, 8, known_codes()["X001"], "m", "$.notes")  # the first line of a plain scalar
    assert suppressed_text(document(), found) is None


def test_file_and_parse_problems_cannot_be_suppressed():
    found = Finding("r.yaml", 4, 10, F.CODES["Y001"], "m", None)
    assert suppressed_text(document(), found) is None
