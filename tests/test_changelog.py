"""CHANGELOG.md: a section per release, newest first, and for each schema version a block
generated from `communique schema diff` that must not go stale (tools/changelog.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from communique.core.version import __version__

from .conftest import REPO

spec = importlib.util.spec_from_file_location("changelog_tool", REPO / "tools" / "changelog.py")
changelog = importlib.util.module_from_spec(spec)
spec.loader.exec_module(changelog)

TEXT = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
SCHEMA_VERSIONS = sorted((path.parent.name for path in (REPO / "schema").glob("*/record.schema.json")),
                         key=lambda version: tuple(map(int, version.split("."))))
BREAKING = {"old": "1.0", "new": "1.1", "compatible": False, "breaking": 1, "changes": [
    {"path": "properties/id/maxLength", "verdict": "breaking", "change": "maxLength 80 -> 60",
     "reason": "a value OLD accepted | may be too long for NEW"},
    {"path": "", "verdict": "compatible", "change": "description changed", "reason": "annotations only"}]}


def release_order(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def test_the_schema_diff_blocks_are_current():
    assert changelog.refreshed(TEXT) == TEXT, "CHANGELOG.md is stale: run `python tools/regenerate.py`"


def test_each_schema_version_has_one_block_against_the_version_before():
    blocks = [(match["old"], match["new"]) if match["new"] else (None, match["old"])
              for match in changelog.BLOCK.finditer(TEXT)]
    previous = [None, *SCHEMA_VERSIONS[:-1]]
    assert blocks == list(zip(previous, SCHEMA_VERSIONS, strict=True))[::-1]  # newest first, as the releases


def test_one_section_per_release_newest_first_from_this_version_down_to_the_first():
    versions = [match["version"] for match in changelog.SECTION.finditer(TEXT)]
    assert versions == sorted(set(versions), key=release_order, reverse=True)
    assert __version__ in versions and versions[-1] == "0.1.0"
    assert release_order(versions[0]) >= release_order(__version__)  # the next release, unreleased, may lead


def test_refreshing_rewrites_only_the_blocks():
    text = ("# Changelog\n\n## 0.3.0 (2026-11-24)\n\nWritten by hand.\n\n"
            "<!-- schema-diff 1.0 1.1 -->\nstale words\n<!-- /schema-diff -->\n\nAlso by hand.\n")
    fresh = changelog.refreshed(text, diff=lambda old, new: BREAKING)
    assert fresh == text.replace("<!-- schema-diff 1.0 1.1 -->\nstale words\n<!-- /schema-diff -->",
                                 changelog.render_block("1.0", "1.1", BREAKING))
    assert changelog.refreshed(fresh, diff=lambda old, new: BREAKING) == fresh


def test_a_breaking_change_is_said_to_break_records_of_the_old_version():
    block = changelog.render_block("1.0", "1.1", BREAKING)
    assert "**Schema 1.1**: 2 changes from 1.0; 1 can break a record valid under 1.0" in block
    assert ("| `properties/id/maxLength` | maxLength 80 -> 60 | **yes**: a value 1.0 accepted \\| may be too long "
            "for 1.1 |") in block
    assert "| `(root)` | description changed | no: annotations only |" in block


def test_a_block_without_its_end_is_refused():
    with pytest.raises(SystemExit, match="without its"):
        changelog.refreshed("## 0.1.0\n<!-- schema-diff 1.0 -->\n")


def notes(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "tools" / "changelog.py"), "notes", *args],
                          capture_output=True, text=True)


def test_the_release_notes_are_one_section_without_its_heading():
    result = notes("v0.6.0")  # as the workflow passes the tag
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Schema 1.2, and rules")
    assert "<!-- schema-diff 1.1 1.2 -->" in result.stdout and "## " not in result.stdout
    assert notes().stdout == changelog.section(TEXT, __version__)[1]  # this version's, by default
    missing = notes("9.9.9")
    assert (missing.returncode, missing.stdout, missing.stderr) == (1, "", "CHANGELOG.md has no section for 9.9.9\n")
