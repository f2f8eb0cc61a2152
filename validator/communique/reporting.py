"""Turning findings into output: the text report people read and JSON for machines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from .findings import Finding


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


def summary_line(report: Report) -> str:
    count = len(report.findings)
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''}"
    if not count:
        return f"All {files} valid." if report.files_checked != 1 else "1 file checked: valid."
    by_severity = Counter(str(f.severity) for f in report.findings)
    detail = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(by_severity.items()))
    return (f"Found {count} problem{'s' if count != 1 else ''} ({detail}) "
            f"in {report.files_with_findings} of {files}.")


def render_text(report: Report) -> str:
    lines = [format_line(f) for f in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    payload = {
        "files_checked": report.files_checked,
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


RENDERERS = {"text": render_text, "json": render_json}
