"""What a change says about the world: two sets of records compared fact by fact.

Records are matched by their `id`, list items by theirs (or by the field that names them:
a person, a party, a source), never by position, so that moving a list item, re-ordering
keys or re-quoting a value (everything `fmt` does) is no change at all. A record whose id
changed while its content stayed is a rename, not one meeting removed and another added.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# The field that names an item of a list, tried in this order: the first that every item on
# both sides has, with no value twice, keys the list.
ITEM_KEYS = ("id", "person_id", "party", "source", "name", "kind")


@dataclass(frozen=True)
class Step:
    """One step of a fact's path: a key of a mapping, or the item of a list it names."""

    key: str
    item: str | None = None  # the value of the naming field, for an item of a list

    def __str__(self) -> str:
        return self.key if self.item is None else f"[{self.item}]"


@dataclass
class Change:
    """One fact added, removed or changed in one record."""

    kind: str  # "added", "removed" or "changed"
    path: tuple[Step, ...]
    old: Any = None
    new: Any = None
    evidence: list[dict] = field(default_factory=list)  # {"source", "quote"} backing the fact
    sources: list[str] = field(default_factory=list)  # the sources the fact's part cites

    @property
    def where(self) -> str:
        return "".join(("." if i and step.item is None else "") + str(step) for i, step in enumerate(self.path))


@dataclass
class RecordChange:
    """A record's part in the difference: added, removed, renamed or changed (with its facts)."""

    kind: str  # "added", "removed", "renamed" or "changed"
    id: str
    path: str  # the record's file (the new one, but for a removed record)
    old_id: str | None = None  # for a rename
    old_path: str | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass
class Record:
    id: str
    path: str
    data: dict


def compare_sets(old: list[Record], new: list[Record]) -> list[RecordChange]:
    """Every record added, removed, renamed or changed from `old` to `new`, by id."""
    old_by_id, new_by_id = {r.id: r for r in old}, {r.id: r for r in new}
    result: list[RecordChange] = []
    gone = [r for r in old if r.id not in new_by_id]
    came = [r for r in new if r.id not in old_by_id]
    renamed_from: dict[str, Record] = {}
    for before in gone:
        match = next((after for after in came if after.id not in renamed_from
                      and _without_id(after.data) == _without_id(before.data)), None)
        if match is not None:
            renamed_from[match.id] = before
    for record in new:
        if record.id in old_by_id:
            changes = compare_records(old_by_id[record.id].data, record.data)
            if changes:
                result.append(RecordChange("changed", record.id, record.path, changes=changes))
        elif record.id in renamed_from:
            before = renamed_from[record.id]
            result.append(RecordChange("renamed", record.id, record.path, old_id=before.id, old_path=before.path))
        else:
            result.append(RecordChange("added", record.id, record.path))
    renamed = {r.id for r in renamed_from.values()}
    result += [RecordChange("removed", r.id, r.path) for r in gone if r.id not in renamed]
    return sorted(result, key=lambda change: change.id)


def compare_records(old: dict, new: dict) -> list[Change]:
    """The facts of one record that differ, each with the evidence of its part of `new`
    (of `old`, for a fact removed)."""
    changes: list[Change] = []
    _compare(old, new, (), changes)
    for change in changes:
        change.evidence, change.sources = backing(new if change.kind != "removed" else old, change.path)
    return changes


