"""The corpus at a glance, computed from the tables: what analysts ask first.

Meetings by series, year, kind and level; the parties and people in the most meetings;
series with a missing round between recorded ones, and rounds announced as planned that no
record encodes yet; agreements by kind.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .tables import Row

TOP = 10
UNKNOWN = "(not given)"


def summarise(rows: dict[str, list[Row]]) -> dict[str, Any]:
    """The summary of tables held in memory (see Tally for streamed ones)."""
    tally = Tally()
    for name, table_rows in rows.items():
        tally.add(name, table_rows)
    return tally.summary()


# The columns of a meeting the summary reads: all it keeps of each meeting.
MEETING_COLUMNS = ("series_id", "round", "edition", "status", "start", "end", "kind", "level")


class Tally:
    """What the summary needs of the tables, gathered as their rows stream past
    (tables.stream), so that no table is held whole: a few columns of each meeting, who
    was at which meeting, the announced rounds, counts."""

    def __init__(self) -> None:
        self.meetings: list[Row] = []
        self.names: dict[str, dict] = {"series": {}, "parties": {}, "people": {}}
        self.attended: dict[str, dict[str, set]] = {"party_id": defaultdict(set), "person_id": defaultdict(set)}
        self.announced: list[Row] = []  # rounds rows that say a next round is to come
        self.agreement_kinds: Counter = Counter()

    def add(self, name: str, rows: list[Row]) -> None:
        if name == "meetings":
            self.meetings += [{column: row[column] for column in MEETING_COLUMNS} for row in rows]
        elif name in self.names:
            key = {"series": "series_id", "parties": "party_id", "people": "person_id"}[name]
            self.names[name].update((row[key], row["name"]) for row in rows)
        elif name in ("meeting_parties", "participations"):
            attended = self.attended["party_id" if name == "meeting_parties" else "person_id"]
            for row in rows:
                key = row["party_id" if name == "meeting_parties" else "person_id"]
                if key:
                    attended[key].add(row["record_id"])
        elif name == "rounds":
            self.announced += [row for row in rows if row["path"] == "/next_round" and row["status"] in PENDING
                               and row["series_id"]]
        elif name == "agreements":
            self.agreement_kinds.update(row["kind"] for row in rows)

    def summary(self) -> dict[str, Any]:
        meetings = self.meetings
        return {
            "meetings": len(meetings),
            "series": _by_series(meetings, self.names["series"]),
            "by_year": _counted(str(row["start"].year) if row["start"] else UNKNOWN for row in meetings),
            "by_kind": _counted(row["kind"] or UNKNOWN for row in meetings),
            "by_level": _counted(row["level"] or UNKNOWN for row in meetings),
            "top_parties": _top_meetings(self.attended["party_id"], self.names["parties"]),
            "top_people": _top_meetings(self.attended["person_id"], self.names["people"]),
            "gaps": _gaps(meetings),
            "planned_not_recorded": _planned_not_recorded(meetings, self.announced),
            "agreements": sum(self.agreement_kinds.values()),
            "agreements_by_kind": _counted(self.agreement_kinds.elements()),
        }


def _counted(values) -> list[dict[str, Any]]:
    counts = Counter(values)
    return [{"value": value, "count": count}
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))]


def _by_series(meetings: list[Row], names: dict) -> list[dict[str, Any]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in meetings:
        grouped[row["series_id"] or ""].append(row)
    result = []
    for series_id, members in grouped.items():
        dated = [row for row in members if row["start"]]
        result.append({"series_id": series_id or None, "name": names.get(series_id) if series_id else None,
                       "meetings": len(members),
                       "rounds": sorted(row["round"] for row in members
                                        if row["round"] is not None and row["status"] not in NOT_HELD),
                       "editions": sorted(row["edition"] for row in members if row["edition"]),
                       "first": min(row["start"] for row in dated).isoformat() if dated else None,
                       "last": max(row["end"] or row["start"] for row in dated).isoformat() if dated else None})
    return sorted(result, key=lambda entry: (-entry["meetings"], entry["series_id"] or "~"))


def _top_meetings(meetings: dict[str, set], names: dict) -> list[dict[str, Any]]:
    ranked = sorted(meetings.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP]
    return [{"id": ident, "name": names.get(ident), "meetings": len(records)} for ident, records in ranked]


NOT_HELD = ("planned", "postponed", "cancelled")  # a record of a plan: no round held (as X010 reads it)


def _gaps(meetings: list[Row]) -> list[dict[str, Any]]:
    rounds: dict[str, set[int]] = defaultdict(set)
    for row in meetings:
        if row["series_id"] and row["round"] is not None and row["status"] not in NOT_HELD:
            rounds[row["series_id"]].add(row["round"])
    gaps = []
    for series_id, numbers in sorted(rounds.items()):
        missing = [n for n in range(min(numbers), max(numbers)) if n not in numbers]
        if missing:
            gaps.append({"series_id": series_id, "missing_rounds": missing})
    return gaps


PENDING = ("planned", "tentative", "proposed", "postponed")


def _planned_not_recorded(meetings: list[Row], rounds: list[Row]) -> list[dict[str, Any]]:
    """Rounds a record announces (next_round, still to come) that no record encodes."""
    recorded = {(row["series_id"], row["round"]) for row in meetings} | \
               {(row["series_id"], row["edition"]) for row in meetings}
    found = []
    for row in rounds:
        label = row["round"] if row["round"] is not None else row["edition"]
        if label is None or (row["series_id"], label) in recorded:
            continue
        found.append({"series_id": row["series_id"], "round": row["round"], "edition": row["edition"],
                      "status": row["status"], "announced_by": row["record_id"],
                      "when_from": row["when_from"].isoformat() if row["when_from"] else None,
                      "when_to": row["when_to"].isoformat() if row["when_to"] else None,
                      "venue_city": row["venue_city"]})
    return sorted(found, key=lambda entry: (entry["series_id"], str(entry["round"] or entry["edition"])))


def render_text(summary: dict[str, Any]) -> str:
    lines = [f"{summary['meetings']} meeting{'s' if summary['meetings'] != 1 else ''}, "
             f"{len([s for s in summary['series'] if s['series_id']])} series, "
             f"{summary['agreements']} agreement{'s' if summary['agreements'] != 1 else ''}", ""]
    lines += _section("Meetings by series", [
        (entry["series_id"] or "(no series)", entry["meetings"],
         _span(entry) + (f"; {_plural(len(entry['rounds']), 'round')} {_ranges(entry['rounds'])}" if entry["rounds"] else "")
         + (f"; {_plural(len(entry['editions']), 'edition')} {', '.join(entry['editions'])}" if entry["editions"] else ""))
        for entry in summary["series"]])
    for title, key in (("Meetings by year", "by_year"), ("Meetings by kind", "by_kind"),
                       ("Meetings by level", "by_level"), ("Agreements by kind", "agreements_by_kind")):
        lines += _section(title, [(entry["value"], entry["count"], "") for entry in summary[key]])
    lines += _section("Parties in the most meetings",
                      [(entry["id"], entry["meetings"], entry["name"] or "") for entry in summary["top_parties"]])
    lines += _section("People in the most meetings",
                      [(entry["id"], entry["meetings"], entry["name"] or "") for entry in summary["top_people"]])
    lines += _section("Series with a missing round", [
        (entry["series_id"], len(entry["missing_rounds"]), "missing " + _ranges(entry["missing_rounds"]))
        for entry in summary["gaps"]], empty="none")
    lines += _section("Announced rounds not yet recorded", [
        (f"{entry['series_id']} {'round ' + str(entry['round']) if entry['round'] is not None else entry['edition']}",
         None, f"{entry['status']}, announced by {entry['announced_by']}"
         + (f", {_dates(entry)}" if entry["when_from"] else "")
         + (f", in {entry['venue_city']}" if entry["venue_city"] else ""))
        for entry in summary["planned_not_recorded"]], empty="none")
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, entries: list[tuple], empty: str = "none") -> list[str]:
    lines = [title]
    if not entries:
        return lines + [f"  {empty}", ""]
    width = max(len(str(label)) for label, _, _ in entries)
    count_width = max((len(str(count)) for _, count, _ in entries if count is not None), default=0)
    for label, count, note in entries:
        count_text = "" if count is None else str(count).rjust(count_width)
        lines.append(f"  {str(label).ljust(width)}  {count_text}{'  ' + note if note else ''}".rstrip())
    return lines + [""]


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _span(entry: dict) -> str:
    if not entry["first"]:
        return "undated"
    return entry["first"] if entry["first"] == entry["last"] else f"{entry['first']} to {entry['last']}"


def _dates(entry: dict) -> str:
    return entry["when_from"] if entry["when_from"] == entry["when_to"] else f"{entry['when_from']} to {entry['when_to']}"


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    parts, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}-{number}")
            start = None
    return ", ".join(parts)
