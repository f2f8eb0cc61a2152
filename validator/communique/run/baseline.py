"""Known findings, so that a check reports only what a change brings.

A keeper adopting the tool on a corpus with old problems writes them to a baseline
(`check --write-baseline FILE`), commits it, and from then on `check --baseline FILE`
reports only findings that are not in it, or `check --since REV` only those the records
at a git revision did not have. A finding is known by its record file's name (not its
folder, so a record moved between folders keeps its findings), its code, the place in the
record (its JSON path, not its line: an edit elsewhere moves lines, not places) and its
message with any line number folded. The file is JSON, one finding to a line, sorted, so
that its diff in a pull request reads as the problems fixed and the ones accepted.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import SettingsError
from ..core.findings import Finding

FORMAT = "communique-baseline/1"
_LINE_NUMBER = re.compile(r"\b(line|lines|column) \d+")


class BaselineError(SettingsError):
    """A baseline that cannot be read: a usage error naming the file."""


Key = tuple[str, str, str, str]


def key(finding: Finding) -> Key:
    return (os.path.basename(finding.path), finding.code.code, finding.json_path or "",
            _LINE_NUMBER.sub(r"\1 N", finding.message))


def write(findings: list[Finding]) -> str:
    """The baseline of `findings` (those in files), as the text of its file."""
    entries = sorted(key(f) for f in findings if f.path)
    lines = [json.dumps({"file": file, "code": code, "at": at, "message": message}, ensure_ascii=False)
             for file, code, at, message in entries]
    return "{\"format\": \"%s\", \"findings\": [\n%s\n]}\n" % (FORMAT, ",\n".join(lines)) if lines else \
        "{\"format\": \"%s\", \"findings\": []}\n" % FORMAT


def read(path: Path) -> Counter:
    """The known findings of a baseline file, counted (one place may have a problem twice)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"--baseline {path}: cannot read it ({error.strerror or error}); "
                            "`check --write-baseline FILE` writes one") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"--baseline {path}: not a baseline ({error}); `check --write-baseline FILE` writes one") \
            from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"--baseline {path}: not a baseline of this tool (no \"format\": \"{FORMAT}\")")
    known: Counter = Counter()
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("file", "code", "at",
                                                                                            "message")):
            raise BaselineError(f"--baseline {path}: an entry is not {{file, code, at, message}}: {entry!r}")
        known[(entry["file"], entry["code"], entry["at"], entry["message"])] += 1
    return known


@dataclass
class Split:
    new: list[Finding]  # what the change brings: reported
    known: int  # findings the baseline holds, left out
    fixed: list[Key]  # findings of the baseline that are gone


def split(findings: list[Finding], known: Counter, checked: list[str] | None = None) -> Split:
    """`findings` less those `known` holds; and the known ones, of the files checked, no
    longer found (fixed). Notes on the run (no path) are always kept."""
    left = Counter(known)
    new = []
    matched = 0
    for finding in findings:
        k = key(finding)
        if finding.path and left[k] > 0:
            left[k] -= 1
            matched += 1
        else:
            new.append(finding)
    names = {os.path.basename(path) for path in checked} if checked is not None else None
    fixed = sorted(k for k, count in left.items() for _ in range(count) if names is None or k[0] in names)
    return Split(new, matched, fixed)


def note(result: Split, origin: str) -> str:
    """The line that says what the baseline left out, and what was fixed."""
    parts = [f"{result.known} known finding{'' if result.known == 1 else 's'} left out ({origin})"]
    if result.fixed:
        shown = "; ".join(f"{file}: {code} (at {at})" if at else f"{file}: {code}" for file, code, at, _ in
                          result.fixed[:10])
        parts.append(f"{len(result.fixed)} fixed: {shown}" + ("; ..." if len(result.fixed) > 10 else ""))
    return "; ".join(parts) + "."


def known_at(revision: str, paths: tuple[str, ...], options_for) -> Counter:
    """The findings of the records at a git revision (`--since REV`): its tree is exported
    to a temporary folder (`git archive`, nothing checked out) and checked there with its
    own configuration, by `options_for(config)`, the options of this run."""
    import io
    import subprocess
    import tarfile
    import tempfile

    from ..documents.repository import find_config
    from .checking import run
    from .config import load_config

    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        raise BaselineError(f"--since {revision}: not in a git repository")
    top_folder = top.stdout.strip()
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=top_folder, capture_output=True)
    if archive.returncode != 0:
        raise BaselineError(f"--since {revision}: not a revision of this repository "
                            f"({archive.stderr.decode('utf-8', 'replace').strip().splitlines()[-1:]})")
    with tempfile.TemporaryDirectory(prefix="communique-since-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            try:
                tar.extractall(folder, filter="data")  # no links out, no devices
            except TypeError:  # pragma: no cover - Python before the extraction filters
                tar.extractall(folder)
        here = os.path.relpath(os.getcwd(), top_folder)
        start = Path(folder, here)
        config = load_config(find_config(start if start.exists() else Path(folder)))
        options = options_for(config)
        options.use_cache = False
        then = [str(Path(folder, os.path.relpath(os.path.abspath(p), top_folder))) for p in paths]
        existing = [path for path in then if os.path.exists(path)]
        if not existing:
            return Counter()  # no records there yet: every finding is new
        report, _ = run(existing, options)
    return Counter(key(f) for f in report.findings if f.path)
