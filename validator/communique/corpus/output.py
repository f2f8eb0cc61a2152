"""Putting a built output in place whole: a folder of files, or one database file.

Outputs are built beside their target and moved in at the end, so an interrupted run leaves
the previous output, not half of a new one. A folder or file that holds something else is
never replaced: an output folder must be empty, missing, or one this command wrote before
(it holds the marker file); a database path must be missing or an SQLite database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from ..documents.writing import umask

SQLITE_HEADER = b"SQLite format 3\x00"
T = TypeVar("T")


class RefusedOutput(Exception):
    """The target holds something this command did not write; it was left alone."""


def check_folder(target: Path, marker: str, what: str) -> None:
    if target.exists() and not target.is_dir():
        raise RefusedOutput(f"{target} is a file, not a folder for {what}")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        raise RefusedOutput(f"{target} is not empty and holds no {marker}: it does not look like {what} "
                            "written before, so it was left alone; give an empty or new folder")


def replace_folder(target: Path, files: dict[str, str | bytes], marker: str, what: str) -> None:
    """Write `files` (relative path -> content) as folder `target`, replacing a previous
    output there. Raises RefusedOutput or OSError; on either, `target` is as it was."""

    def write(building: Path) -> None:
        for name, content in files.items():
            path = building / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    build_folder(target, write, marker, what)


def build_folder(target: Path, write: Callable[[Path], T], marker: str, what: str) -> T:
    """Call `write(folder)` to fill a new folder beside `target`, then put it in place of
    `target`, as replace_folder does; what `write` returns. Files are written as they are
    made, so a large output need not be held in memory."""
    check_folder(target, marker, what)
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        result = write(building)
        building.chmod(0o777 & ~umask())
        _swap_in(building, target)
        return result
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _swap_in(building: Path, target: Path) -> None:
    if not target.exists():
        os.replace(building, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.resolve().parent))
    os.replace(target, retired / "previous")
    try:
        os.replace(building, target)
    except OSError:
        os.replace(retired / "previous", target)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def check_database(target: Path) -> None:
    if target.is_dir():
        raise RefusedOutput(f"{target} is a folder, not a database file")
    if target.exists():
        with open(target, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise RefusedOutput(f"{target} exists and is not an SQLite database, so it was left alone")


def replace_file(target: Path, build: Callable[[Path], None]) -> None:
    """Call `build(path)` to make a new file beside `target`, then rename it over `target`."""
    check_database(target)
    parent = target.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    os.close(handle)
    os.unlink(temporary)  # the builder creates it
    try:
        build(Path(temporary))
        os.chmod(temporary, 0o666 & ~umask())
        os.replace(temporary, target)
    finally:
        for leftover in (temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm"):
            try:
                os.unlink(leftover)
            except FileNotFoundError:
                pass

