"""A static site of the corpus: plain HTML, one CSS file and, for search alone, one small
script and its index, written with Jinja2; it opens from disk and needs no network (no
scripts, fonts or styles from elsewhere).

Pages: an index of series, each with its timeline; a page per series (its rounds on one
timeline, who chaired each, what each agreed); a page per meeting with every field of its
record, each evidence quote linked to the source it cites and each caveat shown beside the
field it qualifies; a page per person, party and venue listing their meetings; a map of
venues (site_map) and a search page (site_search). All links are relative, so the folder
can be published anywhere (GitHub Pages included: `.nojekyll` keeps it from being processed).
"""

from __future__ import annotations

import calendar
import gc
import itertools
import json
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from ..core.version import __version__
from . import site_map, site_search
from .jsonld import meeting_jsonld, series_jsonld
from .tables import Row, persons, record_rows
from .timeline import FITS, Point, layout

MARKER = ".communique-site"
PLANNED = ("planned", "tentative", "proposed", "postponed")


# Meeting pages made between passes of the collector, where records are read with it off.
CYCLES_EVERY = 100
_made = itertools.count(1)


def render_meeting(record: dict, own_rows: dict[str, list[Row]], jsonld: Any = None) -> str:
    """The page of one meeting, from its record alone (so that it can be made where the
    record is read): parties carry the names this record gives them. The page's head holds
    the meeting as schema.org JSON-LD (`jsonld`, by default the export's `meeting_jsonld`),
    so that search engines and linked-data tools read the page as `export --format jsonld`."""
    if jsonld is None:
        jsonld = meeting_jsonld(record)
    names = {row["party_id"]: row for row in own_rows["meeting_parties"] + own_rows["third_parties"]}
    template = _environment().get_template("meeting.html")
    page = template.render(root="../", version=__version__, meeting_rows={}, party_names=names,
                           record=record, row=own_rows["meetings"][0], caveats=_caveat_index(record),
                           jsonld=jsonld)
    if next(_made) % CYCLES_EVERY == 0 and not gc.isenabled():
        # The macros a page imports with its context and that context refer to one another:
        # each page leaves a cycle holding its record (37 KB), which only the collector frees,
        # and records are read with it off (collect). A young-generation pass frees them.
        gc.collect(0)
    return page


# What the index, people and party pages read of the tables: all the site keeps of them.
MEETING_COLUMNS = ("record_id", "title", "series_id", "round", "edition", "start", "end", "date_precision",
                   "venue_city", "result")
ROUND_COLUMNS = ("record_id", "series_id", "round", "edition", "status", "when_from", "when_to", "when_precision",
                 "venue_city")
PARTICIPATION_COLUMNS = ("record_id", "person_id", "name", "party_id", "capacity", "role", "title")


def pages(entries: list, rows: dict[str, list[Row]]) -> dict[str, str]:
    """Every file of the site, by relative path, from tables held in memory (see write)."""
    site = Site()
    for entry in entries:
        site.add_meeting_page(entry)
    for name, table_rows in rows.items():
        site.add(name, table_rows)
    site.finish()
    return site.files


