"""What the common YAML readers make of a plain (unquoted) scalar.

Records are read by more than this tool: PyYAML (YAML 1.1, the most used YAML library in
Python), ruamel.yaml (YAML 1.2, with extras of its own: `1__0` and timestamps), editors
(YAML 1.2) and JSON tools. A plain scalar is safe to write only when every one of them
reads it as the string written; `communique fmt` quotes the others, and rule A001 reports
the ones a hand-written record leaves plain where YAML 1.1 and 1.2 disagree.

Each reader's own resolver decides, so that what is "safe" is what those libraries do,
not a list kept here: PyYAML's `Resolver` for YAML 1.1 (plus the one-letter booleans
`y`/`n` of the 1.1 specification, which PyYAML leaves out but other 1.1 readers honour),
ruamel.yaml's `VersionedResolver` for its YAML 1.2, and this tool's loader for YAML 1.2
core.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .scalars import _NotJson, resolve_plain

STR = "str"
# Booleans of the YAML 1.1 specification (https://yaml.org/type/bool.html) that PyYAML
# does not resolve; a 1.1 reader that follows the specification does.
SPEC_ONLY_BOOLEANS = {"y": True, "Y": True, "n": False, "N": False}


@lru_cache(maxsize=4096)
def yaml11_tag(text: str) -> str:
    """The type a YAML 1.1 reader gives the plain scalar `text`: str, bool, int, float,
    null, timestamp, merge (`<<`) or value (`=`)."""
    if text in SPEC_ONLY_BOOLEANS:
        return "bool"
    from yaml.nodes import ScalarNode
    from yaml.resolver import Resolver

    return Resolver().resolve(ScalarNode, text, (True, False)).rsplit(":", 1)[-1]


@lru_cache(maxsize=4096)
def ruamel_tag(text: str) -> str:
    """The type ruamel.yaml (YAML 1.2, its safe and round-trip loaders) gives the plain scalar."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    tag = VersionedResolver(version=(1, 2)).resolve(ScalarNode, text, (True, False))
    return str(tag).rsplit(":", 1)[-1] if tag is not None else STR  # a Tag object in ruamel.yaml 0.18+


def yaml12_value(text: str) -> Any:
    """The value YAML 1.2 core (this tool, editors) gives the plain scalar; a _NotJson
    number is returned as its text, which is what matters here (it is not a string)."""
    try:
        return resolve_plain(text)
    except _NotJson:
        return float("nan")


def yaml11_value(text: str) -> Any:
    """The value a YAML 1.1 reader (PyYAML) gives the plain scalar `text`."""
    tag = yaml11_tag(text)
    if tag == STR:
        return text
    if text in SPEC_ONLY_BOOLEANS:
        return SPEC_ONLY_BOOLEANS[text]
    if tag in ("merge", "value"):
        return _Special(tag)
    import yaml

    try:
        return yaml.safe_load(text)
    except Exception:  # PyYAML resolves `2025-02-30` as a date, then fails to build one
        return _Special(tag)


def reads_alike(text: str) -> bool:
    """True when YAML 1.2 core, YAML 1.1 (PyYAML and the specification) and ruamel.yaml all
    read the plain scalar `text` as the string `text`."""
    value = yaml12_value(text)
    return isinstance(value, str) and value == text and yaml11_tag(text) == STR and ruamel_tag(text) == STR


@lru_cache(maxsize=8192)  # records repeat their words, ids and codes
def versions_disagree(text: str) -> tuple[Any, Any] | None:
    """(YAML 1.2 value, YAML 1.1 value) when the two versions read the plain scalar
    differently (types compared too: 1 and True differ), else None."""
    if not text or text[0] not in YAML11_STARTS:
        return None  # no YAML 1.1 resolver starts with another character
    new, old = yaml12_value(text), yaml11_value(text)
    if type(new) is type(old) and (new == old or new != new and old != old):
        return None
    return new, old


def describe(value: Any) -> str:
    """A value as a message names it: "the string 'NO'", "false", "a date"."""
    import datetime

    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, datetime.datetime):
        return "a timestamp"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, _Special):
        names = {"merge": "a merge key", "value": "a value key"}
        return names.get(value.tag, f"a {value.tag} it cannot read (an error)")
    if isinstance(value, float) and value != value:
        return "a number JSON cannot hold"
    return f"the number {value!r}"


class _Special:
    """What `<<` and `=` are to a YAML 1.1 reader: keys with a meaning, not strings."""

    def __init__(self, tag: str):
        self.tag = tag

    def __eq__(self, other) -> bool:
        return isinstance(other, _Special) and other.tag == self.tag

    __hash__ = None


# The first characters of everything PyYAML's 1.1 resolvers (and the y/n booleans) match.
YAML11_STARTS = frozenset("0123456789+-._~<=yYnNtTfFoO")
