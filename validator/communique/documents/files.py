"""Finding the record files: the paths named on the command line, walked and filtered by
the configuration's `include` and `exclude`.

Which files are records is configuration, and it applies to files named on the command
line too (as ruff's `force-exclude` does), so that pre-commit or a shell glob can hand the
tool any file: a workflow or the pre-commit configuration is skipped, not checked as a
record.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
# `<id>.communique.yaml`: the name by which editors know a record without any wiring (the
# JSON Schema Store catalog's fileMatch, communique.schema.catalog); `<id>.yaml` works too.
RECORD_NAME_MARK = ".communique"
# The largest source text the quote check reads (`max-source-bytes`): the longest communique
# is a few hundred KB, so 10 MB leaves room and still refuses a stray disk image.
DEFAULT_MAX_SOURCE_BYTES = 10_000_000
# Folders never worth walking into when a parent folder was given.
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", "build", "dist"}
STDIN = "-"
STDIN_NAME = "<stdin>"  # how standard input is shown without --stdin-filename


def record_stem(path: str | os.PathLike) -> str:
    """The id a record's file name gives: both `<id>.yaml` and `<id>.communique.yaml` give `<id>`."""
    stem = Path(path).stem
    return stem.removesuffix(RECORD_NAME_MARK)


def named_for_editors(folder: Path) -> bool:
    """Whether a folder's records take the name editors know (`<id>.communique.yaml`), so
    that a new record there follows suit."""
    try:
        return any(folder.glob(f"*{RECORD_NAME_MARK}.y*ml"))
    except OSError:
        return False


@dataclass
class RecordFilter:
    """Which files are records: those in the records folder (matched as a path prefix, so
    any folder name works), or those `include` globs match, less those `exclude` globs
    match (gitignore syntax, relative to the configuration's folder). Without any of them,
    every file is a candidate."""

    root: Path
    include: object = None  # a pathspec.GitIgnoreSpec, or None
    exclude: object = None
    folder: str | None = None  # the records folder, relative to root, when include is not set
    origin: str | None = None  # the configuration file's name, for messages

    @classmethod
    def build(cls, root: Path, include: list[str], exclude: list[str], folder: str | None = None,
              origin: str | None = None) -> "RecordFilter":
        if not include and not exclude:
            return cls(root, folder=folder, origin=origin)
        import pathspec

        return cls(root, pathspec.GitIgnoreSpec.from_lines(include) if include else None,
                   pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None,
                   None if include else folder, origin)

    @property
    def active(self) -> bool:
        return self.include is not None or self.exclude is not None or self.folder is not None

    def accepts(self, path: str, *, folder: bool = False) -> bool:
        if not self.active:
            return True
        relative = self._relative(path)
        if relative is None:
            return self.include is None and self.folder is None
        if self.exclude is not None and self.exclude.match_file(relative + "/" if folder else relative):
            return False
        if self.folder is not None:
            inside = relative == self.folder or relative.startswith(self.folder + "/")
            if folder:  # a folder above the records folder must be walked to reach it
                return inside or relative == "." or self.folder.startswith(relative + "/")
            return inside and relative.lower().endswith(RECORD_SUFFIXES)  # not records/.gitkeep
        return folder or self.include is None or self.include.match_file(relative)

    def excludes_folder(self, path: str) -> bool:
        """Whether `exclude` (rather than being outside the records folder) leaves a folder out."""
        relative = self._relative(path)
        return self.exclude is not None and relative is not None and self.exclude.match_file(relative + "/")

    def _relative(self, path: str) -> str | None:
        """relative_to(path, root), by a prefix of the absolute path where it has the root's:
        a walk asks this of every file, and the general way costs several times as much."""
        absolute, root = os.path.abspath(path), os.path.abspath(self.root)
        if absolute.startswith(root) and absolute[len(root):len(root) + 1] == os.sep:
            return absolute[len(root) + 1:].replace(os.sep, "/")
        return relative_to(path, self.root)


