"""References inside one record: every id used is defined, and defined once."""

from __future__ import annotations

from collections import Counter

from ..hints import did_you_mean
from ..pointer import MISSING, resolve
from . import ERROR, Violation, rule
from .context import RecordContext

# Lists whose items carry an id that other fields refer to.
ID_LISTS = ("parties", "agenda", "agreements", "documents", "frameworks", "sources")


def _ids(ctx: RecordContext, field: str) -> set[str]:
    return {item.get("id") for _, item in ctx.items(field)}


def _source_lists(ctx: RecordContext):
    """Every (path, list of source ids) in the record."""
    data = ctx.data
    for field in ("dates", "venue"):
        if isinstance(data.get(field), dict) and "sources" in data[field]:
            yield (field, "sources"), data[field]["sources"]
    for field in ("parties", "co_chairs", "participants", "documents", "frameworks", "agenda", "caveats"):
        for index, item in ctx.items(field):
            if "sources" in item:
                yield (field, index, "sources"), item["sources"]
            if isinstance(item.get("venue"), dict) and "sources" in item["venue"]:
                yield (field, index, "venue", "sources"), item["venue"]["sources"]
    for index, caveat in ctx.items("caveats"):
        for claim_index, claim in enumerate(caveat.get("claims") or []):
            yield ("caveats", index, "claims", claim_index, "sources"), claim.get("sources") or []
    rounds = [(("next_round",), data["next_round"])] if "next_round" in data else []
    rounds += [(("related_rounds", i), item) for i, item in ctx.items("related_rounds")]
    for path, reference in rounds:
        if "sources" in reference:
            yield path + ("sources",), reference["sources"]
        if isinstance(reference.get("venue"), dict) and "sources" in reference["venue"]:
            yield path + ("venue", "sources"), reference["venue"]["sources"]


def evidence_items(ctx: RecordContext):
    """Every (path, evidence item) in the record."""
    for index, agreement in ctx.items("agreements"):
        for e_index, evidence in enumerate(agreement.get("evidence") or []):
            yield ("agreements", index, "evidence", e_index), evidence
    outcome = ctx.data.get("outcome") or {}
    for e_index, evidence in enumerate(outcome.get("evidence") or []):
        yield ("outcome", "evidence", e_index), evidence
    rounds = [(("next_round",), ctx.data["next_round"])] if "next_round" in ctx.data else []
    rounds += [(("related_rounds", i), item) for i, item in ctx.items("related_rounds")]
    for path, reference in rounds:
        for e_index, evidence in enumerate(reference.get("evidence") or []):
            yield path + ("evidence", e_index), evidence


@rule("R001", "unknown-reference", ERROR, "A field refers to a party, agenda item, framework or source the record does not define.")
def unknown_reference(ctx: RecordContext):
    """Co-chairs, agreements, evidence and documents refer to parties, agenda items,
    frameworks and sources by id. An id with no definition in the same record is a typo or
    a forgotten entry, and a reader cannot follow it.

    Bad:
        parties: [{id: pk, name: Pakistan, kind: state}]
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pak, role: co-chair}]

    Good:
        parties: [{id: pk, name: Pakistan, kind: state}]
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}]
    """
    parties, agenda = _ids(ctx, "parties"), _ids(ctx, "agenda")
    frameworks, sources = _ids(ctx, "frameworks"), _ids(ctx, "sources")

    def check(path, value, known, what):
        if value not in known:
            defined = sorted(k for k in known if isinstance(k, str))
            hint = did_you_mean(value, defined) or (f"; defined: {', '.join(defined)}" if 0 < len(defined) <= 8 else "")
            return Violation(path, f"{what} {value!r} is not defined in this record{hint}")

    found = []
    for field in ("co_chairs", "participants"):
        for index, person in ctx.items(field):
            if "party" in person:
                found.append(check((field, index, "party"), person["party"], parties, "party"))
    for index, agreement in ctx.items("agreements"):
        for p_index, party in enumerate(agreement.get("parties") or []):
            found.append(check(("agreements", index, "parties", p_index), party, parties, "party"))
        if "agenda_item" in agreement:
            found.append(check(("agreements", index, "agenda_item"), agreement["agenda_item"], agenda, "agenda item"))
        for f_index, framework in enumerate(agreement.get("frameworks") or []):
            found.append(check(("agreements", index, "frameworks", f_index), framework, frameworks, "framework"))
    for index, item in ctx.items("agenda"):
        for f_index, framework in enumerate(item.get("frameworks") or []):
            found.append(check(("agenda", index, "frameworks", f_index), framework, frameworks, "framework"))
    for index, document in ctx.items("documents"):
        for p_index, party in enumerate(document.get("issued_by") or []):
            found.append(check(("documents", index, "issued_by", p_index), party, parties, "party"))
    for path, ids in _source_lists(ctx):
        for s_index, source in enumerate(ids):
            found.append(check(path + (s_index,), source, sources, "source"))
    for path, evidence in evidence_items(ctx):
        found.append(check(path + ("source",), evidence.get("source"), sources, "source"))
    yield from (violation for violation in found if violation)


@rule("R002", "duplicate-id", ERROR, "Two items of the same list share an id.")
def duplicate_id(ctx: RecordContext):
    """Ids inside a record name one party, agenda item, agreement, document, framework or
    source each; a repeated id makes every reference to it ambiguous.

    Bad:
        agenda:
          - {id: trade, topic: Trade, sources: [s1]}
          - {id: trade, topic: GSP+, sources: [s1]}

    Good:
        agenda:
          - {id: trade, topic: Trade, sources: [s1]}
          - {id: gsp-plus, topic: GSP+, sources: [s1]}
    """
    for field in ID_LISTS:
        counts = Counter(item.get("id") for _, item in ctx.items(field))
        seen: set = set()
        for index, item in ctx.items(field):
            identifier = item.get("id")
            if counts[identifier] > 1 and identifier in seen:
                yield Violation((field, index, "id"), f"{field} id {identifier!r} is used more than once")
            seen.add(identifier)


@rule("R003", "caveat-path-unresolved", ERROR, "A caveat's path points at no field of the record.")
def caveat_path_unresolved(ctx: RecordContext):
    """A caveat says that one field was inferred or is disputed; if its JSON Pointer leads
    nowhere (a renumbered list, a renamed field), the warning is attached to nothing.

    Bad:
        dates: {start: 2025-10-25}
        caveats: [{path: /dates/begin, kind: inferred, note: Year from context.}]

    Good:
        dates: {start: 2025-10-25}
        caveats: [{path: /dates/start, kind: inferred, note: Year from context.}]
    """
    for index, caveat in ctx.items("caveats"):
        pointer = caveat.get("path", "")
        if resolve(ctx.data, pointer) is MISSING:
            yield Violation(("caveats", index, "path"), f"caveat path {pointer!r} points at no field of this record")
