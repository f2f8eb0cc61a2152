"""The records that can become rows: those that load, match the schema, and whose ids hold.

Tables have keys, and a key that does not hold (a reference to a party the record does not
define, an id used twice, two records with one id) would give a table that lies about its
keys. Such records are left out with the finding that explains why, as for records that do
not match the schema; the caller exits non-zero. Nothing is left out silently.

Only each record's data is kept, not its node tree, and the cyclic garbage collector is off
while records are read (as in `checking`); many files are read in one worker process per
CPU, as `check` reads them. The commands keep less still: each record's rows, page or data
go to a `Spool` on disk as it arrives (or straight to the output), and only a small `Entry`
stays in memory, so that a corpus of any size fits.
"""

from __future__ import annotations

import gc
import pickle
import tempfile
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Iterator

from ..core.findings import Finding
from ..documents.files import display_path, find_records

# The rules whose errors break a table's keys: an undefined reference, a repeated id.
KEY_RULES = ("R001", "R002")


@dataclass(frozen=True)
class Entry:
    """One record that made it: where it came from, its data (unless dropped), and what was
    made of it where it was read: its table rows, its page."""

    path: str  # as the user would type it, for findings
    record_id: str
    recency: tuple  # tables.recency: when the meeting began, for "most recent wins"
    id_position: tuple[int, int] = (0, 0)  # line and column of its id, for a later X001
    data: dict[str, Any] | None = None
    rows: dict[str, list] | None = None
    page: str | None = None
    file: str | None = None  # for the tables' `file` column: see file_column
    offset: int | None = None  # where a Spool holds its data, rows and page


@dataclass(frozen=True)
class Wanted:
    """What to make of each record while it is read (in the worker that read it), and
    whether to keep its data: a 10,000-record corpus is large as Python objects, its rows
    and pages much less so."""

    rows: bool = False
    page: Callable[[dict, dict], str] | None = None  # (record, its rows) -> HTML
    data: bool = True
    keys: bool = True  # leave out records whose ids would break a table's keys (the flat exports need not)
    root: str | None = None  # the folder the tables' `file` column is relative to (None: the working folder)


@dataclass
class Collected:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    found: Any = None  # files.Discovery: skipped and missing paths, empty folders


def collect(paths, record_filter=None, wanted: Wanted = Wanted(),
            keep: Callable[[Entry], Entry] | None = None) -> Collected:
    """The usable records under `paths`, in path order, and the problems of the others.
    `keep` is given each usable entry as it is read and returns what to hold of it (e.g.
    Spool.put), so that the corpus need not fit in memory."""
    files, problems, found = find_records(paths, record_filter)
    result = Collected(problems=problems, found=found)
    collecting = gc.isenabled()
    gc.disable()
    try:
        kept = []
        for entry, file_problems in _read_all(files, wanted):
            result.problems.extend(file_problems)
            if entry is not None:
                kept.append(keep(entry) if keep else entry)
    finally:
        if collecting:
            gc.enable()
    result.entries = _unique_ids(kept, result.problems) if wanted.keys else kept
    return result


class Spool:
    """Each entry's data, rows and page in a temporary file, read back one at a time: the
    outputs need records in an order known only once all are read (most recent last, ids
    checked), and holding them all in memory would take gigabytes for a large corpus."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="communique-spool-")

    def put(self, entry: Entry) -> Entry:
        """Store the entry's payload; what stays in memory is the entry without it."""
        self._file.seek(0, 2)
        offset = self._file.tell()
        pickle.dump((entry.data, entry.rows, entry.page), self._file, protocol=pickle.HIGHEST_PROTOCOL)
        return replace(entry, data=None, rows=None, page=None, offset=offset)

    def get(self, entry: Entry) -> Entry:
        """The entry with its payload back."""
        self._file.seek(entry.offset)
        data, rows, page = pickle.load(self._file)
        return replace(entry, data=data, rows=rows, page=page)

    def in_recency_order(self, entries: list[Entry]) -> Iterator[Entry]:
        """The entries, whole, in the order of tables.build: most recent last."""
        for entry in sorted(entries, key=lambda entry: entry.recency):
            yield self.get(entry)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# Files read by one pool of workers: a worker sends its results a chunk (a sixteenth of
# the files it is given) at a time, so a pool given a whole large corpus would hold
# thousands of rows and pages at once, in the worker and again here.
BATCH = 2000


def _read_all(files: list[str], wanted: Wanted):
    """(entry or None, problems) for each file, in order; across processes for many files."""
    from ..run.parallel import map_in_order

    for start in range(0, len(files), BATCH):
        yield from map_in_order(partial(_read, wanted=wanted), files[start:start + BATCH])


def _read(path: str, wanted: Wanted) -> tuple[Entry | None, list[Finding]]:
    problems: list[Finding] = []
    return _entry(path, problems, wanted), problems


def _entry(path: str, problems: list[Finding], wanted: Wanted) -> Entry | None:
    from ..documents.loading import load_file
    from ..lint.rules import RULES, all_rules
    from ..lint.rules.context import RecordContext
    from ..run.checking import placed_finding
    from ..schema.validation import validate_document

    all_rules()
    loaded = load_file(path)
    problems.extend(loaded.findings)
    document = loaded.document
    if document is None:
        return None
    schema_problems = validate_document(document)
    if schema_problems:
        problems.extend(schema_problems)
        return None
    context = RecordContext(document, None)
    key_problems = [placed_finding(document, RULES[code].code, violation)
                    for code in (KEY_RULES if wanted.keys else ()) for violation in RULES[code].check(context)]
    if key_problems:
        problems.extend(key_problems)
        return None
    from .tables import recency, record_rows

    data, shown, file = document.data, display_path(document.path), file_column(document.path, wanted.root)
    rows = record_rows(data, file) if wanted.rows or wanted.page else None
    return Entry(shown, data["id"], recency(data), document.position(("id",)), data if wanted.data else None,
                 rows if wanted.rows else None, wanted.page(data, rows) if wanted.page else None, file)


def file_column(path: str, root: str | None) -> str:
    """Where a record is, for the tables: relative to `root` (the configuration's folder, or
    the working folder), in posix form, however the path was given. An absolute path would
    tie the published tables to one machine and differ between runs that name the same
    files differently; a record outside `root` is reached with `..`."""
    import os
    from pathlib import Path

    base = os.path.abspath(root or os.getcwd())
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:  # another drive, on Windows: no relative path exists
        return Path(os.path.abspath(path)).as_posix()


def _unique_ids(entries: list[Entry], problems: list[Finding]) -> list[Entry]:
    """Entries whose id no other entry uses; for the others, an X001 finding each."""
    from ..lint.rules import RULES
    from ..schema.validation import format_json_path

    by_id: dict[str, list[Entry]] = {}
    for entry in entries:
        by_id.setdefault(entry.record_id, []).append(entry)
    unique = []
    for entry in entries:
        sharing = by_id[entry.record_id]
        if len(sharing) == 1:
            unique.append(entry)
            continue
        others = ", ".join(sorted(e.path for e in sharing if e is not entry))
        line, column = entry.id_position
        problems.append(Finding(entry.path, line, column, RULES["X001"].code,
                                f"record id {entry.record_id!r} is also used by {others}; neither is exported",
                                format_json_path(("id",))))
    return unique
