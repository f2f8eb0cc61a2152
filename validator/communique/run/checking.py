"""The pipeline behind every command: paths -> documents -> findings -> a report.

Each file is read once. While its document is in memory, the schema and the record rules
run on it and their findings get positions; then only a slim entry stays behind in the
corpus index, and the document is released. Corpus rules run last, over the index; their
few findings get positions by reading their files again (standard input is kept in memory
instead, since it cannot be read twice).
"""

from __future__ import annotations

import gc
import os
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import findings as F
from ..core.findings import Finding, Severity
from ..documents.files import (
    STDIN,
    STDIN_NAME,
    discover,
    display_path,
    file_key,
    find_records,
    forget_file_keys,
    relative_to,
)
from ..documents.loading import MAX_FILE_BYTES, Document, LoadResult, load_bytes, load_file
from ..lint.fixable import FIXES
from ..lint.suppression import apply_suppressions, parse_suppressions
from ..schema.validation import format_json_path, validate_document
from .cache import FileResult
from .config import Config
from .reporting import Report

ALWAYS_ON = ("F", "Y")  # a file that cannot be read or parsed is always reported


@dataclass
class StdinInput:
    """A record read from standard input, shown and judged under `name`."""

    name: str
    raw: bytes


@dataclass
class Options:
    schema: bool = True
    lint: bool = True
    config: Config = field(default_factory=Config)
    sources: Path | None = None
    corpus: Path | None = None
    fail_on: Severity = Severity.ERROR
    exit_zero: bool = False
    jobs: int = 0  # worker processes; 0: one per CPU
    use_cache: bool = False  # per-file results from the cache (cache.py); the CLI turns it on
    stdin: StdinInput | None = None
    # Which findings of a record have a safe fix: (document, findings) -> the JSON paths
    # fixed, worked out while the document is in hand and cached with the file's findings,
    # so that a warm run's "N can be fixed" note reads no file. Given by `check` (the rewrite
    # room, above this one); None: not counted.
    count_fixes: Callable[[Document, list[Finding]], frozenset[str]] | None = None

    def record_rules(self, scope: str = "record") -> list:
        """The selected rules of a scope ("record" or "document"), worked out once."""
        if not hasattr(self, "_rules_by_scope"):
            from ..lint.rules import all_rules

            self._rules_by_scope = {}
            for rule in all_rules():
                if self.selected(rule.code.code):
                    self._rules_by_scope.setdefault(rule.scope, []).append(rule)
        return self._rules_by_scope.get(scope, [])

    def selected(self, code: str, path: str | None = None) -> bool:
        if code.startswith(ALWAYS_ON):
            return True
        config = self.config
        if config.select and not any(code.startswith(prefix) for prefix in config.select):
            return False
        return not self.ignored(code, path)

    def ignored(self, code: str, path: str | None = None) -> bool:
        """Whether the configuration or the options ignore `code` (in `path`): by `ignore`
        or `per-path-ignores`, not by leaving it out of `select`."""
        config = self.config
        if any(code.startswith(prefix) for prefix in config.ignore):
            return True
        if path and config.per_path_ignores:
            for spec, codes in self._per_path_specs():
                if any(code.startswith(c) for c in codes) and _matches(spec, path, config.root):
                    return True
        return False

    def shown(self, finding: Finding) -> bool:
        """Whether a finding is reported. S900 (lint rules not run on a record) is, whenever
        rules were selected, unless it is ignored: `--select D001` on a record that fails the
        schema must not pass it in silence. (Whatever the selection, `configured` keeps it on
        a record none of whose schema problems is shown.)"""
        if finding.code is F.RULES_SKIPPED:
            return self.rules_selected() and not self.ignored(finding.code.code, finding.path)
        return self.selected(finding.code.code, finding.path)

    def rules_selected(self) -> bool:
        """Whether rules that need a record matching the schema (record and corpus rules) are
        selected, so that a record failing the schema leaves them not run (S900)."""
        return self.lint and bool(self.record_rules("record") or self.record_rules("corpus"))

    def _per_path_specs(self) -> list:
        if not hasattr(self, "_specs"):
            import pathspec

            self._specs = [(pathspec.GitIgnoreSpec.from_lines([pattern]), codes)
                           for pattern, codes in self.config.per_path_ignores.items()]
        return self._specs

    def reportable(self) -> list[str]:
        """The codes this run can report, once selection is applied (F and Y aside, which
        are always reported): empty means the selection turned every check off."""
        from ..lint.selection import known_codes

        codes = known_codes()
        wanted = []
        for code in codes:
            if code.startswith(ALWAYS_ON + ("K",)):
                continue
            if not self.lint and not code.startswith("S"):
                continue
            if not self.schema and code.startswith("S") and code != F.RULES_SKIPPED.code:
                continue
            if self.selected(code):
                wanted.append(code)
        return wanted

    def load(self, path: str) -> LoadResult:
        if self.stdin is not None and path == self.stdin.name:
            return load_bytes(self.stdin.raw, path, is_json=path.lower().endswith(".json"))
        return load_file(path)


