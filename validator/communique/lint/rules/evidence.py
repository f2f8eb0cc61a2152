"""Evidence quotes against the source texts."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from stat import S_ISDIR, S_ISLNK

from ...documents.files import DEFAULT_MAX_SOURCE_BYTES, display_path
from ...documents.placeholders import is_placeholder
from . import ERROR, INFO, WARNING, Violation, rule
from .context import RecordContext
from .references import evidence_items

SOURCE_SUFFIXES = (".txt", ".md", ".text")

_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"}
                        | {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"})
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def normalise(text: str) -> str:
    """Text with white space, quote marks and dashes folded, so that a quote copied from a
    web page matches the source however its typography was rendered."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip()


def quote_found(quote: str, source: "SourceText") -> bool:
    """True when the quote's parts (split at ellipses) appear in the source, in order."""
    if quote in source.raw and "..." not in quote and "\u2026" not in quote:
        return True  # the common case: copied verbatim, no folding needed
    source_text = source.normalised
    position = 0
    for part in _ELLIPSIS.split(normalise(quote)):
        part = part.strip(" \"'")
        if not part:
            continue
        found = source_text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


# How alike (0-100, rapidfuzz's partial ratio) the best passage must be to be shown: below
# it, a passage of a long source is as like the quote as chance makes any text of its words.
CLOSE_ENOUGH = 70


