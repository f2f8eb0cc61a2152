"""The YAML side of reading a record: libyaml composes the node tree (with a line and
column for every node), and the values are built from it under YAML 1.2's scalar rules.

Kept apart from `loading`, which calls it only for a text it has to parse, so that a run
answered from the cache never imports PyYAML (a tenth of such a run's start-up).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import findings as F
from ..core.findings import Finding
from .limits import MAX_DEPTH, MAX_EXPANDED_NODES
from .readers import YAML11_STARTS, versions_disagree
from .scalars import _NUMERIC_START, _SPECIAL_PLAIN, _NotJson, json_type, resolve_plain

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {ScalarNode: STR_TAG, SequenceNode: SEQ_TAG, MappingNode: MAP_TAG}

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _BaseLoader = yaml.SafeLoader


class _NodeLoader(_BaseLoader):
    """Composes nodes only; every untagged node gets its kind's default tag, so a tag other
    than the default means the file wrote one explicitly."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    # No path resolvers are registered: skip PyYAML's per-node bookkeeping for them.
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


def compose(text: str, path: str) -> tuple[Node | None, Finding | None]:
    """The node tree of a text (None when it holds no document), or the finding that says
    why it cannot be read."""
    try:
        return yaml.compose(text, Loader=_NodeLoader), None
    except yaml.MarkedYAMLError as error:
        return None, _yaml_error(path, error)
    except yaml.YAMLError as error:  # errors without a position (rare)
        return None, Finding(path, 1, 1, F.SYNTAX_ERROR, str(error))
    except RecursionError:
        return None, Finding(path, 1, 1, F.TOO_DEEP, f"collections nest more than {MAX_DEPTH} levels deep")


def build(root: Node, path: str, *, anchors: bool) -> tuple[Any, list[Finding], bool | None]:
    """The data of a node tree, the findings met building it, and whether a plain scalar in
    it reads otherwise to YAML 1.1 (None: not known). Anchors are rare in records; without
    them every node is built once and no alias bookkeeping is needed, which halves the cost
    of building."""
    builder = _AliasAwareBuilder(path) if anchors else _TreeBuilder(path)
    return builder.build(root), builder.findings, builder.yaml11_differs


