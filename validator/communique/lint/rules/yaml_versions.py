"""What YAML 1.1 and YAML 1.2 readers make of a record's plain scalars."""

from __future__ import annotations

from ...documents.readers import YAML11_STARTS, describe, versions_disagree
from . import WARNING, Violation, rule
from .context import RecordContext


@rule("A001", "yaml-version-ambiguity", WARNING,
      "A plain (unquoted) value that YAML 1.1 and YAML 1.2 readers read differently.", scope="document")
def yaml_version_ambiguity(ctx: RecordContext):
    """This tool, editors and ruamel.yaml read records as YAML 1.2; PyYAML and many
    pipelines read them as YAML 1.1, where `NO` is false, `yes` and `on` are true, `1:20`
    is a number, `010` is eight and an unquoted date is a date object. The same record then
    means two things. Quote the value; `communique fmt` does, and its output means the same
    to every reader. (In the spirit of yamllint's `truthy` rule, for every type.)

    Bad:
        venue: {city: Oslo, country: NO}
        dates: {start: 2025-11-21}

    Good:
        venue: {city: Oslo, country: "NO"}
        dates: {start: "2025-11-21"}
    """
    if ctx.document.yaml11_differs is False:  # noted while the record was read: no such scalar
        return
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode  # here: a run the cache answers needs no PyYAML

    # Steps are kept as a chain (step, parent) and made into a path only for a finding:
    # most scalars are fine, and copying a path for each would cost more than the check.
    stack = [(ctx.document.root, False, None)]
    seen = set()  # an aliased node is reported where it is written, once
    aliased = "*" in ctx.document.text  # else every node is met once, and the check is skipped
    starts = YAML11_STARTS
    while stack:
        node, is_key, trail = stack.pop()
        if aliased:
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, ScalarNode):
            value = node.value
            if value and value[0] in starts and not node.style and node.tag == "tag:yaml.org,2002:str":
                disagreement = versions_disagree(value)
                if disagreement is not None:
                    new, old = disagreement
                    fix = "quote it" if isinstance(new, str) else f"write {new!r}"
                    yield Violation(_path(trail), f"{value!r} unquoted is {describe(new)} to YAML 1.2 readers (this "
                                                  f"tool, editors) but {describe(old)} to YAML 1.1 readers (PyYAML); "
                                                  f"{fix} (`communique fmt` does)", key=is_key)
        elif isinstance(node, SequenceNode):
            stack.extend((item, False, (index, trail)) for index, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):  # reported in the order written
                step = (key_node.value if isinstance(key_node, ScalarNode) else "?", trail)
                stack.append((value_node, False, step))
                stack.append((key_node, True, step))


def _path(trail) -> tuple:
    steps = []
    while trail is not None:
        step, trail = trail
        steps.append(step)
    return tuple(reversed(steps))
