"""`communique diff` says nothing where nothing was said differently: a record against
itself, and a record against what `fmt` makes of it, for any record."""

from __future__ import annotations

from communique.documents.loading import load_text
from communique.review.facts import compare_records
from communique.rewrite.formatting import format_text
from communique.rewrite.formatting.errors import Unformattable
from hypothesis import assume, given
from hypothesis import strategies as st

from .strategies import record_texts, valid_records


@given(valid_records(), st.randoms(use_true_random=False))
def test_a_record_against_itself_shuffled_is_no_change(record, random):
    """The same record with every list of named items and every mapping re-ordered."""
    def shuffled(value):
        if isinstance(value, dict):
            items = list(value.items())
            random.shuffle(items)
            return {key: shuffled(item) for key, item in items}
        if isinstance(value, list):
            items = [shuffled(item) for item in value]
            random.shuffle(items)
            return items
        return value

    assert compare_records(record, record) == []
    assert compare_records(record, shuffled(record)) == []


@given(record_texts())
def test_a_record_against_what_fmt_makes_of_it_is_no_change(text):
    loaded = load_text(text, "record.yaml")
    assume(loaded.document is not None and isinstance(loaded.document.data, dict))
    try:
        formatted = format_text(text, loaded.document.data, "record.yaml")
    except Unformattable:
        return  # fmt leaves such a file alone (K002), so there is nothing to compare
    reloaded = load_text(formatted, "record.yaml").document
    assert reloaded is not None, formatted
    assert compare_records(loaded.document.data, reloaded.data) == []