def config_folder(config: Config) -> str | None:
    """The configuration file's folder, absolute (what a report's locations are relative to)."""
    return os.path.abspath(config.path.parent) if config.path else None


def build_options(config: Config, *, schema: bool = True, sources=None, corpus=None, select=None, ignore=None,
                  fail_on=None, exit_zero: bool = False, jobs: int = 0, stdin: StdinInput | None = None,
                  option_names: tuple[str, str, str] = ("--select", "--ignore", "--fail-on")) -> Options:
    """Options for a run of `check` (or `lint`, with schema=False): the configuration with
    the given settings over it, each checked. Raises SettingsError, which the command line
    reports as a usage error and the API raises."""
    from ..core.errors import SettingsError
    from ..lint.selection import check_codes, check_ignorable
    from .config import parse_severity

    select_name, ignore_name, fail_on_name = option_names
    if select is not None:
        config.select = check_codes(select, select_name)
    if ignore is not None:
        config.ignore = config.ignore + check_ignorable(check_codes(ignore, ignore_name), ignore_name)
    if isinstance(fail_on, str):
        fail_on = parse_severity(fail_on, fail_on_name)
    folders = {}
    for name, value in (("sources", sources or config.sources), ("corpus", corpus or config.corpus)):
        if value is not None and not _is_folder(value):
            raise SettingsError(f"{name} folder {str(value)[:200]} does not exist")
        folders[name] = Path(value) if value is not None else None
    options = Options(schema=schema, lint=True, config=config, fail_on=fail_on or config.fail_on,
                      exit_zero=exit_zero, jobs=jobs, stdin=stdin, **folders)
    if not options.reportable():
        given = "; ".join([f"select {', '.join(config.select)}"] * bool(config.select)
                          + [f"ignore {', '.join(config.ignore)}"] * bool(config.ignore))
        raise SettingsError(f"the selection ({given}; from the options and the configuration) leaves no check of "
                            f"`{'check' if schema else 'lint'}` on, beyond file and parse problems (F, Y), which "
                            "are always reported")
    return options


def _is_folder(value) -> bool:
    try:
        return Path(value).is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def validate_paths(paths, options: Options | None = None, progress=None) -> tuple[Report, int]:
    """`communique validate`: schema only."""
    return run(paths, replace(options or Options(), lint=False), progress=progress)


def run(paths, options: Options, progress=None) -> tuple[Report, int]:
    """Check `paths`; `progress(done, total)`, if given, is told after each file read."""
    # Parsing allocates millions of short-lived, acyclic objects while the corpus index
    # grows; the cyclic garbage collector would rescan that index again and again (a third
    # of the run time over 10,000 records) and find nothing. Reference counting frees all
    # of it, so the collector sleeps for the run.
    collecting = gc.isenabled()
    gc.disable()
    forget_file_keys()  # links may have changed since an earlier run in this process
    try:
        return _run(paths, options, progress)
    finally:
        forget_file_keys()
        if collecting:
            gc.enable()


