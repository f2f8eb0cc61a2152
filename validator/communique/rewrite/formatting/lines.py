"""The lines of a text, under one definition of a line break.

ruamel.yaml, the loader and Python's str.splitlines each count lines their own way; every
line number and column the formatter uses is counted here from a character offset, so that
comments, entries and blank lines are placed against the same lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class Mark(NamedTuple):
    index: int  # character offset
    line: int  # 0-based
    column: int  # 0-based


class Lines:
    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_BREAKS.finditer(text)]  # offset of each line

    def line_of(self, index: int) -> int:
        return bisect_right(self.starts, index) - 1

    def mark(self, mark) -> Mark:
        """Line and column of a ruamel mark, from its character offset."""
        line = self.line_of(mark.index)
        return Mark(mark.index, line, mark.index - self.starts[line])

    def text_of(self, line: int) -> str:
        """The line without its line break."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n\x85\u2028\u2029")

    def last_line(self, start: Mark, end: Mark, *, trim_blank: bool) -> int:
        """The last line of what spans from `start` to `end` (an end at the start of a line
        belongs to the line before); with `trim_blank`, blank lines at the end, which follow
        a block scalar but are not its text, do not count."""
        line = end.line if end.column > 0 or end.line == start.line else end.line - 1
        if trim_blank:
            while line > start.line and not self.text_of(line).strip():
                line -= 1
        return line
