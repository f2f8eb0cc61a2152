"""The placeholders `communique new` writes where it does not know a value: "TODO: ..."
in text fields, "todo-..." (or "todo") in ids. Rule N004 reports them until they are
filled; nothing else counts them as facts (a person named "TODO: full name" is nobody)."""

from __future__ import annotations

TEXT_PREFIX = "TODO: "
ID_PREFIX = "todo"


def is_placeholder(value) -> bool:
    """True for what `new` writes, and only that: "Todor Zhivkov" is a name, not a placeholder."""
    return isinstance(value, str) and (value.startswith(TEXT_PREFIX.rstrip()) or value == ID_PREFIX
                                       or value.startswith(ID_PREFIX + "-"))


def text(what: str) -> str:
    return TEXT_PREFIX + what


def identifier(what: str = "") -> str:
    return f"{ID_PREFIX}-{what}" if what else ID_PREFIX
