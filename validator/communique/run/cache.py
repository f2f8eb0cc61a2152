"""A cache of per-file results, so that a run costs only what changed.

What checking one file finds depends on its bytes, its path, the tool's version (schemas and
rules come with it), which rules run, and the source texts of the quote check. The cache
key is a hash of all of these, so an entry can never answer for a file that changed, nor
for another configuration: a changed file is simply a miss. A file is read to make its key
only when its stat signature moved since it was last read (`stat_signature`). The
cross-record findings are cached under a key made of every file's key.

The entries of one kind of run in one folder are one SQLite database under the user's cache
folder (platformdirs). A run looks up only the files it checks, one at a time, and writes
its new results in batches as they come: memory holds neither the whole cache nor a copy of
it being written, however many records there are (a single pickled dictionary held both).
Parallel runs share it safely (SQLite's locks, with write-ahead logging so readers never
wait). A database that does not open or read back is replaced by an empty one, and a write
that cannot be made is skipped: a stale or corrupt cache never changes a result, only the
time it takes. Deleting the folder is always safe. `--no-cache` bypasses it;
COMMUNIQUE_CACHE_DIR moves it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK

from ..core.findings import CODES, Finding
from ..core.version import __version__

FORMAT = 6  # bump when what an entry holds changes
WRITE_BATCH = 500  # results written per transaction


@dataclass
class FileResult:
    """What checking one file leaves behind once its document is released."""

    findings: list[Finding]
    suppressions: dict | None = None
    summary: object = None  # a rules.corpus.RecordSummary when the corpus rules need one
    # False when the record fails the schema: record and corpus rules did not run on it, so
    # its suppressions of their codes cannot be judged unused.
    rules_run: bool = True
    fixable: frozenset[str] = frozenset()  # JSON paths with a safe fix (Options.count_fixes)
    cache_key: str | None = None  # the file's cache key, when it has one
    # Its stat signature when it was read to make its key (cache.stat_signature); None when
    # the key came from an unchanged signature, which needs no remembering again.
    signature: tuple | None = None
    cached: bool = False  # it came from the cache


def cache_dir() -> Path:
    configured = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("communique", appauthor=False))


# Connections a forked worker found open in its parent's copy of a cache: kept referenced,
# so that they are never closed (nor checkpointed) from the wrong process.
_INHERITED: list = []

_TABLES = """
CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, value BLOB NOT NULL,
                                    summary BLOB);
