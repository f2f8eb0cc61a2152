"""Who led each side."""

from __future__ import annotations

from . import WARNING, Violation, rule
from .context import RecordContext

LEADING_ROLES = {None, "participant", "host"}


@rule("C001", "side-without-chair", WARNING, "A participating party has no co-chair or head of delegation.")
def side_without_chair(ctx: RecordContext):
    """Every side that took part was led by someone; a party with nobody under co_chairs is
    usually a person the encoder missed. When the sources name no one, suppress the finding
    on that party's line and say so.

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
    led = {chair.get("party") for _, chair in ctx.items("co_chairs")}
    for index, party in ctx.items("parties"):
        roles = party.get("roles") or [party.get("role")]
        is_a_side = all(role in LEADING_ROLES for role in roles) and not party.get("unnamed")  # nobody to name
        if is_a_side and party.get("id") not in led:
            yield Violation(("parties", index), f"party {party.get('id')!r} has no co-chair or head of delegation")