class Site:
    """The site, built as the records stream past: each meeting's page as its record comes,
    the index, people and party pages at the end from the few columns of the tables they
    show. `files` (relative path -> content) holds the pages until `flush` writes them."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.meetings: list[Row] = []  # in date order, as tables.stream gives them
        # The country of each meeting's venue, for the map, beside `meetings` rather than in
        # its rows: an eleventh column would double the size of every row's dict.
        self.countries: list[str | None] = []
        self.names: dict[str, dict[str, Row]] = {"series": {}, "parties": {}, "people": {}}
        self.announced: dict[str, dict[Any, Row]] = defaultdict(dict)  # series -> label -> row
        self.meetings_of_person: dict[str, list[Row]] = defaultdict(list)
        self.roles_of = defaultdict(lambda: defaultdict(list))
        self.named_in: dict[tuple, int] = defaultdict(int)  # (party, record) -> its agreements there
        self.counts: dict[str, int] = defaultdict(int)
        self.chairs_of: dict[str, tuple[Row, ...]] = {}  # record -> its co-chairs' participations
        self.agreements = _Agreements(self._shared)
        self.stops: list[tuple[str, str | None, str]] = []  # (record, city, country) of each stop
        self.html = 0
        self._values: dict[Any, Any] = {}  # see _shared

    def add_meeting_page(self, entry) -> None:
        self.files[f"meetings/{entry.record_id}.html"] = entry.page if entry.page is not None else \
            render_meeting(entry.data, record_rows(entry.data, entry.file or entry.path))

    def add(self, name: str, rows: list[Row]) -> None:
        """Keep what the pages need of one piece of a table (tables.stream)."""
        self.counts[name] += len(rows)
        if name == "meetings":
            self.meetings += [self._kept(row, MEETING_COLUMNS) for row in rows]
            self.countries += [self._shared(row["venue_country"]) for row in rows]
        elif name in self.names:
            key = {"series": "series_id", "parties": "party_id", "people": "person_id"}[name]
            self.names[name].update((row[key], row) for row in rows)
        elif name == "rounds":
            for row in rows:
                label = row["round"] if row["round"] is not None else row["edition"]
                if row["path"] == "/next_round" and row["status"] in PLANNED and label is not None:
                    self.announced[row["series_id"]][label] = self._kept(row, ROUND_COLUMNS)
        elif name == "participations":
            for row in rows:
                kept = self._kept(row, PARTICIPATION_COLUMNS)
                self.meetings_of_person[row["person_id"]].append(kept)
                if row["capacity"] == "co-chair":
                    self.chairs_of[kept["record_id"]] = self.chairs_of.get(kept["record_id"], ()) + (kept,)
        elif name == "agreements":
            self.agreements.add(rows)
        elif name == "stops":
            self.stops += [(self._shared(row["record_id"]), self._shared(row["city"]), self._shared(row["country"]))
                           for row in rows]
        elif name == "party_roles":
            for row in rows:
                self.roles_of[row["party_id"]][self._shared(row["record_id"])].append(self._shared(row["role"]))
        elif name == "agreement_parties":
            for row in rows:
                # The table's key makes each agreement once.
                self.named_in[(self._shared(row["party_id"]), self._shared(row["record_id"]))] += 1

    def _kept(self, row: Row, columns: tuple[str, ...]) -> Row:
        """The columns of `row` the pages show, as `_shared` values."""
        return {column: self._shared(row[column]) for column in columns}

    def _shared(self, value: Any) -> Any:
        """`value`, or the equal one already kept. Each record's rows come back from the spool
        with copies of their own of what recurs across records (the ids, names, titles and
        roles of people and parties, series, cities, days): held as they came, the copies
        were a third of what the site kept a record (1.1 of 3.3 KB at 10,000 records)."""
        return self._values.setdefault(value, value) if isinstance(value, (str, date)) else value

    def flush(self, folder) -> None:
        """Write the pages made so far into `folder`, and let them go."""
        for name, content in self.files.items():
            self.write_page(folder, name, content)
        self.files = {}

    def write_page(self, folder, name: str, content: str | Iterable[str]) -> None:
        """Write one page, given whole or as the pieces a template yields (see finish)."""
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.writelines((content,) if isinstance(content, str) else content)
        self.html += name.endswith(".html")

    def finish(self, folder=None) -> None:
        """The pages that show the whole corpus, once every record has been added: written
        into `folder` one at a time, each a piece at a time as its template makes it, else
        kept in `files`. The index lists every meeting, so it grows with the corpus (15 MB
        at 10,000 records): made whole, its pieces, the text they join into and its UTF-8
        bytes took four times that at once, the largest part of the site's peak."""
        env = _environment()
        meetings, party_names, people = self.meetings, self.names["parties"], self.names["people"]
        by_id = {row["record_id"]: row for row in meetings}
        common = {"version": __version__, "party_names": party_names, "meeting_rows": by_id}

        def render(template: str, root: str, **values) -> Iterator[str]:
            return env.get_template(template).generate(root=root, **common, **values)

        files = _Pages(self, folder)
        series_names = {series_id: row["name"] for series_id, row in self.names["series"].items()}
        common["series_names"] = series_names
        series_list = _SeriesList(meetings, self.announced, series_names)
        files["index.html"] = render("index.html", "", series_list=series_list,
                                     loose=[row for row in meetings if not row["series_id"]], counts=self.counts)
        for series in series_list:
            series_id = series["series_id"]
            structured = series_jsonld(series_id, series["name"], (self.names["series"].get(series_id) or {}).get("wikidata"),
                                       [row["record_id"] for row in series["meetings"]])
            files[f"series/{series_id}.html"] = render(
                "series.html", "../", series=series, chairs_of=self.chairs_of, agreements_of=self.agreements.of,
                jsonld=structured)
        meetings_of_person = self.meetings_of_person
        for person_id, person in people.items():
            files[f"people/{person_id}.html"] = render(
                "person.html", "../", person=person,
                appearances=sorted(meetings_of_person[person_id], key=lambda r: _order(by_id[r["record_id"]])))
        files["people/index.html"] = render("people.html", "../", people=sorted(
            people.values(), key=lambda p: (-len({r["record_id"] for r in meetings_of_person[p["person_id"]]}),
                                            p["name"] or p["person_id"])), meetings_of_person=meetings_of_person)
        roles_of = self.roles_of
        for party_id, party in party_names.items():
            attended = sorted(roles_of[party_id].items(), key=lambda item: _order(by_id[item[0]]))
            files[f"parties/{party_id}.html"] = render("party.html", "../", party=party, attended=attended,
                                                       named_in=self.named_in)
        files["parties/index.html"] = render("parties.html", "../", parties=sorted(
            party_names.values(), key=lambda p: (-len(roles_of[p["party_id"]]), p["party_id"])), roles_of=roles_of)
        places = site_map.gather(meetings, self.countries, self.stops)
        gazetteer = site_map.gazetteer_installed()
        for place in places:
            files[f"places/{place.key}.html"] = render("place.html", "../", place=place, gazetteer=gazetteer)
        files["map.html"] = render("map.html", "", places=places, drawing=site_map.draw(places),
                                   gazetteer=gazetteer, install_hint=site_map.INSTALL_HINT)
        files["search.html"] = render("search.html", "")
        files[site_search.INDEX] = site_search.index(meetings, series_list.names_in_order(), party_names.values(),
                                                     people.values(), places, format_span)
        files[site_search.AGREEMENTS] = site_search.agreements(meetings, self.agreements.of)
        files[site_search.SCRIPT] = site_search.script()
        files["style.css"] = env.get_template("style.css").render()
        files[".nojekyll"] = ""
        files[MARKER] = f"Written by communique {__version__}; `communique site` replaces this folder.\n"
        self.agreements.close()