def _run(paths, options: Options, progress=None) -> tuple[Report, int]:
    from ..lint.rules import all_rules  # imported here: `validate` needs no rules
    from ..lint.rules.corpus import Corpus
    from .cache import Cache

    corpus_rules = [r for r in (all_rules() if options.lint else [])
                    if r.scope == "corpus" and options.selected(r.code.code)]
    record_filter = options.config.record_filter()
    reported, problems, found = find_records(paths, record_filter)
    if options.stdin is not None:
        reported = _with_stdin(reported, options.stdin.name)
        if options.stdin.name != STDIN_NAME and not record_filter.accepts(options.stdin.name):
            found.skipped.append(options.stdin.name)
            reported.remove(options.stdin.name)
    reported_keys = {file_key(p) for p in reported}
    context_files, corpus_origin = corpus_files(reported, options, found) if corpus_rules else ([], "")
    context_only = [p for p in context_files if file_key(p) not in reported_keys]
    tasks = Tasks(reported, context_only)

    summaries = []  # indexed only when the cross-record findings are not in the cache
    pool: dict = {}  # one copy of each string, date and path the summaries share (RecordSummary.pooled)
    suppressions = {}
    fixable = {}  # path -> the JSON paths of its findings with a safe fix (options.count_fixes)
    rules_not_run = set()  # records that fail the schema: their suppressions of rule codes are not judged
    cache = Cache.for_run(options) if options.use_cache else None
    if cache is not None:
        cache.summaries_later = bool(corpus_rules)
    # Files read only for the index, all as they were when the cross-record findings were
    # stored: those findings stand, and those files need no looking up one by one.
    stat_key = cross = None
    if cache is not None and corpus_rules and context_only and options.stdin is None:
        stat_key = cache.corpus_stat_key(tasks, bool(corpus_rules))
        cross = cache.get_findings(stat_key) if stat_key else None
        if cross is not None:
            tasks = Tasks(reported, [])
    # Cached results whose summaries stay in the cache until wanted: their tasks' indexes,
    # and their keys as 32-byte digests end to end (at 100,000 records, 3 MB, not 11).
    deferred, deferred_keys = array("I"), bytearray()
    corpus_digest = cache.corpus_digest() if cache is not None else None  # every file's key, in order
    # The results first: zip then asks them for one more, which ends the worker processes
    # before the cache is saved (a database still open in a worker is not checkpointed).
    results = map_files(tasks, options, bool(corpus_rules), cache)
    for done, (result, (path, is_reported)) in enumerate(zip(results, tasks), 1):
        if progress is not None:
            progress(done, len(tasks))
        if cache is not None:
            if corpus_digest is not None and result.cache_key is not None:
                corpus_digest.update(f"{result.cache_key}{int(is_reported)}".encode())
            else:  # a file without a key (unreadable): no key for the cross-record findings either
                corpus_digest = None
            if result.cache_key is not None and not result.cached:
                cache.add(result.cache_key, path, result, is_reported, bool(corpus_rules))
            if result.cache_key is not None:
                cache.remember(path, result.signature, is_reported, bool(corpus_rules), result.cache_key)
        problems.extend(result.findings)
        if result.suppressions:
            suppressions[path] = result.suppressions
            if not result.rules_run:
                rules_not_run.add(path)
        if result.summary is not None:
            result.summary.entry.path = path  # the string this run holds already, not a copy from a worker
            summaries.append(result.summary.pooled(pool))
        elif result.cached and corpus_rules:
            deferred.append(done - 1)
            deferred_keys += bytes.fromhex(result.cache_key)
        if result.fixable:
            fixable[path] = result.fixable
    # Cross-record findings depend only on the files read and which are reported: when every
    # file came with a key, the same keys give the same findings.
    corpus_key = corpus_digest.hexdigest() if corpus_digest is not None and cross is None else None
    if corpus_key:
        cross = cache.get_findings(corpus_key)
    # Every file had a key: the findings may stand for the files' signatures too.
    store_by_stat = bool(corpus_key) and stat_key is not None
    if cross is None:
        for number, index in enumerate(deferred):
            summary = cache.summary(deferred_keys[number * 32:number * 32 + 32].hex())
            if summary is not None:
                summary.entry.path = tasks[index][0]
                summaries.append(summary.pooled(pool))
        corpus = Corpus()
        # In path order, whatever order the files were named in: where a rule takes the first
        # of several (the first use of a person id, the first of two meetings on one day),
        # `check FILE`, `check FOLDER` and the language server agree.
        summaries.sort(key=lambda summary: summary.entry.path)
        for index, summary in enumerate(summaries):
            corpus.add(summary)
            summaries[index] = None  # its names now live in the corpus: one copy at a time
        # The corpus holds what the pool shared; the rules' own working sets come next (at
        # 100,000 records, letting the pool and the deferred keys go lowers the peak by 10 MB).
        summaries, deferred, deferred_keys = [], array("I"), bytearray()
        pool.clear()
        cross = _corpus_findings(corpus, corpus_rules, reported_keys, options)
        if corpus_key:
            cache.add_findings(corpus_key, cross, whole=not context_only)
    if store_by_stat:
        cache.add_findings(stat_key, cross, whole=False, by_stat=True)
    problems.extend(cross)
    if cache is not None:
        cache.save()
    if options.lint and options.sources is None and options.selected("Q003") and reported:
        problems.append(Finding("", 0, 0, F.CODES["Q003"],
                                "evidence quotes were not checked: no sources folder (--sources DIR or "
                                "`sources` in the configuration)", show_source=False))
    if options.config.editor_schema is not None:
        from .project import schema_copy_findings

        problems.extend(schema_copy_findings(options.config))
    problems = bounded(configured(problems, options, suppressions, rules_not_run))
    inputs = {options.stdin.name: options.stdin.raw} if options.stdin else {}
    texts = {name: raw.decode("utf-8-sig", errors="replace") for name, raw in inputs.items()}
    report = Report(sorted(problems, key=Finding.sort_key), len(reported), skipped=found.skipped,
                    missing=found.missing, empty=found.empty, filtered=found.filtered, pruned=found.pruned,
                    origin=record_filter.origin, checked=reported, texts=texts, context=context_only,
                    context_origin=corpus_origin, root=config_folder(options.config),
                    fixable=fixable if options.count_fixes is not None else None)
    # Notes on the run (no sources folder, a stale schema copy) are shown, but the exit
    # code, like the summary's count, is about the records.
    return report, exit_code(report.counted, options)


