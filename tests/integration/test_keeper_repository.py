"""A record keeper's own repository, built as a user builds it: `communique init`,
`communique new`, a record filled in, committed. Then the three ways it is used, each with
the real tool: pre-commit (`try-repo` against this checkout), the GitHub Action's steps as a
runner runs them, and an editor's YAML language server in a second clone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from communique.core.version import __version__

from ..conftest import REPO
from .conftest import PRE_COMMIT
from .lsp import LanguageServer

COMMUNIQUE = Path(sys.executable).with_name("communique")
SOURCE_TEXT = ("Oslo, 2 March 2026. Norway and Sweden held the first round of their example dialogue. "
               "Foreign Minister Kari Nordmann said that both sides agreed to meet again in Stockholm next year.\n")
FILLED = {
    '"TODO: the meeting as the sources name it"': "First Norway-Sweden example dialogue",
    "todo-no-chair": "kari-nordmann", '"TODO: full name of the no chair"': "Kari Nordmann",
    "todo-se-chair": "sven-svensson", '"TODO: full name of the se chair"': "Sven Svensson",
    '"TODO: post at the time"': "Foreign Minister",
    "todo-source": "s1",
    "agreements: []  # {id, kind, text, parties, evidence: [{source, quote}]}": (
        "agreements:\n"
        "  - id: meet-again\n"
        "    kind: meet-again\n"
        "    text: Meet again in Stockholm next year.\n"
        "    parties: [no, se]\n"
        "    evidence:\n"
        "      - source: s1\n"
        "        quote: both sides agreed to meet again in Stockholm next year"),
}


def communique(*args, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([str(COMMUNIQUE), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=check)


def git(*args, cwd: Path, env: dict) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def keeper(tmp_path_factory, git_env) -> Path:
    repo = tmp_path_factory.mktemp("keeper") / "meetings"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo, env=git_env)
    communique("init", cwd=repo, check=True)
    communique("new", "--series", "example-dialogue", "--round", "1", "--kind", "dialogue", "--start", "2026-03-02",
               "--city", "Oslo", "--country", "NO", "--party", "no=Norway", "--party", "se=Sweden", cwd=repo, check=True)
    record = repo / "records" / "example-dialogue-01.yaml"
    text = record.read_text(encoding="utf-8")
    for placeholder, value in FILLED.items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    record.write_text(text, encoding="utf-8")
    (repo / "sources" / "s1.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    communique("fmt", cwd=repo, check=True)
    clean = communique("check", cwd=repo)
    assert clean.returncode == 0 and clean.stdout == "No problems in 1 file.\n", clean.stdout + clean.stderr
    git("add", "-A", cwd=repo, env=git_env)
    git("commit", "-q", "-m", "First record", cwd=repo, env=git_env)
    return repo


def bad_copy(keeper: Path, tmp_path: Path, env: dict) -> Path:
    """A clone of the keeper's repository with a second record that fails the schema."""
    clone = tmp_path / "clone"
    git("clone", "-q", str(keeper), str(clone), cwd=tmp_path, env=env)
    good = (clone / "records" / "example-dialogue-01.yaml").read_text(encoding="utf-8")
    bad = (good.replace("example-dialogue-01", "example-dialogue-02").replace("round: 1", "round: 2")
           .replace("First Norway", "Second Norway").replace("2026-03-02", "2027-03-02")
           .replace("kind: dialogue", "kind: conference"))
    (clone / "records" / "example-dialogue-02.yaml").write_text(bad, encoding="utf-8")
    git("add", "-A", cwd=clone, env=env)
    return clone


# --- what init and new wrote ---------------------------------------------------------------


def test_nothing_written_points_outside_the_repository(keeper):
    outside = {str(keeper.parent), "site-packages", ".venv", str(Path.home())}
    for path in keeper.rglob("*"):
        if ".git" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert not [o for o in outside if o in text], path
    first = (keeper / "records" / "example-dialogue-01.yaml").read_text().splitlines()[0]
    target = (keeper / "records" / first.split("$schema=")[1]).resolve()
    assert target.is_file() and keeper in target.parents


