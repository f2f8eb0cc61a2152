"""What the tests of the linked-data exports share: a shipped record as the loader reads it,
to be given Wikidata ids (schema 1.3) or another status in the test; and the CLI run."""

from __future__ import annotations

import copy
import io
import shutil
from pathlib import Path

from communique.documents.loading import load_file

from ..conftest import FIXTURES, RECORDS

SHAPES = FIXTURES / "shapes"

# Wikidata ids in the tests: the parties' are the real items (Pakistan, Afghanistan, the
# European Union, Qatar, Turkey); a meeting's or a series' is a placeholder far beyond any
# item yet made (the writers copy ids, they never look them up), so no test asserts a
# meeting is an item it is not.
PARTY_ITEMS = {"pk": "Q843", "af": "Q889", "eu": "Q458", "qa": "Q846", "tr": "Q43"}
MEETING_ITEM, NEXT_MEETING_ITEM, SERIES_ITEM = "Q9900000001", "Q9900000002", "Q9900000003"


def record(name: str) -> dict:
    """A shipped record (records/) or a shape example (tests/fixtures/shapes), as data."""
    path = RECORDS / f"{name}.yaml"
    if not path.exists():
        path = SHAPES / f"{name}.yaml"
    loaded = load_file(path)
    assert loaded.document is not None, loaded.findings
    return copy.deepcopy(loaded.document.data)


def written(module, records) -> tuple[str, list[str]]:
    """What a format's Writer writes for these records, and the notes it returns."""
    stream = io.StringIO()
    writer = module.Writer(stream)
    for one in records:
        writer.add(one)
    notes = writer.close()
    return stream.getvalue(), notes


def export(run, tmp_path: Path, output_format: str, *extra: str):
    """`communique export --format FORMAT -o FILE` over a copy of the shipped records (schema
    1.2); the result, and the file's text."""
    folder = tmp_path / "records"
    if not folder.exists():
        shutil.copytree(RECORDS, folder)
    out = tmp_path / f"out.{output_format}"
    result = run("export", "--format", output_format, "-o", out, folder, *extra)
    return result, out.read_text(encoding="utf-8") if out.exists() else ""