@dataclass
class Discovery:
    """What the paths named on the command line came to."""

    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # named, but not records by the configuration
    empty: list[str] = field(default_factory=list)  # folders holding no records
    filtered: int = 0  # .yaml/.yml/.json files in the folders walked that are not records by the configuration
    pruned: int = 0  # folders the configuration excludes, left unwalked
    walked: set = field(default_factory=set)  # the folders walked whole (recursively), normalised
    named_files: bool = False  # files were named too (taken whatever their suffix or folder)

    def files_in(self, folders) -> list[str] | None:
        """The files found directly in `folders` (not their subfolders), as a walk of each
        would list them; None unless every one of them was walked whole here, and only
        folders were named."""
        if self.named_files or not set(folders) <= self.walked:
            return None
        by_folder: dict[str, list[str]] = {}
        for name in self.files:
            by_folder.setdefault(os.path.normpath(os.path.dirname(name) or os.curdir), []).append(name)
        return [name for folder in folders for name in by_folder.get(folder, [])]

    def files_under(self, folder: str) -> list[str] | None:
        """The files found in `folder` and below, as a walk of it would list them; None
        unless it was walked whole here, and only folders were named."""
        folder = os.path.normpath(folder)
        if self.named_files or folder not in self.walked:
            return None
        if folder == os.curdir:
            return [name for name in self.files if name != STDIN and not os.path.isabs(name)
                    and not os.path.normpath(name).startswith(os.pardir)]
        prefix = folder.rstrip(os.sep) + os.sep
        return [name for name in self.files if os.path.normpath(name).startswith(prefix)]


def discover(paths, record_filter: RecordFilter | None = None, *, recursive: bool = True) -> Discovery:
    """Record files under `paths`, sorted within each folder and de-duplicated.

    A file named explicitly is checked whatever its suffix, unless the filter excludes it;
    folders are walked for .yaml/.yml/.json, skipping hidden folders, the usual build and
    environment folders, and whatever the filter excludes. `-` stands for standard input.
    """
    found = Discovery()
    record_filter = record_filter or RecordFilter(Path.cwd())
    for given in paths:
        given = str(given)
        if given == STDIN:
            found.files.append(STDIN)
            found.named_files = True
            continue
        path = Path(given)
        try:
            kind = "folder" if path.is_dir() else "file" if (path.exists() or path.is_symlink()) else None
        except (OSError, ValueError):  # a name too long, a NUL byte: no such file
            kind = None
        if kind == "folder":
            if recursive:
                found.walked.add(os.path.normpath(given))
            walked, filtered, pruned = _walk(path, record_filter, recursive)
            found.files.extend(walked)
            found.filtered += filtered
            found.pruned += pruned
            if not walked:
                found.empty.append(given)
        elif kind == "file":
            found.named_files = True
            (found.files if record_filter.accepts(given) else found.skipped).append(given)
        else:
            found.missing.append(given)
    seen: set[str] = set()
    unique = []
    for name in found.files:
        key = file_key(name) if name != STDIN else STDIN
        if key not in seen:
            seen.add(key)
            unique.append(name)
    found.files = unique
    return found


_FILE_KEYS: dict[str, str] = {}  # path -> file_key, for this run (forget_file_keys)


def file_key(path: str) -> str:
    """One key per file on disk, however it is named: a symlink or `a/../b` is the same file
    (resolved once per path and run). A file that is no link is its folder's key and its
    name: one lstat (none for a file a walk listed, which knows its links), with the folder
    resolved once for all its files (10,000 full resolutions cost a third of a run answered
    from the cache)."""
    key = _FILE_KEYS.get(path)
    if key is None:
        folder, name = os.path.split(path)
        if os.path.islink(path) or name in ("", os.curdir, os.pardir):
            key = os.path.normcase(os.path.realpath(path))
        else:
            key = _plain_file_key(folder, name)
        _FILE_KEYS[path] = key
    return key


def _plain_file_key(folder: str, name: str) -> str:
    """The key of a file that is no link: its folder's, resolved once for all its files."""
    return os.path.normcase(os.path.join(_folder_key(folder or os.curdir), name))


@lru_cache(maxsize=None)
def _folder_key(folder: str) -> str:
    return os.path.realpath(folder)


def forget_file_keys() -> None:
    """Resolve paths afresh: links may have changed since an earlier run in this process."""
    _FILE_KEYS.clear()
    _folder_key.cache_clear()
    _repository_of.cache_clear()


def find_records(paths, record_filter: RecordFilter | None = None) -> tuple[list[str], list, Discovery]:
    """Record files under `paths`, and a finding (an I/O error) for each path that does not
    exist. Folders and files that hold no records are reported by the summary, not here."""
    from ..core import findings as F

    found = discover(paths, record_filter)
    problems = [F.Finding(p, 1, 1, F.FILE_UNREADABLE, "no such file or directory") for p in found.missing]
    return found.files, problems, found