class Tasks(Sequence):
    """The run's files as (path, reported) pairs, the files reported on first, each pair made
    when it is asked for: a list of them would hold 7 MB through a run over 100,000 records."""

    def __init__(self, reported: list[str], context: list[str]):
        self.reported, self.context = reported, context

    def __len__(self) -> int:
        return len(self.reported) + len(self.context)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if 0 <= index < len(self.reported):
            return self.reported[index], True
        if 0 <= index - len(self.reported) < len(self.context):
            return self.context[index - len(self.reported)], False
        raise IndexError(index)

    def __iter__(self):
        for path in self.reported:
            yield path, True
        for path in self.context:
            yield path, False


def check_file_cached(path: str, reported: bool, options: Options, want_summary: bool, cache) -> FileResult:
    """check_file, answered from the cache when this file's bytes were checked before with
    the same rules (the key says so), else checked and stored."""
    if cache is None or (options.stdin is not None and path == options.stdin.name):
        return check_file(path, reported, options, want_summary)
    from .cache import stat_signature

    signature = stat_signature(path)  # unchanged since the file was last read: its key, without reading it
    known = cache.known(path, signature, reported, want_summary)
    if known is not None:
        key, result = known
        signature = None  # known already: nothing to remember again
    else:
        raw = _read_quietly(path)
        if raw is None:
            return check_file(path, reported, options, want_summary)  # which reports why
        key = cache.key(path, raw, reported, want_summary)
        result = cache.get(key)
    if result is None:
        result = check_file(path, reported, options, want_summary, raw=raw)  # the bytes the key was made of
    else:
        result.cached = True
    result.cache_key = key  # for the parent process: to add it, and for the cross-record key
    result.signature = signature
    return result