def test_generated_pre_commit_configuration_is_valid_and_pinned(keeper, git_env):
    config = yaml.safe_load((keeper / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert repo["rev"] == f"v{__version__}"
    offered = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repo["hooks"]} == offered
    result = subprocess.run([str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"], cwd=keeper,
                            env=git_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_workflow_uses_the_action_at_the_installed_version(keeper):
    workflow = yaml.safe_load((keeper / ".github" / "workflows" / "records.yml").read_text())
    uses = [step.get("uses", "") for step in workflow["jobs"]["check"]["steps"]]
    assert uses[-1].endswith(f"/communique@v{__version__}")
    assert (REPO / "action.yml").is_file()


# --- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_checks_the_records_and_nothing_else(keeper, tmp_path, git_env):
    clone = bad_copy(keeper, tmp_path, git_env)
    result = subprocess.run([str(PRE_COMMIT), "try-repo", str(REPO), "--all-files"], cwd=clone, env=git_env,
                            capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"communique check .*Failed", output) and re.search(r"communique fmt .*Passed", output)
    assert "records/example-dialogue-02.yaml:5:7: S104 'conference' is not one of" in output
    results = output.rsplit("=" * 79, 1)[-1]  # what the hooks printed, after try-repo's echo of its config
    for not_a_record in (".pre-commit-config.yaml", ".github/", ".vscode/", ".communique/", "S002"):
        assert not_a_record not in results, output
    assert "example-dialogue-01.yaml" not in output  # the good record passes


def test_files_handed_over_by_hand_are_filtered_by_the_configuration(keeper):
    result = communique("check", ".pre-commit-config.yaml", ".github/workflows/records.yml", cwd=keeper)
    assert result.returncode == 0
    assert result.stdout == "No records checked; 2 files skipped: not records by communique.toml.\n"


# --- the GitHub Action -------------------------------------------------------------------------


class Runner:
    """Runs a composite action's `run:` steps as a GitHub runner does: bash with -eo
    pipefail, `${{ }}` expressions filled from the inputs, earlier steps' outputs and the
    github context, and the GITHUB_* files a runner provides. `uses:` steps are the
    runner's own business (setup-python) and are not run: this machine's Python stands in."""

    def __init__(self, action: Path, workspace: Path, temp: Path):
        self.action = yaml.safe_load(action.read_text())
        self.path, self.workspace, self.temp = action.parent, workspace, temp
        self.files = {name: temp / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV",
                                                             "GITHUB_PATH")}
        self.outputs: dict[str, dict[str, str]] = {}

    def expression(self, text: str, inputs: dict) -> str:
        def value(match):
            name = match.group(1).strip()
            if name.startswith("inputs."):
                return inputs[name[len("inputs."):]]
            if name == "github.action_path":
                return str(self.path)
            if name == "github.workspace":
                return str(self.workspace)
            if name == "runner.temp":
                return str(self.temp)
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
            if step:
                return self.outputs.get(step.group(1), {}).get(step.group(2), "")
            raise AssertionError(f"the test runner does not know the expression {name!r}")

        return re.sub(r"\$\{\{(.*?)\}\}", value, str(text))

    def run(self, given: dict, **event: str) -> tuple[int, str]:
        """Run the steps with `given` inputs; `event` adds variables of the event, such as
        GITHUB_EVENT_NAME and GITHUB_BASE_REF for a pull request."""
        inputs = {name: spec.get("default", "") for name, spec in self.action["inputs"].items()}
        inputs.update(given)
        for path in self.files.values():
            path.write_text("")
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(Path.home()),
               "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(self.path),
               "GITHUB_WORKSPACE": str(self.workspace), "RUNNER_TEMP": str(self.temp),
               "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "keeper/meetings",
               "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
               **{name: str(path) for name, path in self.files.items()}, **event}
        log = ""
        for step in self.action["runs"]["steps"]:
            if "uses" in step:
                continue
            assert step["shell"] == "bash"
            script = self.temp / "step.sh"
            script.write_text(step["run"])
            step_env = {**env, **{k: self.expression(v, inputs) for k, v in step.get("env", {}).items()}}
            self.files["GITHUB_OUTPUT"].write_text("")
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                    cwd=self.workspace, env=step_env, capture_output=True, text=True, timeout=900)
            log += result.stdout + result.stderr
            lines = self.files["GITHUB_OUTPUT"].read_text().splitlines()
            self.outputs[step.get("id", "")] = dict(line.split("=", 1) for line in lines if "=" in line)
            if result.returncode != 0:
                return result.returncode, log
        return 0, log


def test_action_steps_annotate_the_diff_and_summarise_the_job(keeper, tmp_path, git_env):
    clone = bad_copy(keeper, tmp_path, git_env)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(REPO / "action.yml", clone, temp)
    code, log = runner.run({"python-version": ""})
    assert code == 1, log
    assert runner.outputs["check"]["exit-code"] == "1"
    annotations = [line for line in log.splitlines() if line.startswith("::")]
    assert annotations == [
        ("::error file=records/example-dialogue-02.yaml,line=1,col=1,title=S900 rules-skipped::"
         "record does not match the schema, so lint rules were not run on it; fix the schema problems and check again"),
        "::error file=records/example-dialogue-02.yaml,line=5,col=7,title=S104 value-not-allowed::"
        "'conference' is not one of 'dialogue', 'talks', 'summit', 'ministerial', 'meeting', 'forum', 'visit' "
        "(at $.kind)"]
    summary = runner.files["GITHUB_STEP_SUMMARY"].read_text()
    assert summary.startswith("### communique: Found 2 problems (2 errors) in 1 of 2 files.")
    link = "https://github.com/keeper/meetings/blob/0123456789abcdef0123456789abcdef01234567/"
    assert f"[`records/example-dialogue-02.yaml:5:7`]({link}records/example-dialogue-02.yaml#L5)" in summary
    assert "| `S104` value-not-allowed | error |" in summary


