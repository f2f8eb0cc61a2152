"""CHANGELOG.md: hand-written notes for each release, and generated blocks for the schema.

A release that brought a schema version holds a block between `<!-- schema-diff OLD NEW -->`
and `<!-- /schema-diff -->`, rendered from `communique schema diff OLD NEW --format json`:
every change from OLD, and whether it can break a record valid under OLD. The first version
has `<!-- schema-diff 1.0 -->`, with nothing to compare. Only the blocks are rewritten, so
the text around them stays as written; the blocks are among tools/docs.py's documents, which
`python tools/regenerate.py` writes and tests/test_docs.py holds current.

    python tools/changelog.py notes [VERSION]   # one release's section: the GitHub release's notes

Printing notes needs the standard library only (the release workflow runs it on a bare runner).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = ROOT / "CHANGELOG.md"

BLOCK = re.compile(r"<!-- schema-diff (?P<old>\d+\.\d+)(?: (?P<new>\d+\.\d+))? -->\n.*?<!-- /schema-diff -->", re.S)
SECTION = re.compile(r"^## (?P<version>\d+\.\d+\.\d+)\b.*$", re.M)


def schema_diff(old: str, new: str) -> dict:
    """What `communique schema diff OLD NEW --format json` says, from this checkout's code."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "validator"),
                                                                      os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "communique", "schema", "diff", old, new, "--format", "json"],
                            capture_output=True, text=True, env=env)
    if result.returncode not in (0, 1):  # 1: a breaking change, which the block reports
        raise SystemExit(f"communique schema diff {old} {new} failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def _cell(text: str, old: str, new: str) -> str:
    """A table cell of the command's words, with its OLD and NEW named by their versions."""
    text = re.sub(r"\bOLD\b", old, re.sub(r"\bNEW\b", new, text))
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_block(old: str | None, new: str, diff: dict | None = None) -> str:
    """The block for schema NEW; `diff` is the command's JSON (found by running it when not given)."""
    if old is None:
        return (f"<!-- schema-diff {new} -->\n"
                f"**Schema {new}**: the first version of the schema, so there is nothing to compare it with.\n"
                f"<!-- /schema-diff -->")
    diff = diff if diff is not None else schema_diff(old, new)
    changes, breaking = diff["changes"], diff["breaking"]
    verdict = (f"none can break a record valid under {old}" if not breaking else
               f"{breaking} can break a record valid under {old}")
    rows = [f"| `{change['path'] or '(root)'}` | {_cell(change['change'], old, new)} | "
            f"{'**yes**' if change['verdict'] == 'breaking' else 'no'}: {_cell(change['reason'], old, new)} |"
            for change in changes]
    return "\n".join([
        f"<!-- schema-diff {old} {new} -->",
        f"**Schema {new}**: {len(changes)} changes from {old}; {verdict} "
        f"(generated from `communique schema diff {old} {new}`; do not edit).",
        "",
        "<details>",
        f"<summary>Every change from schema {old} to {new}</summary>",
        "",
        f"| where | change | can it break a {old} record? |",
        "|---|---|---|",
        *rows,
        "",
        "</details>",
        "<!-- /schema-diff -->",
    ])


def refreshed(text: str, diff: Callable[[str, str], dict] = schema_diff) -> str:
    """The changelog with each block rendered anew and everything else as it was."""
    if text.count("<!-- schema-diff ") != text.count("<!-- /schema-diff -->"):
        raise SystemExit("CHANGELOG.md: a '<!-- schema-diff' marker without its '<!-- /schema-diff -->', "
                         "or the reverse")

    def render(match: re.Match) -> str:
        old, new = (match["old"], match["new"]) if match["new"] else (None, match["old"])
        return render_block(old, new, diff(old, new) if old else None)

    return BLOCK.sub(render, text)


def changelog_document() -> str:
    """CHANGELOG.md as tools/docs.py's documents() gives it: current blocks."""
    return refreshed(CHANGELOG.read_text(encoding="utf-8"))


def section(text: str, version: str) -> tuple[str, str] | None:
    """The heading (`0.7.0 (unreleased)`) and body of one release's section, or None."""
    headings = list(SECTION.finditer(text))
    for index, heading in enumerate(headings):
        if heading["version"] == version:
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            return heading[0].removeprefix("## "), text[heading.end():end].strip() + "\n"
    return None


def main(argv: list[str]) -> int:
    if argv[:1] != ["notes"] or len(argv) > 2:
        print("usage: python tools/changelog.py notes [VERSION]  (the blocks: python tools/regenerate.py)",
              file=sys.stderr)
        return 2
    if len(argv) == 2:
        version = argv[1].removeprefix("v")
    else:
        version = re.search(r"""__version__\s*=\s*["']([^"']+)""",
                            (ROOT / "validator" / "communique" / "core" / "version.py").read_text()).group(1)
    found = section(CHANGELOG.read_text(encoding="utf-8"), version)
    if found is None:
        print(f"CHANGELOG.md has no section for {version}", file=sys.stderr)
        return 1
    print(found[1], end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
