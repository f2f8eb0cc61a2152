"""Turning findings into output: text for people (with the offending source lines, as
ruff shows them), JSON for scripts, SARIF for code-scanning tools, and GitHub workflow
annotations."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import CODES, Finding, Severity
from ..core.version import __version__


@dataclass
class Report:
    """What a run found, and what it looked at: the summary line tells the truth about both."""

    findings: list[Finding]
    files_checked: int
    skipped: list[str] = field(default_factory=list)  # named, but not records by the configuration
    missing: list[str] = field(default_factory=list)  # named, but not there
    empty: list[str] = field(default_factory=list)  # folders holding no records
    filtered: int = 0  # record-like files in the folders walked that the configuration leaves out
    pruned: int = 0  # folders the configuration excludes, not walked
    origin: str | None = None  # the configuration file that decides which files are records
    checked: list[str] | None = None  # the files checked; None: every finding's path is one
    summary: str | None = None  # a command's own summary line (fmt's tally)
    texts: dict[str, str] = field(default_factory=dict)  # text of inputs that are not files (stdin)
    context: list[str] = field(default_factory=list)  # other records read for cross-record rules
    context_origin: str = ""  # where they came from, in words
    root: str | None = None  # the configuration's folder, absolute: what SARIF's URIs are relative to
    fixable: dict[str, frozenset[str]] | None = None  # path -> JSON paths with a safe fix, when counted

    @classmethod
    def of_files(cls, findings: list[Finding], files: list[str], found, record_filter) -> "Report":
        """The report of a command over the files `find_records` found (`found`), findings sorted."""
        return cls(sorted(findings, key=Finding.sort_key), len(files), skipped=found.skipped, missing=found.missing,
                   empty=found.empty, filtered=found.filtered, pruned=found.pruned,
                   origin=record_filter.origin if record_filter is not None else None, checked=files)

    @property
    def file_findings(self) -> list[Finding]:
        """Problems in the files checked (not the paths that were not found, which the
        summary counts apart, nor notes on the run or on files around the records)."""
        missing = set(self.missing)
        checked = set(self.checked) if self.checked is not None else None
        return [f for f in self.findings if f.path and f.path not in missing and (checked is None or f.path in checked)]

    @property
    def counted(self) -> list[Finding]:
        """What the exit code is worked out from: the records' problems, the paths that could
        not be read, and notes whose severity the configuration set (it asked for them)."""
        missing = set(self.missing)
        records = set(map(id, self.file_findings))
        return self.file_findings + [f for f in self.findings if id(f) not in records
                                     and (f.path in missing or f.severity_override is not None)]

    @property
    def notes(self) -> list[Finding]:
        """Findings about the run as a whole (pinned to no file), or about a file that is not
        a record (the schema copy for editors)."""
        counted = set(map(id, self.file_findings)) | {id(f) for f in self.findings if f.path in set(self.missing)}
        return [f for f in self.findings if id(f) not in counted]

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.file_findings})


def format_line(finding: Finding) -> str:
    """One finding as a line for a terminal: what came from a record cannot move it."""
    if not finding.path:
        return visible(str(finding))
    where = f" (at {visible(finding.json_path)})" if finding.json_path else ""
    return f"{shown_location(finding)}: {finding.code.code} {visible(finding.message)}{where}"


def visible(text: str) -> str:
    """`text` with every control, format and separator character shown as an escape (\\x1b,
    \\u202e): a record's values, echoed in a message, cannot move the terminal, recolour it,
    reverse the text after them or break the line."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown_path(path: str) -> str:
    """A path as text output shows it: as it is, or in double quotes (JSON escapes) when a
    colon, a quote, a leading or trailing space or an invisible character would make
    `path:line:col:` ambiguous."""
    if path.isprintable() and ":" not in path and '"' not in path and path == path.strip():
        return path
    import json

    return json.dumps(path)


