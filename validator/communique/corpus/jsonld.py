"""`export --format jsonld`: the meetings as schema.org JSON-LD, for search engines, linked
data tools and the site's meeting pages (`meeting_jsonld`).

The context is written inline (`@vocab` schema.org, with the few terms whose values are
IRIs declared as such), never as the remote "https://schema.org" context: a JSON-LD
processor then expands the output without fetching anything, and means the same by it as
a processor that would fetch schema.org's own context.

Nodes are named with `urn:communique:` ids (meeting, series, party, person) because the
corpus has no home on the web of its own; `meeting_jsonld(record, base=...)` names them
under a site's address instead. Each meeting carries its series as a `superEvent` node,
so every series is described without a pass over the corpus.
"""

from __future__ import annotations

import json
from typing import TextIO

from .formats import WIKIDATA_ENTITY, Mapping, meeting_span, parties_by_id, people, places, qid, roles

CONTEXT = {"@vocab": "https://schema.org/", "sameAs": {"@type": "@id"}, "eventStatus": {"@type": "@vocab"}}

# The record's status -> schema.org EventStatusType. A postponed meeting with a new date
# (status_change.postponed_to) was rescheduled: startDate is the new date and
# previousStartDate the one announced; without one it is EventPostponed, with only
# previousStartDate. A downgraded meeting was held, at a lower level.
STATUS = {"held": "EventScheduled", "planned": "EventScheduled", "downgraded": "EventScheduled",
          "cancelled": "EventCancelled", "postponed": "EventPostponed"}
RESCHEDULED = "EventRescheduled"

# A party's role -> the Event property it is named under. A host takes part and hosts:
# it is an attendee and, unless the record says who convened the meeting, its organizer.
ROLE_PROPERTY = {"participant": "attendee", "observer": "attendee", "host": "attendee",
                 "mediator": "contributor", "facilitator": "contributor", "guarantor": "contributor"}

# A party's kind -> its schema.org type.
PARTY_TYPE = {"state": "GovernmentOrganization", "de-facto-authority": "GovernmentOrganization",
              "organisation": "Organization"}

MAPPING = [
    Mapping("id", "@id", "urn:communique:meeting:<id> (or a page under a base address)"),
    Mapping("id", "identifier"),
    Mapping("title", "name"),
    Mapping("wikidata", "sameAs", "the Wikidata entity IRI (schema 1.3); likewise for series, parties, people, places"),
    Mapping("status", "eventStatus", "; ".join(f"{k}: {v}" for k, v in STATUS.items())
            + f"; postponed with status_change.postponed_to: {RESCHEDULED}"),
    Mapping("dates.start, dates.within", "startDate", "ISO 8601, to the day, month or year the record knows; "
            "for a postponed meeting, status_change.postponed_to (left out when it has none); "
            "not_before/not_after bounds are not a date and are left out"),
    Mapping("dates.end", "endDate", "when it differs from start"),
    Mapping("dates.start (postponed)", "previousStartDate", "the date announced before the meeting was put off"),
    Mapping("outcome.summary", "description"),
    Mapping("series", "superEvent", "an EventSeries node: urn:communique:series:<id>, name, sameAs"),
    Mapping("series.id, series.name, series.wikidata", "@graph",
            "each series once more, at the end of the graph: the EventSeries node under the same @id, named "
            "as the last record that names it (the site's series page adds its rounds as subEvent)"),
    Mapping("venue, stops", "location", "Place: name (site, else city), address PostalAddress "
            "(addressLocality city, addressCountry ISO code)"),
    Mapping("parties (role)", "attendee", "participant, observer, host: Organization (GovernmentOrganization "
            "for a state or de-facto authority), name, sameAs"),
    Mapping("parties (role)", "contributor", "mediator, facilitator, guarantor"),
    Mapping("convened_by.parties, else host parties", "organizer"),
    Mapping("co_chairs, participants, delegations[].members", "attendee",
            "Person: name, jobTitle (title), affiliation (their party), sameAs"),
]


def _iri(kind: str, key: str, base: str | None) -> str:
    return f"{base.rstrip('/')}/{kind}/{key}" if base else f"urn:communique:{kind}:{key}"


def _same_as(node: dict, entry: dict | None) -> dict:
    if qid(entry):
        node["sameAs"] = WIKIDATA_ENTITY + qid(entry)
    return node


def _place(place: dict) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": place["country"]}
    if place.get("city"):
        address["addressLocality"] = place["city"]
    node = {"@type": "Place", "address": address}
    name = place.get("site") or place.get("city")
    if name:
        node["name"] = name
    return _same_as(node, place)


