"""Render the reference documentation from its one source: the schema, and the rules'
own metadata. Used by tools/regenerate.py, and by the test that fails when docs/ is stale."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _type(node: dict) -> str:
    """A short human name for what a schema node accepts."""
    if node.get("type") == "object":
        return "object"
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        return f"[{name}](#{name.replace('_', '-')})"
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "anyOf" in node:
        return " or ".join(_type(option) for option in node["anyOf"])
    if "allOf" in node and len(node["allOf"]) == 1:
        return _type(node["allOf"][0])
    kind = node.get("type")
    if kind == "array":
        return f"list of {_type(node.get('items', {}))}"
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "string" and "format" in node:
        return f"string ({node['format']})"
    if kind == "string" and "pattern" in node:
        return f"string matching `{node['pattern']}`"
    return kind or "any"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fields_table(node: dict, defs: dict) -> list[str]:
    properties = node.get("properties", {})
    required = set(node.get("required", []))
    for part in node.get("allOf", []):  # a def built on another: list the inherited fields too
        if "$ref" in part:
            base = defs[part["$ref"].split("/")[-1]]
            properties = {**base.get("properties", {}), **properties}
    if not properties:
        return []
    lines = ["| field | type | required | description | example |", "|---|---|---|---|---|"]
    for name, sub in properties.items():
        description = sub.get("description") or defs.get(sub.get("$ref", "").split("/")[-1], {}).get("description", "")
        examples = sub.get("examples") or defs.get(sub.get("$ref", "").split("/")[-1], {}).get("examples") or []
        example = f"`{json.dumps(examples[0], ensure_ascii=False)}`" if examples else ""
        lines.append(f"| `{name}` | {_cell(_type(sub))} | {'yes' if name in required else ''} | "
                     f"{_cell(description)} | {_cell(example)} |")
    return lines


def _inline_objects(node: dict, label: str, defs: dict) -> list[str]:
    """Tables for objects declared in place (record.series, document.issued...)."""
    out = []
    for name, sub in node.get("properties", {}).items():
        if sub.get("type") == "object" and sub.get("properties"):
            out += ["", f"### {label}.{name}", "", sub.get("description", ""), "", *_fields_table(sub, defs)]
    return out


def schema_reference(version: str) -> str:
    schema = json.loads((ROOT / "schema" / version / "record.schema.json").read_text(encoding="utf-8"))
    defs = schema.get("$defs", {})
    out = [
        f"# Schema reference, version {version}",
        "",
        "<!-- Generated from schema/{0}/record.schema.json by `python tools/regenerate.py`; "
        "do not edit by hand. -->".format(version),
        "",
        f"`$id`: `{schema['$id']}`",
        "",
        schema.get("description", ""),
        "",
        "## Record",
        "",
        *_fields_table(schema, defs),
        *_inline_objects(schema, "record", defs),
    ]
    for name in sorted(defs):
        node = defs[name]
        out += ["", f"## {name}", "", node.get("description", "")]
        table = _fields_table(node, defs)
        if table:
            out += ["", *table, *_inline_objects(node, name, defs)]
        else:
            out += ["", f"Type: {_type(node)}."]
            if node.get("examples"):
                out.append("Examples: " + ", ".join(f"`{json.dumps(e, ensure_ascii=False)}`" for e in node["examples"]) + ".")
    return "\n".join(out).rstrip() + "\n"


def rule_reference() -> str:
    from communique.core.findings import CODES
    from communique.lint.fixable import FIXES
    from communique.lint.rules import RULES, all_rules

    all_rules()
    out = [
        "# Rule and code reference",
        "",
        "<!-- Generated from the rules' own metadata by `python tools/regenerate.py`; do not edit by hand. -->",
        "",
        "Every finding carries one of these codes. `communique rules` lists them and "
        "`communique rule CODE` prints one of these sections.",
        "",
        "| code | name | severity | scope | summary |",
        "|---|---|---|---|---|",
    ]
    for key in sorted(CODES):
        code = CODES[key]
        scope = RULES[key].scope if key in RULES else "file"
        out.append(f"| [{key}](#{key.lower()}-{code.name}) | {code.name} | {code.severity} | {scope} | {_cell(code.summary)} |")
    for key in sorted(CODES):
        code = CODES[key]
        out += ["", f"## {key} {code.name}", "", f"Severity: {code.severity}. {code.summary}"]
        if key in FIXES:
            out += ["", f"Safe fix (`communique check --fix`): {FIXES[key]}."]
        if code.doc:
            out += ["", _markdown_doc(code.doc)]
    return "\n".join(out).rstrip() + "\n"


def _markdown_doc(doc: str) -> str:
    """A rule docstring with its indented Bad:/Good: blocks as YAML code blocks."""
    lines, block = [], []

    def flush():
        if block:
            lines.extend(["```yaml", *[b[4:] if b.startswith("    ") else b for b in block], "```"])
            block.clear()

    for line in doc.splitlines():
        if line.startswith("    "):
            block.append(line)
        else:
            if block and not line.strip():
                block.append("")
                continue
            flush()
            lines.append(f"**{line[:-1]}**" if line.strip() in ("Bad:", "Good:") else line)
    flush()
    text = "\n".join(lines)
    return text.replace("\n\n```", "\n```").replace("```\n\n**", "```\n\n**")


def table_reference() -> str:
    """docs/tables.md: every table of the data exports, from the tables' own declarations
    and the schema's descriptions (the same words datapackage.json and Datasette carry)."""
    from communique.corpus.describe import allowed_values, description
    from communique.corpus.tables import TABLES

    lines = ["# Tables of the data exports", "",
             "<!-- Generated by tools/regenerate.py from validator/communique/corpus/tables.py, the export format "
             "modules (MAPPING) and the schema. "
             "Do not edit. -->", "",
             "`communique export --format datapackage` writes these tables as CSV files with `datapackage.json`;",
             "`--format sqlite` writes them to an SQLite database; `communique stats` and `communique site` are",
             "built from them. Column descriptions are the schema's own, unless the column is derived.", "",
             "Types are Table Schema types: `date` is ISO 8601 (`YYYY-MM-DD`; text in SQLite), `boolean` is",
             "`true`/`false` (1/0 in SQLite), an empty cell (NULL) is a missing value.", ""]
    for table in TABLES.values():
        lines += ["- [`" + table.name + "`](#" + table.name.replace("_", "-") + "): " + table.description]
    for table in TABLES.values():
        lines += ["", f"## {table.name}", "", table.description, "",
                  f"Key: {', '.join('`' + c + '`' for c in table.key)}."]
        if table.references:
            refs = "; ".join(f"{', '.join(mine)} -> `{other}` ({', '.join(theirs)})"
                             for mine, other, theirs in table.references)
            lines += [f"References: {refs}."]
        if table.search:
            lines += [f"Full-text search (SQLite): {', '.join('`' + c + '`' for c in table.search)}."]
        lines += ["", "| Column | Type | Description |", "| --- | --- | --- |"]
        for column in table.columns:
            text = description(column)
            allowed = allowed_values(column)
            if allowed and column.type == "string":
                text += " One of " + ", ".join(f"`{v}`" for v in allowed) + "."
            lines.append(f"| `{column.name}` | {column.type} | {_cell(text)} |")
    return "\n".join(lines + format_reference()) + "\n"


