"""`export --format plover`: the meetings as PLOVER event data (the Open Event Data
Alliance's ontology and interchange format, manual version 2.0 draft), one JSON object a
line as the manual suggests, for event-data tools that read CONSULT and AGREE events.

A meeting that took place is a CONSULT event; the next round it announced is an AGREE
event (the manual codes "references to future meetings" as AGREE). The field names are
the manual's ("PLOVER JSON" and its entity, location and citation objects). PLOVER's
`date` is a required YYYY-MM-DD day: a meeting the record dates only to a month or a year,
or only by bounds, is not written, and neither is a meeting that did not take place; each
is counted on standard error, rather than given a day it may not have had.

Modes of CONSULT, from the record, never from its words:
- visit: a meeting of kind `visit` with a party in the role host: the visitors are the
  actor, the host the recipient (as the manual codes a visit);
- third-party: a party in the role mediator or facilitator;
- multilateral: three sides or more (parties taking part, not as third parties).
Otherwise every party is an actor and there is no recipient, as for the manual's
reciprocal meetings.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import TextIO

from .formats import Mapping, meeting_span, qid, roles, sources_by_id

THIRD_PARTY_ROLES = ("mediator", "facilitator")
SIDE_ROLES = ("participant", "host")
# PLOVER's codes for the international actors it names (its "non-state" table), by the
# party ids the corpus gives them; any other organisation is an IGO.
ORGANISATION_CODES = {"eu": "EUR", "un": "UNO"}
HELD = ("held", "downgraded")
NEXT_ROUND_AGREED = (None, "planned", "tentative")  # a proposal is one side's offer: who made it is not known

MAPPING = [
    Mapping("id", "id", "<id>-consult, <id>-agree"),
    Mapping("id", "link", "the record's id: the common reference of a meeting's events"),
    Mapping("status", "event", "CONSULT for a meeting held (held, downgraded); none for one planned, postponed "
            "or cancelled (counted on standard error)"),
    Mapping("next_round", "event", "AGREE, when its status is planned or tentative (or not given); a proposed "
            "round is one side's offer and which side is not recorded, so it is left out"),
    Mapping("dates.start", "date", "YYYY-MM-DD; a meeting known only to the month or year is left out (counted)"),
    Mapping("dates.end", "enddate", "when it differs from start"),
    Mapping("kind, parties[].role", "mode", "visit: kind visit with a host (the visitors are the actor, the host "
            "the recipient); third-party: a mediator or facilitator; multilateral: three sides or more; otherwise "
            "no mode, every party an actor and no recipient"),
    Mapping("parties", "actor", "entity objects: code (ISO 3166 alpha-3 of the party's country; EUR, UNO or IGO "
            "for an organisation), sector GOV for a state or de-facto authority, entity_text (name), identifier_id "
            "(wikidata), role (the record's roles, a field of this export)"),
    Mapping("parties (host of a visit)", "recipient", "only for a visit"),
    Mapping("venue", "event_loc", "city, country (name), country_code (alpha-3)"),
    Mapping("sources", "cite_info", "a list of citation objects, one per source: citation (source id), url, "
            "title, publication (publisher)"),
    Mapping("(every event)", "context", "diplomatic"),
    Mapping("status, next_round.when/venue, dates precision", "comment", "what the record says that PLOVER "
            "has no field for (a downgraded meeting, the next round's date and place)"),
    Mapping("(left empty)", "quad_code, event_scale", "the manual gives no number for each quad category, nor a "
            "scale per event, so neither is written"),
]


@cache
def country(code: str) -> tuple[str, str]:
    """(alpha-3 code, name) of an ISO 3166 alpha-2 code."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return (found.alpha_3, found.name) if found else ("", "")


def entity(party: dict) -> dict:
    """A PLOVER entity object for a party."""
    kind = party.get("kind")
    found: dict = {}
    if kind in ("state", "de-facto-authority") and party.get("country"):
        found["code"] = country(party["country"])[0]
        found["sector"] = "GOV"
    elif kind == "organisation":
        found["code"] = ORGANISATION_CODES.get(party["id"], "IGO")
    text = party.get("name") or party.get("as_stated")
    if text:
        found["entity_text"] = text
    if qid(party):
        found["identifier_id"] = qid(party)
    found["role"] = roles(party)
    return found


