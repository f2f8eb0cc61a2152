"""The pipeline behind every command: paths -> documents -> findings -> a report.

Each file is read once. While its document is in memory, the schema and the record rules
run on it and their findings get positions; then only a slim entry stays behind in the
corpus index, and the document is released. Corpus rules run last, over the index; their
few findings get positions by reading their files again.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import findings as F
from .config import Config
from .files import discover
from .findings import Finding, Severity
from .loading import Document, load_file
from .reporting import Report
from .suppression import apply_suppressions, parse_suppressions
from .validation import format_json_path, validate_document

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
ALWAYS_ON = ("F", "Y")  # a file that cannot be read or parsed is always reported


@dataclass
class Options:
    schema: bool = True
    lint: bool = True
    config: Config = field(default_factory=Config)
    sources: Path | None = None
    corpus: Path | None = None
    fail_on: Severity = Severity.ERROR
    exit_zero: bool = False

    def selected(self, code: str, path: str | None = None) -> bool:
        if code.startswith(ALWAYS_ON):
            return True
        config = self.config
        if config.select and not any(code.startswith(prefix) for prefix in config.select):
            return False
        if any(code.startswith(prefix) for prefix in config.ignore):
            return False
        if path is not None and config.per_path_ignores:
            relative = _relative(path, config.root)
            for pattern, codes in config.per_path_ignores.items():
                if fnmatch.fnmatch(relative, pattern) and any(code.startswith(c) for c in codes):
                    return False
        return True


def validate_paths(paths) -> tuple[Report, int]:
    """`communique validate`: schema only."""
    return run(paths, Options(lint=False))


def run(paths, options: Options) -> tuple[Report, int]:
    from .rules import all_rules  # imported here: `validate` needs no rules

    rules = all_rules() if options.lint else []
    record_rules = [r for r in rules if r.scope == "record" and options.selected(r.code.code)]
    corpus_rules = [r for r in rules if r.scope == "corpus" and options.selected(r.code.code)]
    reported, missing = discover(paths)
    problems = [Finding(p, 1, 1, F.FILE_UNREADABLE, "no such file or directory") for p in missing]
    if not reported and not missing:
        problems.append(Finding(", ".join(map(str, paths)), 1, 1, F.FILE_UNREADABLE,
                                "no record files (.yaml, .yml, .json) found"))
    reported_keys = {_key(p) for p in reported}
    context_files = _corpus_files(reported, options) if corpus_rules else []

    from .rules.context import RecordContext
    from .rules.corpus import Corpus

    corpus = Corpus()
    suppressions = {}
    for path in reported + [p for p in context_files if _key(p) not in reported_keys]:
        is_reported = _key(path) in reported_keys
        loaded = load_file(path)
        document = loaded.document
        if is_reported:
            problems.extend(loaded.findings)
            if loaded.findings or document is None:
                continue
            suppressions[path] = parse_suppressions(document.text)
        elif document is None:
            continue  # context only: its own problems are reported when it is checked
        schema_problems = validate_document(document)
        if schema_problems:
            if is_reported:
                problems.extend(schema_problems if options.schema else [_rules_skipped(document)])
            continue
        if is_reported:
            context = RecordContext(document, options.sources)
            for rule in record_rules:
                problems.extend(_placed(document, rule.code, violation) for violation in rule.check(context))
        if corpus_rules:
            corpus.add(document)
    problems.extend(_corpus_findings(corpus, corpus_rules, reported_keys))
    if options.lint and options.sources is None and options.selected("Q003") and reported:
        problems.append(Finding(reported[0], 1, 1, F.CODES["Q003"],
                                "evidence quotes were not checked: no sources folder (--sources DIR or `sources` in config)"))
    problems = _configured(problems, options, suppressions)
    return Report(sorted(problems, key=Finding.sort_key), len(reported)), exit_code(problems, options)


def exit_code(problems: list[Finding], options: Options | None = None) -> int:
    if any(f.code.io_error for f in problems):
        return EXIT_ERROR
    if options and options.exit_zero:
        return EXIT_CLEAN
    threshold = options.fail_on if options else Severity.INFO
    return EXIT_FINDINGS if any(f.severity >= threshold for f in problems) else EXIT_CLEAN


def _configured(problems: list[Finding], options: Options, suppressions: dict) -> list[Finding]:
    """Apply selection, per-path ignores, severity overrides and inline suppressions."""
    overrides = options.config.severity
    kept = []
    for finding in problems:
        if not options.selected(finding.code.code, finding.path):
            continue
        if finding.code.code in overrides:
            finding = replace(finding, severity_override=overrides[finding.code.code])
        kept.append(finding)
    if not suppressions:
        return kept
    by_path: dict[str, list[Finding]] = {}
    for finding in kept:
        by_path.setdefault(finding.path, []).append(finding)
    active = {code for code in F.CODES if options.selected(code)} if options.lint else set()
    result = []
    for path, found in by_path.items():
        result.extend(apply_suppressions(path, found, suppressions[path], active) if suppressions.get(path) else found)
    for path, entries in suppressions.items():
        if entries and path not in by_path:
            result.extend(apply_suppressions(path, [], entries, active))
    return [f for f in result if options.selected(f.code.code, f.path)]


def _placed(document: Document, code, violation) -> Finding:
    line, column = document.position(violation.json_path, key=violation.key)
    return Finding(document.path, line, column, code, violation.message, format_json_path(violation.json_path))


def _corpus_findings(corpus, corpus_rules, reported_keys) -> list[Finding]:
    pending: dict[str, list] = {}
    for rule in corpus_rules:
        for path, violation in rule.check(corpus):
            if _key(path) in reported_keys:
                pending.setdefault(path, []).append((rule.code, violation))
    found = []
    for path, items in pending.items():
        document = load_file(path).document  # read again, only for files with findings
        found.extend(_placed(document, code, violation) for code, violation in items)
    return found


def _rules_skipped(document: Document) -> Finding:
    return Finding(document.path, 1, 1, F.RULES_SKIPPED,
                   "record does not match the schema, so lint rules were not run; see `communique check`")


def _corpus_files(reported: list[str], options: Options) -> list[str]:
    """The records cross-record rules compare against: the configured corpus folder, or
    else the folders the checked files are in."""
    if options.corpus is not None:
        return discover([options.corpus])[0]
    folders = sorted({str(Path(p).parent) if not Path(p).is_dir() else p for p in reported})
    return discover(folders)[0] if folders else []


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
