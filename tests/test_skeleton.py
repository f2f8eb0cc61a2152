"""`communique new`: a skeleton that names itself by the convention and validates once
its placeholders are filled."""

from __future__ import annotations

import json

from communique.loading import load_file

from .conftest import REPO


def test_new_writes_a_named_skeleton_with_the_editor_comment(run, tmp_path):
    folder = tmp_path / "records"
    result = run("new", "--series", "pk-eu-strategic-dialogue", "--round", "8", "--start", "2026-03-02",
                 "--city", "Islamabad", "--country", "pk", "--party", "pk=Pakistan", "--party", "eu=European Union",
                 "--dir", folder)
    assert result.exit_code == 0, result.output
    path = folder / "pk-eu-strategic-dialogue-08.yaml"
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (folder / first.split("$schema=")[1]).resolve().is_file()
    data = load_file(path).document.data
    assert data["id"] == "pk-eu-strategic-dialogue-08" and data["venue"]["country"] == "PK"
    assert [p["id"] for p in data["parties"]] == ["pk", "eu"]


def test_skeleton_is_reported_until_placeholders_are_filled_then_clean(run, tmp_path):
    folder = tmp_path / "records"
    run("new", "--series", "example-dialogue", "--round", "1", "--start", "2026-03-02", "--city", "Oslo",
        "--country", "NO", "--party", "no=Norway", "--dir", folder)
    path = folder / "example-dialogue-01.yaml"
    before = json.loads(run("check", "--format", "json", path).output)["findings"]
    assert {f["code"] for f in before} >= {"N004"}
    text = path.read_text()
    for placeholder, value in [('"TODO: the meeting as the sources name it"', "First example dialogue"),
                               ("todo-person", "kari-nordmann"), ('"TODO: full name"', "Kari Nordmann"),
                               ('"TODO: post at the time"', "Foreign Minister"), ("todo-source", "s1")]:
        text = text.replace(placeholder, value)
    path.write_text(text)
    after = run("check", "--format", "json", "--ignore", "Q003", path)
    assert json.loads(after.output)["findings"] == [] and after.exit_code == 0


def test_one_off_meeting_by_id_and_refusal_to_overwrite(run, tmp_path):
    args = ("new", "--id", "dar-lavrov-moscow-2025", "--dir", tmp_path)
    assert run(*args).exit_code == 0
    assert (tmp_path / "dar-lavrov-moscow-2025.yaml").is_file()
    again = run(*args)
    assert again.exit_code == 2 and "exists" in again.output
    assert run(*args, "--force").exit_code == 0


def test_usage_errors_without_a_terminal(run, tmp_path):
    assert run("new", "--dir", tmp_path).exit_code == 2
    assert run("new", "--series", "x", "--dir", tmp_path).exit_code == 2
    assert run("new", "--id", "x", "--start", "2025-02-30", "--dir", tmp_path).exit_code == 2
    assert run("new", "--id", "x", "--party", "Pakistan", "--dir", tmp_path).exit_code == 2


def test_prompts_in_a_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "communique", "new", "--dir", str(tmp_path)],
                               stdin=follower, stdout=follower, stderr=follower, cwd=REPO)
    os.close(follower)
    answers = iter(["example-talks", "2", "Second example talks", "2025-10-25", "Ankara", "tr",
                    "pk=Pakistan,af=Afghanistan"])
    transcript = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        if chunk.rstrip().endswith(b":"):
            os.write(leader, (next(answers) + "\n").encode())
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0, transcript.decode()
    data = load_file(tmp_path / "example-talks-02.yaml").document.data
    assert data["title"] == "Second example talks" and data["venue"] == {"city": "Ankara", "country": "TR"}
    assert [p["id"] for p in data["parties"]] == ["pk", "af"]
