"""Report formats: what CI systems and scripts consume."""

from __future__ import annotations

import json
import os

import pytest
from communique.core.findings import CODES, Finding
from communique.lint.rules import all_rules
from communique.run.reporting import (
    Report,
    render_github,
    render_json,
    render_markdown,
    render_sarif,
    render_text,
    summary_line,
)
from jsonschema import Draft4Validator

from ..conftest import REPO

SARIF_SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def report():
    all_rules()
    return Report([
        Finding("records/a.yaml", 3, 7, CODES["S103"], "expected string, got integer 2026; quote it", "$.title"),
        Finding("records/b, c.yaml", 1, 1, CODES["C001"], "party 'pk' has no co-chair\nor head: of delegation"),
        Finding("records/b, c.yaml", 9, 2, CODES["X010"], "no record of round 8 of 'x'", "$.series.round"),
    ], files_checked=4)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(report):
    if not SARIF_SCHEMA.is_file():
        message = f"needs the SARIF schema at {SARIF_SCHEMA} (../shared/schemas beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sarif = json.loads(render_sarif(report))
    Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    first = run["results"][0]
    assert first["ruleId"] == "S103" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "S103"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 7)
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]


def test_github_annotations_escape_properties_and_data(report):
    lines = render_github(report).splitlines()
    assert lines[0] == ("::error file=records/a.yaml,line=3,col=7,title=S103 wrong-type::"
                        "expected string, got integer 2026; quote it (at $.title)")
    assert lines[1] == ("::warning file=records/b%2C c.yaml,line=1,col=1,title=C001 side-without-chair::"
                        "party 'pk' has no co-chair%0Aor head: of delegation")
    assert lines[2].startswith("::notice file=records/b%2C c.yaml,line=9,col=2,title=X010 series-gap::")
    assert lines[-1] == summary_line(report)


def test_json_report(report):
    payload = json.loads(render_json(report))
    assert payload["files_checked"] == 4
    assert payload["summary"] == {"info": 1, "warning": 1, "error": 1}
    assert payload["findings"][1]["severity"] == "warning"


def test_summary_counts_by_severity(report):
    assert summary_line(report) == "Found 3 problems (1 error, 1 warning, 1 info) in 2 of 4 files."
    assert summary_line(Report([], 1)) == "No problems in 1 file."


@pytest.fixture
def with_note(report):
    note = Finding("", 0, 0, CODES["Q003"], "evidence quotes were not checked: no sources folder", show_source=False)
    return Report(report.findings + [note], files_checked=4, skipped=["ci.yml"], origin="communique.toml")


def test_a_note_on_the_run_is_pinned_to_no_file_in_any_format(with_note):
    assert json.loads(render_json(with_note))["findings"][-1] | {"message": ""} == {
        "path": None, "line": None, "column": None, "code": "Q003", "name": "quotes-not-checked",
        "severity": "info", "message": "", "json_path": None}
    sarif = json.loads(render_sarif(with_note))
    if SARIF_SCHEMA.is_file():
        Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["S103", "C001", "X010"]
    (notification,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["associatedRule"]["id"] == "Q003" and "locations" not in notification
    assert render_github(with_note).splitlines()[-2] == (
        "::notice title=Q003 quotes-not-checked::evidence quotes were not checked: no sources folder")
    text = render_text(with_note).splitlines()
    assert text[-2] == "info: Q003 evidence quotes were not checked: no sources folder"
    assert text[-1] == ("Found 3 problems (1 error, 1 warning, 1 info) in 2 of 4 files; "
                        "1 file skipped: not records by communique.toml; 1 note.")


def test_markdown_summary_links_each_finding_to_its_line(with_note, monkeypatch):
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "keeper/meetings")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    monkeypatch.setenv("GITHUB_WORKSPACE", ".")
    table = render_markdown(with_note).splitlines()
    assert table[0] == f"### communique: {summary_line(with_note)}"
    assert table[4] == ("| [`records/a.yaml:3:7`](https://github.com/keeper/meetings/blob/abc123/records/a.yaml#L3) | "
                        "`S103` wrong-type | error | `expected string, got integer 2026; quote it` (at `$.title`) |")
    # A newline or a pipe in a message cannot break the table.
    assert "party 'pk' has no co-chair or head: of delegation` |" in table[5]
    assert table[-1].startswith("| (run) | `Q003` quotes-not-checked | info |")


def test_markdown_summary_without_a_runner_names_locations_plainly(report, monkeypatch):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    assert "| `records/a.yaml:3:7` | `S103`" in render_markdown(report)
    assert render_markdown(Report([], 2)) == "### communique: No problems in 2 files.\n\n"


HOSTILE = Report([
    Finding("rec:ords/a b\n.yaml", 3, 7, CODES["S104"],
            "'x\x1b[2J\x1b]0;owned\x07\u202eevil\n::error file=forged.yaml::forged' is not one of 'talks'", "$.kind"),
], files_checked=1)


