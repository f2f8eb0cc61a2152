"""The site in a real browser (headless Chromium, Debian's package): every page renders with
no console error and loads nothing from the network, every internal link and anchor leads
somewhere, and a series timeline is drawn (a screenshot is kept for a person to look at)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from ..integration.conftest import needs
from .conftest import watched_page


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


def test_every_page_renders_cleanly_and_every_link_leads_somewhere(browser, site):
    page, problems = watched_page(browser)
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
    timeline = page.locator("#series-af-pk-talks .timeline-wide svg.timeline")
    box = timeline.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 80
    marks = page.locator("#series-af-pk-talks .timeline-wide svg.timeline a.round circle")
    assert marks.count() == 3
    xs = [marks.nth(i).bounding_box()["x"] for i in range(3)]
    assert xs == sorted(xs) and len(set(xs)) == 3  # rounds 1-3 in date order, apart
    planned = page.locator("#series-pk-eu-political-dialogue .timeline-wide svg.timeline g.planned circle")
    assert planned.count() == 1
    shot = tmp_path / "timeline-af-pk-talks.png"
    timeline.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 3000
    keep = os.environ.get("COMMUNIQUE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, keep)


# Every kind of page the site has, by a path pattern under the site folder.
PAGE_KINDS = ["index.html", "series/*.html", "meetings/*.html", "people/index.html", "people/*.html",
              "parties/index.html", "parties/*.html", "places/*.html", "map.html", "search.html"]
# What a page is opened with: the search page with a query, so that it shows its results.
QUERIES = {"search.html": "?q=pakistan"}
VIEWPORTS = [{"width": 390, "height": 844}, {"width": 768, "height": 1024}, {"width": 1280, "height": 800}]
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const band = document.querySelector('header.site').getBoundingClientRect();
  const shown = [...document.querySelectorAll('svg.timeline')].filter(svg => svg.checkVisibility());
  const labels = shown.flatMap(svg => [...svg.querySelectorAll('text')]).map(text => {
    // The size as drawn: the computed font size times the SVG's scale on screen.
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().d;
    return {text: text.textContent, size: Math.round(size * 10) / 10};
  });
  // A timeline whose box must scroll to show it all, though the screen is wide enough.
  const cut = shown.map(svg => svg.parentElement).filter(box => box.scrollWidth > box.clientWidth)
    .map(box => box.getAttribute('aria-label'));
  const twice = [...document.querySelectorAll('section.series')]
    .filter(section => [...section.querySelectorAll('svg.timeline')].filter(svg => svg.checkVisibility()).length > 1)
    .map(section => section.id);
  return {width, scrollWidth: document.scrollingElement.scrollWidth, band: [band.left, band.right], labels,
          timelines: shown.length, cut, twice};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: f"{viewport['width']}px")
def test_every_page_fits_the_screen_with_readable_timeline_labels(browser, site, viewport, tmp_path):
    """No page wider than the screen (wide tables and timelines scroll in their own box),
    the header band from edge to edge, and every timeline label at least 11 px as drawn.
    Screenshots of each kind of page are kept (COMMUNIQUE_SCREENSHOTS=DIR to keep them)."""
    page = browser.new_page(viewport=viewport)
    keep = Path(os.environ.get("COMMUNIQUE_SCREENSHOTS") or tmp_path)
    keep.mkdir(parents=True, exist_ok=True)
    print(f"screenshots at {viewport['width']} px: {keep}")
    problems, labels, timelines = [], 0, 0
    for kind in PAGE_KINDS:
        paths = sorted(site.glob(kind))
        assert paths, kind
        for number, path in enumerate(paths):
            page.goto(path.as_uri() + QUERIES.get(kind, ""))
            seen = page.evaluate(MEASURE)
            name = path.relative_to(site).as_posix()
            if seen["scrollWidth"] > viewport["width"]:
                problems.append(f"{name}: {seen['scrollWidth']} px wide")
            if seen["band"] != [0, max(seen["width"], seen["scrollWidth"])]:  # edge to edge, as scrolled too
                problems.append(f"{name}: header band spans {seen['band']} of {seen['width']} px")
            problems += [f"{name}: timeline label {label['text']!r} at {label['size']} px"
                         for label in seen["labels"] if label["size"] < 11]
            problems += [f"{name}: {label} must be scrolled to be seen" for label in seen["cut"]]
            problems += [f"{name}: {section} shows its timeline twice" for section in seen["twice"]]
            labels += len(seen["labels"])
            timelines += seen["timelines"]
            if number == 0:
                page.screenshot(path=str(keep / f"{viewport['width']}-{name.replace('/', '-')}.png"), full_page=True)
    assert timelines >= 10 and labels > 20  # one timeline a series on the index, drawn once, and measured
    assert problems == []


def test_search_finds_meetings_parties_people_and_agreements_from_disk(browser, site):
    """The search page reads its index from a script beside it (file:// allows no fetch),
    from the header's box on any page as from its own."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "meetings" / "pk-eu-political-dialogue-10.html").as_uri())
    page.fill("#site-search", "Amna")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search.html?q=Amna")
    assert page.locator("#search-results a", has_text="Amna Baloch").count() == 1
    page.fill("#search-query", "pakistan regional")  # every word must match, case aside
    page.press("#search-query", "Enter")
    agreement = page.locator("#search-results a", has_text="role in regional stability")
    agreement.wait_for()  # the agreements load once a search is made
    assert agreement.count() == 1
    agreement.click()
    page.wait_for_load_state()
    assert page.url.endswith("meetings/pk-eu-political-dialogue-10.html#agreement-regional-role")
    page.goto((site / "search.html").as_uri() + "?q=zzzz-nothing")
    assert "Nothing found" in page.locator("#search-status").inner_text()
    page.goto((site / "search.html").as_uri() + "?q=Reykjavík")  # accents aside: the record spells it without
    assert page.locator("#search-results a", has_text="Reykjavik").count() >= 1
    assert errors == []


def test_without_javascript_the_search_page_says_where_to_go_instead(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "search.html").as_uri() + "?q=pakistan")
    notice = page.locator("noscript p, p.notice")
    assert notice.count() >= 1 and "needs JavaScript" in notice.first.inner_text()
    context.close()