def shown_location(finding: Finding) -> str:
    path = shown_path(finding.path)
    return f"{path}:{finding.line}:{finding.column}" if finding.line else path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report, *, path=str) -> str:
    """One sentence on what was checked and found, ending with what was not checked; `path`
    shows each folder named in it (Markdown puts them in code spans)."""
    if report.summary is not None:
        return report.summary
    problems = report.file_findings
    files = _plural(report.files_checked, "file")
    if report.files_checked == 0 and not problems:
        head = "No records checked"
    elif not problems:
        head = f"No problems in {files}"
    else:
        by_severity = Counter(f.severity for f in problems)
        detail = ", ".join(_plural(by_severity[s], str(s)) for s in sorted(by_severity, reverse=True))
        where = f"in {report.files_with_findings} of {files}" if report.files_checked else "and no file checked"
        head = f"Found {_plural(len(problems), 'problem')} ({detail}) {where}"
    tails = scope_notes(report, path=path)
    notes = report.notes
    if notes:
        raised = sorted({str(f.severity) for f in notes if f.severity_override is not None})
        tails.append(_plural(len(notes), "note") + (f" ({', '.join(raised)}, by the configuration)" if raised else ""))
    return head + ("; " + "; ".join(tails) if tails else "") + "."


def files_count(count: int) -> str:
    """"1 file", "3 files": how the summaries count."""
    return f"{count} file{'' if count == 1 else 's'}"


def tally(parts: list[str], report: "Report") -> str:
    """A rewriting command's one summary line (fmt, migrate): what became of the files, then
    what was not looked at."""
    return "; ".join([", ".join(parts)] + scope_notes(report)) + "."


def scope_notes(report: Report, *, path=str) -> list[str]:
    """What the run did not look at, and why; `path` shows each folder named (the
    configuration file's name is one of ours, and shown as it is)."""
    tails = []
    if report.missing:
        tails.append(f"{_plural(len(report.missing), 'path')} not found")
    if report.skipped:
        by = f" by {report.origin}" if report.origin else ""
        tails.append(f"{_plural(len(report.skipped), 'file')} skipped: not records{by}")
    if report.empty:
        shown = ", ".join(map(path, report.empty[:3])) + (", ..." if len(report.empty) > 3 else "")
        parts = ([_plural(report.filtered, ".yaml/.yml/.json file")] if report.filtered else []) + \
                ([_plural(report.pruned, "folder")] if report.pruned else [])
        verb = "is" if report.filtered + report.pruned == 1 else "are"
        left_out = (f" ({' and '.join(parts)} there {verb} left out by "
                    f"{report.origin or 'the configuration'})"
                    if parts else "")
        tails.append(f"no records found in {shown}{left_out}")
    return tails


_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_text(report: Report, *, colour: bool = False, show_source: bool = True, quiet: bool = False) -> str:
    import click

    def paint(text: str, **style) -> str:
        return click.style(text, **style) if colour else text

    out = []
    lines_of = _SourceLines(report.texts)
    for finding in report.findings:
        where = f" (at {finding.json_path})" if finding.json_path else ""
        where = visible(where)
        if not finding.path:
            out.append(f"{paint(str(finding.severity) + ':', fg=_COLOURS[finding.severity], bold=True)} "
                       f"{paint(finding.code.code, fg=_COLOURS[finding.severity], bold=True)} {visible(finding.message)}")
            continue
        out.append(f"{paint(shown_location(finding) + ':', bold=True)} "
                   f"{paint(finding.code.code, fg=_COLOURS[finding.severity], bold=True)} "
                   f"{visible(finding.message)}{where}")
        source = lines_of.get(finding.path, finding.line) if show_source and finding.show_source else None
        if source is not None:
            gutter = " " * len(str(finding.line))
            caret = " " * _display_width(visible(source[: finding.column - 1])) + "^"
            out += [paint(f"{gutter} |", fg="blue"),
                    paint(f"{finding.line} |", fg="blue") + f" {visible(source)}",
                    paint(f"{gutter} |", fg="blue") + " " + paint(caret, fg=_COLOURS[finding.severity], bold=True),
                    ""]
    if quiet:
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n" if out else ""
    out.append(paint(summary_line(report), bold=bool(report.findings)))
    return "\n".join(out) + "\n"