def closest_passage(quote: str, source: "SourceText") -> str:
    """The passage of the source most like the quote, and how they differ, as the tail of a
    message ("" when nothing in the source is close). Runs only when a quote is missing.

    rapidfuzz's partial-ratio alignment finds the passage in compiled code (well under a
    second per quote in a 5 MB source: bench/quotes.py), where difflib's longest-match search
    over the whole source took seconds per quote; difflib then compares the words of that
    short passage alone."""
    import difflib

    from rapidfuzz import fuzz

    wanted, text = normalise(quote), source.normalised
    if not wanted or not text:
        return ""
    alignment = fuzz.partial_ratio_alignment(wanted, text, score_cutoff=CLOSE_ENOUGH)
    if alignment is None or alignment.score < CLOSE_ENOUGH:
        return "; no passage of the source comes close"
    slack = max(8, len(wanted) // 5)  # room for words the quote leaves out; extra ones are trimmed below
    start = max(0, alignment.dest_start - alignment.src_start - slack)
    end = min(len(text), alignment.dest_end + (len(wanted) - alignment.src_end) + slack)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    space = text.find(" ", end)
    end = len(text) if space < 0 else space
    passage_words, quote_words = text[start:end].split(), wanted.split()
    # Align words as a reader compares them: without punctuation or case.
    keys = [_word_key(w) for w in passage_words], [_word_key(w) for w in quote_words]
    opcodes = difflib.SequenceMatcher(None, *keys, autojunk=False).get_opcodes()
    first = opcodes[0][2] if opcodes and opcodes[0][0] == "delete" else 0  # passage words before the quote's first
    last = opcodes[-1][1] if opcodes and opcodes[-1][0] == "delete" else len(passage_words)  # ... after its last
    differences = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            differences += [_difference("case", [a], [b]) for a, b in zip(passage_words[i1:i2], quote_words[j1:j2])
                            if a.strip(_PUNCTUATION) != b.strip(_PUNCTUATION)]
        elif not (tag == "delete" and (i2 <= first or i1 >= last)):
            differences.append(_difference(tag, passage_words[i1:i2], quote_words[j1:j2]))
    passage = " ".join(passage_words[first:last])
    shown = passage if len(passage) <= 200 else passage[:197] + "..."
    listed = "; ".join(differences[:3]) + ("; ..." if len(differences) > 3 else "")
    return f"; closest passage: \u201c{shown}\u201d" + (f" ({listed})" if listed else "")


_PUNCTUATION = "\"'.,;:!?()[]"


def _word_key(word: str) -> str:
    return word.strip(_PUNCTUATION).casefold()


def _difference(tag: str, source_words: list[str], quote_words: list[str]) -> str:
    said, quoted = " ".join(source_words), " ".join(quote_words)
    if tag == "case":
        return f"case differs: the source has '{said.strip(_PUNCTUATION)}', the quote '{quoted.strip(_PUNCTUATION)}'"
    if tag == "replace":
        return f"the source has '{said}' where the quote has '{quoted}'"
    if tag == "delete":
        return f"the quote leaves out '{said}'"
    return f"the quote adds '{quoted}'"


class SourceText:
    """A source's text as read, and (computed on first need) with typography folded."""

    def __init__(self, raw: str):
        self.raw = raw
        self._normalised: str | None = None

    @property
    def normalised(self) -> str:
        if self._normalised is None:
            self._normalised = normalise(self.raw)
        return self._normalised


class Refused:
    """A source text that is not read, and why (Q004): a link out of the sources folder, a
    pipe or a device, a file over the size limit, an id that cannot be a file name."""

    def __init__(self, reason: str):
        self.reason = reason


# Longest file name most file systems allow, in bytes; a source id is a name plus a suffix.
MAX_NAME_BYTES = 255


def _name_problem(source_id: str) -> str | None:
    """Why `source_id` cannot name a file in the sources folder (None when it can): it is
    checked before any path is made of it, so that no id reaches open() that could leave the
    folder or make the system refuse the name."""
    if source_id in (".", "..") or any(c in source_id for c in "/\\\x00"):
        return "contains a path separator or a NUL, or is `.` or `..`"
    try:
        size = len(source_id.encode("utf-8"))
    except UnicodeEncodeError:
        return "is not valid Unicode"
    if size + max(len(suffix) for suffix in SOURCE_SUFFIXES) > MAX_NAME_BYTES:
        return f"is {size} bytes long, too long for a file name ({MAX_NAME_BYTES} bytes with the suffix)"
    return None


@lru_cache(maxsize=256)
def _load_source(folder: str, source_id: str, limit: int = DEFAULT_MAX_SOURCE_BYTES) -> "SourceText | Refused | None":
    """A source's text, read once however many records in a row cite it; Refused when the
    file may not be read; None when there is none. A source text must resolve inside the
    sources folder (a link within it is fine: one out of it could put any file of the
    machine into a report), be a regular file and hold at most `limit` bytes."""
    from ...documents.files import FileTooLarge, NotRegularFile, read_regular, relative_to

    if not isinstance(source_id, str) or not source_id:
        return None
    problem = _name_problem(source_id)
    if problem:
        return Refused(f"the id {problem}; it names no file in {display_path(folder)}")
    for suffix in SOURCE_SUFFIXES:
        path = os.path.join(folder, f"{source_id}{suffix}")
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError):
            continue
        if S_ISLNK(mode):  # a file that is no link lies in the folder: its name has no separator
            if os.path.isdir(path):
                continue
            if os.path.exists(path) and relative_to(os.path.realpath(path), os.path.realpath(folder)) is None:
                return Refused(f"{display_path(path)} is a link to a file outside the sources folder; it is not read")
        elif S_ISDIR(mode):
            continue
        try:
            raw = read_regular(path, limit)
        except FileNotFoundError:
            continue  # a link to nothing: no text
        except NotRegularFile:
            return Refused(f"{display_path(path)} is not a regular file (a pipe or a device); it is not read")
        except FileTooLarge as large:
            return Refused(f"{display_path(path)} is {large.size:,} bytes, over the limit of {limit:,} for a source "
                           "text; raise `max-source-bytes` in the configuration to check quotes against it")
        except OSError as error:
            return Refused(f"{display_path(path)} cannot be read: {error.strerror or error}")
        if len(raw) > limit:  # it grew while it was read
            return Refused(f"{display_path(path)} is over the limit of {limit:,} bytes for a source text; raise "
                           "`max-source-bytes` in the configuration to check quotes against it")
        return SourceText(raw.decode("utf-8", errors="replace"))
    return None


def load_source(folder: str, source_id) -> "SourceText | Refused | None":
    """A source's text from `folder` (read once), under the rules the quote check reads it by."""
    return _load_source(folder, source_id)


