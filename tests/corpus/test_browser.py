"""The site in a real browser (headless Chromium, Debian's package): every page renders with
no console error and loads nothing from the network, every internal link and anchor leads
somewhere, and a series timeline is drawn (a screenshot is kept for a person to look at)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from ..integration.conftest import needs

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    needs(executable is not None, "needs Chromium (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs(False, "needs playwright: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


def test_every_page_renders_cleanly_and_every_link_leads_somewhere(browser, site):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("request", lambda request: problems.append(f"network: {request.url}")
            if not request.url.startswith(("file:", "data:")) else None)
    links: set[str] = set()
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        page.goto(path.as_uri())
        assert page.title().endswith("Communique corpus"), path
        # The stylesheet loaded: its custom properties are set.
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent')").strip(), path
        links.update(page.eval_on_selector_all(  # SVG links too, so resolve the attribute, not a.href
            "a[href]", "anchors => anchors.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"))
    assert problems == []
    internal = sorted(link for link in links if urlsplit(link).scheme == "file")
    assert len(internal) > len(pages)
    for link in internal:
        target, fragment = urldefrag(link)
        assert Path(urlsplit(target).path).is_file(), f"{link} leads to no file"
        if fragment:
            page.goto(link)
            assert page.evaluate("id => document.getElementById(id) !== null", fragment), f"{link}: no such anchor"
    assert problems == []


def test_a_series_timeline_is_drawn(browser, site, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((site / "index.html").as_uri())
    timeline = page.locator("#series-af-pk-talks svg.timeline")
    box = timeline.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 80
    marks = page.locator("#series-af-pk-talks svg.timeline a.round circle")
    assert marks.count() == 3
    xs = [marks.nth(i).bounding_box()["x"] for i in range(3)]
    assert xs == sorted(xs) and len(set(xs)) == 3  # rounds 1-3 in date order, apart
    planned = page.locator("#series-pk-eu-political-dialogue svg.timeline g.planned circle")
    assert planned.count() == 1
    shot = tmp_path / "timeline-af-pk-talks.png"
    timeline.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 3000
    keep = os.environ.get("COMMUNIQUE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, keep)