def check_file(path: str, reported: bool, options: Options, want_summary: bool, raw: bytes | None = None) -> FileResult:
    """Load one file, validate it and run the record rules on it (if it is reported on)."""
    if not reported and want_summary:  # read only for the cross-record index: its data is enough
        from ..documents.data_only import read_data

        raw = raw if raw is not None else _read_quietly(path)
        data = read_data(raw, path) if raw is not None else None
        if data is not None:  # positionless: none of its findings is reported, and the index holds none
            return check_document(Document(path, "", data), reported, options, want_summary)
    loaded = options.load(path) if raw is None else load_bytes(raw, path, is_json=path.lower().endswith(".json"))
    if loaded.document is None:
        # A context-only file's own problems are reported when it is itself checked.
        return FileResult(loaded.findings if reported else [])
    return check_document(loaded.document, reported, options, want_summary)


def _read_quietly(path: str) -> bytes | None:
    """A file's bytes, or None when it cannot be read (the full reader then says why)."""
    from ..documents.files import FileTooLarge, LinkOutside, NotRegularFile, read_record

    try:
        return read_record(path, MAX_FILE_BYTES)
    except (OSError, ValueError, NotRegularFile, FileTooLarge, LinkOutside):
        return None


def check_document(document: Document, reported: bool, options: Options, want_summary: bool) -> FileResult:
    """Validate a parsed record and run the record rules on it (if it is reported on): what
    `check` does with each file, and the language server with each edit."""
    result = _check_document(document, reported, options, want_summary)
    if options.count_fixes is not None and reported and any(f.code.code in FIXES for f in result.findings):
        result.fixable = options.count_fixes(document, result.findings)
    return result


def _check_document(document: Document, reported: bool, options: Options, want_summary: bool) -> FileResult:
    from ..lint.rules.context import RecordContext
    from ..lint.rules.corpus import RecordSummary

    findings: list[Finding] = []
    result = FileResult(findings, parse_suppressions(document.text) if reported and options.lint else None)
    context = RecordContext(document, options.sources, options.config.max_source_bytes)
    covered = set()
    if reported and options.lint:
        for rule in options.record_rules("document"):
            found = [placed_finding(document, rule.code, violation) for violation in rule.check(context)]
            findings.extend(found)
            if rule.replaces_schema_findings:  # a placeholder is reported as unfilled, not also as a bad value
                covered.update(f.json_path for f in found)
    schema_problems = validate_document(document)
    if covered:
        schema_problems = [p for p in schema_problems if p.json_path not in covered]
    if schema_problems:
        result.rules_run = False
        if reported:
            if options.schema:
                findings.extend(schema_problems)
            if options.lint:  # shown or not by `configured`, which sees what else is shown
                findings.append(_rules_skipped(document, options.schema))
        return result
    if reported and options.lint:
        for rule in options.record_rules():
            findings.extend(placed_finding(document, rule.code, violation) for violation in rule.check(context))
    if want_summary:
        result.summary = RecordSummary.of(document)
    return result


def map_files(tasks, options: Options, want_summary: bool, cache=None, start_method: str | None = None):
    """check_file over every task, in order; across processes when there are many files."""
    from .parallel import map_in_order

    # A cache that knows most files answers faster than worker processes start.
    mostly_cached = cache is not None and not options.jobs and cache.known_share(tasks, want_summary) >= 0.5
    return map_in_order(_check_in_worker, tasks, options.jobs, initializer=_init_worker,
                        initargs=(options, want_summary, cache), serial=mostly_cached,
                        start_method=start_method)


_worker_setup: tuple = ()


def _init_worker(options: Options, want_summary: bool, cache) -> None:
    global _worker_setup
    _worker_setup = (options, want_summary, cache)


def _check_in_worker(task) -> FileResult:
    path, reported = task
    options, want_summary, cache = _worker_setup
    return check_file_cached(path, reported, options, want_summary, cache)


def exit_code(problems: list[Finding], options: Options | None = None) -> int:
    if options is None:
        return F.exit_code(problems)
    return F.exit_code(problems, options.fail_on, options.exit_zero)