class _Agreements:
    """What each meeting agreed (id, kind, text), kept on disk until the series pages and the
    search index read it back, a meeting at a time: the texts are the largest part of a
    record's rows (half a kilobyte a meeting in the synthetic corpus), so held in memory
    they would grow the site's peak with the corpus. Only an offset a meeting stays here."""

    def __init__(self, shared=lambda value: value) -> None:
        self._file = tempfile.TemporaryFile(prefix="communique-site-agreements-")
        self._offsets: dict[str, int | list[int]] = {}  # a list only for a meeting added in pieces
        self._shared = shared  # the site's one copy of each record id (Site._shared)

    def add(self, rows: list[Row]) -> None:
        by_record: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            by_record[row["record_id"]].append((row["agreement_id"], row["kind"], row["text"]))
        self._file.seek(0, 2)
        for record_id, agreed in by_record.items():
            known, offset = self._offsets.get(record_id), self._file.tell()
            self._offsets[self._shared(record_id)] = offset if known is None else [
                *(known if isinstance(known, list) else [known]), offset]
            pickle.dump(agreed, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def of(self, record_id: str) -> list[tuple[str, str | None, str | None]]:
        """(agreement id, kind, text) of each agreement of the meeting, in the record's order."""
        agreed = []
        known = self._offsets.get(record_id, ())
        for offset in known if isinstance(known, (list, tuple)) else [known]:
            self._file.seek(offset)
            agreed += pickle.load(self._file)
        return agreed

    def close(self) -> None:
        self._file.close()


def write(folder, entries) -> int:
    """Write the site of `entries` (collect.Entry with its page, in recency order) into
    `folder`, holding one meeting page at a time; the number of HTML pages written."""
    from .tables import stream

    site = Site()

    def paged():
        for entry in entries:
            site.add_meeting_page(entry)
            site.flush(folder)
            yield entry

    for name, rows in stream(paged()):
        site.add(name, rows)
    site.finish(folder)
    return site.html


class _Pages:
    """Where `Site.finish` puts its pages: each is written into `folder` as it is set, from
    the pieces its template yields; with no folder, joined into the site's `files`."""

    def __init__(self, site: Site, folder) -> None:
        self.site, self.folder = site, folder

    def __setitem__(self, name: str, content: str | Iterable[str]) -> None:
        if self.folder is None:
            self.site.files[name] = "".join(content)
        else:
            self.site.write_page(self.folder, name, content)


def _order(row: Row) -> tuple:
    return (row["start"] or date.max, row["record_id"])


class _SeriesList:
    """Each series with its meetings and its timeline (recorded rounds, and announced ones
    no record encodes; the last record to announce a round describes it), in the order of
    their names. A series is laid out only as the index reaches it and let go after: laid
    out all at once, the timelines (three a series, a mark per round) were all held while
    the index was written, over a kilobyte a record. The series pages walk it again, laying
    each series out anew rather than keeping it."""

    def __init__(self, meetings: list[Row], announced_by_series: dict[str, dict[Any, Row]], names: dict) -> None:
        self.grouped: dict[str, list[Row]] = defaultdict(list)
        for row in meetings:
            if row["series_id"]:
                self.grouped[row["series_id"]].append(row)
        self.announced_by_series, self.names = announced_by_series, names

    def __len__(self) -> int:
        return len(self.grouped)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for series_id, _ in self.names_in_order():
            yield self._series(series_id)

    def names_in_order(self) -> list[tuple[str, str]]:
        """(id, name) of each series, in the order of the index, with no timeline laid out."""
        return [(series_id, self._name(series_id))
                for series_id in sorted(self.grouped, key=lambda series_id: self._name(series_id).lower())]

    def _name(self, series_id: str) -> str:
        return self.names.get(series_id) or series_id

    def _series(self, series_id: str) -> dict[str, Any]:
        members = self.grouped[series_id]
        recorded = {row["round"] for row in members} | {row["edition"] for row in members}
        points = [Point(row["start"], row["end"], _label(row["round"], row["edition"]), row["venue_city"] or "",
                        format_span(row["start"], row["end"], row["date_precision"]),
                        f"meetings/{row['record_id']}.html", False, row["round"]) for row in members]
        announced = {label: row for label, row in self.announced_by_series.get(series_id, {}).items()
                     if label not in recorded}
        points += [Point(row["when_from"], row["when_to"], _label(row["round"], row["edition"]),
                         row["venue_city"] or "", format_span(row["when_from"], row["when_to"], row["when_precision"]),
                         None, True, None) for row in announced.values()]
        return {"series_id": series_id, "name": self._name(series_id), "meetings": members,
                "announced": list(announced.values()),
                "timelines": {fit: layout(points, width) for fit, width in FITS.items()}}


def _label(number, edition) -> str:
    return f"Round {number}" if number is not None else (str(edition) if edition else "Meeting")


def _caveat_index(record: dict) -> dict[str, list[tuple[int, dict]]]:
    """Caveats by the path they qualify, numbered as in the record (from 1)."""
    index: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for number, caveat in enumerate(record.get("caveats") or [], 1):
        index[caveat.get("path", "")].append((number, caveat))
    return index


MONTHS = calendar.month_name


def format_partial(value: Any) -> str:
    """'2025-10' -> 'October 2025'; '2025-11-21' -> '21 November 2025'; '2026' -> '2026'."""
    if not isinstance(value, str):
        return "" if value is None else str(value)
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def format_span(first: date | None, last: date | None, precision: str | None) -> str:
    """A span of days as people write it, at the precision the sources give."""
    if first is None:
        return "date not given"
    if precision == "year":
        return str(first.year) if not last or last.year == first.year else f"{first.year}–{last.year}"
    if precision == "month":
        text = f"{MONTHS[first.month]} {first.year}"
        return text if not last or (last.year, last.month) == (first.year, first.month) else \
            f"{text} – {MONTHS[last.month]} {last.year}"
    if not last or last == first:
        return f"{first.day} {MONTHS[first.month]} {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {MONTHS[first.month]} {first.year}"
    return f"{first.day} {MONTHS[first.month]} {first.year} – {last.day} {MONTHS[last.month]} {last.year}"


@lru_cache(maxsize=None)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("communique.corpus", "site_templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["partial"] = format_partial
    env.filters["span"] = lambda row: format_span(row["start"], row["end"], row["date_precision"])
    env.filters["round_span"] = lambda row: format_span(row["when_from"], row["when_to"], row["when_precision"])
    env.filters["label"] = lambda key: str(key).replace("_", " ")
    env.filters["script_json"] = script_json
    env.tests["mapping"] = lambda value: isinstance(value, dict)
    env.tests["sequence"] = lambda value: isinstance(value, list)
    env.tests["flat_list"] = lambda value: isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value)
    # Only web addresses become links: a record's url could be a javascript: URI.
    env.tests["web_address"] = lambda value: isinstance(value, str) and value.lower().startswith(("https://", "http://"))
    env.globals["persons"] = persons
    return env


def script_json(value: Any):
    """`value` as JSON that is safe inside an HTML <script> element: json.dumps escapes
    quotes and control characters, but `</script>` or `<!--` in a record's text would still
    end or change the script, so <, > and & are written as \\u escapes (the same text to a
    JSON parser), and so are U+2028 and U+2029, which older JavaScript parsers refuse."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, default=str)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)