# The record the worked examples are written from, and, per format, what it is for and how
# its receiving tool reads it back (the output lines themselves are the writer's own).
EXAMPLE_RECORD = "pk-eu-political-dialogue-10"
FORMAT_GUIDE = {
    "jsonld": ("schema.org JSON-LD", "One JSON-LD document: an inline context (`@vocab` schema.org, so that no "
               "processor has to fetch one) and a `@graph` of Events. `communique.corpus.jsonld.meeting_jsonld(record)` "
               "gives one meeting's object, with its context, for a page to embed.",
               ["from pyld import jsonld",
                "import json",
                "",
                "def refuse(url, options=None):  # nothing to fetch: the context is inline",
                "    raise RuntimeError(url)",
                "",
                "nodes = jsonld.expand(json.load(open('corpus.jsonld')), {'documentLoader': refuse})",
                "nodes[0]['https://schema.org/eventStatus']  # [{'@id': 'https://schema.org/EventScheduled'}]"]),
    "quickstatements": ("Wikidata QuickStatements (V1)", "Commands to paste into QuickStatements "
                        "(https://quickstatements.toolforge.org, \"Import commands\", V1), reviewed before they are run. "
                        "A statement whose value would be an item is written only when the record gives its Wikidata id "
                        "(`wikidata`, schema 1.3); what was left out is counted on standard error. Read back: split each "
                        "line at tabs; `CREATE` starts an item, `LAST` is that item, then property, value, qualifier "
                        "pairs (P...) and reference pairs (S...) (tests/corpus/test_quickstatements.py holds every "
                        "line to that grammar).",
                        ["with open('corpus.qs') as batch:",
                         "    for line in batch:",
                         "        subject, *rest = line.rstrip('\\n').split('\\t')",
                         "        print(subject, rest[:2])  # CREATE []; LAST ['Len', '\"10th ...\"']; LAST ['P585', ...]"]),
    "plover": ("PLOVER event data", "One PLOVER event a line (JSON Lines, as the PLOVER manual suggests); the field "
               "names are the manual's; the manual's date is a day, so a meeting dated less precisely is left out.",
               ["import pandas",
                "",
                "events = pandas.read_json('corpus.plover.jsonl', lines=True)",
                "events[['id', 'date', 'event', 'mode']]"]),
    "timelinejs": ("TimelineJS 3", "A TimelineJS 3 timeline (Knight Lab): open it in a page that loads TimelineJS "
                   "(`npm install @knight-lab/timelinejs`, or its CDN) and passes the JSON to `TL.Timeline`; each series "
                   "is a row. `font: null` keeps TimelineJS from loading web fonts. Serve the folder over HTTP "
                   "(`python -m http.server`): a browser refuses `fetch` of a file opened from disk.",
                   ["<link rel=\"stylesheet\" href=\"node_modules/@knight-lab/timelinejs/dist/css/timeline.css\">",
                    "<script src=\"node_modules/@knight-lab/timelinejs/dist/js/timeline.js\"></script>",
                    "<div id=\"timeline\" style=\"height: 600px\"></div>",
                    "<script>",
                    "  fetch('corpus.timeline.json').then(r => r.json())",
                    "    .then(data => new TL.Timeline('timeline', data, {font: null}));",
                    "</script>"]),
}
EXTENSIONS = {"jsonld": "jsonld", "quickstatements": "qs", "plover": "plover.jsonl", "timelinejs": "timeline.json"}