# Rules that run only with the source texts (--sources, or `sources` in the configuration).
NEEDS_SOURCES = ("Q001", "Q002", "Q004")


def configured(problems: list[Finding], options: Options, suppressions: dict,
                rules_not_run: set = frozenset(), corpus_not_run: set = frozenset()) -> list[Finding]:
    """Apply selection, per-path ignores, severity overrides and inline suppressions.
    `rules_not_run`: records whose record and corpus rules did not run (they fail the
    schema); `corpus_not_run`: records whose cross-record rules did not run (the language
    server's corpus is still being indexed)."""
    overrides = options.config.severity
    kept = []
    unmatched = {}  # S900 of each record failing the schema, whether the selection shows it or not
    for finding in problems:
        if finding.code is F.RULES_SKIPPED:
            unmatched[finding.path] = finding
        if not options.shown(finding):
            continue
        if finding.code.code in overrides:
            finding = replace(finding, severity_override=overrides[finding.code.code])
        kept.append(finding)
    if suppressions:
        kept = _suppressed(kept, options, suppressions, rules_not_run, corpus_not_run)
    return kept + _never_silent(kept, unmatched, options)


def _never_silent(kept: list[Finding], unmatched: dict, options: Options) -> list[Finding]:
    """S900 for each record that fails the schema while neither a schema finding nor S900
    is shown for it: whatever the selection (`--select A`, `--ignore S`), a record that does
    not match the schema never passes as "No problems"."""
    said = {f.path for f in kept if f.code.code.startswith("S")}
    added = []
    for path, finding in unmatched.items():
        if path in said:
            continue
        if options.schema:
            finding = replace(finding, message="record does not match the schema, so lint rules were not run on it; "
                                               "the selection hides its schema problems (`communique validate` "
                                               "shows them)")
        if finding.code.code in options.config.severity:
            finding = replace(finding, severity_override=options.config.severity[finding.code.code])
        added.append(finding)
    return added


def _suppressed(kept: list[Finding], options: Options, suppressions: dict, rules_not_run: set,
                corpus_not_run: set) -> list[Finding]:
    """The findings the records' inline suppressions leave, and findings about them."""
    by_path: dict[str, list[Finding]] = {}
    for finding in kept:
        by_path.setdefault(finding.path, []).append(finding)
    result = [f for f in kept if f.path not in suppressions]
    for path, entries in suppressions.items():
        active = _judged_codes(options, path, rules_ran=path not in rules_not_run,
                               corpus_ran=path not in corpus_not_run)
        result.extend(apply_suppressions(path, by_path.get(path, []), entries, active))
    return [f for f in result if options.shown(f)]


def _judged_codes(options: Options, path: str, rules_ran: bool, corpus_ran: bool = True) -> set[str]:
    """The codes whose checks ran on the record at `path`, so that a suppression of one that
    silences nothing is unused (U001). A suppression of any other code is not judged: its
    rule is not selected, or ignored for this file; `lint` does not report the schema's
    findings; the quote checks need the sources; and on a record that fails the schema, the
    record and corpus rules did not run (S900)."""
    if not options.lint:
        return set()
    from ..lint.rules import RULES

    not_run = set()
    if not options.schema:
        not_run |= {code for code in F.CODES if code.startswith("S") and code != F.RULES_SKIPPED.code}
    if options.sources is None:
        not_run |= set(NEEDS_SOURCES)
    if not rules_ran:
        not_run |= {code for code, rule in RULES.items() if rule.scope in ("record", "corpus")}
    if not corpus_ran:
        not_run |= {code for code, rule in RULES.items() if rule.scope == "corpus"}
    return {code for code in F.CODES if code not in not_run and options.selected(code, path)}


MAX_FINDINGS_PER_FILE = 200


