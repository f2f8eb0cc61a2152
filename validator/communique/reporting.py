"""Turning findings into output: text for people (with the offending source lines, as
ruff shows them), JSON for scripts, SARIF for code-scanning tools, and GitHub workflow
annotations."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .findings import CODES, Finding, Severity


@dataclass
class Report:
    findings: list[Finding]
    files_checked: int

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})


def format_line(finding: Finding) -> str:
    where = f" (at {finding.json_path})" if finding.json_path else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code.code} {finding.message}{where}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    files = _plural(report.files_checked, "file")
    if not report.findings:
        return f"No problems in {files}."
    by_severity = Counter(f.severity for f in report.findings)
    detail = ", ".join(_plural(by_severity[s], str(s)) for s in sorted(by_severity, reverse=True))
    return f"Found {_plural(len(report.findings), 'problem')} ({detail}) in {report.files_with_findings} of {files}."


_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_text(report: Report, *, colour: bool = False, show_source: bool = True) -> str:
    import click

    def paint(text: str, **style) -> str:
        return click.style(text, **style) if colour else text

    out = []
    lines_of = _SourceLines()
    for finding in report.findings:
        where = f" (at {finding.json_path})" if finding.json_path else ""
        out.append(f"{paint(f'{finding.path}:{finding.line}:{finding.column}:', bold=True)} "
                   f"{paint(finding.code.code, fg=_COLOURS[finding.severity], bold=True)} {finding.message}{where}")
        source = lines_of.get(finding.path, finding.line) if show_source and finding.show_source else None
        if source is not None:
            gutter = " " * len(str(finding.line))
            caret = " " * _display_width(source[: finding.column - 1]) + "^"
            out += [paint(f"{gutter} |", fg="blue"),
                    paint(f"{finding.line} |", fg="blue") + f" {source}",
                    paint(f"{gutter} |", fg="blue") + " " + paint(caret, fg=_COLOURS[finding.severity], bold=True),
                    ""]
    out.append(paint(summary_line(report), bold=bool(report.findings)))
    return "\n".join(out) + "\n"


class _SourceLines:
    """Lines of the files findings point into, read once each and only when shown."""

    def __init__(self):
        self._files: dict[str, list[str] | None] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self._files:
            try:
                text = Path(path).read_bytes().decode("utf-8-sig")
                self._files[path] = text.splitlines() if "\x00" not in text else None
            except (OSError, UnicodeDecodeError):
                self._files[path] = None
        lines = self._files[path]
        if not lines or not 1 <= line <= len(lines):
            return None
        return lines[line - 1].expandtabs(1)[:200]


def _display_width(text: str) -> int:
    return len(text.expandtabs(1))


def render_json(report: Report, **_) -> str:
    payload = {
        "version": __version__,
        "files_checked": report.files_checked,
        "summary": {str(s): sum(1 for f in report.findings if f.severity == s) for s in Severity},
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "code": f.code.code,
                "name": f.code.name,
                "severity": str(f.severity),
                "message": f.message,
                "json_path": f.json_path,
            }
            for f in report.findings
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(report: Report, **_) -> str:
    """SARIF 2.1.0, one run; every code that can be reported is described under rules."""
    codes = sorted(CODES)
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "name": CODES[code].name,
            "shortDescription": {"text": CODES[code].summary},
            "fullDescription": {"text": CODES[code].doc or CODES[code].summary},
            "defaultConfiguration": {"level": _SARIF_LEVELS[CODES[code].severity]},
        }
        for code in codes
    ]
    results = []
    for f in report.findings:
        result = {
            "ruleId": f.code.code,
            "ruleIndex": index[f.code.code],
            "level": _SARIF_LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": Path(f.path).as_posix(), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column},
                },
            }],
        }
        if f.json_path:
            result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.json_path, "kind": "member"}]
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "communique", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, **_) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    lines = []
    for f in report.findings:
        properties = ",".join([
            f"file={_escape_property(Path(f.path).as_posix())}",
            f"line={f.line}",
            f"col={f.column}",
            f"title={_escape_property(f'{f.code.code} {f.code.name}')}",
        ])
        where = f" (at {f.json_path})" if f.json_path else ""
        lines.append(f"::{_GITHUB_LEVELS[f.severity]} {properties}::{_escape_data(f.message + where)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "sarif": render_sarif, "github": render_github}
