"""Running checks over paths: files -> documents -> findings -> a report and an exit code."""

from __future__ import annotations

from . import findings as F
from .files import discover
from .findings import Finding
from .loading import load_file
from .reporting import Report
from .validation import validate_document

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def validate_paths(paths) -> tuple[Report, int]:
    files, missing = discover(paths)
    problems = [Finding(p, 1, 1, F.FILE_UNREADABLE, "no such file or directory") for p in missing]
    if not files and not missing:
        problems.append(Finding(", ".join(paths), 1, 1, F.FILE_UNREADABLE,
                                "no record files (.yaml, .yml, .json) found"))
    for path in files:
        loaded = load_file(path)
        problems.extend(loaded.findings)
        if loaded.document is not None:
            problems.extend(validate_document(loaded.document))
    report = Report(problems, len(files))
    return report, exit_code(problems)


def exit_code(problems: list[Finding]) -> int:
    if any(f.code.io_error for f in problems):
        return EXIT_ERROR
    return EXIT_FINDINGS if problems else EXIT_CLEAN