def _compare(old: Any, new: Any, path: tuple, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        _compare_members(old, new, lambda key: Step(str(key)), path, out)
    elif isinstance(old, list) and isinstance(new, list):
        _compare_lists(old, new, path, out)
    elif not _same_value(old, new):
        out.append(Change("changed", path, old=old, new=new))


def _compare_members(old: dict, new: dict, step_of, path: tuple, out: list[Change]) -> None:
    """The members of two mappings (keys, or list items by name) added, removed or compared."""
    for name in [*new, *(n for n in old if n not in new)]:
        step = path + (step_of(name),)
        if name not in old:
            out.append(Change("added", step, new=new[name]))
        elif name not in new:
            out.append(Change("removed", step, old=old[name]))
        else:
            _compare(old[name], new[name], step, out)


def _compare_lists(old: list, new: list, path: tuple, out: list[Change]) -> None:
    key = _item_key(old, new)
    if key is not None:
        _compare_members({item[key]: item for item in old}, {item[key]: item for item in new},
                         lambda name: Step("", str(name)), path, out)
        return
    # No naming field: items are compared as a bag; order is no fact.
    old_keys, new_keys = [_hashable(item) for item in old], [_hashable(item) for item in new]
    removed = _unpartnered(old, old_keys, Counter(new_keys))
    added = _unpartnered(new, new_keys, Counter(old_keys))
    if len(removed) == len(added) == 1 and not isinstance(added[0], (dict, list)):
        out.append(Change("changed", path, old=removed[0], new=added[0]))
        return
    out += [Change("removed", path, old=item) for item in removed]
    out += [Change("added", path, new=item) for item in added]


def _unpartnered(items: list, keys: list, others: Counter) -> list:
    """The items with no equal item left on the other side (each partner used once)."""
    alone = []
    for item, item_key in zip(items, keys):
        if others[item_key] > 0:
            others[item_key] -= 1
        else:
            alone.append(item)
    return alone


def _item_key(old: list, new: list) -> str | None:
    items = old + new
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in ITEM_KEYS:
        if all(isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool) for item in items) \
                and len({item[key] for item in old}) == len(old) and len({item[key] for item in new}) == len(new):
            return key
    return None


def _hashable(value: Any):
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _hashable(v)) for k, v in value.items())))
    if isinstance(value, list):  # order is no fact, in a list within a list item either
        return ("list", tuple(sorted((_hashable(v) for v in value), key=repr)))
    return (type(value).__name__ if not isinstance(value, (int, float)) or isinstance(value, bool) else "number",
            value)


def _same_value(old: Any, new: Any) -> bool:
    """Equal and of one type, but that a whole number is the same as int or float (7, 7.0);
    True is not 1, nor "1" 1."""
    if old != new:
        return False
    numbers = (int, float)
    return type(old) is type(new) or (isinstance(old, numbers) and isinstance(new, numbers)
                                      and not isinstance(old, bool) and not isinstance(new, bool))


def _without_id(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "id"}


def backing(data: dict, path: tuple[Step, ...]) -> tuple[list[dict], list[str]]:
    """The evidence quotes and source ids of the innermost part of `data` along `path` that
    has any: what a reviewer reads to check the fact."""
    evidence: list[dict] = []
    sources: list[str] = []
    node: Any = data
    for step in path:
        if isinstance(node, dict) and (node.get("evidence") or node.get("sources")):
            evidence, sources = _backing_of(node)
        node = _follow(node, step)
        if node is None:
            break
    if isinstance(node, dict) and (node.get("evidence") or node.get("sources")):
        evidence, sources = _backing_of(node)
    return evidence, sources


def _backing_of(node: dict) -> tuple[list[dict], list[str]]:
    evidence = [item for item in node.get("evidence") or [] if isinstance(item, dict) and item.get("quote")]
    sources = [s for s in node.get("sources") or [] if isinstance(s, str)]
    return evidence, sources


def _follow(node: Any, step: Step) -> Any:
    if isinstance(node, dict) and step.item is None:
        return node.get(step.key)
    if isinstance(node, list) and step.item is not None:
        for item in node:
            if isinstance(item, dict) and any(str(item.get(key)) == step.item for key in ITEM_KEYS):
                return item
    return None


def fact_lines(data: Any) -> list[str]:
    """A record as one line per fact, `path: value`, in an order that does not depend on
    how the file orders keys and lists: what `git diff` compares when communique is the
    records' diff driver (`diff --textconv`), so that a line diff is a fact diff."""
    import json

    lines: list[str] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict) and value:
            for key in sorted(value, key=str):
                walk(value[key], f"{where}.{key}" if where else str(key))
        elif isinstance(value, list) and value:
            named = _item_key(value, [])
            if named is not None:
                for item in sorted(value, key=lambda entry: str(entry[named])):
                    walk(item, f"{where}[{item[named]}]")
            else:
                for item in sorted(value, key=lambda entry: repr(_hashable(entry))):
                    walk(item, f"{where}[]")
        else:
            lines.append(f"{where}: {json.dumps(value, ensure_ascii=False, default=str)}")

    walk(data, "")
    return lines
