"""Unformattable: how every step of the formatter gives up on a file, and where.

The file is then left untouched and reported as K002 at that line and column.
"""

from __future__ import annotations


class Unformattable(Exception):
    """The file cannot be formatted safely; the message says why."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column

    @classmethod
    def at(cls, message: str, mark) -> "Unformattable":
        """At a 0-based position (a lines.Mark), reported 1-based."""
        return cls(message, mark.line + 1, mark.column + 1)