def forget_sources() -> None:
    """Read the source texts again on next need: one was edited (the language server runs
    for hours, a `check` for seconds)."""
    _load_source.cache_clear()


@rule("Q001", "quote-not-in-source", ERROR, "An evidence quote is not found in the cited source text.")
def quote_not_in_source(ctx: RecordContext):
    """Evidence is only evidence if the words are in the source. Quotes are compared after
    folding white space, quote marks and dashes; a quote with an ellipsis ("...") matches
    when its parts appear in that order. Runs when the sources folder is known
    (`--sources DIR`, or `sources` in the configuration).

    Bad:
        evidence:
          - {source: 000_977b91af71d6b120, quote: both sides agreed to hold the 8th round in Islamabad}

    Good:
        evidence:
          - {source: 000_977b91af71d6b120, quote: both sides agreed to convene the 8th Round of the Strategic Dialogue in Islamabad}
    """
    if ctx.sources_dir is None:
        return
    for path, evidence in evidence_items(ctx):
        text = _load_source(str(ctx.sources_dir), evidence.get("source", ""), ctx.max_source_bytes)
        if isinstance(text, SourceText) and not quote_found(evidence.get("quote", ""), text):
            yield Violation(path + ("quote",), f"quote not found in source {evidence.get('source')!r}"
                                               f"{closest_passage(evidence.get('quote', ''), text)}")


@rule("Q002", "source-text-missing", WARNING, "A cited source has no text in the sources folder.")
def source_text_missing(ctx: RecordContext):
    """Quotes can only be checked against a source whose text is in the sources folder, as
    `<source id>.txt` (or `.md`). A missing file is a typo in the id or a text not yet added.

    Bad:
        sources: [{id: 000_977b91af71d6b12, kind: news-report}]

    Good:
        sources: [{id: 000_977b91af71d6b120, kind: news-report}]
    """
    for index, source, loaded in _listed_sources(ctx):
        if loaded is None:
            yield Violation(("sources", index, "id"),
                            f"no text for source {source.get('id')!r} in {display_path(ctx.sources_dir)}")


@rule("Q003", "quotes-not-checked", INFO, "Evidence quotes were not checked: no sources folder is set.")
def quotes_not_checked(ctx: RecordContext):
    """Without the source texts the quote check cannot run. This is said once per run,
    rather than letting the check pass silently. Give `--sources DIR`, or set `sources` in
    the configuration.

    Bad:
        # communique lint records/

    Good:
        # communique lint --sources ../shared/seeds records/
    """
    return ()  # reported by the linter itself, once per run


@rule("Q004", "source-text-refused", ERROR, "A source text is not read: it leaves the sources folder, is not a "
      "regular file, is too large, or its id cannot be a file name.")
def source_text_refused(ctx: RecordContext):
    """A source text is read only when it is a regular file inside the sources folder (a
    link to another file of the folder is fine) of at most `max-source-bytes` bytes (10 MB
    unless the configuration says otherwise), and its id can be a file name. A link out of
    the folder could put any file of the machine (a password file, the repository's git
    configuration) into annotations and reports; a pipe could block the check for ever; a
    huge file could exhaust memory. Its quotes are not checked until the text is put right.

    Bad:
        # sources/000_977b91af71d6b120.txt -> /etc/passwd
        sources: [{id: 000_977b91af71d6b120, kind: news-report}]

    Good:
        # sources/000_977b91af71d6b120.txt: the text itself, committed
        sources: [{id: 000_977b91af71d6b120, kind: news-report}]
    """
    for index, source, loaded in _listed_sources(ctx):
        if isinstance(loaded, Refused):
            yield Violation(("sources", index, "id"), f"source text of {source.get('id')!r} refused: {loaded.reason}")


def _listed_sources(ctx: RecordContext):
    """(index, source, its text, Refused or None) for each named source of the record, when
    the sources folder is known; a placeholder id is still to be named (N004 says so)."""
    if ctx.sources_dir is None:
        return
    for index, source in ctx.items("sources"):
        if not is_placeholder(source.get("id")):
            yield index, source, _load_source(str(ctx.sources_dir), source.get("id", ""), ctx.max_source_bytes)
