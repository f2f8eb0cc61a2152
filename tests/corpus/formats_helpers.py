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
