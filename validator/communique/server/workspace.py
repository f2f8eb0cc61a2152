"""What the server knows of the keeper's repository: its configurations, the corpus each
record is compared with, and what checking one record's current text finds.

A record is judged as `communique check` judges it: with the configuration nearest to it,
against the records `check` would compare it with (the configured corpus or records folder,
else the records of its own folder), with the configured sources folder for the quote check.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..core.errors import SettingsError
from ..core.findings import Finding
from ..documents.files import RECORD_SUFFIXES, display_path, file_key, forget_file_keys, passed_over, relative_to
from ..documents.loading import Document, load_bytes
from ..run.checking import (
    Options,
    bounded,
    build_options,
    check_document,
    check_file,
    configured,
    corpus_files,
    map_files,
    placed_finding,
)
from ..run.config import Config, find_config, load_config
from .index import CorpusIndex
from .positions import Position, finding_range


@dataclass
class Diagnosis:
    """One record's text as last checked: its findings, and its parsed document (None when
    it does not parse), which hover, completion and the fixes work from."""

    path: str
    text: str
    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    is_record: bool = True  # False: a file that the configuration says is no record
    failure: str | None = None  # the traceback of an error that stopped the check: a bug to report

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def ranges(self) -> list[tuple[Position, Position]]:
        """Each finding's span in the text, in order: worked out once, off the event loop,
        rather than on every hover and code action."""
        return [finding_range(self.document, self.lines, finding) for finding in self.findings]


class Scope:
    """The records that a group of files is compared with (`folder`, and below it when
    `recursive`), indexed in memory. Filled in the background when first needed; until
    then, the cross-record rules wait and everything else runs."""

    def __init__(self, options: Options, files: list[str], folder: str, recursive: bool, record_filter):
        self.options = options
        self.files = {file_key(path): path for path in files}
        self.folder, self.recursive, self.record_filter = folder, recursive, record_filter
        self.index = CorpusIndex()
        self.ready = threading.Event()
        self.lock = threading.RLock()
        # Records whose state is known newer than a read by the load can be: the editor's
        # text, a save or a deletion reported since the scope was made (by key).
        self.settled: set[str] = set()

    def load(self) -> None:
        """Read every record once (from the cache where it can). A record put in or taken
        out meanwhile (the editor's text, a save, a deletion) keeps that newer state."""
        from ..run.cache import Cache
        from ..run.parallel import preferred_start_method

        paths = list(self.files.values())
        cache = Cache.for_run(self.options) if self.options.use_cache else None
        results = map_files([(path, False) for path in paths], self.options, True, cache,
                            start_method=preferred_start_method(threads=True))
        for result, path in zip(results, paths):  # results first: their workers end before the save
            if cache is not None and result.cache_key is not None and not result.cached:
                cache.add(result.cache_key, path, result, reported=False, want_summary=True)
            key = file_key(path)
            with self.lock:
                if key not in self.settled and key in self.files:
                    self.index.put(path, result.summary)
        if cache is not None:
            cache.save()
        self.ready.set()

    def member(self, path: str) -> str | None:
        """The name this scope knows `path` by, if it is one of its records."""
        return self.files.get(file_key(path))

    def admit(self, path: str) -> str | None:
        """The name of a file new on disk, if it is one of this scope's records as a walk of
        its folder would find it (no walk: a checkout can create thousands)."""
        shown = display_path(path)
        relative = relative_to(path, self.folder)
        if relative is None or relative == "." or not shown.lower().endswith(RECORD_SUFFIXES):
            return None
        *folders, name = relative.split("/")
        if (folders and not self.recursive) or passed_over(name, folder=False) \
                or any(passed_over(folder, folder=True) for folder in folders):
            return None
        if not self.record_filter.accepts(shown):
            return None
        self.files[file_key(path)] = shown
        return shown

    def put(self, path: str, summary) -> None:
        """Index what a record holds now: its text in the editor, or as saved."""
        key = file_key(path)
        with self.lock:
            self.settled.add(key)
            self.index.put(self.files[key], summary)

    def remove(self, path: str) -> None:
        """A record deleted: out of the scope, and out of the index."""
        key = file_key(path)
        with self.lock:
            self.settled.add(key)
            name = self.files.pop(key, None)
            if name is not None:
                self.index.put(name, None)


class Workspace:
    def __init__(self, use_cache: bool = True):
        forget_file_keys()  # file keys of relative paths hold for one working folder: this one
        self.use_cache = use_cache
        self._scopes: dict[tuple, Scope] = {}
        self._options: dict[str, Options] = {}  # what a check runs with, by the folder of the files
        self._lock = threading.RLock()
        self._new_scopes: list[Scope] = []
        self.problems: list[str] = []  # configuration problems, for the editor to show once

    def options_for(self, path: str) -> Options:
        """The options `check` would run with on `path`: its nearest configuration, read once."""
        folder = os.path.dirname(os.path.abspath(path))
        with self._lock:
            if folder not in self._options:
                self._options[folder] = self._read_options(find_config(Path(folder)))
            return self._options[folder]

    def _read_options(self, found: Path | None) -> Options:
        """The configuration, and what can be kept of it when it is wrong: a sources folder
        not made yet costs the quote check, a missing corpus folder the corpus, and
        nothing else. Each problem is told once."""
        try:
            config = load_config(found)
        except SettingsError as error:
            self.problems.append(str(error))
            config = Config()
        told = set()
        attempts = (config, replace(config, sources=None), replace(config, corpus=None),
                    replace(config, sources=None, corpus=None), Config())
        for attempt in attempts:
            try:
                options = build_options(attempt)
            except SettingsError as error:
                if str(error) not in told:
                    told.add(str(error))
                    self.problems.append(f"{error} ({found.name if found else 'defaults'}); checking without it")
                continue
            return replace(options, use_cache=self.use_cache)
        raise AssertionError("the default configuration is always usable")

    def scope_for(self, path: str) -> Scope:
        """The scope a record is compared within; a new one is loaded by the server."""
        options = self.options_for(path)
        config = options.config
        if options.corpus is not None:
            key, folder, recursive, record_filter = ("corpus", str(options.corpus)), options.corpus, True, \
                config.corpus_filter()
        elif config.path is not None and config.records is not None:
            key, folder, recursive, record_filter = ("records", str(config.path)), config.records, True, \
                config.record_filter()
        else:
            folder = Path(os.path.dirname(os.path.abspath(path)))
            key, recursive, record_filter = ("folder", str(folder)), False, config.record_filter()
        with self._lock:
            if key not in self._scopes:
                files, _ = corpus_files([display_path(path)], options)
                scope = self._scopes[key] = Scope(options, files, str(folder), recursive, record_filter)
                self._new_scopes.append(scope)
            return self._scopes[key]

    def take_new_scopes(self) -> list[Scope]:
        """Scopes created since the last call: the server loads each in the background."""
        with self._lock:
            new, self._new_scopes = self._new_scopes, []
            return new

    def scopes(self) -> list[Scope]:
        with self._lock:
            return list(self._scopes.values())

    def forget_configs(self) -> None:
        """A configuration file changed: read them again, and build the scopes anew."""
        with self._lock:
            self._options.clear()
            self._scopes.clear()

    def diagnose(self, path: str, text: str) -> Diagnosis:
        """Check a record's current text: the schema, every selected rule, and the
        cross-record rules against its scope (once that is loaded)."""
        options = self.options_for(path)
        shown = display_path(path)
        if not options.config.record_filter().accepts(shown):
            return Diagnosis(shown, text, None, is_record=False)
        scope = self.scope_for(path)
        # `options` are the record's own configuration's; the scope lends only its index
        raw = text.encode("utf-8", errors="surrogatepass")
        loaded = load_bytes(raw, shown, is_json=shown.lower().endswith(".json"))
        document = loaded.document
        if document is None:
            if scope.member(path) is not None:  # what does not parse is in no corpus, as in `check`
                scope.put(path, None)
            return Diagnosis(shown, text, None, bounded(configured(loaded.findings, options, {})))
        corpus_rules = options.record_rules("corpus")
        result = check_document(document, True, options, want_summary=bool(corpus_rules))
        findings = list(result.findings)
        compared = scope.ready.is_set()
        with scope.lock:
            if scope.member(path) is not None:
                scope.put(path, result.summary)
            if result.summary is not None and compared:
                findings.extend(_cross_record(document, path, result.summary, scope, corpus_rules))
        suppressions = {shown: result.suppressions} if result.suppressions else {}
        not_run = set() if result.rules_run else {shown}
        # Until the corpus is indexed, a suppression of a cross-record code cannot be judged unused.
        findings = bounded(configured(findings, options, suppressions, not_run, set() if compared else {shown}))
        return Diagnosis(shown, text, document, sorted(findings, key=Finding.sort_key))

    def forget(self, path: str) -> None:
        """A file was deleted: take it out of every scope."""
        for scope in self.scopes():
            scope.remove(path)

    def reread(self, path: str) -> None:
        """A file changed on disk, or was closed in the editor: index its saved text."""
        for scope in self.scopes():
            name = scope.member(path) or scope.admit(path)
            if name is not None:
                result = check_file(name, False, scope.options, True)
                scope.put(path, result.summary)


def _cross_record(document: Document, path: str, summary, scope: Scope, rules: list) -> list[Finding]:
    """The corpus rules' findings on this record, from its neighbourhood in the index. A
    record outside the corpus is compared with it all the same, as `check` compares a file
    it is given."""
    name = scope.member(path)
    if name is None:
        name = document.path
        scope.index.put(name, summary)
        corpus = scope.index.neighbourhood(summary)
        scope.index.put(name, None)
    else:
        corpus = scope.index.neighbourhood(summary)
    found = []
    for rule in rules:
        for found_path, violation in rule.check(corpus):
            if found_path == name:
                found.append(replace(placed_finding(document, rule.code, violation), path=document.path))
    return found