def _citations(record: dict, ids=None) -> list[dict]:
    sources = sources_by_id(record)
    chosen = [sources[key] for key in ids if key in sources] if ids else list(sources.values())
    citations = []
    for source in chosen:
        citation = {"citation": source["id"]}
        for mine, theirs in (("url", "url"), ("title", "title"), ("publisher", "publication")):
            if source.get(mine):
                citation[theirs] = source[mine]
        citations.append(citation)
    return citations


def _location(place: dict | None) -> dict | None:
    if not place:
        return None
    code, name = country(place["country"])
    location = {"country": name, "country_code": code} if code else {}
    if place.get("city"):
        location["city"] = place["city"]
    return location


def consult(record: dict) -> dict:
    """The CONSULT event of a meeting held on a known day (the caller checks both)."""
    start, end, _ = meeting_span(record)
    parties = [party for party in record.get("parties") or [] if "id" in party]
    sides = [p for p in parties if set(roles(p)) & set(SIDE_ROLES)]
    third = [p for p in parties if set(roles(p)) & set(THIRD_PARTY_ROLES)]
    hosts = [p for p in parties if "host" in roles(p)]
    modes, actor, recipient = [], parties, []
    if record.get("kind") == "visit" and hosts:
        modes.append("visit")
        actor = [p for p in parties if p not in hosts]
        recipient = hosts
    if third:
        modes.append("third-party")
    if len(sides) >= 3:
        modes.append("multilateral")
    event = {"id": f"{record['id']}-consult", "date": start}
    if end:
        event["enddate"] = end
    event.update({"actor": [entity(p) for p in actor], "event": ["CONSULT"]})
    if recipient:
        event["recipient"] = [entity(p) for p in recipient]
    if modes:
        event["mode"] = modes
    event["context"] = ["diplomatic"]
    location = _location(record.get("venue"))
    if location:
        event["event_loc"] = location
    event["link"] = record["id"]
    event["cite_info"] = _citations(record)
    if record.get("status") == "downgraded":
        event["comment"] = "held at a lower level than announced"
    return event


def agree(record: dict, promised: dict) -> dict:
    """The AGREE event of a next round the meeting announced, dated the day of the meeting."""
    start = meeting_span(record)[0]
    parties = [party for party in record.get("parties") or [] if "id" in party]
    sides = [p for p in parties if set(roles(p)) & set(SIDE_ROLES)] or parties
    said = ["to meet again" + (f" (round {promised['round']})" if promised.get("round") else "")]
    when = promised.get("when") or promised.get("not_after") and f"by {promised['not_after']}"
    if when:
        said.append(f"when: {when}")
    place = promised.get("venue") or {}
    if place:
        said.append("where: " + ", ".join(v for v in (place.get("city"), country(place["country"])[1]) if v))
    if promised.get("status"):
        said.append(f"status: {promised['status']}")
    event = {"id": f"{record['id']}-agree", "date": start, "actor": [entity(p) for p in sides], "event": ["AGREE"],
             "context": ["diplomatic"], "link": record["id"],
             "cite_info": _citations(record, promised.get("sources")), "comment": "; ".join(said)}
    location = _location(record.get("venue"))
    if location:
        event["event_loc"] = location
    return event


class Writer:
    """A line per event; what is left out is counted and said when the export ends."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.left_out = stream, Counter()

    def _write(self, event: dict) -> None:
        self.stream.write(json.dumps(event, ensure_ascii=False) + "\n")

    def add(self, record: dict) -> None:
        if (record.get("status") or "held") not in HELD:
            self.left_out["meetings not held (planned, postponed, cancelled), so no CONSULT event"] += 1
            return
        if meeting_span(record)[2] != "day":
            self.left_out["meetings not dated to the day (PLOVER's date is a day), so no event"] += 1
            return
        self._write(consult(record))
        promised = record.get("next_round")
        if promised:
            if promised.get("status") in NEXT_ROUND_AGREED:
                self._write(agree(record, promised))
            else:
                self.left_out[f"next rounds {promised['status']}, not agreed, so no AGREE event"] += 1

    def close(self) -> list[str]:
        return [f"plover: left out {what}: {count}" for what, count in sorted(self.left_out.items())]
