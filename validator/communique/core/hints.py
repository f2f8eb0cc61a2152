"""Suggestions for what the user probably meant: one place, so that every message that
offers a "did you mean" offers it the same way."""

from __future__ import annotations

from typing import Iterable


def closest(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate closest to `value`, if one is close enough; a match that differs only
    in case always counts."""
    import difflib  # only when there is something to suggest

    options = [c for c in candidates if isinstance(c, str)]
    folded = {c.casefold(): c for c in options}
    if value.casefold() in folded and folded[value.casefold()] != value:
        return folded[value.casefold()]
    matches = difflib.get_close_matches(value, options, n=1, cutoff=cutoff)
    if matches:
        return matches[0]
    matches = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[matches[0]] if matches else None


def did_you_mean(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """"; did you mean 'x'?" for the closest candidate, or "" when none is close."""
    if not isinstance(value, str):
        return ""
    match = closest(value, candidates, cutoff=cutoff)
    return f"; did you mean {match!r}?" if match is not None and match != value else ""


def did_you_mean_aside(value: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """" (did you mean 'x'?)" for the closest candidate, or "": for a message that goes on
    after the suggestion, where "; did you mean 'x'?; ..." would read as a stray `;`."""
    hint = did_you_mean(value, candidates, cutoff=cutoff)
    return f" ({hint[2:]})" if hint else ""