@pytest.fixture(scope="session")
def axe(tmp_path_factory) -> Path:
    """axe-core, the accessibility engine, installed from the npm registry."""
    needs(bool(shutil.which("npm")), "needs npm to install axe-core")
    folder = tmp_path_factory.mktemp("axe-core")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), "axe-core@4"],
                   check=True, capture_output=True, timeout=300)
    return folder / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("viewport", [VIEWPORTS[0], VIEWPORTS[-1]], ids=lambda viewport: f"{viewport['width']}px")
def test_every_kind_of_page_has_no_serious_accessibility_violation(browser, site, axe, viewport):
    """axe-core's WCAG 2.1 A and AA rules and its best practices (headings in order,
    landmarks, names, contrast, language, ...) on the first page of every kind: no violation
    of serious or critical impact. What it finds of lesser impact is printed."""
    page = browser.new_page(viewport=viewport)
    serious, lesser = [], []
    for kind in PAGE_KINDS:
        path = min(site.glob(kind))
        page.goto(path.as_uri() + QUERIES.get(kind, ""))
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("""async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}))
          .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                  where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
        name = path.relative_to(site).as_posix()
        for violation in violations:
            impact = violation["impact"]
            found = f"{name}: {violation['id']} ({impact}, {violation['nodes']} nodes: {violation['where']})"
            (serious if impact in ("serious", "critical") else lesser).append(found)
    print("axe, of lesser impact:", *lesser or ["none"], sep="\n  ")
    assert serious == [], "\n".join(serious)
