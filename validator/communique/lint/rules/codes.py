"""Codes from ISO lists: countries, and the party ids states take from them."""

from __future__ import annotations

from functools import lru_cache

from ... import schema
from ...core.hints import did_you_mean
from . import ERROR, Violation, rule
from .context import RecordContext

# Codes people reach for that ISO 3166-1 gives to no country, or to another one.
COMMON_MISTAKES = {"UK": "GB", "EL": "GR"}


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2, as the latest schema lists it (generated from pycountry)."""
    return frozenset(schema.load_cached(schema.LATEST)["$defs"]["iso_3166_alpha2"]["enum"])


@rule("I001", "country-code-unknown", ERROR, "A country code is not an ISO 3166-1 alpha-2 code.")
def country_code_unknown(ctx: RecordContext):
    """The schema checks the form of a country code (two capital letters) and, from 1.1,
    lists the ISO codes for editors; it still accepts any two letters so that 1.0 records
    stay valid. `UK` is the classic slip: the United Kingdom is `GB`.

    Bad:
        venue: {city: London, country: UK}

    Good:
        venue: {city: London, country: GB}
    """
    known = iso_countries()
    for path, code in ctx.places("country"):
        if not isinstance(code, str):
            continue
        if len(code) == 2 and code.isupper() and code not in known:
            hint = (f"; the code for it is {COMMON_MISTAKES[code]!r}" if code in COMMON_MISTAKES
                    else did_you_mean(code, sorted(known)))
            yield Violation(path, f"{code!r} is not an ISO 3166-1 alpha-2 country code{hint}")


@rule("I002", "state-party-id", ERROR, "A state's party id is not its lower-cased country code.")
def state_party_id(ctx: RecordContext):
    """Party ids are shared across the corpus, so that the same state is one party in every
    record; for a state the id is its ISO code in lower case, which nobody spells two ways.

    Bad:
        parties: [{id: china, name: China, kind: state, country: CN}]

    Good:
        parties: [{id: cn, name: China, kind: state, country: CN}]
    """
    for index, party in ctx.items("parties"):
        if party.get("kind") != "state":
            continue
        country = party.get("country")
        if isinstance(country, str):
            if party.get("id") != country.lower():
                yield Violation(("parties", index, "id"), f"state party id {party.get('id')!r} should be "
                                                         f"{country.lower()!r}, its country code in lower case")
        elif isinstance(party.get("id"), str) and party["id"].upper() not in iso_countries():
            yield Violation(("parties", index, "id"), f"state party id {party['id']!r} is not a country code; "
                                                     "give the state's country and use its code in lower case")


@rule("I003", "organisation-with-country", ERROR, "An organisation is given a country code.")
def organisation_with_country(ctx: RecordContext):
    """A country code says which state a party is, or which state an authority governs; an
    international organisation is neither, so its party would be counted as that country in
    every table and on the site. Usually the code of its seat or of a member was copied in.

    Bad:
        parties: [{id: eu, name: European Union, kind: organisation, country: BE}]

    Good:
        parties: [{id: eu, name: European Union, kind: organisation}]
    """
    for path, code in ctx.places("country"):
        holder = ctx.data
        for step in path[:-1]:
            holder = holder[step]
        if isinstance(holder, dict) and holder.get("kind") == "organisation":
            yield Violation(path, f"{holder.get('name') or holder.get('id')!r} is an organisation, not a state; "
                                  f"remove its country code {code!r}")
