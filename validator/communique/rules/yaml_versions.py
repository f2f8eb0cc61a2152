"""What YAML 1.1 and YAML 1.2 readers make of a record's plain scalars."""

from __future__ import annotations

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..readers import describe, versions_disagree
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
    stack = [((), ctx.document.root, False)]
    seen = set()  # an aliased node is reported where it is written, once
    while stack:
        path, node, is_key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if not node.style and node.tag == "tag:yaml.org,2002:str":  # plain, untagged
                disagreement = versions_disagree(node.value)
                if disagreement is not None:
                    new, old = disagreement
                    fix = "quote it" if isinstance(new, str) else f"write {new!r}"
                    yield Violation(path, f"{node.value!r} unquoted is {describe(new)} to YAML 1.2 readers (this tool, "
                                          f"editors) but {describe(old)} to YAML 1.1 readers (PyYAML); {fix} "
                                          "(`communique fmt` does)", key=is_key)
        elif isinstance(node, SequenceNode):
            stack.extend((path + (index,), item, False) for index, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):  # reported in the order written
                step = key_node.value if isinstance(key_node, ScalarNode) else "?"
                stack.append((path + (step,), value_node, False))
                stack.append((path + (step,), key_node, True))
