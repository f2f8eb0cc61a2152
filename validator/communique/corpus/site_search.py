"""The site's search: an index written when the site is built, and a small script that
searches it in the browser, from disk and offline.

A browser will not fetch() a JSON file from a page opened from disk (file://), but it
runs a script the page names: so the index is a script, `search-index.js`, that sets one
variable, and `search.js` (site_templates/search.js, hand-written) reads it. The index holds
only what a result shows (titles, names, dates, short fields) and how to reach its page;
links are built in the script from ids, so that no path is written a hundred thousand
times. An agreement's text is cut to TEXT_LIMIT characters: the meeting's page has it whole.

The agreements are nine tenths of the index in a large corpus (90 of 101 MB at 100,000
synthetic records), so they are a file of their own, `search-agreements.js`, which the
script loads only once a search is made: the search page opens with the rest (10 MB there).
Both are written a meeting at a time as the site's last pages are, never held whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from importlib import resources

INDEX = "search-index.js"
AGREEMENTS = "search-agreements.js"
SCRIPT = "search.js"
TEXT_LIMIT = 80  # characters of an agreement's text in the index
PIECE = 500  # entries joined into one piece of the file


def index(meetings: list[dict], series: Iterable[tuple[str, str]], parties: Iterable[dict], people: Iterable[dict],
          places: Iterable, span: Callable) -> Iterator[str]:
    """The pieces of search-index.js. Meetings are numbered in the order given (by date): an
    agreement names its meeting by that number (see agreements)."""
    yield ("/* The search index of this site, written by `communique site` and read by search.js: one list\n"
           "   a kind of page, each entry what a result shows and the id its link is made from. */\n"
           "window.COMMUNIQUE_SEARCH = {\n")
    yield from _list("meetings", ([row["record_id"], row["title"] or row["record_id"],
                                   span(row["start"], row["end"], row["date_precision"]),
                                   row["venue_city"] or ""] for row in meetings))
    yield from _list("series", ([series_id, name] for series_id, name in series))
    yield from _list("parties", ([row["party_id"], row["name"] or row["party_id"]] for row in parties))
    yield from _list("people", ([row["person_id"], row["name"] or row["person_id"]] for row in people))
    yield from _list("places", ([place.key, ", ".join(filter(None, (place.city, place.country)))]
                                for place in places), last=True)
    yield "};\n"


def agreements(meetings: list[dict], agreements_of: Callable[[str], list[tuple]]) -> Iterator[str]:
    """The pieces of search-agreements.js: each agreement of each meeting, the meeting named
    by its number in search-index.js (the order of `meetings`, the same as there)."""
    yield ("/* The agreements of this site's search index (search-index.js), loaded by search.js once a\n"
           "   search is made: [meeting's number there, agreement id, kind, text cut short]. */\n"
           "window.COMMUNIQUE_AGREEMENTS = {\n")
    yield from _list("agreements", ([number, agreement_id, kind or "", _short(text or "")]
                                    for number, row in enumerate(meetings)
                                    for agreement_id, kind, text in agreements_of(row["record_id"])), last=True)
    yield "};\n"


def _list(name: str, entries: Iterable[list], last: bool = False) -> Iterator[str]:
    yield json.dumps(name) + ": ["
    lines, first = [], True
    for entry in entries:
        lines.append(("\n" if first else ",\n") + json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        first = False
        if len(lines) == PIECE:
            yield "".join(lines)
            lines = []
    yield "".join(lines) + ("\n]\n" if last else "\n],\n")


def _short(text: str) -> str:
    """`text` cut at a word boundary to at most TEXT_LIMIT characters, marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= TEXT_LIMIT:
        return text
    cut = text[:TEXT_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def script() -> str:
    """search.js, as written by hand."""
    return resources.files("communique.corpus").joinpath("site_templates", SCRIPT).read_text(encoding="utf-8")
