"""Record texts to fuzz with: schema-valid records generated from the schema itself, and
the shipped records and fixtures mutated in the ways hand-edited files differ (comments
everywhere, block and folded scalars with trailing spaces, anchors, tabs, CRLF, a BOM,
right-to-left text, combining marks, astral and control characters, very long lines, keys
the schema does not know)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml
from communique import schema
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from ..conftest import FIXTURES, RECORDS

BASES = sorted(RECORDS.glob("*.yaml")) + sorted((FIXTURES / "valid").glob("*.yaml")) + \
    sorted(p for p in (FIXTURES / "fmt").glob("*.yaml") if ".expected" not in p.name) + \
    sorted((FIXTURES / "rules").glob("*/*.yaml"))
BASE_TEXTS = [path.read_text(encoding="utf-8") for path in BASES]

EXOTIC = [
    "NO", "yes", "On", "y", "n", "~", "null", "1__0", "1:20", "0o17", "010", "0x1F", ".inf", "2025-11-21",
    "2025-11-21T10:00:00Z", "<<", "=", "- x", "a: b", "a #b", "#x", "@x", "`x", "!x", "&x", "*x", "'q'", '"q"',
    "مذاکرات اسلام‌آباد", "שלום", "\u202eevil", "e\u0301\u0301", "Z\u0335\u0336", "\U0001F600 \U00010348",
    "tab\there", "bell\x07", "esc\x1b[31m", "nel\x85x", "ls\u2028ps\u2029", "zw\u200bj\u200d", "bom\ufeffx",
    " lead", "trail ", "two  spaces", "x" * 3000, "back\\slash", "multi\nline\n", "multi\nline", "\n",
]
LINE = re.compile(r"^(?P<indent>\s*(?:- )?)(?P<key>[A-Za-z_][A-Za-z0-9_]*): (?P<value>[^\s\[{|>&*!'\"#][^#]*?)\s*$")


def exotic_strings():
    return st.sampled_from(EXOTIC) | st.text(min_size=0, max_size=40)


@st.composite
def mutated_records(draw) -> str:
    """A shipped record or fixture with a few of the mutations a hand-edited file shows."""
    text = draw(st.sampled_from(BASE_TEXTS))
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        text = draw(st.sampled_from(MUTATIONS))(draw, text)
    return text


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if LINE.match(line)]


def _a_value_line(draw, text: str, *, top_level: bool = False):
    """(lines, index, match) of a drawn `key: plain value` line, or None when there is none."""
    lines = _lines(text)
    candidates = [i for i in _value_lines(lines) if not top_level or not LINE.match(lines[i])["indent"]]
    if not candidates:
        return None
    index = draw(st.sampled_from(candidates))
    return lines, index, LINE.match(lines[index])


def _on_a_value_line(mutate):
    """A mutation of one drawn `key: plain value` line (the text as it is when there is none)."""

    def mutation(draw, text: str) -> str:
        picked = _a_value_line(draw, text)
        if picked is None:
            return text
        lines, index, match = picked
        mutate(draw, lines, index, match)
        return "\n".join(lines)

    mutation.__name__ = mutate.__name__
    return mutation


def comment_at_end(draw, text: str) -> str:
    lines = _lines(text)
    index = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
    lines[index] += f"  # cmt-{draw(st.integers(0, 10**6))} {draw(st.sampled_from(['', 'é', '# again', ': x']))}"
    return "\n".join(lines)


def comment_on_own_line(draw, text: str) -> str:
    lines = _lines(text)
    index = draw(st.integers(min_value=0, max_value=len(lines)))
    indent = " " * draw(st.integers(min_value=0, max_value=8))
    lines.insert(index, f"{indent}# own-{draw(st.integers(0, 10**6))}")
    return "\n".join(lines)


@_on_a_value_line
def exotic_value(draw, lines, index, match) -> None:
    if draw(st.booleans()):  # the value replaced, quoted
        value = json.dumps(draw(exotic_strings()), ensure_ascii=draw(st.booleans()))
    else:  # raw text added to the plain value: right-to-left, combining, astral
        value = match["value"] + " " + draw(st.sampled_from(["مذاکرات", "שלום עולם", "e\u0301", "\U0001F600",
                                                             "Ångström", "İstanbul"]))
    lines[index] = f"{match['indent']}{match['key']}: {value}"


@_on_a_value_line
def block_scalar(draw, lines, index, match) -> None:
    style = draw(st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]))
    depth = " " * (len(match["indent"]) + 2)
    body = [depth + draw(st.sampled_from(["one", "two  ", "three\t", "  indented", "", "é \U0001F600"]))
            for _ in range(draw(st.integers(1, 4)))]
    if not body[0].strip():
        body[0] = depth + "first"
    lines[index:index + 1] = [f"{match['indent']}{match['key']}: {style}"] + body


def extra_key(draw, text: str) -> str:
    picked = _a_value_line(draw, text)
    if picked is None:
        return text + "\nx_extra: value\n"
    lines, index, match = picked
    indent = " " * len(match["indent"])
    lines.insert(index + 1, f"{indent}x_extra_{draw(st.integers(0, 99))}: {json.dumps(draw(exotic_strings()))}")
    return "\n".join(lines)


def anchor_and_alias(draw, text: str) -> str:
    picked = _a_value_line(draw, text, top_level=True)
    if picked is None:
        return text
    lines, index, match = picked
    lines[index] = f"{match['key']}: &anchor{index} {match['value']}"
    return "\n".join(lines).rstrip("\n") + f"\nx_alias: *anchor{index}\n"


@_on_a_value_line
def tabs(draw, lines, index, match) -> None:
    lines[index] += draw(st.sampled_from(["\t", " \t", "\t# tab comment"]))


def line_endings(draw, text: str) -> str:
    return draw(st.sampled_from([text.replace("\n", "\r\n"), "\ufeff" + text, text.rstrip("\n"), text + "\n\n\n"]))


@_on_a_value_line
def long_line(draw, lines, index, match) -> None:
    lines[index] = f"{match['indent']}{match['key']}: {'word ' * draw(st.integers(500, 3000))}end"


MUTATIONS = [comment_at_end, comment_on_own_line, exotic_value, block_scalar, extra_key, anchor_and_alias, tabs,
             line_endings, long_line]


@lru_cache(maxsize=None)
def valid_records(version: str = schema.LATEST) -> st.SearchStrategy:
    """Records of one version, each checked against the schema as published (they are
    generated from a capped copy of it, `generation_schema`); built once per version."""
    from jsonschema import Draft202012Validator

    published = Draft202012Validator(schema.load_schema(version), format_checker=Draft202012Validator.FORMAT_CHECKER)

    def accepted(record: dict) -> dict:
        problems = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
                    for error in published.iter_errors(record)]
        assert problems == [], f"schema {version} refuses a record generated from it: {problems}"
        return record

    return from_schema(generation_schema(version)).map(accepted)


def generation_schema(version: str) -> dict:
    """The version's schema with every list capped at a few items (or its minimum). Left
    alone, hypothesis-jsonschema grows nested lists until a draw overruns hypothesis's
    buffer, and throws the draw away: about 40 attempts, a second each, for one record of
    1.1 that a test ever saw. Capped, a record costs a draw: 20 times faster, and the
    records tested are the same kind as before (test_versions.py proves them valid under
    the schema as published)."""
    def capped(node):
        if isinstance(node, list):
            return [capped(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: capped(value) for key, value in node.items()}
        if "items" in node or node.get("type") == "array":
            node["maxItems"] = min(node.get("maxItems", SHORT_LIST), max(node.get("minItems", 0), SHORT_LIST))
        return node

    return capped(schema.load_schema(version))


SHORT_LIST = 3


@st.composite
def generated_records(draw) -> str:
    """A schema-valid record, generated from the schema, written as JSON or as YAML."""
    record = draw(valid_records())
    style = draw(st.sampled_from(["json", "yaml-block", "yaml-flow"]))
    if style == "json":
        return json.dumps(record, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    return yaml.safe_dump(record, allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()),
                          default_flow_style=style == "yaml-flow", width=draw(st.sampled_from([80, 10**6])))


@st.composite
def records_with_integral_floats(draw) -> str:
    """A schema-valid record of any schema version with some of its whole numbers written as
    floats (1.0), which JSON Schema still counts as integers, in the forms a keeper might
    type them: 1.0 in JSON; 1.0, 1. or 1e0 in YAML (hypothesis-jsonschema writes only ints)."""
    version = draw(st.sampled_from(schema.versions()))
    record = draw(valid_records(version))
    _floats_for_ints(draw, record)
    if draw(st.booleans()):
        return json.dumps(record, ensure_ascii=False)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    form = draw(st.sampled_from([r"\1.0", r"\1.", r"\1e0"]))
    # PyYAML writes 1.0 for the float; rewrite each float of this shape in the drawn form.
    return re.sub(r"(?<=: )(-?\d+)\.0$", form, text, flags=re.MULTILINE)


SHIPPED_TEXTS = [path.read_text(encoding="utf-8") for path in
                 sorted(RECORDS.glob("*.yaml")) + sorted((FIXTURES / "valid").glob("*.yaml"))]
PLAIN_INT = re.compile(r"(?<=: )(\d+)(?=[ \t]*(?:[,}\]]|#|$))", re.MULTILINE)


@st.composite
def shipped_records_with_integral_floats(draw) -> str:
    """A shipped record or valid fixture (schema-valid and clean, so that rules, stats, the
    exports and the site read it) with some of its plain integers written as floats."""
    text = draw(st.sampled_from(SHIPPED_TEXTS))
    form = draw(st.sampled_from(["{}.0", "{}.", "{}e0"]))
    return PLAIN_INT.sub(lambda match: form.format(match[1]) if draw(st.booleans()) else match[1], text)


def integral_float_texts():
    return records_with_integral_floats() | shipped_records_with_integral_floats()


def _floats_for_ints(draw, node) -> None:
    """Turn a drawn subset of the ints in `node` (in place) into floats of the same value."""
    children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) \
        else []
    for key, value in children:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53 and draw(st.booleans()):
            node[key] = float(value)
        elif isinstance(value, (dict, list)):
            _floats_for_ints(draw, value)


def record_texts():
    return mutated_records() | generated_records()
