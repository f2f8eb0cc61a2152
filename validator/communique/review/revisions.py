"""The records a side of a diff names: a file or folder as it is on disk, or the records
folder at a git revision, read from git's object store without checking anything out.

`communique diff main` compares `main` with the working tree; `A..B` compares two
revisions; a path is read from disk. What counts as a record at a revision is decided by
the configuration of the working tree (its records folder, include and exclude), so that
both sides are the same set of files at two moments.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import FILE_UNREADABLE, Finding
from ..documents.files import RecordFilter, discover, display_path, record_stem
from ..documents.loading import MAX_FILE_BYTES, load_bytes, load_file
from .facts import Record


class DiffInputError(Exception):
    """A side of the diff that names nothing readable: a usage error (exit 2)."""


@dataclass
class Side:
    """The records of one side, and the files that could not be read as records."""

    label: str
    records: list[Record] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def sides(old: str, new: str | None, record_filter: RecordFilter, records_folder: Path | None) -> tuple[Side, Side]:
    """The two sides `communique diff OLD [NEW]` names."""
    if new is None and ".." in old and not os.path.exists(old):
        old, new = old.split("..", 1)
        if not old or not new:
            raise DiffInputError(f"{old}..{new}: name a revision on both sides of `..`, e.g. main..HEAD")
        return at_revision(old, record_filter, records_folder), at_revision(new, record_filter, records_folder)

    def side(name: str) -> Side:
        return from_disk(name, record_filter) if os.path.exists(name) else \
            at_revision(name, record_filter, records_folder)

    first = side(old)
    if new is None:
        if records_folder is None:
            raise DiffInputError("name what to compare with, or the records folder in the configuration "
                                 '(records = "records")')
        return first, from_disk(str(records_folder), record_filter)
    return first, side(new)


def from_disk(path: str, record_filter: RecordFilter) -> Side:
    side = Side(display_path(path))
    found = discover([path], record_filter)
    for file in found.files:
        loaded = load_file(file)
        _add(side, display_path(file), loaded)
    return side


def at_revision(revision: str, record_filter: RecordFilter, records_folder: Path | None) -> Side:
    """The records under the records folder (else the whole tree) at `revision`."""
    try:
        top = _git_top()
    except DiffInputError:
        raise DiffInputError(f"{revision!r} is no file or folder, and this is no git repository to read a revision "
                             "of: give two files or folders to compare") from None
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    if commit is None:
        raise DiffInputError(f"{revision!r} is neither a file or folder nor a git revision here")
    folder = os.path.relpath(records_folder.resolve(), top) if records_folder is not None else "."
    listing = _git(["ls-tree", "-r", "-z", "--name-only", commit.strip(), "--", folder], top) or ""
    side = Side(revision)
    names = [name for name in listing.split("\0") if name.lower().endswith((".yaml", ".yml", ".json"))]
    for name in names:
        shown = display_path(os.path.join(top, name))
        if not record_filter.accepts(os.path.join(top, name)):
            continue
        raw = _blob(commit.strip(), name, top)
        if raw is None or len(raw) > MAX_FILE_BYTES:
            side.problems.append(Finding(shown, 1, 1, FILE_UNREADABLE, f"cannot read it at {revision}"))
            continue
        _add(side, shown, load_bytes(raw, shown, is_json=name.lower().endswith(".json")))
    return side


def _add(side: Side, shown: str, loaded) -> None:
    if loaded.document is None or not isinstance(loaded.document.data, dict):
        side.problems += loaded.findings or [Finding(shown, 1, 1, FILE_UNREADABLE, "not a record (no mapping)")]
        return
    data = loaded.document.data
    record_id = data.get("id") if isinstance(data.get("id"), str) else record_stem(shown)
    side.records.append(Record(record_id, shown, data))


def _git_top() -> str:
    top = _git(["rev-parse", "--show-toplevel"], os.getcwd())
    if top is None:
        raise DiffInputError("not in a git repository: give two files or folders to compare")
    return top.strip()


def _git(arguments: list[str], cwd: str) -> str | None:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                              errors="surrogateescape")
    except OSError:
        raise DiffInputError("git is not installed: give two files or folders to compare") from None
    return done.stdout if done.returncode == 0 else None


def _blob(commit: str, name: str, top: str) -> bytes | None:
    done = subprocess.run(["git", "cat-file", "blob", f"{commit}:{name}"], cwd=top, capture_output=True)
    return done.stdout if done.returncode == 0 else None
