"""Who led each side."""

from __future__ import annotations

from . import ERROR, WARNING, Violation, rule
from .context import RecordContext

LEADING_ROLES = {None, "participant", "host"}


@rule("C001", "side-without-chair", WARNING, "A participating party has no co-chair or head of delegation.")
def side_without_chair(ctx: RecordContext):
    """Every side that took part was led by someone; a party with nobody under co_chairs is
    usually a person the encoder missed. Two kinds of party need no chair of their own
    (schema 1.2): an organisation that takes part through its member states, listed as
    parties with `member_of` it (the GCC through its six states), and any party of a record
    whose sources name no heads at all, which says so once with `heads_named: false`. When
    the sources name no one for one side only, suppress the finding on that party's line
    and say so.

    Bad:
        parties:
          - {id: pk, name: Pakistan, kind: state}
          - {id: eu, name: European Union, kind: organisation}
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}

    Good:
        parties:
          - {id: pk, name: Pakistan, kind: state}
          - {id: eu, name: European Union, kind: organisation}
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}
          - {person_id: kaja-kallas, name: Kaja Kallas, title: High Representative, party: eu, role: co-chair}
    """
    if ctx.data.get("heads_named") is False:
        return  # the sources name no heads: nothing to look for on any side
    led = {chair.get("party") for _, chair in ctx.items("co_chairs")}
    represented = {organisation for _, party in ctx.items("parties") for organisation in party.get("member_of") or []}
    for index, party in ctx.items("parties"):
        roles = party.get("roles") or [party.get("role")]
        is_a_side = all(role in LEADING_ROLES for role in roles) and not party.get("unnamed")  # nobody to name
        if is_a_side and party.get("id") not in led and party.get("id") not in represented:
            yield Violation(("parties", index), f"party {party.get('id')!r} has no co-chair or head of delegation")


@rule("C002", "chair-of-both-sides", ERROR, "One person leads more than one party.")
def chair_of_both_sides(ctx: RecordContext):
    """A person speaks for one side of a meeting; the same person id under co_chairs for two
    parties is a copied entry whose person or party was not changed. (A chair of the whole
    meeting is listed once, with role chair.)

    Bad:
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: eu, role: co-chair}

    Good:
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}
          - {person_id: kaja-kallas, name: Kaja Kallas, title: High Representative, party: eu, role: co-chair}
    """
    chairs = ctx.items("co_chairs")
    for index, chair, first in _second_of(chairs, lambda c: c.get("person_id"), lambda c: c.get("party")):
        yield Violation(("co_chairs", index, "party"),
                        f"{chair.get('name') or chair.get('person_id')!r} already leads party {first!r}; "
                        f"one person cannot also lead {chair.get('party')!r}")


@rule("C003", "side-with-two-co-chairs", WARNING, "One party has more than one co-chair.")
def side_with_two_co_chairs(ctx: RecordContext):
    """Co-chairs share the chair between sides, one for each; two co-chairs from one party
    usually means the other side's co-chair was given this side's party id. When a side
    really had two, suppress the finding on the second and say why.

    Bad:
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}
          - {person_id: kaja-kallas, name: Kaja Kallas, title: High Representative, party: pk, role: co-chair}

    Good:
        co_chairs:
          - {person_id: ishaq-dar, name: Ishaq Dar, title: Foreign Minister, party: pk, role: co-chair}
          - {person_id: kaja-kallas, name: Kaja Kallas, title: High Representative, party: eu, role: co-chair}
    """
    co_chairs = [(index, chair) for index, chair in ctx.items("co_chairs") if chair.get("role") == "co-chair"]
    for index, chair, first in _second_of(co_chairs, lambda c: c.get("party"),
                                          lambda c: c.get("name") or c.get("person_id")):
        yield Violation(("co_chairs", index, "party"),
                        f"party {chair.get('party')!r} already has a co-chair ({first!r}); co-chairs lead "
                        "different sides, so this one probably belongs to another party")


def _second_of(items, key, value):
    """(index, item, the first value) for each item whose key an earlier item had with
    another value: one person under two parties, one party with two co-chairs."""
    first: dict = {}
    for index, item in items:
        seen = first.setdefault(key(item), value(item))
        if value(item) != seen:
            yield index, item, seen