def render_statistics(report: Report, output_format: str, *, colour: bool = False) -> str:
    """How many findings of each code, most first (as `ruff --statistics`)."""
    import click

    counts = Counter((finding.code, finding.severity) for finding in report.findings)  # severity as configured
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].code, -item[0][1]))
    if output_format == "json":
        return json.dumps([{"code": code.code, "name": code.name, "severity": str(severity), "count": count}
                           for (code, severity), count in ranked], indent=2) + "\n"
    if not ranked:
        return ""
    width = len(str(ranked[0][1]))
    name_width = max(len(code.name) for (code, _), _ in ranked)
    lines = [f"{str(count).rjust(width)}  "
             + (click.style(code.code, fg=_COLOURS[severity], bold=True) if colour else code.code)
             + f"  {code.name.ljust(name_width)}  {severity}" for (code, severity), count in ranked]
    return "\n".join(lines) + "\n"


class _SourceLines:
    """Lines of the files findings point into, read once each and only when shown."""

    def __init__(self, texts: dict[str, str] | None = None):
        self._files: dict[str, list[str] | None] = {path: text.splitlines() for path, text in (texts or {}).items()}

    def get(self, path: str, line: int) -> str | None:
        if path not in self._files:
            self._files[path] = _read_lines(path)
        lines = self._files[path]
        if not lines or not 1 <= line <= len(lines):
            return None
        return lines[line - 1].expandtabs(1)[:200]


def _read_lines(path: str) -> list[str] | None:
    """A regular file's lines, or None: a pipe or a device is never opened (it could block,
    or never end), nor a file over the size limit."""
    import os
    import stat

    from ..documents.loading import MAX_FILE_BYTES

    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text.splitlines() if "\x00" not in text else None


def _display_width(text: str) -> int:
    return len(text.expandtabs(1))


