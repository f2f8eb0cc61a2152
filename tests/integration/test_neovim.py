"""The language server in a real editor: Neovim's built-in LSP client, headless, in a
keeper's repository. It must show the cross-record finding the server computes, apply the
server's quick fix (positions in UTF-16, as Neovim counts them) and its formatting."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import RECORDS
from .conftest import needs

NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).parent / "neovim" / "check_record.lua"


def test_neovim_shows_a_cross_record_finding_applies_the_fix_and_formats(tmp_path, seeds):
    needs(NVIM is not None, "Neovim is not installed (apt-get install neovim)")
    repo = tmp_path / "meetings"
    (repo / "records").mkdir(parents=True)
    (repo / "communique.toml").write_text('records = "records"\n', encoding="utf-8")
    for name in ("af-pk-talks-01.yaml", "af-pk-talks-02.yaml", "af-pk-talks-03.yaml"):
        shutil.copy(RECORDS / name, repo / "records" / name)
    record = repo / "records" / "af-pk-talks-03.yaml"
    text = record.read_text(encoding="utf-8")
    planted = text.replace("  round: 3\n", "  round: 2\n", 1)  # af-pk-talks-02.yaml is round 2
    planted = planted.replace("  country: TR\n  sources", "  country: tr\n  sources", 1)  # in the venue
    head = 'schema_version: "1.2"\nid: af-pk-talks-03\n'
    planted = planted.replace(head, 'id: af-pk-talks-03\nschema_version: "1.2"\n', 1)  # out of the fmt order
    assert planted.count("round: 2") == 1 and "country: tr" in planted and head not in planted
    record.write_text(planted, encoding="utf-8")
    results = tmp_path / "results.json"
    env = {**os.environ, "REPO": str(repo), "RECORD": str(record), "RESULTS": str(results), "EXPECT": "X002",
           "FIX": "S106", "COMMUNIQUE": str(Path(sys.executable).with_name("communique"))}
    done = subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {SCRIPT}"], env=env,
                          cwd=repo, capture_output=True, text=True, timeout=180)
    assert results.exists(), done.stderr
    found = json.loads(results.read_text(encoding="utf-8"))
    assert found["waited"], found["before"]
    country = next(d for d in found["before"] if d["code"] == "S106")
    assert (country["lnum"], country["col"], country["end_col"]) == (16, 11, 13)  # the value `tr`
    assert any(title.startswith("Fix S106") for title in found["actions"]), found["actions"]
    assert found["fixed"], found["fixed_codes"]
    duplicate = next(d for d in found["fixed_codes"] if d["code"] == "X002")
    assert "af-pk-talks-02.yaml" in duplicate["message"]
    assert (duplicate["lnum"], duplicate["col"], duplicate["end_col"]) == (8, 9, 10)  # the value 2 of `round: 2`
    expected = tmp_path / "expected.yaml"  # the fixed record as `communique fmt` lays it out
    expected.write_text(planted.replace("  country: tr\n  sources", "  country: TR\n  sources", 1), encoding="utf-8")
    subprocess.run([str(Path(sys.executable).with_name("communique")), "fmt", str(expected)], check=True,
                   capture_output=True)
    assert found["text"] == expected.read_text(encoding="utf-8") and head in found["text"]
    assert {d["code"] for d in found["after"]} == {d["code"] for d in found["fixed_codes"]}