def series_jsonld(series_id: str, name: str | None = None, wikidata: str | None = None, meetings=(),
                  base: str | None = None, context: bool = True) -> dict:
    """A series as a schema.org EventSeries, under the one @id every meeting of it names as
    its superEvent; with its meetings' ids as subEvent when given (the site's series page)."""
    node: dict = {"@context": CONTEXT} if context else {}
    node.update({"@id": _iri("series", series_id, base), "@type": "EventSeries"})
    if name:
        node["name"] = name
    _same_as(node, {"wikidata": wikidata})
    if meetings:
        node["subEvent"] = [{"@id": _iri("meeting", record_id, base)} for record_id in meetings]
    return node


def meeting_jsonld(record: dict, base: str | None = None, context: bool = True) -> dict:
    """One meeting as a schema.org Event, from its record alone (with its own @context
    unless `context` is false, for a node inside a graph). `base`, a site's address, names
    the nodes under it instead of with urn:communique: ids."""
    node: dict = {"@context": CONTEXT} if context else {}
    node.update({"@id": _iri("meeting", record["id"], base), "@type": "Event", "identifier": record["id"]})
    if record.get("title"):
        node["name"] = record["title"]
    _same_as(node, record)
    status = record.get("status") or "held"
    start, end, _ = meeting_span(record)
    if status == "postponed":
        postponed_to = (record.get("status_change") or {}).get("postponed_to")
        node["eventStatus"] = RESCHEDULED if postponed_to else STATUS[status]
        if start:
            node["previousStartDate"] = start
        if postponed_to:
            node["startDate"] = postponed_to
    else:
        node["eventStatus"] = STATUS.get(status, "EventScheduled")
        if start:
            node["startDate"] = start
        if end:
            node["endDate"] = end
    summary = (record.get("outcome") or {}).get("summary")
    if summary:
        node["description"] = summary
    series = record.get("series")
    if series and series.get("id"):
        node["superEvent"] = series_jsonld(series["id"], series.get("name"), series.get("wikidata"),
                                           base=base, context=False)
    held_at = places(record)
    if held_at:
        node["location"] = [_place(place) for place in held_at] if len(held_at) > 1 else _place(held_at[0])
    parties = parties_by_id(record)
    party_nodes = {key: _same_as({"@id": _iri("party", key, base), "@type": PARTY_TYPE.get(party.get("kind"), "Organization"),
                                  **({"name": party["name"]} if party.get("name") else {})}, party)
                   for key, party in parties.items()}
    named: dict[str, list] = {"attendee": [], "contributor": [], "organizer": []}
    for key, party in parties.items():
        for role in roles(party):
            target = named[ROLE_PROPERTY.get(role, "attendee")]
            if party_nodes[key] not in target:
                target.append(party_nodes[key])
    convened = (record.get("convened_by") or {}).get("parties")
    organizers = convened if convened else [key for key, party in parties.items() if "host" in roles(party)]
    named["organizer"] = [party_nodes[key] for key in organizers if key in party_nodes]
    for person in people(record):
        person_node = {"@type": "Person", "name": person["name"]}
        if person.get("person_id"):
            person_node["@id"] = _iri("person", person["person_id"], base)
        if person.get("title"):
            person_node["jobTitle"] = person["title"]
        if person.get("party") in party_nodes:
            person_node["affiliation"] = {"@id": party_nodes[person["party"]]["@id"]}
        named["attendee"].append(_same_as(person_node, person))
    for key in ("attendee", "contributor", "organizer"):
        if named[key]:
            node[key] = named[key]
    return node


class Writer:
    """One JSON-LD document, `{"@context": ..., "@graph": [...]}`, a meeting at a time, then
    an EventSeries node per series (its name and item as the last record giving one has
    them: all that is kept of the records)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.count = stream, 0
        self.series: dict[str, dict[str, str]] = {}

    def add(self, record: dict) -> None:
        series = record.get("series") or {}
        if series.get("id"):
            known = self.series.setdefault(series["id"], {})
            known.update({key: series[key] for key in ("name", "wikidata") if series.get(key)})
        item = json.dumps(meeting_jsonld(record, context=False), ensure_ascii=False)
        if not self.count:
            self.stream.write('{"@context": ' + json.dumps(CONTEXT) + ',\n "@graph": [\n')
        self.stream.write(("  " if not self.count else ",\n  ") + item)
        self.count += 1

    def close(self) -> list[str]:
        for series_id, known in self.series.items():
            node = series_jsonld(series_id, known.get("name"), known.get("wikidata"), context=False)
            self.stream.write(",\n  " + json.dumps(node, ensure_ascii=False))
        if not self.count:
            self.stream.write('{"@context": ' + json.dumps(CONTEXT) + ', "@graph": []}\n')
        else:
            self.stream.write("\n ]\n}\n")
        return []
