"""A cache of per-file results, so that a run costs only what changed.

What checking one file finds depends on its bytes, its path, the tool's version (schemas and
rules come with it), which rules run, and the source texts of the quote check. The cache
key is a hash of all of these, so an entry can never answer for a file that changed, nor
for another configuration: a changed file is simply a miss. A file is read to make its key
only when its stat signature moved since it was last read (`stat_signature`). Cross-record
rules are not cached: they run every time over the index, rebuilt from the cached summaries.

The entries of one kind of run in one folder are one file under the user's cache folder
(platformdirs), read at the start of a run and replaced atomically at its end, so parallel
runs can share it (the last one's entries are kept). A file that does not read back, or
holds another run key, is an empty cache: a stale or corrupt cache never changes a result,
only the time it takes. Deleting the folder is always safe. `--no-cache` bypasses it;
COMMUNIQUE_CACHE_DIR moves it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.findings import CODES, Finding
from ..core.version import __version__

FORMAT = 4  # bump when what an entry holds changes


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
    signature: tuple | None = None  # its stat signature when it was checked (cache.stat_signature)
    cached: bool = False  # it came from the cache


def cache_dir() -> Path:
    configured = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("communique", appauthor=False))


class Cache:
    """The results of one kind of run (same version, rules and sources: the run key), read
    once at the start of a run and written once at its end, as one file: reading 10,000
    entries must cost far less than checking 10,000 records."""

    def __init__(self, folder: Path, run_key: bytes):
        self.folder, self.run_key = folder, run_key
        self.file = folder / (hashlib.sha256(run_key + os.getcwd().encode("utf-8", "surrogatepass")).hexdigest()
                              + ".pickle")
        self.entries: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        # (path, reported, want_summary) -> (the file's stat signature, its key when last
        # read): a file whose signature is unchanged is not read again to make its key.
        self.signatures: dict[tuple, tuple] = {}
        self.signatures_changed = False

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
        cache = cls(cache_dir() / f"v{FORMAT}", digest.digest())
        cache.entries = cache._read()
        signatures = cache.entries.pop(cls.SIGNATURES, None)
        cache.signatures = signatures[1] if isinstance(signatures, tuple) and isinstance(signatures[1], dict) else {}
        return cache

    def _read(self) -> dict:
        try:
            with open(self.file, "rb") as handle:
                stored_key, entries = pickle.load(handle)
        except Exception:  # missing, truncated, corrupt, from another Python: an empty cache
            return {}
        return entries if stored_key == self.run_key and isinstance(entries, dict) else {}

    def key(self, path: str, raw: bytes, reported: bool, want_summary: bool) -> str:
        digest = hashlib.sha256(self.run_key)
        digest.update(f"{path}\0{reported}\0{want_summary}\0".encode("utf-8", "surrogatepass"))
        digest.update(raw)
        return digest.hexdigest()

    SIGNATURES = "\0stat signatures"  # the key their entry is stored under

    def known_key(self, path: str, signature: tuple | None, reported: bool, want_summary: bool) -> str | None:
        """The key of a file whose stat signature is what it was when it was last read, and
        whose result the cache holds; None when the file must be read."""
        if signature is None:
            return None
        known = self.signatures.get((path, reported, want_summary))
        if known is None or known[0] != signature or known[1] not in self.entries:
            return None
        return known[1]

    def remember(self, path: str, signature: tuple | None, reported: bool, want_summary: bool, key: str) -> None:
        if signature is not None and self.signatures.get((path, reported, want_summary)) != (signature, key):
            self.signatures[(path, reported, want_summary)] = (signature, key)
            self.signatures_changed = True

    def get(self, key: str):
        """The FileResult stored under `key`, or None."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            return _result(*entry[1:])
        except Exception:  # an entry that does not read back is a miss
            return None

    def add(self, key: str, path: str, result, reported: bool, want_summary: bool) -> None:
        """Store a file's result. It replaces the older result of the same kind of check of
        that file (reported or read for the corpus only, with or without a summary), never
        another kind: `check` and the language server read the same files differently, and
        must not evict each other's results."""
        self.new[key] = (f"{path}\0{int(reported)}{int(want_summary)}", _stored(result.findings),
                         (result.suppressions, result.summary, result.rules_run, result.fixable))

    CORPUS = "\0cross-record findings"  # the path their entry is stored under

    def corpus_key(self, file_keys: list[str], reported: list[bool]) -> str:
        digest = hashlib.sha256(self.run_key + b"corpus")
        for key, is_reported in zip(file_keys, reported):
            digest.update(f"{key}{int(is_reported)}".encode())
        return digest.hexdigest()

    def get_findings(self, key: str) -> list[Finding] | None:
        entry = self.entries.get(key)
        try:
            return None if entry is None else _findings(entry[1])
        except Exception:
            return None

    def add_findings(self, key: str, findings: list[Finding]) -> None:
        self.new[key] = (self.CORPUS, _stored(findings), None)

    def save(self) -> None:
        """Write the entries back, with this run's new ones in place of older results for the
        same files. A cache that cannot be written is only slower, never an error."""
        if not self.new and not self.signatures_changed:
            return
        changed = {entry[0] for entry in self.new.values()}
        kept = {key: entry for key, entry in self.entries.items() if entry[0] not in changed}
        kept.update(self.new)
        kept[self.SIGNATURES] = (self.SIGNATURES, {name: known for name, known in self.signatures.items()
                                                    if known[1] in kept}, None)
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a reader sees a whole cache or the one before.
            handle, temporary = tempfile.mkstemp(prefix=f".{self.file.name}.", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self.run_key, kept), stream, protocol=4)
            os.replace(temporary, self.file)
        except (OSError, pickle.PicklingError):
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


def _stored(findings: list[Finding]) -> list[tuple]:
    """Findings as plain data: a code by its name, so that it reads back as the registered one."""
    return [(f.path, f.line, f.column, f.code.code, f.message, f.json_path, f.show_source) for f in findings]


def _findings(stored: list[tuple]) -> list[Finding]:
    return [Finding(path, line, column, CODES[code], message, json_path, show_source=shown)
            for path, line, column, code, message, json_path, shown in stored]


def _result(findings, rest):
    suppressions, summary, rules_run, fixable = rest
    return FileResult(_findings(findings), suppressions, summary, rules_run, fixable)


def stat_signature(path: str) -> tuple | None:
    """What says a file is as it was without reading it: of the link (if the path is one)
    and of the file, the inode, size, modification and change times. Writing a file changes
    its change time, which no tool can set back, so an edit that keeps the size and puts the
    modification time back is still seen (as git's index sees it). None: read it."""
    try:
        link, target = os.lstat(path), os.stat(path)
    except OSError:
        return None
    return (link.st_ino, link.st_mtime_ns, link.st_ctime_ns, target.st_ino, target.st_size, target.st_mtime_ns,
            target.st_ctime_ns, target.st_mode)


def _sources_fingerprint(folder: Path | None) -> bytes:
    """The sources folder as the quote check sees it: names, sizes and modification times."""
    if folder is None:
        return b"no sources"
    digest = hashlib.sha256(str(folder).encode("utf-8", "surrogatepass"))
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return digest.digest() + b"unreadable"
    for entry in entries:
        try:
            status = entry.stat()
        except OSError:
            continue
        digest.update(f"{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return digest.digest()
