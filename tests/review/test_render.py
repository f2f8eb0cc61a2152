"""The diff as a pull request shows it: Markdown that GitHub renders with every value of a
record as code, whatever the value holds."""

from __future__ import annotations

import json

import cmarkgfm
from communique.review.facts import Change, RecordChange, Step
from communique.review.render import render_json, render_markdown, render_text

HOSTILE = "<script>alert(1)</script> **bold** `tick` | pipe @mention [link](http://x)"


def hostile_change() -> list[RecordChange]:
    change = Change("changed", (Step("agreements"), Step("", "a`b"), Step("text")), old="plain", new=HOSTILE,
                    evidence=[{"source": "s1", "quote": "said <b>so</b>"}])
    return [RecordChange("changed", "m-1", "records/m-1.yaml", changes=[change])]


def test_values_a_record_holds_render_as_code_never_as_markup():
    html = cmarkgfm.github_flavored_markdown_to_html(render_markdown(hostile_change()))
    assert "<script>" not in html and "<strong>bold" not in html and "<a href" not in html and "<b>so" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in html  # shown, inside <code>
    assert html.count("<code>") >= 6


def test_text_and_json_say_the_same_change():
    text = render_text(hostile_change())
    assert "~ agreements[a`b].text: plain -> <script>" in text and "evidence (s1): said <b>so</b>" in text
    data = json.loads(render_json(hostile_change()))
    [record] = data["records"]
    assert record["changes"][0]["steps"] == ["agreements", {"item": "a`b"}, "text"]
    assert record["changes"][0]["new"] == HOSTILE and data["summary"]["changed"] == 1


def test_no_change_says_so_in_every_format():
    assert render_text([]) == "No change of meaning.\n"
    assert "No change of meaning." in render_markdown([])
    assert json.loads(render_json([]))["records"] == []