def test_record_values_cannot_move_the_terminal_or_forge_annotations(tmp_path):
    text = render_text(HOSTILE, show_source=False)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert text.splitlines()[0] == ('"rec:ords/a b\\n.yaml":3:7: S104 \'x\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\x0a'
                                    '::error file=forged.yaml::forged\' is not one of \'talks\' (at $.kind)')
    github = render_github(HOSTILE).splitlines()
    assert len(github) == 2 and github[0].startswith("::error file=rec%3Aords/a b%0A.yaml,line=3,col=7,")
    assert "\x1b" not in github[0] and "%0A::error file=forged.yaml::forged" in github[0]
    uri = json.loads(render_sarif(HOSTILE))["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"]
    assert uri == "rec%3Aords/a%20b%0A.yaml"
    assert "\x1b" not in render_markdown(HOSTILE) and "\n::error" not in render_markdown(HOSTILE)


# --- SARIF as GitHub code scanning ingests it, from the real CLI in a keeper's repository -------

def _sarif_schema():
    if not SARIF_SCHEMA.is_file():
        message = f"needs the SARIF schema at {SARIF_SCHEMA} (../shared/schemas beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))


@pytest.fixture
def keeper(tmp_path):
    """A keeper's repository: communique.toml, records/ (good ones, one that does not parse,
    a link to nowhere), sources/ and a .git folder, as `communique init` and a clone leave it."""
    import shutil

    root = tmp_path / "meetings"
    (root / "records").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / ".git").mkdir()
    (root / "communique.toml").write_text('records = "records"\n')
    for record in sorted((REPO / "records").glob("*.yaml"))[:3]:
        shutil.copy(record, root / "records" / record.name)
    (root / "records" / "broken.yaml").write_text('schema_version: "1.0"\nkind: [\n')
    (root / "records" / "latin.yaml").write_bytes(b"kind: \xff\n")
    first = sorted((root / "records").glob("*.yaml"))[0]
    first.with_name("wrong-kind.yaml").write_text(first.read_text().replace("kind: talks", "kind: conference", 1))
    (root / "records" / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    return root


def _sarif_of(run, monkeypatch, cwd, *args):
    monkeypatch.chdir(cwd)
    result = run("check", "--format", "sarif", *args)
    assert result.exit_code in (1, 2), result.output
    return result.output


def _locations(sarif_text: str) -> list[tuple]:
    run_ = json.loads(sarif_text)["runs"][0]
    return sorted((r["ruleId"], loc["physicalLocation"]["artifactLocation"]["uri"],
                   loc["physicalLocation"]["region"]["startLine"]) for r in run_["results"] for loc in r["locations"])


def test_every_sarif_the_cli_writes_is_accepted_by_github_code_scanning(keeper, run, monkeypatch):
    from ..github_code_scanning import violations

    schema = _sarif_schema()
    records = keeper / "records"
    outputs = {
        "root, no sources": _sarif_of(run, monkeypatch, keeper),
        "root, missing path": _sarif_of(run, monkeypatch, keeper, "records", "records/dangling.yaml",
                                        "records/gone.yaml"),
        "records/": _sarif_of(run, monkeypatch, records, ".", "dangling.yaml", "gone.yaml"),
        "absolute": _sarif_of(run, monkeypatch, keeper.parent, str(records), str(records / "dangling.yaml"),
                              str(records / "gone.yaml")),
        "with sources": _sarif_of(run, monkeypatch, keeper, "--sources", "sources"),
        "named configuration": _sarif_of(run, monkeypatch, records, "--config", str(keeper / "communique.toml")),
    }
    (keeper / "communique.toml").unlink()
    outputs["no configuration, root"] = _sarif_of(run, monkeypatch, keeper, "records", "records/dangling.yaml",
                                                  "records/gone.yaml")
    outputs["no configuration, records/"] = _sarif_of(run, monkeypatch, records, ".", "dangling.yaml", "gone.yaml")
    for name, text in outputs.items():
        schema.validate(json.loads(text))
        assert violations(text) == [], name
    # The same locations, whatever the working folder and however the paths were given.
    expected = _locations(outputs["root, missing path"])
    assert {("Y001", "records/broken.yaml", 3), ("F001", "records/dangling.yaml", 1), ("F002", "records/latin.yaml", 1),
            ("S104", "records/wrong-kind.yaml", 5)} <= set(expected)
    for name in ("records/", "absolute", "no configuration, root", "no configuration, records/"):
        assert _locations(outputs[name]) == expected, name
    # What has no file of the repository is a notification of the run, not a result.
    notes = json.loads(outputs["records/"])["runs"][0]["invocations"][0]
    assert notes["executionSuccessful"] is False
    assert [(n["associatedRule"]["id"], n["message"]["text"]) for n in notes["toolExecutionNotifications"]] == [
        ("F001", "records/gone.yaml: no such file or directory"),
        ("Q003", "evidence quotes were not checked: no sources folder (--sources DIR or `sources` in the configuration)")]
    root_uri = json.loads(outputs["records/"])["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri == keeper.as_uri() + "/"


def test_the_code_scanning_rules_catch_what_github_rejects(report):
    """The helper is a real check: the old output (a note as a result without a location,
    absolute URIs) breaks it."""
    from ..github_code_scanning import violations

    sarif = json.loads(render_sarif(report))
    assert violations(json.dumps(sarif)) == []
    result = sarif["runs"][0]["results"][0]
    result["locations"] = []
    sarif["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"] = {
        "uri": "file:///home/me/records/a.yaml"}
    del sarif["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]
    assert violations(json.dumps(sarif)) == [
        "runs[0].results[0].locations: locationFromSarifResult: expected at least one location (INGEST)",
        "runs[0].results[1].locations[0]: uri 'file:///home/me/records/a.yaml' is not relative to the repository "
        "(FINGERPRINTS, DOCS)",
        "runs[0].results[2].locations[0].region.startLine: required, at least 1 (DOCS)"]


# --- the job summary, as GitHub renders it ------------------------------------------------------

HOSTILE_TEXT = ("party [click](http://e.com) <script>alert(1)</script> a|b x\\|y ``k`ey` &lt; &amp; C:\\dir\\ "
                "*emph* _u_ ~~s~~ $x$ :tada: @mention #12 https://evil.example www.evil.example me@evil.example\n"
                "next line")


def _rendered_summary(markdown: str):
    """The summary as GitHub's Markdown (cmark-gfm, with GitHub's extensions) renders it:
    the heading's text, each table row as (cell texts, the tags inside each cell)."""
    from html.parser import HTMLParser

    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=Options.CMARK_OPT_UNSAFE,
        extensions=["table", "autolink", "tagfilter", "strikethrough", "tasklist"])

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.heading, self.rows, self.tags, self.where = "", [], [], None

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.rows[-1].append(["", []])
                self.where = "cell"
            elif tag == "h3":
                self.where = "heading"
            elif self.where == "cell":
                self.rows[-1][-1][1].append((tag, dict(attrs)))

        def handle_endtag(self, tag):
            if tag in ("td", "th", "h3"):
                self.where = None

        def handle_data(self, data):
            if self.where == "cell":
                self.rows[-1][-1][0] += data
            elif self.where == "heading":
                self.heading += data

    parser = Cells()
    parser.feed(html)
    return parser, html


@pytest.mark.parametrize("on_runner", [False, True], ids=["plain", "on-a-runner"])
def test_the_job_summary_renders_record_text_as_text(monkeypatch, on_runner):
    all_rules()
    path = "records/[x](e.com) *a* `b` @me a|b.yaml"
    json_path = "$.parties['`k`|<b>*']"
    report = Report([Finding(path, 3, 7, CODES["S104"], HOSTILE_TEXT, json_path),
                     Finding("", 0, 0, CODES["Q003"], "`" + HOSTILE_TEXT + " ", show_source=False)],
                    files_checked=2, empty=["records/*e* @x www.e.com <i> a|b"])
    if on_runner:
        monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
        monkeypatch.setenv("GITHUB_REPOSITORY", "keeper/meetings")
        monkeypatch.setenv("GITHUB_SHA", "abc123")
        monkeypatch.setenv("GITHUB_WORKSPACE", ".")
    else:
        monkeypatch.delenv("GITHUB_SHA", raising=False)
    rendered, html = _rendered_summary(render_markdown(report))
    assert rendered.heading == f"communique: {summary_line(report)}"
    header, finding, note = rendered.rows
    assert [text for text, _ in header] == ["location", "code", "severity", "message"]
    one_line = HOSTILE_TEXT.replace("\n", " ")
    assert [text for text, _ in finding] == [f"{path}:3:7", "S104 value-not-allowed", "error",
                                             f"{one_line} (at {json_path})"]
    assert [text for text, _ in note] == ["(run)", "Q003 quotes-not-checked", "info", f"`{one_line} "]
    # Nothing but code spans, and on a runner the one link this tool makes, to the line.
    tags = {tag for row in rendered.rows[1:] for _, cell_tags in row for tag, _ in cell_tags}
    assert tags <= {"code", "a"}
    links = [attrs["href"] for tag, attrs in rendered.tags if tag == "a"]
    assert links == (["https://github.com/keeper/meetings/blob/abc123/records/%5Bx%5D%28e.com%29%20%2Aa%2A%20"
                      "%60b%60%20%40me%20a%7Cb.yaml#L3"] if on_runner else [])
    for tag in ("<em>", "<strong>", "<del>", "<script", "<i>", "<b>", "<input"):
        assert tag not in html
