"""How one value is written: plain where every common reader reads it back as itself,
else double-quoted.

A string is plain only where YAML 1.2 core (this tool, editors), YAML 1.1 (PyYAML, and the
specification's y/n booleans), ruamel.yaml and libyaml all read the plain text back as the
same string (communique.documents.readers decides); so `NO`, `yes`, `1__0`, `1:20`, `2025-11-21`, `<<`
and `=` are quoted. A string of several lines is a literal block when one can hold it
exactly. Control and invisible characters are escaped, so that what a record holds can be
seen, and NEL and the Unicode line and paragraph separators, which YAML 1.1 readers take
for line breaks, are never written as themselves.
"""

from __future__ import annotations

from typing import Any

from ...documents.readers import reads_alike
from .errors import Unformattable

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = frozenset(",[]{}:")
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def scalar(value: Any, *, flow: bool) -> str:
    """`value` on one line, in block context or (with `flow`) inside [...]."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unformattable(f"number {value} cannot be written as JSON data")
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        # YAML 1.1 readers take a number for a float only with a point in it (`5e-324` is a
        # string to PyYAML), and Python writes the exponent with its sign, as 1.1 wants.
        return text if not e or "." in mantissa else f"{mantissa}.0e{exponent}"
    if isinstance(value, str):
        return value if _plain_ok(value, flow=flow) else double_quoted(value)
    raise Unformattable(f"unexpected value of type {type(value).__name__}")


def literal_ok(value: Any) -> bool:
    """A string of several lines that a literal block scalar (`|` or `|-`) writes exactly
    and legibly: no trailing white space on a line, no tab, no invisible character, a first
    line that does not start with a space (which would need an indentation indicator), and
    at most one newline at the end."""
    if not isinstance(value, str) or "\n" not in value.rstrip("\n") or value.endswith("\n\n"):
        return False
    body = value[:-1] if value.endswith("\n") else value
    lines = body.split("\n")
    if not all(_printable(char) for line in lines for char in line):
        return False
    if any(line != line.rstrip(" ") for line in lines):
        return False
    first = next(line for line in lines if line)
    return not first.startswith(" ")


def _printable(char: str) -> bool:
    """Shown as itself inside double quotes: a YAML 1.2 printable character, but not NEL or
    the line and paragraph separators (line breaks to YAML 1.1 readers) nor a BOM (invisible
    inside text). Anything else is escaped."""
    return char == " " or (char.isprintable() and char not in "\x85\u2028\u2029\ufeff")


def _plain_ok(text: str, *, flow: bool) -> bool:
    """True when `text`, unquoted, reads back as the same string to every common reader
    (see communique.documents.readers), in block context or (with `flow`) inside [...]."""
    if not text or text != text.strip(" ") or not all(map(_printable, text)):
        return False
    first = text[0]
    if first in _INDICATORS and not (first == "-" and len(text) > 1 and text[1] != " "):
        return False
    if ": " in text or " #" in text or text.endswith(":") or text in ("---", "...") \
            or text.startswith(("--- ", "... ")):
        return False
    if flow and any(char in _FLOW_UNSAFE for char in text):
        return False
    return reads_alike(text)


def double_quoted(text: str) -> str:
    """`text` in double quotes, with escapes for whatever is not shown as itself."""
    out = ['"']
    for char in text:
        if char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif _printable(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    out.append('"')
    return "".join(out)