def _walk(folder: Path, record_filter: RecordFilter, recursive: bool = True) -> tuple[list[str], int, int]:
    """Record files under `folder` (a FIFO or a device among them is refused when read, never
    opened), sorted; how
    many record-like files the filter left out, and how many folders it excluded. Without
    `recursive`, only the folder's own files."""
    found, filtered, pruned = [], 0, 0
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        # A file listed here that is no link has its key without an lstat, unless the folder
        # was named through '..', which the listed paths lose (normpath), with where it led.
        primed = os.pardir not in Path(current).parts
        for entry in entries:
            if passed_over(entry.name, folder=False):
                continue
            path = os.path.normpath(entry.path)  # "./a.yaml" is shown as "a.yaml"
            try:
                if entry.is_dir():
                    if passed_over(entry.name, folder=True) or not recursive:
                        continue
                    if record_filter.accepts(path, folder=True):
                        folders.append(path)
                    elif record_filter.excludes_folder(path):
                        pruned += 1
                    continue
                # A pipe or a device is listed, to be refused by name (F001), never opened.
                is_record = entry.name.lower().endswith(RECORD_SUFFIXES) and (
                    entry.is_file() or os.path.exists(entry.path))
            except OSError:
                continue
            if is_record and record_filter.accepts(path):
                found.append(path)
                if primed and not entry.is_symlink():
                    _FILE_KEYS[path] = _plain_file_key(os.path.normpath(current), entry.name)
            elif is_record:
                filtered += 1
        pending.extend(reversed(folders))
    return found, filtered, pruned


def passed_over(name: str, *, folder: bool) -> bool:
    """Whether walks pass a file or folder of this name by: hidden ones, and the usual
    build and environment folders."""
    return name.startswith(".") or (folder and name in SKIPPED_DIRS)


def relative_to(path, root) -> str | None:
    """`path` relative to `root`, in posix form ("." for the root itself); None when it lies
    outside. Compared as written and, failing that, with links resolved (only then: a
    walk's filter asks this of every file, and resolving both costs ten times the rest)."""
    for resolved in (os.path.abspath, os.path.realpath):
        try:
            relative = os.path.relpath(resolved(path), resolved(root))
        except ValueError:  # another drive, on Windows
            continue
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return Path(relative).as_posix()
    return None


def display_path(path) -> str:
    """A path as the user would type it: relative to the current folder when it lies below it."""
    relative = relative_to(path, os.getcwd())
    return str(path) if relative is None else relative


class NotRegularFile(Exception):
    """A path that is a pipe, a device or a socket: never read (it could block for ever, or
    never end)."""


class FileTooLarge(Exception):
    """A regular file larger than the caller's limit; `size` says by how much."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def read_regular(path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, read only after it is known to be one and to
    hold at most `limit` bytes (NotRegularFile, FileTooLarge; an OSError as the system
    gives it). A pipe is never opened blocking: the file is checked by name first (opening a
    device can act on it), then opened without waiting for a writer and checked again by
    descriptor, so one swapped in between is refused too; and no more than `limit` + 1 bytes
    are read from a file that grew meanwhile."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile(path)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(path)
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        return handle.read(limit + 1)


class LinkOutside(Exception):
    """A record path that is (or passes through) a link resolving outside its repository."""

    def __init__(self, target: str, root: str):
        super().__init__(target, root)
        self.target, self.root = target, root


def read_record(path, limit: int) -> bytes:
    """A record file's bytes, as read_regular reads them, once it is known not to lead out of
    its repository (LinkOutside): a committed `records/x.yaml -> /etc/passwd` would put the
    file's first line into every report."""
    outside = link_outside(path)
    if outside is not None:
        raise LinkOutside(*outside)
    return read_regular(path, limit)


def link_outside(path) -> tuple[str, str] | None:
    """(target, repository) when `path`, its links resolved, lies outside the repository
    that holds it as written; None otherwise. A path through no link costs one lstat (its
    folder is resolved once per run)."""
    folder, name = os.path.split(os.path.abspath(path))
    if _folder_key(folder) == folder and not os.path.islink(path):
        return None
    target = os.path.realpath(path)
    root = _repository_of(folder)
    return None if relative_to(target, _folder_key(root)) is not None else (target, root)


@lru_cache(maxsize=None)
def _repository_of(folder: str) -> str:
    """The repository a record in `folder` belongs to: that of the nearest configuration
    (its git top, or its outermost configuration); without one, the nearest folder holding
    `.git`; else the current folder when `folder` lies in it, else `folder` itself."""
    from pathlib import Path

    from .repository import find_config, project_root

    config = find_config(Path(folder))
    if config is not None:
        return str(project_root(config))
    for candidate in (Path(folder), *Path(folder).parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return os.getcwd() if relative_to(folder, os.getcwd()) is not None else folder