def test_on_a_pull_request_the_summary_says_what_changed_and_only_the_new_problems(keeper, tmp_path, git_env):
    """A pull request that moves a meeting to Bergen and adds a record with two problems,
    against a base whose record has none: the review lists the facts, and the problems are
    the new record's alone; the same Markdown goes to the review file."""
    import cmarkgfm

    clone = bad_copy(keeper, tmp_path, git_env)
    first = clone / "records" / "example-dialogue-01.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("city: Oslo", "city: Bergen"), encoding="utf-8")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(REPO / "action.yml", clone, temp)
    code, log = runner.run({"python-version": "", "review-file": str(tmp_path / "review.md")},
                           GITHUB_EVENT_NAME="pull_request", GITHUB_BASE_REF="main", GITHUB_HEAD_REF="to-bergen",
                           HOME=str(tmp_path))
    assert code == 1, log
    summary = runner.files["GITHUB_STEP_SUMMARY"].read_text()
    assert runner.outputs["check"]["review-file"] == str(tmp_path / "review.md")
    assert (tmp_path / "review.md").read_text() == summary
    html = cmarkgfm.github_flavored_markdown_to_html(summary)
    assert "<h2>What this pull request changes</h2>" in html and "<h2>New problems, and the ones fixed</h2>" in html
    assert "meeting <code>example-dialogue-02</code> added" in html
    assert "<code>venue.city</code>: <code>Oslo</code> -&gt; <code>Bergen</code>" in html
    assert "| `S104` value-not-allowed | error |" in summary and "0 known findings left out" in summary


# --- editors ----------------------------------------------------------------------------------


def test_a_second_clone_gets_schema_diagnostics_with_no_set_up(keeper, tmp_path, git_env, yaml_language_server):
    clone = tmp_path / "second-clone"
    git("clone", "-q", str(keeper), str(clone), cwd=tmp_path, env=git_env)
    record = clone / "records" / "example-dialogue-01.yaml"
    text = record.read_text()
    server = LanguageServer(yaml_language_server, clone)
    try:
        assert server.open(record.as_uri(), text) == []
        broken = text.replace("kind: dialogue", "kind: conference").replace("city: Oslo", "citty: Oslo")
        diagnostics = server.open((record.parent / "typing.yaml").as_uri(), broken)
        lines = broken.splitlines()
        assert {lines[d["range"]["start"]["line"]].strip() for d in diagnostics} >= {"kind: conference", "citty: Oslo"}
    finally:
        server.close()


def test_editor_settings_map_the_records_folder_to_the_schema(keeper, tmp_path, git_env, yaml_language_server):
    """A record without the schema comment is still checked, through .vscode/settings.json
    (passed to the server as VS Code passes it)."""
    settings = json.loads((keeper / ".vscode" / "settings.json").read_text())
    schemas = {str(keeper / key.removeprefix("./")): value for key, value in settings["yaml.schemas"].items()}
    server = LanguageServer(yaml_language_server, keeper, {"schemas": schemas})
    try:
        text = "\n".join((keeper / "records" / "example-dialogue-01.yaml").read_text().splitlines()[1:]) + "\n"
        diagnostics = server.open((keeper / "records" / "no-comment.yaml").as_uri(),
                                  text.replace("kind: dialogue", "kind: conference"))
        assert [text.replace("kind: dialogue", "kind: conference").splitlines()[d["range"]["start"]["line"]]
                for d in diagnostics] == ["kind: conference"]
    finally:
        server.close()


# --- keeping the schema copy current -----------------------------------------------------------


def test_a_stale_schema_copy_is_reported_and_refreshed(keeper, tmp_path, git_env):
    clone = tmp_path / "stale"
    git("clone", "-q", str(keeper), str(clone), cwd=tmp_path, env=git_env)
    copy = clone / ".communique" / "schema" / "1.0" / "record.schema.json"
    copy.write_text(copy.read_text().replace("Lower-case identifier", "Identifier"))
    stale = communique("check", cwd=clone)
    assert stale.returncode == 0  # a warning: the records themselves are fine
    assert (".communique/schema/1.0/record.schema.json:1:1: P001 this copy of schema 1.0 differs from the one "
            f"communique {__version__} carries; refresh it with `communique init --refresh-schema`") in stale.stdout
    refreshed = communique("init", "--refresh-schema", cwd=clone)
    assert refreshed.returncode == 0 and "updated    .communique/schema/1.0/record.schema.json" in refreshed.stdout
    assert communique("check", cwd=clone).stdout == "No problems in 1 file.\n"
    # The refreshed copy is, byte for byte, the one committed before.
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""
