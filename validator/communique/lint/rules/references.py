"""References inside one record: every id used is defined, and defined once."""

from __future__ import annotations

from collections import Counter

from ...core.hints import did_you_mean
from ...documents.pointer import MISSING, positional_steps, resolve
from . import ERROR, WARNING, Violation, rule
from .context import RecordContext

# Lists whose items carry an id that other fields refer to.
ID_LISTS = ("parties", "agenda", "agreements", "documents", "frameworks", "sources", "side_events", "statements")


def _ids(ctx: RecordContext, field: str) -> set[str]:
    return {item.get("id") for _, item in ctx.items(field)}


def _source_lists(ctx: RecordContext):
    """Every (path, list of source ids) in the record: every `sources` below the top level,
    where the record's own sources are defined."""
    return [(path, ids) for path, ids in ctx.places("sources") if isinstance(ids, list)]


def evidence_items(ctx: RecordContext):
    """Every (path, evidence item) in the record, wherever its schema lets a field carry evidence."""
    return [(path + (index,), evidence) for path, items in ctx.places("evidence") if isinstance(items, list)
            for index, evidence in enumerate(items) if isinstance(evidence, dict)]


def _party_references(ctx: RecordContext):
    """Every (path, party id) that must name a party of this record."""
    data = ctx.data
    for field in ("co_chairs", "participants"):
        for index, person in ctx.items(field):
            if "party" in person:
                yield (field, index, "party"), person["party"]
    for index, agreement in ctx.items("agreements"):
        for p_index, party in enumerate(agreement.get("parties") or []):
            yield ("agreements", index, "parties", p_index), party
    for index, document in ctx.items("documents"):
        for p_index, party in enumerate(document.get("issued_by") or []):
            yield ("documents", index, "issued_by", p_index), party
    for p_index, party in enumerate((data.get("convened_by") or {}).get("parties") or []):
        yield ("convened_by", "parties", p_index), party
    for index, party in ctx.items("parties"):
        for m_index, organisation in enumerate(party.get("member_of") or []):
            yield ("parties", index, "member_of", m_index), organisation
    for index, delegation in ctx.items("delegations"):
        if "party" in delegation:
            yield ("delegations", index, "party"), delegation["party"]
        for m_index, member in enumerate(delegation.get("members") or []):
            if "party" in member:
                yield ("delegations", index, "members", m_index, "party"), member["party"]
    for index, event in ctx.items("side_events"):
        for p_index, party in enumerate(event.get("parties") or []):
            yield ("side_events", index, "parties", p_index), party
    for index, proposal in enumerate((data.get("outcome") or {}).get("pending") or []):
        for p_index, party in enumerate(proposal.get("by") or []):
            yield ("outcome", "pending", index, "by", p_index), party
    yield from _parties_apart(ctx)
    for index, statement in ctx.items("statements"):
        if "party" in statement:
            yield ("statements", index, "party"), statement["party"]
    for p_index, party in enumerate((data.get("status_change") or {}).get("by") or []):
        yield ("status_change", "by", p_index), party


def _parties_apart(ctx: RecordContext):
    """Every (path, party id) that an agreement names as not joining it (schema 1.2): its
    dissenting parties and the members excepted from it."""
    for index, agreement in ctx.items("agreements"):
        for d_index, dissent in enumerate(agreement.get("dissent") or []):
            for p_index, party in enumerate(dissent.get("parties") or []):
                yield ("agreements", index, "dissent", d_index, "parties", p_index), party
        for e_index, exception in enumerate(agreement.get("except") or []):
            for p_index, party in enumerate(exception.get("parties") or []):
                yield ("agreements", index, "except", e_index, "parties", p_index), party


@rule("R001", "unknown-reference", ERROR,
      "A field refers to a party, agenda item, document, framework or source the record does not define.")