CREATE TABLE IF NOT EXISTS signatures (name TEXT PRIMARY KEY, signature BLOB NOT NULL, key TEXT NOT NULL);
"""
# The entry of a file read one way (name) whose stat signature is as it was when it was read.
_KNOWN = ("SELECT {columns} FROM signatures AS s JOIN entries AS e ON e.key = s.key "
          "WHERE s.name = ? AND s.signature = ?")


class Cache:
    """The results of one kind of run (same version, rules and sources: the run key), in
    one database per run key and working folder. Each process (a worker, the parent) opens
    its own connection: SQLite connections do not cross a fork."""

    def __init__(self, folder: Path, run_key: bytes):
        self.folder, self.run_key = folder, run_key
        self.file = folder / (hashlib.sha256(run_key + os.getcwd().encode("utf-8", "surrogatepass")).hexdigest()
                              + ".sqlite3")
        self._connections: dict[str, sqlite3.Connection | None] = {}
        self._pid = os.getpid()
        self._entries: list[tuple] = []  # (key, name, value, summary) waiting to be written
        self._signatures: list[tuple] = []  # (name, signature, key) waiting to be written
        self.writable = True
        # `check` asks for a cached record's summary only when the cross-record findings are
        # not cached too (`summary`): an unchanged corpus then unpickles no summary at all.
        self.summaries_later = False

    def __getstate__(self) -> dict:  # to a worker started by a fork server: no connection crosses
        return {**self.__dict__, "_connections": {}, "_entries": [], "_signatures": []}

    @classmethod
    def for_run(cls, options) -> "Cache":
        rules = sorted(r.code.code for scope in ("document", "record", "corpus")
                       for r in options.record_rules(scope)) if options.lint else []  # validate loads no rules
        digest = hashlib.sha256()
        for part in (f"format {FORMAT}", __version__, str(options.lint), str(options.schema),
                     f"fixes counted {options.count_fixes is not None}", *rules,
                     f"max-source-bytes {options.config.max_source_bytes}"):
            digest.update(part.encode() + b"\0")
        digest.update(_sources_fingerprint(options.sources))
        return cls(cache_dir() / f"v{FORMAT}", digest.digest())

    # --- connections -------------------------------------------------------------------

    def _connection(self, write: bool) -> sqlite3.Connection | None:
        """This process's reading or writing connection; None when the cache cannot be used
        (then every lookup misses, and nothing is written)."""
        if self._pid != os.getpid():  # a forked worker: the parent's connections are not its own
            _INHERITED.extend(self._connections.values())  # never used, nor closed, here
            self._connections, self._pid = {}, os.getpid()
        role = "write" if write else "read"
        if role not in self._connections:
            self._connections[role] = self._open(write)
        return self._connections[role]

    def _open(self, write: bool) -> sqlite3.Connection | None:
        if not write and not self.file.exists():
            return None  # nothing cached yet; a reader never creates the file
        try:
            if write:
                self.folder.mkdir(parents=True, exist_ok=True)
            return self._connect(write)
        except (OSError, sqlite3.Error):
            if not write:
                return None
        try:  # not a database, or a damaged one: start afresh
            for leftover in (self.file, Path(f"{self.file}-wal"), Path(f"{self.file}-shm")):
                leftover.unlink(missing_ok=True)
            return self._connect(write)
        except (OSError, sqlite3.Error):
            self.writable = False
            return None

    def _connect(self, write: bool) -> sqlite3.Connection:
        # A reader never creates the file (mode=rw), but may fold in the write-ahead log when
        # it is the last to close, which a read-only connection could not.
        target = Path(os.path.abspath(self.file)).as_uri() + ("" if write else "?mode=rw")
        connection = sqlite3.connect(target, uri=True, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            if write:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(_TABLES)
            connection.execute("SELECT count(*) FROM signatures WHERE name = ''").fetchone()  # it reads
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _query(self, sql: str, parameters: tuple) -> tuple | None:
        connection = self._connection(write=False)
        if connection is None:
            return None
        try:
            return connection.execute(sql, parameters).fetchone()
        except sqlite3.Error:  # damaged, or being replaced: a miss
            return None

    # --- reading -----------------------------------------------------------------------

    def key(self, path: str, raw: bytes, reported: bool, want_summary: bool) -> str:
        digest = hashlib.sha256(self.run_key)
        digest.update(f"{path}\0{reported}\0{want_summary}\0".encode("utf-8", "surrogatepass"))
        digest.update(raw)
        return digest.hexdigest()

    def known(self, path: str, signature: tuple | None, reported: bool, want_summary: bool):
        """(key, FileResult) of a file whose stat signature is what it was when it was last
        read, when its result is here (one lookup); None when the file must be read."""
        if signature is None:
            return None
        row = self._query(_KNOWN.format(columns=f"e.key, e.value, {self._summary_column}"),
                          (_name(path, reported, want_summary), _signature_bytes(signature)))
        result = self._result(row[1:]) if row is not None else None
        return None if result is None else (row[0], result)

    def get(self, key: str):
        """The FileResult stored under `key`, or None. Its summary is left out (None) when
        `summaries_later` is set, for `summary(key)` to give when it is wanted."""
        row = self._query(f"SELECT e.value, {self._summary_column} FROM entries AS e WHERE e.key = ?", (key,))
        return self._result(row) if row is not None else None

    @property
    def _summary_column(self) -> str:
        return "NULL" if self.summaries_later else "e.summary"

    @staticmethod
    def _result(row: tuple):
        try:
            findings, (suppressions, rules_run, fixable) = pickle.loads(row[0])
            summary = pickle.loads(row[1]) if row[1] is not None else None
        except Exception:  # an entry that does not read back is a miss
            return None
        return FileResult(_findings(findings), suppressions, summary, rules_run, fixable)

    def summary(self, key: str):
        """The summary stored with the result under `key` (None: the record has none)."""
        return self._unpickled("summary", key)

    def _unpickled(self, column: str, key: str):
        """One column of the entry under `key`, unpickled; None when absent or unreadable."""
        row = self._query(f"SELECT {column} FROM entries WHERE key = ?", (key,))
        try:
            return pickle.loads(row[0]) if row is not None and row[0] is not None else None
        except Exception:  # an entry that does not read back is a miss
            return None

    def known_share(self, tasks: Sequence[tuple[str, bool]], want_summary: bool) -> float:
        """The share of a sample of `tasks` ((path, reported)) whose results the cache holds
        under their current stat signature: whether this run is mostly answered from it.
        Asked before worker processes start, so its connection is closed at once: none may
        be open across a fork."""
        sample = tasks[::max(1, len(tasks) // 64)]
        try:
            connection = self._connect(write=False) if self.file.exists() and sample else None
        except (OSError, sqlite3.Error):
            return 0.0
        if connection is None:
            return 0.0
        try:
            known = 0
            for path, reported in sample:
                signature = stat_signature(path)
                known += signature is not None and connection.execute(
                    _KNOWN.format(columns="1"), (_name(path, reported, want_summary), _signature_bytes(signature))
                ).fetchone() is not None
            return known / len(sample)
        except sqlite3.Error:
            return 0.0
        finally:
            connection.close()

    # --- writing -----------------------------------------------------------------------

    def add(self, key: str, path: str, result, reported: bool, want_summary: bool) -> None:
        """Store a file's result. It replaces the older result of the same kind of check of
        that file (reported or read for the corpus only, with or without a summary), never
        another kind: `check` and the language server read the same files differently, and
        must not evict each other's results."""
        value = (_stored(result.findings), (result.suppressions, result.rules_run, result.fixable))
        summary = pickle.dumps(result.summary, protocol=4) if result.summary is not None else None
        self._entries.append((key, _name(path, reported, want_summary), pickle.dumps(value, protocol=4), summary))
        self._flush_when_full()

    def remember(self, path: str, signature: tuple | None, reported: bool, want_summary: bool, key: str) -> None:
        """Keep the stat signature a file had when it was read to make `key`."""
        if signature is not None:
            self._signatures.append((_name(path, reported, want_summary), _signature_bytes(signature), key))
            self._flush_when_full()

    CORPUS = "\0cross-record findings"  # the name their entries are stored under

    def corpus_digest(self):
        """A hash to be fed each file's key and whether it is reported, in the run's order:
        its hex digest is the key of the cross-record findings (the same files, read the
        same way, give the same findings). Fed as results come, so no list of keys is kept."""
        return hashlib.sha256(self.run_key + b"corpus")

    def corpus_stat_key(self, tasks: Sequence[tuple[str, bool]], want_summary: bool) -> str | None:
        """A key for the cross-record findings made of every file's name, how it is read and
        stat signature, in the run's order, without reading any file. A run whose files are
        all as they were when the findings were stored under it needs not look at the files
        read only for the index: a repeated `check FILE` in a folder of 10,000 records then
        costs its own file, a walk and a stat of each. None (no such key) when a file has no
        signature or is a link: whether a link is read at all depends on where the repository
        begins, which no signature of it shows."""
        digest = hashlib.sha256(self.run_key + b"corpus by stat\0")
        for path, reported in tasks:
            signature = stat_signature(path)
            if signature is None or signature[0] != signature[3]:  # the link's own inode is not its target's
                return None
            digest.update(f"{_name(path, reported, want_summary)}\0{signature}\n".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get_findings(self, key: str) -> list[Finding] | None:
        stored = self._unpickled("value", key)
        return None if stored is None else _findings(stored)

    def add_findings(self, key: str, findings: list[Finding], whole: bool, by_stat: bool = False) -> None:
        """Store the cross-record findings of a run over a whole corpus (`whole`: every file
        reported) or over some of its files: one entry of each, so that `check FILE` from
        pre-commit and `check` of the folder do not push out each other's; `by_stat`: under
        corpus_stat_key's key, in an entry of its own."""
        name = self.CORPUS + (" of a whole corpus" if whole else " of some files") + (" by stat" if by_stat else "")
        self._entries.append((key, name, pickle.dumps(_stored(findings), protocol=4), None))

    def _flush_when_full(self) -> None:
        if len(self._entries) + len(self._signatures) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write what is waiting, in one transaction. A cache that cannot be written (a
        read-only folder, a lock held too long by another run) is only slower, never an
        error: what could not be written is dropped."""
        entries, signatures = self._entries, self._signatures
        self._entries, self._signatures = [], []
        if not (entries or signatures) or not self.writable:
            return
        connection = self._connection(write=True)
        if connection is None:
            return
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("INSERT OR REPLACE INTO entries (key, name, value, summary) VALUES (?, ?, ?, ?)",
                                   entries)
            connection.executemany("INSERT OR REPLACE INTO signatures (name, signature, key) VALUES (?, ?, ?)",
                                   signatures)
            connection.execute("COMMIT")
        except sqlite3.Error:
            try:
                connection.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.writable = False

    def save(self) -> None:
        """Write what is still waiting, and close this process's connections."""
        self._flush()
        # The writer last: the last connection to close folds the write-ahead log into the
        # database and removes it, so no file but the database is left.
        for role in ("read", "write"):
            connection = self._connections.get(role)
            if connection is not None:
                connection.close()
        self._connections = {}


def _name(path: str, reported: bool, want_summary: bool) -> str:
    """What a result is of: one file, read one way (reported or not, with a summary or not)."""
    return f"{path}\0{int(reported)}{int(want_summary)}"


def _signature_bytes(signature: tuple) -> bytes:
    return ",".join(map(str, signature)).encode()


def _stored(findings: list[Finding]) -> list[tuple]:
    """Findings as plain data: a code by its name, so that it reads back as the registered one."""
    return [(f.path, f.line, f.column, f.code.code, f.message, f.json_path, f.show_source) for f in findings]


def _findings(stored: list[tuple]) -> list[Finding]:
    return [Finding(path, line, column, CODES[code], message, json_path, show_source=shown)
            for path, line, column, code, message, json_path, shown in stored]


def stat_signature(path: str) -> tuple | None:
    """What says a file is as it was without reading it: of the link (if the path is one)
    and of the file, the inode, size, modification and change times. Writing a file changes
    its change time, which no tool can set back, so an edit that keeps the size and puts the
    modification time back is still seen (as git's index sees it). None: read it."""
    try:
        link = os.lstat(path)
        target = os.stat(path) if S_ISLNK(link.st_mode) else link
    except OSError:
        return None
    return (link.st_ino, link.st_mtime_ns, link.st_ctime_ns, target.st_ino, target.st_size, target.st_mtime_ns,
            target.st_ctime_ns, target.st_mode)


def _sources_fingerprint(folder: Path | None) -> bytes:
    """The sources folder as the quote check sees it: names, sizes and modification times.
    Each entry's hash is added into one number, so the listing is taken in whatever order
    the system gives it and never held (a sorted list of 100,000 entries took 40 MB)."""
    if folder is None:
        return b"no sources"
    digest = hashlib.sha256(str(folder).encode("utf-8", "surrogatepass"))
    total = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    status = entry.stat()
                except OSError:
                    continue
                line = f"{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode("utf-8", "surrogatepass")
                total += int.from_bytes(hashlib.sha256(line).digest(), "big")
    except OSError:
        return digest.digest() + b"unreadable"
    digest.update((total % (1 << 256)).to_bytes(32, "big"))
    return digest.digest()
