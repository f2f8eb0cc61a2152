"""The passage of a source around a quote, so that a reviewer checks a changed fact
against its source without opening it."""

from __future__ import annotations

from ..lint.rules.evidence import SourceText, load_source, normalise

AROUND = 120  # characters of the source shown on each side of the quote


def passage_finder(folder: str):
    """A function from an evidence item ({"source", "quote"}) to the source's text around
    the quote, or None when the source is not in `folder` or the quote is not found in it."""

    def passage(item: dict) -> str | None:
        source = load_source(folder, item.get("source"))
        quote = normalise(str(item.get("quote") or "")).split("...")[0].strip(" \"'")
        if not isinstance(source, SourceText) or not quote:  # none, or refused (Q004)
            return None
        text = source.normalised
        at = text.find(quote)
        if at < 0:
            return None
        start, end = max(0, at - AROUND), min(len(text), at + len(quote) + AROUND)
        start = text.find(" ", start) + 1 if start else 0
        stop = text.rfind(" ", at + len(quote), end) if end < len(text) else end
        return ("..." if start else "") + text[start:stop if stop > 0 else end].strip() + \
            ("..." if end < len(text) else "")

    return passage