def unknown_reference(ctx: RecordContext):
    """Co-chairs, agreements, evidence, documents and statements refer to parties, agenda
    items, documents, frameworks and sources by id: among them (schema 1.2) the parties that
    dissented from an agreement or were excepted from it, the party that issued a statement,
    and the parties that cancelled or postponed the meeting (`status_change.by`). An id with
    no definition in the same record is a typo or a forgotten entry, and a reader cannot
    follow it.

    Bad:
        parties: [{id: pk, name: Pakistan, kind: state}]
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pak, role: co-chair}]

    Good:
        parties: [{id: pk, name: Pakistan, kind: state}]
        co_chairs: [{person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}]
    """
    parties, agenda = _ids(ctx, "parties"), _ids(ctx, "agenda")
    frameworks, sources = _ids(ctx, "frameworks"), _ids(ctx, "sources")
    documents = _ids(ctx, "documents")

    def check(path, value, known, what):
        if value not in known:
            defined = sorted(k for k in known if isinstance(k, str))
            hint = did_you_mean(value, defined) or (f"; defined: {', '.join(defined)}" if 0 < len(defined) <= 8 else "")
            return Violation(path, f"{what} {value!r} is not defined in this record{hint}")

    found = [check(path, party, parties, "party") for path, party in _party_references(ctx)]
    for index, agreement in ctx.items("agreements"):
        payers = parties | {third.get("id") for third in agreement.get("third_parties") or []}
        for a_index, amount in enumerate(agreement.get("amounts") or []):
            if "by" in amount:
                found.append(check(("agreements", index, "amounts", a_index, "by"), amount["by"], payers,
                                   "party or third party"))
        if "agenda_item" in agreement:
            found.append(check(("agreements", index, "agenda_item"), agreement["agenda_item"], agenda, "agenda item"))
        for i_index, item in enumerate(agreement.get("agenda_items") or []):
            found.append(check(("agreements", index, "agenda_items", i_index), item, agenda, "agenda item"))
        if "document" in agreement:
            found.append(check(("agreements", index, "document"), agreement["document"], documents, "document"))
        for f_index, framework in enumerate(agreement.get("frameworks") or []):
            found.append(check(("agreements", index, "frameworks", f_index), framework, frameworks, "framework"))
    for index, item in ctx.items("agenda"):
        for f_index, framework in enumerate(item.get("frameworks") or []):
            found.append(check(("agenda", index, "frameworks", f_index), framework, frameworks, "framework"))
    kinds = {party.get("id"): party.get("kind") for _, party in ctx.items("parties")}
    for index, party in ctx.items("parties"):
        for m_index, organisation in enumerate(party.get("member_of") or []):
            if organisation == party.get("id") or kinds.get(organisation, "organisation") != "organisation":
                found.append(Violation(("parties", index, "member_of", m_index),
                                       f"party {party.get('id')!r} cannot be a member of {organisation!r}: "
                                       "member_of names an organisation of this record, other than the party"))
    for f_index, framework in enumerate(ctx.data.get("held_under") or []):
        found.append(check(("held_under", f_index), framework, frameworks, "framework"))
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
    parties = _ids(ctx, "parties")
    for index, agreement in ctx.items("agreements"):
        for t_index, third in enumerate(agreement.get("third_parties") or []):
            if third.get("id") in parties:
                yield Violation(("agreements", index, "third_parties", t_index, "id"),
                                f"third party id {third['id']!r} is also a party of this record: an amount "
                                "`by` it could mean either")


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
        if resolve(ctx.data, pointer, by_id=ctx.data.get("schema_version") != "1.0") is MISSING:
            yield Violation(("caveats", index, "path"), f"caveat path {pointer!r} points at no field of this record")


@rule("R004", "positional-caveat-path", WARNING, "A caveat names a list item that has an id by its position.")
def positional_caveat_path(ctx: RecordContext):
    """`/agreements/19/parties` follows whatever agreement is twentieth: move one up and the
    caveat silently speaks of another. From schema 1.1 a path may name the item by its id,
    which stays with the item; `communique migrate` rewrites such paths.

    Bad:
        schema_version: "1.1"
        caveats: [{path: /agreements/0/parties, kind: inferred, note: Parties from context.}]

    Good:
        schema_version: "1.1"
        caveats: [{path: /agreements/deepen-sep-cooperation/parties, kind: inferred, note: Parties from context.}]
    """
    if ctx.data.get("schema_version") == "1.0":
        return  # 1.0 has no id paths: nothing better to suggest before `communique migrate`
    for index, caveat in ctx.items("caveats"):
        pointer = caveat.get("path", "")
        for position, identifier in positional_steps(ctx.data, pointer):
            yield Violation(("caveats", index, "path"),
                            f"caveat path {pointer!r} names item {position} by its position; name it by its id "
                            f"{identifier!r} so that the caveat stays with it when the list is reordered")


@rule("R005", "dissenter-also-agreed", ERROR,
      "A party that dissented from an agreement, or was excepted from it, is also among its parties.")
def dissenter_also_agreed(ctx: RecordContext):
    """An agreement's `parties` are the sides that agreed; a party under its `dissent`
    (objected, entered a reservation, abstained) or its `except` (a member of an
    organisation that did not join) did not (schema 1.2). Listed in both, the record says
    two opposite things: usually the agreement's parties were copied from the record's
    whole list. An agreement "by all members except two" lists the organisation (or the
    members that joined) as its parties, and the two under except.

    Bad:
        agreements:
          - id: reform-paragraphs
            parties: [g20, ru, cn]
            except: [{parties: [ru, cn], as_stated: all members except Russia and China}]

    Good:
        agreements:
          - id: reform-paragraphs
            parties: [g20]
            except: [{parties: [ru, cn], as_stated: all members except Russia and China}]
    """
    for path, party in _parties_apart(ctx):
        agreement = ctx.data["agreements"][path[1]]
        if party in (agreement.get("parties") or []):
            field = "dissented from" if path[2] == "dissent" else "is excepted from"
            yield Violation(path, f"party {party!r} {field} agreement {agreement.get('id')!r} but is also among "
                                  "its parties")
