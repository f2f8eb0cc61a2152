"""`export --format timelinejs`: a TimelineJS 3 timeline that TimelineJS itself (Knight Lab's
npm package, installed into a temporary folder) renders in headless Chromium, every event
on it, a row per series, no console error, nothing fetched."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from communique.corpus import timelinejs

from ..integration.conftest import needs
from .conftest import watched_page
from .formats_helpers import export, record, written


def test_events_carry_the_records_dates_series_and_escaped_text():
    month = record("af-pk-talks-01")  # known to the month
    days = record("af-pk-talks-03")  # two days
    days["title"] = "<script>alert(1)</script> talks"
    days["status"] = "downgraded"
    days["series"]["name"] = "Talks <img src=x onerror=alert(1)>"
    one_off = record("af-pk-talks-02")
    del one_off["series"]
    bounded = record("af-pk-talks-02")
    bounded["dates"] = {"not_after": "2025-11"}
    text, notes = written(timelinejs, [month, days, one_off, bounded])
    events = {e["unique_id"]: e for e in json.loads(text)["events"]}
    assert events["af-pk-talks-01"]["start_date"] == {"year": "2025", "month": "10"}
    assert events["af-pk-talks-03"]["start_date"] == {"year": "2025", "month": "11", "day": "6"}
    assert events["af-pk-talks-03"]["end_date"] == {"year": "2025", "month": "11", "day": "7"}
    assert events["af-pk-talks-01"]["group"] == "Afghanistan-Pakistan talks"
    assert events["af-pk-talks-03"]["group"] == "Talks &lt;img src=x onerror=alert(1)&gt;"
    assert events["af-pk-talks-03"]["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt; talks (downgraded)"
    assert "group" not in events["af-pk-talks-02"]
    assert len(events) == 3 and notes == ["timelinejs: left out meetings dated only by bounds (no start date): 1"]


@pytest.fixture(scope="module")
def timelinejs_dist(tmp_path_factory):
    """TimelineJS's own build, from the npm registry (as a page would load it from a CDN)."""
    needs(bool(shutil.which("node") and shutil.which("npm")), "needs node and npm to install @knight-lab/timelinejs")
    folder = tmp_path_factory.mktemp("timelinejs")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                    "@knight-lab/timelinejs@3"], check=True, capture_output=True, timeout=300)
    return folder / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


@pytest.mark.integration
def test_timelinejs_renders_every_meeting_in_a_row_per_series(run, tmp_path, timelinejs_dist, browser):
    result, text = export(run, tmp_path, "timelinejs")
    assert result.exit_code == 0, result.output
    data = json.loads(text)
    # `font: null`: TimelineJS would otherwise load its default web fonts from Google.
    page_file = tmp_path / "timeline.html"
    page_file.write_text(f"""<!doctype html><html><head><meta charset="utf-8"><title>timeline</title>
<link rel="stylesheet" href="{(timelinejs_dist / 'css' / 'timeline.css').as_uri()}">
<script src="{(timelinejs_dist / 'js' / 'timeline.js').as_uri()}"></script></head>
<body><div id="timeline" style="width: 1000px; height: 600px"></div>
<script>window.timeline = new TL.Timeline("timeline", {text}, {{font: null,
  script_path: "{(timelinejs_dist / 'js').as_uri()}/"}});</script></body></html>""", encoding="utf-8")
    page, problems = watched_page(browser)
    page.goto(page_file.as_uri())
    page.wait_for_selector(".tl-timemarker", state="attached", timeout=20_000)
    meetings = {event["unique_id"] for event in data["events"]}
    assert len(meetings) == 6
    markers = page.eval_on_selector_all(".tl-timemarker", "markers => markers.map(m => m.id)")
    assert sorted(markers) == sorted(f"{key}-marker" for key in meetings)
    assert page.locator(".tl-slide").count() == len(meetings) + 1  # and the title slide
    rows = page.eval_on_selector_all(".tl-timegroup-message", "rows => rows.map(r => r.textContent)")
    assert sorted(rows) == sorted({event["group"] for event in data["events"]}) == [
        "Afghanistan-Pakistan talks", "Pakistan-EU Counter-Terrorism Dialogue", "Pakistan-EU Political Dialogue",
        "Pakistan-EU Strategic Dialogue"]
    page.screenshot(path=str(tmp_path / "timeline.png"))  # for a person to look at
    assert problems == []