def bounded(problems: list[Finding]) -> list[Finding]:
    """At most MAX_FINDINGS_PER_FILE findings of each file, the first by position, and one
    F005 counting the rest, as severe as the worst of them (so the exit code is unchanged)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in problems:
        by_path.setdefault(finding.path, []).append(finding)
    if all(len(found) <= MAX_FINDINGS_PER_FILE for path, found in by_path.items() if path):
        return problems
    kept = []
    for path, found in by_path.items():
        if not path or len(found) <= MAX_FINDINGS_PER_FILE:
            kept.extend(found)
            continue
        found.sort(key=Finding.sort_key)
        shown, rest = found[:MAX_FINDINGS_PER_FILE], found[MAX_FINDINGS_PER_FILE:]
        counts = ", ".join(f"{n} {code}" for code, n in sorted(_count_codes(rest).items()))
        kept.extend(shown)
        kept.append(Finding(path, 1, 1, F.FINDINGS_NOT_SHOWN,
                            f"{len(rest)} more findings in this file are not shown ({counts})", show_source=False,
                            severity_override=max(f.severity for f in rest)))
    return kept


def _count_codes(findings: list[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.code.code] = counts.get(finding.code.code, 0) + 1
    return counts


def placed_finding(document: Document, code, violation) -> Finding:
    """A rule's violation as a finding at its line and column in the document."""
    line, column = document.position(violation.json_path, key=violation.key)
    return Finding(document.path, line, column, code, violation.message, format_json_path(violation.json_path))


def _with_stdin(reported: list[str], name: str) -> list[str]:
    """The files to report on, with standard input in the place of `-`, and instead of the
    file on disk that it stands for (whose saved text may be older)."""
    key = file_key(name) if name != STDIN_NAME else None
    return [name if p == STDIN else p for p in reported if p == STDIN or key is None or file_key(p) != key]


def _corpus_findings(corpus, corpus_rules, reported_keys, options: Options) -> list[Finding]:
    pending: dict[str, list] = {}
    for rule in corpus_rules:
        for path, violation in rule.check(corpus):
            if file_key(path) in reported_keys:
                pending.setdefault(path, []).append((rule.code, violation))
    found = []
    for path, items in pending.items():
        document = options.load(path).document  # read again, only for files with findings
        if document is None:  # the file changed or vanished since it was checked
            found.extend(Finding(path, 1, 1, code, violation.message, format_json_path(violation.json_path))
                         for code, violation in items)
            continue
        found.extend(placed_finding(document, code, violation) for code, violation in items)
    return found


def _rules_skipped(document: Document, schema_shown: bool) -> Finding:
    """S900, on the record as a whole (no source line under it)."""
    after = ("fix the schema problems and check again" if schema_shown
             else "`communique check` shows the schema problems")
    return Finding(document.path, 1, 1, F.RULES_SKIPPED,
                   f"record does not match the schema, so lint rules were not run on it; {after}", show_source=False)


def corpus_files(reported: list[str], options: Options, walked=None) -> tuple[list[str], str]:
    """The records cross-record rules compare against, and where they came from: the corpus
    folder (option or configuration), else the configured records folder, else the folders
    the checked files are in, without their subfolders: bounded and predictable, never
    every YAML file below a busy folder. Paths come as the user would write them, for
    messages that name other files."""
    config = options.config
    if options.corpus is not None:
        origin = f"the corpus folder {display_path(options.corpus)}"
        return discover([display_path(options.corpus)], config.corpus_filter()).files, origin
    if config.records is not None:
        origin = f"the records folder {display_path(config.records)} of {config.path.name}"
        shown = display_path(config.records)
        found = walked.files_under(shown) if walked is not None else None
        if found is None:
            found = discover([shown], config.record_filter()).files if config.records.is_dir() else []
        return found, origin
    folders = sorted({os.path.normpath(os.path.dirname(p) or ".") for p in reported if p not in (STDIN, STDIN_NAME)})
    files = walked.files_in(folders) if walked is not None else None  # a second walk of the same folders is spared
    if files is None:
        files = discover(folders, config.record_filter(), recursive=False).files if folders else []
    return files, "the folders of the files checked (not their subfolders)"


def _matches(spec, path: str, root: Path) -> bool:
    relative = relative_to(path, root)
    return relative is not None and spec.match_file(relative)