def deepest_nesting(text: str, path: str) -> Finding | None:
    """A finding where collections first nest deeper than MAX_DEPTH, from libyaml's event
    stream (which does not recurse, unlike its composer); None when they never do."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_NodeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Finding(path, mark.line + 1, mark.column + 1, F.TOO_DEEP,
                                   f"collections nest more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        return _yaml_error(path, error)
    except yaml.YAMLError as error:
        return Finding(path, 1, 1, F.SYNTAX_ERROR, str(error))
    return None


def _yaml_error(path: str, error: yaml.MarkedYAMLError) -> Finding:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "syntax error"
    if "expected a single document" in (error.context or "") or "single document" in problem:
        return Finding(path, line, col, F.MULTIPLE_DOCUMENTS,
                       "file holds more than one YAML document; a record file holds exactly one")
    if "maximum nesting depth" in problem:  # libyaml 0.2.6+ stops deep flow nesting itself
        return Finding(path, line, col, F.TOO_DEEP, f"collections nest more than {MAX_DEPTH} levels deep")
    if "undefined alias" in problem:
        return Finding(path, line, col, F.SYNTAX_ERROR, f"{problem} (an alias must follow its anchor)")
    if "mapping values are not allowed" in problem:
        return Finding(path, line, col, F.SYNTAX_ERROR,
                       "a second ': ' on this line starts a mapping where a value was expected; if the value "
                       "holds a colon, quote it, e.g. title: \"Talks: round 2\"")
    context = ""
    if error.context and error.context_mark and error.context_mark is not mark:
        context = f" ({error.context} at line {error.context_mark.line + 1})"
    elif error.context:
        context = f" ({error.context})"
    return Finding(path, line, col, F.SYNTAX_ERROR, f"{problem}{context}")


class _TreeBuilder:
    """Turns a node tree without anchors into plain data, collecting findings as it goes."""

    def __init__(self, path: str):
        self.path = path
        self.findings: list[Finding] = []
        # Whether a plain scalar reads otherwise to YAML 1.1 (rule A001), noted as the tree is
        # built, which visits every scalar anyway: most records have none, and A001 then
        # needs no walk of its own. None: not known (the alias-aware builder does not note it).
        self.yaml11_differs: bool | None = False

    def build(self, root: Node) -> Any:
        try:
            return self._build(root, 1)
        except _Abort:
            return None

    def _report(self, node: Node, code, message: str) -> None:
        mark = node.start_mark
        self.findings.append(Finding(self.path, mark.line + 1, mark.column + 1, code, message))

    def _refuse_tag(self, node: Node) -> bool:
        if node.tag == _DEFAULT_TAGS[node.__class__]:
            return False
        self._report(node, F.YAML_TAG, f"explicit tag {node.tag!r} is not allowed in a record")
        return True

    def _check_depth(self, node: Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            self._report(node, F.TOO_DEEP, f"collections nest more than {MAX_DEPTH} levels deep")
            raise _Abort

    def _build(self, node: Node, depth: int) -> Any:
        # The hot loop of every command: the common cases are inlined.
        cls = node.__class__
        if node.tag != _DEFAULT_TAGS[cls] and self._refuse_tag(node):
            return None
        if cls is ScalarNode:
            value = node.value
            if node.style:
                return value
            if value[:1] in YAML11_STARTS and not self.yaml11_differs:
                self.yaml11_differs = versions_disagree(value) is not None
            if value[:1] not in _NUMERIC_START and value not in _SPECIAL_PLAIN:
                return value
            return self._scalar(node)
        self._check_depth(node, depth)
        if cls is SequenceNode:
            return [self._build(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._build(key_node, depth + 1)
            value = self._build(value_node, depth + 1)
            if self._acceptable_key(node, key_node, key, result):
                result[key] = value
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        value = node.value
        if node.style or (value[:1] not in _NUMERIC_START and value not in _SPECIAL_PLAIN):
            return value  # quoted or block scalars are strings, and so are most plain ones
        try:
            return resolve_plain(value)
        except _NotJson as problem:
            self._report(node, F.NUMBER_OUT_OF_RANGE, str(problem))
            return None

    def _acceptable_key(self, mapping: MappingNode, key_node: Node, key: Any, so_far: dict) -> bool:
        if key.__class__ is str and key not in so_far:
            return True
        if not isinstance(key, str):
            shown = "a collection" if not isinstance(key_node, ScalarNode) else f"{json_type(key)} {key_node.value!r}"
            self._report(key_node, F.NON_STRING_KEY, f"mapping key must be a string, got {shown}; quote it")
        else:
            first = next(k for k, _ in mapping.value if isinstance(k, ScalarNode) and k.value == key_node.value)
            self._report(key_node, F.DUPLICATE_KEY,
                         f"duplicate key {key!r} (first defined at line {first.start_mark.line + 1})")
        return False


class _AliasAwareBuilder(_TreeBuilder):
    """Builds documents with anchors: an alias reuses the value built for its anchor, and
    the expanded size and depth are capped, so a 'billion laughs' file is refused."""

    def __init__(self, path: str):
        super().__init__(path)
        self.yaml11_differs = None
        self._built: dict[int, tuple[Any, int, int]] = {}  # id(node) -> (value, expanded size, height)
        self._in_progress: set[int] = set()
        self._expanded_total = 0

    def build(self, root: Node) -> Any:
        try:
            return self._measured(root, 1)[0]
        except _Abort:
            return None

    def _measured(self, node: Node, depth: int) -> tuple[Any, int, int]:
        """Value, expanded size and height of `node`."""
        key = id(node)
        if key in self._built:  # an alias
            value, size, height = self._built[key]
            self._expanded_total += size
            if self._expanded_total > MAX_EXPANDED_NODES:
                self._report(node, F.ALIAS_EXPANSION, f"aliases expand the document beyond {MAX_EXPANDED_NODES} values")
                raise _Abort
            self._check_depth(node, depth + height - 1)  # an alias can nest a deep value deeper still
            return value, size, height
        if key in self._in_progress:
            self._report(node, F.ALIAS_EXPANSION, "alias refers to a collection that contains it")
            raise _Abort
        if self._refuse_tag(node):
            return None, 1, 1
        if node.__class__ is ScalarNode:
            self._expanded_total += 1
            value = self._scalar(node)
            self._built[key] = (value, 1, 1)
            return value, 1, 1
        self._check_depth(node, depth)
        self._in_progress.add(key)
        children = [self._measured(child, depth + 1) for pair in _children(node) for child in pair]
        self._in_progress.discard(key)
        size = 1 + sum(child[1] for child in children)
        height = 1 + max((child[2] for child in children), default=0)
        if node.__class__ is SequenceNode:
            value = [child[0] for child in children]
        else:
            value = {}
            for (key_node, _), (key_value, _, _), (item_value, _, _) in zip(node.value, children[::2], children[1::2]):
                if self._acceptable_key(node, key_node, key_value, value):
                    value[key_value] = item_value
        self._expanded_total += 1
        self._built[key] = (value, size, height)
        return value, size, height


def _children(node: Node):
    """Child nodes in document order: items of a sequence, key then value of a mapping."""
    if node.__class__ is SequenceNode:
        return [(item,) for item in node.value]
    return node.value


class _Abort(Exception):
    """The document cannot be built safely; the reason is already a finding."""