def render_json(report: Report, **_) -> str:
    payload = {
        "version": __version__,
        "files_checked": report.files_checked,
        "files_skipped": report.skipped,
        "paths_missing": report.missing,
        "summary": {str(s): sum(1 for f in report.findings if f.severity == s) for s in Severity},
        "findings": [
            {
                "path": f.path or None,
                "line": f.line or None,
                "column": f.column or None,
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
    """SARIF 2.1.0, one run, as GitHub code scanning ingests it: every result has a location
    in a file of the repository, and what has no such location (a note on the run, a path
    that was not found) is a notification of the run's invocation instead, since one
    result without a location makes GitHub reject the whole file. Every code that can be
    reported is described under rules."""
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
    root = report.root or default_root()
    missing = set(report.missing)
    results, notifications = [], []
    for f in report.findings:
        if f.path and f.path not in missing:
            results.append(_sarif_result(f, index[f.code.code], root))
        else:
            notifications.append(_sarif_notification(f, index[f.code.code], root))
    invocation = {"executionSuccessful": not any(f.path in missing for f in report.findings if f.path)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "communique", "version": __version__,
                                "informationUri": "https://github.com/communique-project/communique",
                                "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
            "invocations": [invocation],
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(f: Finding, rule_index: int, root: str) -> dict:
    """A finding in a file as a SARIF result: a region on a line of at least 1 (a finding on
    a whole file is on its first line), and a fingerprint that does not depend on the line,
    so that an alert follows its finding when lines are added above it."""
    import hashlib

    region = {"startLine": max(f.line, 1)}
    if f.line >= 1 and f.column >= 1:
        region["startColumn"] = f.column
    location = {"physicalLocation": {"artifactLocation": _artifact(f.path, root), "region": region}}
    if f.json_path:
        location["logicalLocations"] = [{"fullyQualifiedName": f.json_path, "kind": "member"}]
    identity = "\0".join((f.code.code, location["physicalLocation"]["artifactLocation"]["uri"], f.json_path or "",
                          f.message))
    return {
        "ruleId": f.code.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {"communiqueFinding/v1": hashlib.sha256(identity.encode()).hexdigest()[:32]},
    }


def _sarif_notification(f: Finding, rule_index: int, root: str) -> dict:
    """A finding pinned to no file of the repository, as a notification of the run: a note
    on the run as a whole, or a path that was not found (named, without a region)."""
    notification = {
        "level": _SARIF_LEVELS[f.severity],
        "message": {"text": f"{_shown_relative(f.path, root)}: {f.message}" if f.path else f.message},
        "associatedRule": {"id": f.code.code, "index": rule_index},
    }
    if f.path:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(f.path, root)}}]
    return notification


def _artifact(path: str, root: str) -> dict:
    """Where a file is, for SARIF: a URI relative to `root` (the %SRCROOT% base), the same
    from any working folder; a file outside it by its absolute file: URI."""
    import os

    from ..documents.files import relative_to

    relative = relative_to(path, root)
    if relative is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": _uri(relative), "uriBaseId": "%SRCROOT%"}


def _shown_relative(path: str, root: str) -> str:
    """A path as a notification names it: relative to `root`, whatever the working folder."""
    import os

    from ..documents.files import relative_to

    return relative_to(path, root) or os.path.abspath(path)


def default_root() -> str:
    """What SARIF's URIs are relative to without a configuration file: the top of the git
    working tree the working folder is in (where code scanning resolves them), else the
    working folder itself."""
    import os

    here = Path(os.path.abspath(os.getcwd()))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return str(folder)
    return str(here)


_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _uri(path: str) -> str:
    """A relative URI reference for a path: spaces, colons and the like percent-encoded."""
    from urllib.parse import quote

    return quote(Path(path).as_posix(), safe="/")


def _escape_data(text: str) -> str:
    """A workflow command's data: a line break in a value can never start a new command,
    and a terminal escape is shown, not run (GitHub's log renders them)."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, **_) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    lines = []
    for f in report.findings:
        location = [f"file={_escape_property(Path(f.path).as_posix())}", f"line={f.line}", f"col={f.column}"]
        properties = ",".join((location if f.path else []) + [f"title={_escape_property(f'{f.code.code} {f.code.name}')}"])
        where = f" (at {f.json_path})" if f.json_path else ""
        lines.append(f"::{_GITHUB_LEVELS[f.severity]} {properties}::{_escape_data(f.message + where)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, *, limit: int = 500, **_) -> str:
    """A findings table in GitHub-flavoured Markdown, for a CI job summary. With the
    variables a GitHub runner sets, each location links to the line in the commit.

    Whatever came from a record or a path renders as the same text, never as markup: it
    is in code spans, where no link, autolink, emphasis, HTML, math, emoji or @mention can
    start (GitHub's own filters leave code alone too)."""
    import os

    out = [f"### communique: {summary_line(report, path=lambda text: code_span(text, in_table=False))}", ""]
    if not report.findings:
        return "\n".join(out) + "\n"
    base = None
    if all(os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")):
        base = f"{os.environ['GITHUB_SERVER_URL']}/{os.environ['GITHUB_REPOSITORY']}/blob/{os.environ['GITHUB_SHA']}/"
    out += ["| location | code | severity | message |", "|---|---|---|---|"]
    for f in report.findings[:limit]:
        if not f.path:
            location = "(run)"
        else:
            shown = f"{shown_path(Path(f.path).as_posix())}:{f.line}:{f.column}"
            relative = _workspace_relative(f.path)
            location = f"[{code_span(shown)}]({base}{_uri(relative)}#L{f.line})" if base and relative else code_span(shown)
        where = f" (at {code_span(f.json_path)})" if f.json_path else ""
        out.append(f"| {location} | `{f.code.code}` {f.code.name} | {f.severity} | {code_span(f.message)}{where} |")
    if len(report.findings) > limit:
        out += ["", f"... and {len(report.findings) - limit} more; see the job log."]
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    """Text for one table row: line breaks as spaces, other invisible characters shown."""
    return visible(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def code_span(text: str, *, in_table: bool = True) -> str:
    """`text` as a GFM code span, shown exactly: fenced by one backtick more than its
    longest run of them, padded with a space where it starts or ends with a backtick or a
    space (CommonMark strips one from each side); in a table cell, each `|` escaped (the
    table, not the span, takes the escape off)."""
    import re

    text = _one_line(text)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    if text.strip() and (text[0] in "` " or text[-1] in "` "):
        text = f" {text} "
    return fence + (text.replace("|", "\\|") if in_table else text) + fence


def _workspace_relative(path: str) -> str | None:
    import os

    from ..documents.files import relative_to

    return relative_to(path, os.environ.get("GITHUB_WORKSPACE") or os.getcwd())


RENDERERS = {"text": render_text, "json": render_json, "sarif": render_sarif, "github": render_github}
