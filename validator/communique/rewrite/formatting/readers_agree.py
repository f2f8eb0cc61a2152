"""The formatter's differential check: before a record is written, its new text must load
to the same data under every reader the canonical form is made for, not only under this
tool's own loader, which would agree with itself whatever the formatter wrote.

The readers: this tool (YAML 1.2 core, through libyaml), PyYAML's safe loader (YAML 1.1,
libyaml's C loader where PyYAML has it) and ruamel.yaml's safe loader (YAML 1.2, pure
Python). A reader that disagrees, or cannot read the text at all, stops the write (K002)
with the first place where it differs.
"""

from __future__ import annotations

from typing import Any, Callable

from .errors import Unformattable


def _pyyaml(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _ruamel(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


READERS: list[tuple[str, Callable[[str], Any]]] = [("PyYAML (YAML 1.1)", _pyyaml), ("ruamel.yaml (YAML 1.2)", _ruamel)]


def check_readers_agree(new_text: str, data: Any, position: Callable[[tuple], tuple[int, int]]) -> None:
    """Raise Unformattable unless every reader loads `new_text` as `data` (types compared).
    `position` gives the original file's line and column of a JSON path, for the report."""
    from ...documents.readers import describe

    for name, load in READERS:
        try:
            theirs = load(new_text)
        except Exception as error:  # a reader's own error types, whatever the library
            raise Unformattable(f"{name} cannot read the formatted text ({type(error).__name__}: "
                                f"{str(error).splitlines()[0] if str(error) else ''}); the file is left as it is")
        difference = first_difference(data, theirs)
        if difference is not None:
            path, ours, other = difference
            from ...schema.validation import format_json_path

            line, column = position(path)
            raise Unformattable(f"{name} would read {format_json_path(path)} of the formatted text as "
                                f"{_name(other, describe)}, not {_name(ours, describe)}; the file is left as it is",
                                line, column)


def first_difference(ours: Any, theirs: Any, path: tuple = ()) -> tuple[tuple, Any, Any] | None:
    """The first JSON path where two data differ (types compared: 1, 1.0 and True differ),
    with the two values there, or None when they are the same."""
    if type(ours) is not type(theirs):
        return path, ours, theirs
    if isinstance(ours, dict):
        for key in ours:
            if key not in theirs:
                return path + (key,), ours[key], _Missing()
            found = first_difference(ours[key], theirs[key], path + (key,))
            if found:
                return found
        extra = next((key for key in theirs if key not in ours), None)
        return (path + (extra,), _Missing(), theirs[extra]) if extra is not None else None
    if isinstance(ours, list):
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            found = first_difference(mine, other, path + (index,))
            if found:
                return found
        return (path, ours, theirs) if len(ours) != len(theirs) else None
    return None if ours == theirs else (path, ours, theirs)


class _Missing:
    """No value at all, on one side."""


def _name(value: Any, describe: Callable[[Any], str]) -> str:
    if isinstance(value, _Missing):
        return "missing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return describe(value)
