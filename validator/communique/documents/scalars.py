"""YAML 1.2's core schema for plain (unquoted) scalars, and JSON's names for types: what every
reader here uses to turn text into values the way editors and ruamel.yaml do."""

from __future__ import annotations

import re
from typing import Any

from .limits import MAX_INT_DIGITS

# YAML 1.2 core schema: how a plain (unquoted) scalar resolves.
_SPECIAL_PLAIN = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}
_INT_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCTAL = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INFINITY = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_NUMERIC_START = frozenset("0123456789+-.")


class _NotJson(Exception):
    """A plain scalar that YAML 1.2 resolves to a value JSON cannot hold."""


def resolve_plain(value: str) -> Any:
    """The value of an unquoted scalar under the YAML 1.2 core schema."""
    if value in _SPECIAL_PLAIN:
        return _SPECIAL_PLAIN[value]
    if value[0] not in _NUMERIC_START:
        return value
    if _INT_DECIMAL.match(value):
        if len(value) > MAX_INT_DIGITS:
            raise _NotJson(f"integer of {len(value)} digits is too long (limit {MAX_INT_DIGITS}); quote it")
        return int(value)
    if _INT_OCTAL.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise _NotJson(f"number {value} overflows to infinity; quote it")
        return number
    if _INFINITY.match(value) or _NAN.match(value):
        raise _NotJson(f"{value} is not a number JSON can hold; quote it")
    return value


def json_type(value: Any) -> str:
    """JSON's name for the type of `value`, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"