def _example_output(output_format: str) -> list[str]:
    """A few lines of what the writer writes for the example record."""
    import io

    from communique.corpus import formats
    from communique.documents.loading import load_file

    data = load_file(ROOT / "records" / f"{EXAMPLE_RECORD}.yaml").document.data
    stream = io.StringIO()
    writer = formats.writer(stream, output_format)
    writer.add(data)
    writer.close()
    text = stream.getvalue()
    if output_format in ("jsonld", "timelinejs"):  # one document: show the meeting's object, indented
        document = json.loads(text)
        item = (document["@graph"] if output_format == "jsonld" else document["events"])[0]
        text = json.dumps(item, indent=2, ensure_ascii=False)
    lines = text.rstrip("\n").split("\n")
    return lines[:40] + (["..."] if len(lines) > 40 else [])


def format_reference() -> list[str]:
    """docs/tables.md's second part: how each export for another tool maps a record, from
    the MAPPING its writer declares, with a worked example from a shipped record."""
    from communique.corpus import formats

    lines = ["", "# Exports for other tools", "",
             "`communique export --format jsonld|quickstatements|plover|timelinejs` writes the records for a tool",
             "that reads a standard format. Each table says which record field becomes which property of that",
             "format; it is generated from the mapping the writer itself declares. Records that do not load or",
             "match the schema are left out and reported, as for every export; what a format cannot say (a",
             "meeting PLOVER cannot date, a statement with no Wikidata id) is counted on standard error.", ""]
    for name in formats.MODULES:
        title, about, reading = FORMAT_GUIDE[name]
        module = formats.module(name)
        lines += ["", f"## {name}", "", f"{title}. {about}", "", "| Record field | Property | How |", "| --- | --- | --- |"]
        lines += [f"| `{_cell(m.field)}` | `{_cell(m.target)}` | {_cell(m.note)} |" for m in module.MAPPING]
        language = "html" if name == "timelinejs" else "python"
        output = f"corpus.{EXTENSIONS[name]}"
        lines += ["", f"Example: `communique export --format {name} -o {output} records/`; for",
                  f"`records/{EXAMPLE_RECORD}.yaml` it writes:", "", "```", *_example_output(name), "```", "",
                  "Reading it back:", "", f"```{language}", *reading, "```"]
    return lines


def documents() -> dict[Path, str]:
    """Every generated document, by path."""
    from changelog import changelog_document  # tools/changelog.py: CHANGELOG.md's schema-diff blocks

    versions = sorted(p.parent.name for p in (ROOT / "schema").glob("*/record.schema.json"))
    docs = {ROOT / "docs" / f"schema-{v}.md": schema_reference(v) for v in versions}
    docs[ROOT / "docs" / "rules.md"] = rule_reference()
    docs[ROOT / "docs" / "tables.md"] = table_reference()
    docs[ROOT / "schema" / "catalog.json"] = schema_catalog()
    docs[ROOT / "CHANGELOG.md"] = changelog_document()
    return docs


def schema_catalog() -> str:
    """The JSON Schema Store catalog entry (`communique schema --catalog`), committed so that
    it can be proposed to SchemaStore and read without installing anything."""
    from communique.schema.bundling import dumps
    from communique.schema.catalog import catalog

    return dumps(catalog())
