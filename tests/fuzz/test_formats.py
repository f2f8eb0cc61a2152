"""The exports for other tools, on any schema-valid record: each writer ends cleanly, and
what it writes is still its format (JSON documents, JSON lines, QuickStatements V1 read
back against the grammar of tests/corpus/test_quickstatements.py)."""

from __future__ import annotations

import io
import json

from communique.corpus import formats
from hypothesis import given
from hypothesis import strategies as st

from ..corpus.test_quickstatements import parse
from .strategies import valid_records


@given(valid_records(), st.sampled_from(sorted(formats.MODULES)))
def test_every_format_writes_any_valid_record(record, output_format):
    stream = io.StringIO()
    writer = formats.writer(stream, output_format)
    writer.add(record)
    notes = writer.close()
    assert all(isinstance(note, str) and "\n" not in note for note in notes)
    text = stream.getvalue()
    if output_format == "quickstatements":
        if text:
            parse(text)
    elif output_format == "plover":
        for line in text.splitlines():
            assert json.loads(line)["event"] in (["CONSULT"], ["AGREE"])
    else:
        json.loads(text)
