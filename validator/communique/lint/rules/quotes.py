"""Evidence that cannot be evidence: quotes too short to place, and the same quote twice.

Q001 checks that a quote is in its source; these check that finding it there would mean
something. A quote made of common words ("the", "Both ... the") or of nothing but an
ellipsis is found in any source, so it proves nothing, and an evidence list that gives the
same quote of the same source twice holds a copy where a second quote was meant.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import ERROR, WARNING, Violation, rule
from .context import RecordContext

ELLIPSIS = re.compile(r"\.\.\.|\u2026")
WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English stop words, from the stop-words package (loaded on first use)."""
    from stop_words import get_stop_words

    return frozenset(get_stop_words("english"))


def _has_telling_word(part: str) -> bool:
    """Whether `part` has a word that is not a common English word."""
    common = common_words()
    return any(word.replace("\u2019", "'") not in common for word in WORD.findall(part.lower()))


def _parts(quote: str) -> list[str]:
    """The parts of a quote between ellipses; one at either end only marks a cut there."""
    parts = [part.strip() for part in ELLIPSIS.split(quote)]
    if parts and not parts[0]:
        parts = parts[1:]
    if parts and not parts[-1]:
        parts = parts[:-1]
    return parts


def _quotes(ctx: RecordContext):
    """(json path, evidence list) of every evidence list in the record."""
    for path, evidence in ctx.places("evidence"):
        if isinstance(evidence, list):
            yield path, evidence


@rule("Q005", "quote-too-short", ERROR, "An evidence quote is too short or too common to place in a source.")
def quote_too_short(ctx: RecordContext):
    """Evidence is a quote that states the fact, so that a reader finds the passage. A quote
    made only of common words ("the", "Both ... the", "..."), or with a part between
    ellipses that is a single common word or none (the "the" of "terrorism ... the"),
    matches nearly any text: Q001 passes it and it shows nothing. Common words are the
    English list of the stop-words package; a quote needs a word that is not on it, and
    each part between ellipses one such word or at least two words.

    Bad:
        evidence: [{source: s1, quote: "Both ... the"}]

    Good:
        evidence: [{source: s1, quote: "Both sides condemned terrorism in all its forms"}]
    """
    for path, evidence in _quotes(ctx):
        for index, item in enumerate(evidence):
            quote = item.get("quote") if isinstance(item, dict) else None
            if not isinstance(quote, str):
                continue
            parts = _parts(quote)
            telling = [_has_telling_word(part) for part in parts]
            if not any(telling):
                yield Violation(path + (index, "quote"),
                                f"quote {quote!r} has no word beyond common ones, so it would be found in almost "
                                "any source; quote the telling words of the passage")
                continue
            bare = next((part for part, told in zip(parts, telling) if not told and len(WORD.findall(part)) < 2),
                        None)
            if bare is not None:
                shown = f"part {bare!r}" if bare else "empty part"
                yield Violation(path + (index, "quote"),
                                f"quote {quote!r}: its {shown} between ellipses is one common word at most and "
                                "matches anywhere; quote telling words there or leave the part out")


@rule("Q006", "duplicate-evidence", WARNING, "An evidence list gives the same quote of the same source twice.")
def duplicate_evidence(ctx: RecordContext):
    """Each item of an evidence list is one more place that states the fact; the same quote
    of the same source twice adds nothing and is usually a copy made where a second source,
    or a second passage, was meant.

    Bad:
        evidence:
          - {source: s1, quote: "agreed to hold the next round in Oslo"}
          - {source: s1, quote: "agreed to hold the next round in Oslo"}

    Good:
        evidence:
          - {source: s1, quote: "agreed to hold the next round in Oslo"}
          - {source: s2, quote: "the next round will be held in Oslo"}
    """
    for path, evidence in _quotes(ctx):
        seen: dict[tuple, int] = {}
        for index, item in enumerate(evidence):
            if not isinstance(item, dict):
                continue
            key = (item.get("source"), " ".join(str(item.get("quote")).split()))
            if key in seen:
                yield Violation(path + (index,), f"evidence item {index + 1} repeats item {seen[key] + 1} "
                                                 f"(the same quote of {item.get('source')!r}); remove one, or "
                                                 "quote another passage")
            else:
                seen[key] = index
