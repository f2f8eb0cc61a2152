"""`communique site`: every field on the meeting page, links that resolve, nothing fetched."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from communique.corpus.site import format_partial

from ..conftest import RECORDS


class Page(HTMLParser):
    """The text, the links, the resources and the element ids of one page."""

    def __init__(self, path: Path):
        super().__init__()
        self.text_parts, self.links, self.resources, self.ids = [], [], [], set()
        self.feed(path.read_text(encoding="utf-8"))
        self.text = re.sub(r"\s+", " ", " ".join(self.text_parts))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        for name in ("src", "srcset"):
            if name in attributes:
                self.resources.append(attributes[name])
        if tag == "link":
            self.resources.append(attributes.get("href", ""))

    def handle_data(self, data):
        self.text_parts.append(data)


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, path + (index,))
    else:
        yield path, value


def test_a_meeting_page_shows_every_value_of_its_record(site, collected):
    for entry in collected.entries:
        page = Page(site / "meetings" / f"{entry.data['id']}.html")
        for path, value in leaves(entry.data):
            if isinstance(value, bool):
                continue  # shown by what it marks (an unnamed party), not as 'true'
            shown = {re.sub(r"\s+", " ", str(value)).strip(), format_partial(value)}
            if isinstance(value, (int, float)):
                shown.add(f"{value:,}")
            assert any(form in page.text for form in shown), f"{entry.data['id']}: {path} = {value!r} not shown"


def test_wikidata_items_link_to_their_pages(site):
    page = Page(site / "meetings" / "example-talks-parties-with-wikidata-items.html")
    assert {"https://www.wikidata.org/wiki/Q843", "https://www.wikidata.org/wiki/Q458"} <= set(page.links)


def test_every_internal_link_resolves_and_nothing_is_fetched(site):
    pages = {path: Page(path) for path in site.rglob("*.html")}
    assert len(pages) > 40
    for path, page in pages.items():
        for resource in page.resources:
            assert not urlsplit(resource).scheme and not resource.startswith("//"), f"{path} loads {resource}"
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue  # a source's own address, followed only when clicked
            assert not parts.scheme, f"{path}: {link}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(site)}: {link} leads nowhere"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in pages[target].ids, f"{path.relative_to(site)}: no #{parts.fragment} in {target.name}"


def test_each_quote_links_to_the_source_it_cites(site):
    page = (site / "meetings" / "pk-eu-counter-terrorism-dialogue-09.html").read_text()
    quote = "Pakistan and the EU reaffirmed their commitment to combating terrorism in all forms"
    assert re.search(re.escape(quote) + r'</q> <a class="source" href="#source-002_a35d678dfc594021">', page)
    assert 'id="source-002_a35d678dfc594021"' in page


def test_caveats_are_shown_beside_the_fields_they_qualify(site):
    page = (site / "meetings" / "pk-eu-strategic-dialogue-07.html").read_text()
    dates = page.split("<dt>dates</dt>")[1].split("</dd>")[0]
    assert 'class="caveat caveat-disputed"' in dates and 'class="caveat caveat-inferred"' in dates
    assert re.search(r'<li id="caveat-\d+"><span class="caveat caveat-disputed">', page)


def test_person_and_party_pages_list_their_meetings(site):
    person = Page(site / "people" / "ishaq-dar.html")
    assert "7th Pakistan-EU Strategic Dialogue" in person.text and "Deputy Prime Minister" in person.text
    party = Page(site / "parties" / "pk.html")
    titles = [Page(path).text.split(" · ")[0].strip() for path in sorted((site / "meetings").glob("*.html"))]
    of_pakistan = [title for title in titles if "Pakistan" in title]
    assert len(of_pakistan) == 7 and all(title in party.text for title in of_pakistan)
    assert "Took part in 7 meeting(s)" in party.text  # 6 records and a shape


def test_the_timeline_marks_planned_rounds_and_gaps(site, tmp_path, run):
    index = (site / "index.html").read_text()
    political = index.split('id="series-pk-eu-political-dialogue"')[1].split("</section>")[0]
    assert '<g class="round planned">' in political and "Round 11 (planned)" in political
    assert '<a class="round held" href="meetings/pk-eu-political-dialogue-10.html">' in political
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("af-pk-talks-01", "af-pk-talks-03"):
        shutil.copy(RECORDS / f"{name}.yaml", folder)
    assert run("site", "-o", tmp_path / "gappy", folder).exit_code == 0
    assert "round 2 not recorded" in (tmp_path / "gappy" / "index.html").read_text()


def test_a_source_address_that_is_not_a_web_address_is_not_a_link(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    text = (RECORDS / "af-pk-talks-01.yaml").read_text()
    text = text.replace("  - id: 001_fa99d96cec5996b8\n    kind: news-report\n",
                        "  - id: 001_fa99d96cec5996b8\n    kind: news-report\n    url: javascript:alert(1)\n")
    (folder / "af-pk-talks-01.yaml").write_text(text)
    assert run("site", "-o", tmp_path / "out", folder).exit_code == 0
    page = (tmp_path / "out" / "meetings" / "af-pk-talks-01.html").read_text()
    assert "javascript:alert(1)" in page and 'href="javascript' not in page


def test_site_replaces_its_own_output_and_refuses_other_folders(run, tmp_path):
    out = tmp_path / "public"
    assert run("site", "-o", out, RECORDS).exit_code == 0
    (out / "old.html").write_text("stale")
    assert run("site", "-o", out, RECORDS).exit_code == 0
    assert not (out / "old.html").exists() and (out / ".nojekyll").exists()
    result = run("site", "-o", RECORDS.parent / "docs", RECORDS)
    assert result.exit_code == 2 and "left alone" in result.output


def test_in_a_keepers_repository_the_outputs_take_the_configured_records(run, tmp_path, monkeypatch):
    assert run("init", tmp_path).exit_code == 0
    for name in ("af-pk-talks-01", "af-pk-talks-02"):
        shutil.copy(RECORDS / f"{name}.yaml", tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    result = run("site", "-o", "_site")
    assert result.exit_code == 0 and "2 records written to _site" in result.stderr
    assert (tmp_path / "_site" / "meetings" / "af-pk-talks-02.html").is_file()
    assert "records/af-pk-talks-02.yaml" in (tmp_path / "_site" / "meetings" / "af-pk-talks-02.html").read_text()
    assert run("export", "--format", "sqlite", "-o", "corpus.db").exit_code == 0
    assert run("stats").stdout.startswith("2 meetings, 1 series")


def test_the_older_positional_folder_still_works_with_a_note(run, tmp_path):
    result = run("site", tmp_path / "public", RECORDS)
    assert result.exit_code == 0 and (tmp_path / "public" / "index.html").is_file()
    assert "deprecated" in result.stderr and f"site -o {tmp_path / 'public'} " in result.stderr
    # A records folder given alone (the older form would take it for OUT) is left alone.
    result = run("site", RECORDS)
    assert result.exit_code == 2 and "left alone" in result.stderr
    assert run("site").exit_code == 2


def test_stats_writes_to_a_file_with_o(run, tmp_path):
    import json

    out = tmp_path / "stats.json"
    result = run("stats", "--format", "json", "-o", out, RECORDS)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["meetings"] == len(list(RECORDS.glob("*.yaml")))
    assert run("stats", "-o", tmp_path, RECORDS).exit_code == 2  # a folder is not a file


def test_a_series_page_shows_its_rounds_chairs_and_what_each_agreed(site, rows):
    page = Page(site / "series" / "pk-eu-political-dialogue.html")
    html = (site / "series" / "pk-eu-political-dialogue.html").read_text()
    assert "Timeline of Pakistan-EU Political Dialogue" in html
    chairs = {row["name"] for row in rows["participations"]
              if row["record_id"] == "pk-eu-political-dialogue-10" and row["capacity"] == "co-chair"}
    assert chairs and all(name in page.text for name in chairs)
    for series_id in {row["series_id"] for row in rows["meetings"] if row["series_id"]}:
        page = Page(site / "series" / f"{series_id}.html")
        members = {row["record_id"] for row in rows["meetings"] if row["series_id"] == series_id}
        for agreement in rows["agreements"]:
            if agreement["record_id"] in members:
                assert agreement["text"] in page.text, f"{series_id}: {agreement['agreement_id']} not shown"
                assert f"../meetings/{agreement['record_id']}.html#agreement-{agreement['agreement_id']}" in page.links
    index, meeting = Page(site / "index.html"), Page(site / "meetings" / "pk-eu-political-dialogue-10.html")
    assert "series/pk-eu-political-dialogue.html" in index.links
    assert "../series/pk-eu-political-dialogue.html" in meeting.links


def test_party_and_person_pages_give_each_meeting_its_date_role_and_series(site):
    party = Page(site / "parties" / "pk.html")
    assert "17 July 2025" in party.text and "participant" in party.text
    assert "../series/pk-eu-political-dialogue.html" in party.links
    person = Page(site / "people" / "amna-baloch.html")
    assert "17 July 2025" in person.text and "co-chair: head-of-delegation" in person.text
    assert "../series/pk-eu-political-dialogue.html" in person.links


def search_index(site) -> dict:
    """search-index.js and search-agreements.js, read as the JSON each assigns."""
    import json

    index = {}
    for name, variable in (("search-index.js", "COMMUNIQUE_SEARCH"), ("search-agreements.js", "COMMUNIQUE_AGREEMENTS")):
        text = (site / name).read_text(encoding="utf-8")
        index.update(json.loads(text.split(f"window.{variable} = ", 1)[1].rstrip().removesuffix(";")))
    return index


def test_the_search_index_holds_every_page_it_searches_and_nothing_more(site, rows):
    index = search_index(site)
    assert {row[0] for row in index["meetings"]} == {row["record_id"] for row in rows["meetings"]}
    assert {row[0] for row in index["parties"]} == {row["party_id"] for row in rows["parties"]}
    assert {row[0] for row in index["people"]} == {row["person_id"] for row in rows["people"]}
    assert len(index["agreements"]) == len(rows["agreements"])
    folders = {"meetings": "meetings", "series": "series", "parties": "parties", "people": "people", "places": "places"}
    for kind, folder in folders.items():
        for entry in index[kind]:
            assert (site / folder / f"{entry[0]}.html").is_file(), f"{kind}: {entry[0]} has no page"
    for number, agreement_id, kind, text in index["agreements"]:
        record_id = index["meetings"][number][0]
        assert f"agreement-{agreement_id}" in Page(site / "meetings" / f"{record_id}.html").ids
        assert len(text) <= 80
    assert all(len(entry) == 4 for entry in index["meetings"])  # title, id, date, city: no record text
    page = (site / "search.html").read_text()
    assert '<script src="search-index.js"></script>' in page and "<noscript>" in page


def test_the_map_places_venues_and_stops_from_the_gazetteer_and_never_guesses(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(RECORDS.parent / "tests" / "fixtures" / "shapes" / "example-state-visit-two-cities.yaml", folder)
    text = (RECORDS / "af-pk-talks-02.yaml").read_text()
    assert "venue:\n  city: Ankara\n" in text
    (folder / "af-pk-talks-02.yaml").write_text(text.replace("city: Ankara\n", "city: Nowhere-on-Sea\n", 1))
    assert run("site", "-o", tmp_path / "out", folder).exit_code == 0
    out = tmp_path / "out"
    page = Page(out / "map.html")
    svg = (out / "map.html").read_text().split("<svg", 1)[1].split("</svg>")[0]
    for city in ("Berlin", "Hamburg"):  # the venue, and the stop on the way
        assert f"<title>{city}, DE: 1 meeting</title>" in svg and f"places/de-{city.lower()}.html" in page.links
    assert "Nowhere-on-Sea" not in svg and "Nowhere-on-Sea" in page.text.split("Not placed")[-1]
    place = Page(out / "places" / "de-hamburg.html")
    assert "stop" in place.text and "../meetings/example-state-visit-two-cities.html" in place.links
    assert "not hold this city" in Page(next((out / "places").glob("*nowhere-on-sea.html"))).text


def test_json_ld_is_embedded_in_a_meeting_page_safely(collected):
    import json

    from communique.corpus.site import render_meeting
    from communique.corpus.tables import record_rows

    data = collected.entries[0].data
    rows = record_rows(data, "record.yaml")
    from communique.corpus.jsonld import meeting_jsonld

    default = render_meeting(data, rows).split("</head>")[0]
    embedded = default.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded) == meeting_jsonld(data)  # by default, the export's Event
    value = {"@context": "https://schema.org", "@type": "Event", "name": "A </script><!-- <b>&amp; \u2028 end"}
    page = render_meeting(data, rows, jsonld=value)
    head = page.split("</head>")[0]
    script = head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script) == value
    assert not re.search(r"[<>&\u2028]", script)


def test_a_place_page_is_named_so_that_any_file_system_takes_it():
    from communique.corpus.site_map import place_key

    assert place_key("Reykjavík", "IS") == place_key("reykjavik", "IS") == "is-reykjavik"
    assert place_key(None, "DE") == "de" and place_key("北京", "CN") == "cn-u5317-4eac"
    long = [place_key("Llan" * 100 + ending, "GB") for ending in ("a", "b")]
    assert long[0] != long[1] and all(len(key) < 100 and re.fullmatch(r"[a-z0-9-]+", key) for key in long)


def test_every_meeting_page_carries_the_jsonld_export_of_its_record(built_site):
    """What a search engine or a linked-data crawler reads from a meeting page is what
    `export --format jsonld` says of that meeting, and a JSON-LD processor (pyld, offline)
    expands it to the same statements."""
    import json

    from communique.corpus.jsonld import meeting_jsonld
    from pyld import jsonld

    from .formats_helpers import record

    def refuse(url, options=None):
        raise jsonld.JsonLdError(f"no network in this test: {url}", "loading document failed")

    pages = {}
    for page in (built_site / "meetings").glob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert head.count('type="application/ld+json"') == 1, page.name
        pages[page.stem] = json.loads(head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert pages
    for name, document in pages.items():
        expanded = jsonld.expand(document, {"documentLoader": refuse})
        assert expanded[0]["@type"] == ["https://schema.org/Event"], name
        assert expanded[0]["https://schema.org/identifier"][0]["@value"] == name
        assert expanded == jsonld.expand(meeting_jsonld(record(name)), {"documentLoader": refuse})


def test_without_the_map_extra_the_site_is_built_and_says_how_to_place_its_venues(run, tmp_path, monkeypatch):
    """The gazetteer is an optional extra: without it `site` still writes every page, the
    map page places no venue and says how to install it, and so does the command."""
    from communique.corpus import site_map

    from .conftest import SHAPES

    monkeypatch.setattr(site_map, "gazetteer_installed", lambda: False)
    out = tmp_path / "site"
    result = run("site", "-o", out, SHAPES / "example-state-visit-two-cities.yaml")
    assert result.exit_code == 0, result.output
    assert "pip install 'communique[map]'" in result.stderr
    page = (out / "map.html").read_text(encoding="utf-8")
    assert "the gazetteer is not installed" in page and "pip install &#39;communique[map]&#39;" in page
    assert "<circle" not in page and (out / "meetings" / "example-state-visit-two-cities.html").is_file()
    place = (out / "places" / "de-hamburg.html").read_text(encoding="utf-8")
    assert "no gazetteer is installed" in place and "does not hold this city" not in place


def test_a_series_page_carries_its_series_and_rounds_as_jsonld(built_site):
    """A series page's structured data is the EventSeries its meetings name as superEvent,
    with each recorded round as a subEvent (read by pyld, offline)."""
    import json

    from pyld import jsonld

    def refuse(url, options=None):
        raise jsonld.JsonLdError(f"no network in this test: {url}", "loading document failed")

    head = (built_site / "series" / "af-pk-talks.html").read_text(encoding="utf-8").split("</head>")[0]
    document = json.loads(head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    [series] = jsonld.expand(document, {"documentLoader": refuse})
    schema = "https://schema.org/"
    assert series["@id"] == "urn:communique:series:af-pk-talks" and series["@type"] == [schema + "EventSeries"]
    assert [node["@id"] for node in series[schema + "subEvent"]] == [
        f"urn:communique:meeting:af-pk-talks-0{round_}" for round_ in (1, 2, 3)]
    meeting = (built_site / "meetings" / "af-pk-talks-02.html").read_text(encoding="utf-8")
    assert '"superEvent": {"@id": "urn:communique:series:af-pk-talks"' in meeting
