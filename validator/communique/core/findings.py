"""Findings and the codes they carry.

Every problem the tool reports, from an unreadable file to a schema violation, is a
`Finding` with a code registered here, so that output formats, exit codes and (later)
selection treat them all alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Code:
    """Metadata of one kind of finding; `doc` explains why it matters and how to fix it."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""
    # An I/O problem makes the run exit 2 rather than 1: the file was never checked.
    io_error: bool = False


@dataclass(frozen=True)
class Finding:
    """One problem, where it is. A finding about the run as a whole (no sources folder, say)
    has an empty `path` and line and column 0."""

    path: str
    line: int
    column: int
    code: Code
    message: str
    json_path: str | None = None
    # Set when configuration overrides the code's default severity.
    severity_override: Severity | None = field(default=None, compare=False)
    # False for notes about the whole run, which point at a file but at no line of it.
    show_source: bool = field(default=True, compare=False)

    @property
    def severity(self) -> Severity:
        return self.severity_override or self.code.severity

    @property
    def location(self) -> str:
        """"path:line:col", or the path alone for data without positions, or "" for a note
        on the whole run."""
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    def __str__(self) -> str:
        """The finding as one line of text output."""
        if not self.path:
            return f"{self.severity}: {self.code.code} {self.message}"
        where = f" (at {self.json_path})" if self.json_path else ""
        return f"{self.location}: {self.code.code} {self.message}{where}"

    def sort_key(self) -> tuple:
        return (not self.path, self.path, self.line, self.column, self.code.code)  # notes on the run last


CODES: dict[str, Code] = {}

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def exit_code(findings, fail_on: Severity = Severity.INFO, exit_zero: bool = False) -> int:
    """The exit code every command shares: 2 for an I/O problem (whatever else was found),
    1 for findings at or above `fail_on` (unless `exit_zero`), else 0."""
    if any(f.code.io_error for f in findings):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in findings) else EXIT_CLEAN


def register(code: str, name: str, summary: str, doc: str = "", *, severity=Severity.ERROR, io_error=False) -> Code:
    entry = Code(code, name, severity, summary, doc, io_error)
    if code in CODES:
        raise ValueError(f"code {code} registered twice")
    CODES[code] = entry
    return entry


# File level: the bytes could not be read as a text file.
FILE_UNREADABLE = register("F001", "file-unreadable", "The file or folder cannot be read.", """\
It does not exist, is not a regular file, or permissions forbid reading it. The run
exits 2: the file was not checked, so nothing can be said about it.

Bad:
    $ communique check records/pk-eu-strategic-dialogue-7.yaml    # no such file

Good:
    $ communique check records/pk-eu-strategic-dialogue-07.yaml
""", io_error=True)
NOT_UTF8 = register("F002", "not-utf8", "The file is not valid UTF-8.", """\
Records are UTF-8 text (a byte-order mark is allowed). A file saved in another encoding
(Latin-1, Windows-1252) has bytes that UTF-8 cannot read; the finding points at the
first. Re-save the file as UTF-8.

Bad:
    venue: {city: Gen\\xe8ve, country: CH}    # the byte 0xe8: Latin-1

Good:
    venue: {city: Genève, country: CH}       # saved as UTF-8
""")
BINARY_FILE = register("F003", "binary-file", "The file contains NUL bytes: it is binary, or UTF-16/32.", """\
Records are UTF-8 text, in which a NUL byte never occurs. A file full of NUL bytes was
saved as UTF-16 (some Windows editors do), or is not a record at all.

Bad:
    s\\x00c\\x00h\\x00e\\x00m\\x00a\\x00    # UTF-16: every other byte is NUL

Good:
    schema_version: "1.0"                  # saved as UTF-8
""")
FILE_TOO_LARGE = register("F004", "file-too-large", "The file is larger than a record can reasonably be.", """\
Records are a few kilobytes; files above 8 MiB are refused unread, so that a stray data
dump cannot exhaust memory or time. Split a data set into one record a meeting.

Bad:
    records/all-meetings.yaml     # 40 MiB: every meeting in one file

Good:
    records/pk-eu-strategic-dialogue-07.yaml   # one meeting, a few KB
""")
FINDINGS_NOT_SHOWN = register("F005", "findings-not-shown", "A file has more findings than a report shows.", """\
A report shows at most 200 findings of one file, so that a generated or broken file cannot
bury the others (or fill a disk); this finding counts the rest, with the highest severity
among them, which the exit code honours. Fix what is shown and check again; `--select`
narrows a run to one code at a time.

Bad:
    # records/dump.yaml: 20,000 keys the schema does not know

Good:
    # records/dump.yaml split into records, one meeting a file
""", severity=Severity.INFO)

# Parse level: the text is not a single well-formed YAML 1.2 / JSON document.
SYNTAX_ERROR = register("Y001", "syntax-error", "The file is not well-formed YAML or JSON.", """\
The parser stopped at the position shown; fix the syntax there. The most common cause is
a value holding ": ", which YAML reads as the start of a mapping: quote such a value.

Bad:
    title: Talks: round 2

Good:
    title: "Talks: round 2"
""")
DUPLICATE_KEY = register("Y002", "duplicate-key", "A mapping has the same key twice.", """\
YAML and JSON parsers disagree on which value wins, so the record would be ambiguous.
Keep one.

Bad:
    title: 7th Strategic Dialogue
    title: Seventh Strategic Dialogue

Good:
    title: 7th Strategic Dialogue
""")
NON_STRING_KEY = register("Y003", "non-string-key", "A mapping key is not a string.", """\
Records are JSON data, whose keys are strings. A plain `1:` or `null:` is a number or
null in YAML 1.2; quote it if a string was meant.

Bad:
    1: first item

Good:
    "1": first item
""")
YAML_TAG = register("Y004", "yaml-tag", "The file uses an explicit YAML tag.", """\
Tags (`!!python/object`, `!!binary`, `!custom`) construct values outside JSON's data
model, and some loaders execute code for them. Records use none: quote a value to make
it a string.

Bad:
    notes: !!binary SGVsbG8=

Good:
    notes: Hello
""")
ALIAS_EXPANSION = register("Y005", "alias-expansion", "Aliases expand to too much data, or refer to themselves.", """\
Anchors and aliases are allowed, but their expanded size is capped (100,000 values) so
that a "billion laughs" file cannot exhaust memory, and an alias cannot contain itself.

Bad:
    a: &a [x, x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]

Good:
    dates: {start: 2025-11-21, sources: &both [s1, s2]}
    venue: {city: Brussels, country: BE, sources: *both}
""")
TOO_DEEP = register("Y006", "nesting-too-deep", "Collections nest deeper than the limit.", """\
Records nest a few levels deep; the cap (200 levels) protects the parser, which would
otherwise crash on deeply nested input.

Bad:
    notes: [[[[[[[[[[ ... ]]]]]]]]]]    # 201 levels of lists

Good:
    notes: One paragraph of text.
""")
MULTIPLE_DOCUMENTS = register("Y007", "multiple-documents", "The file holds more than one YAML document.", """\
A record file holds exactly one record. Split the documents into files, one a meeting.

Bad:
    id: first-meeting
    ---
    id: second-meeting

Good:
    id: first-meeting
""")
EMPTY_DOCUMENT = register("Y008", "empty-document", "The file holds no document.", """\
The file is empty or holds only whitespace (spaces, tabs, line breaks, a byte-order mark)
and, in YAML, comments. Start it with `communique new`.

Bad:
    # TODO: encode the meeting

Good:
    schema_version: "1.0"
""")
NUMBER_OUT_OF_RANGE = register("Y009", "number-out-of-range",
                               "A number is too long, infinite or NaN, which JSON cannot represent.", """\
YAML reads `.inf`, `.nan` and numbers of thousands of digits, but JSON cannot hold them,
and records are JSON data. Quote the value if it was meant as text.

Bad:
    title: .inf

Good:
    title: ".inf"
""")
YAML_VERSION = register("Y010", "yaml-version-directive", "The file declares a YAML version other than 1.2.", """\
Records are read as YAML 1.2 by every command. A `%YAML 1.1` directive asks readers for
1.1, where `NO` is false, `010` is eight and an unquoted date is a date: the record would
mean one thing here and another there. Remove the directive; quote the values the two
versions read differently (A001 lists them, `communique fmt` quotes them).

Bad:
    %YAML 1.1
    ---
    venue: {city: Oslo, country: NO}

Good:
    venue: {city: Oslo, country: "NO"}
""")
AMBIGUOUS_BREAK = register("Y011", "ambiguous-line-break",
                           "A NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR character stands in the text.", """\
YAML 1.1 readers (and libyaml, which this tool reads with) take U+0085, U+2028 and U+2029 for
line breaks; YAML 1.2 readers take them for ordinary characters. The value around one would
differ between readers. Inside double quotes, write them as the escapes `\\N`, `\\L` and
`\\P`, which every reader reads alike.

Bad:
    notes: "first<U+2028>second"     # the raw character between the words

Good:
    notes: "first\\Lsecond"
""")

# Schema level: well-formed data that breaks the contract.
NOT_A_MAPPING = register("S001", "record-not-mapping", "The document is not a mapping (an object).", """\
A record is a mapping of field names to values; a list or a scalar at the top cannot be
one. A leading "- " makes the whole file a list.

Bad:
    - schema_version: "1.0"
      id: example-meeting

Good:
    schema_version: "1.0"
    id: example-meeting
""")
MISSING_VERSION = register("S002", "missing-schema-version", "The record does not declare `schema_version`.", """\
The validator picks the schema by this field, so a record without it cannot be checked.

Bad:
    id: example-meeting

Good:
    schema_version: "1.0"
    id: example-meeting
""")
UNKNOWN_VERSION = register("S003", "unknown-schema-version",
                           "`schema_version` names no schema this tool knows, or is not a string.", """\
Write the version as a quoted string; an unquoted 1.0 is a number. `communique schema
--list` shows the versions this installation knows; a newer one needs a newer communique.

Bad:
    schema_version: 1.0

Good:
    schema_version: "1.0"
""")
REQUIRED = register("S101", "required-property", "A required property is missing.", """\
The schema requires this field here; the message says which, and what it holds. The
finding points at the mapping that lacks it.

Bad:
    venue: {city: Brussels}

Good:
    venue: {city: Brussels, country: BE}
""")
UNKNOWN_PROPERTY = register("S102", "unknown-property", "A property is not allowed here (a typo?).", """\
Every field a record may hold is in the schema, so an unknown one is usually a typo: the
message names the closest allowed field. Facts with no field go in `notes`.

Bad:
    venue: {city: Brussels, contry: BE}

Good:
    venue: {city: Brussels, country: BE}
""")
WRONG_TYPE = register("S103", "wrong-type", "A value has the wrong type.", """\
In YAML 1.2 an unquoted 2026 is a number and an unquoted true is a boolean; quote such
values when a string is meant.

Bad:
    title: 2026

Good:
    title: "2026"
""")
NOT_ALLOWED_VALUE = register("S104", "value-not-allowed", "A value is not one of those the schema allows.", """\
The field takes one of a fixed list of values (the message lists them and names the
closest). `communique rule` and docs/schema-1.0.md describe each.

Bad:
    kind: conference

Good:
    kind: forum
""")
BAD_FORMAT = register("S105", "bad-format", "A value does not have the required format (a real date, a URI).", """\
Dates are checked against the calendar, not only their shape.

Bad:
    dates: {start: 2025-02-30}

Good:
    dates: {start: 2025-02-28}
""")
PATTERN_MISMATCH = register("S106", "pattern-mismatch", "A string is not in the form the field requires.", """\
Ids are lower-case slugs, country codes upper-case ISO 3166-1 codes, caveat paths JSON
Pointers. The message says the form in words, with an example, and a corrected value
when a simple one fits.

Bad:
    venue: {city: Oslo, country: no}

Good:
    venue: {city: Oslo, country: "NO"}
""")
OUT_OF_BOUNDS = register("S107", "out-of-bounds", "A value, string or list is too small or too large.", """\
A list that must hold something is empty, a text is empty, or a number is out of range
(rounds count from 1).

Bad:
    parties: []

Good:
    parties: [{id: no, name: Norway, kind: state, country: "NO"}]
""")
NOT_UNIQUE = register("S108", "not-unique", "A list that must hold distinct items repeats one.", """\
Lists of ids (parties of an agreement, sources of a fact) name each item once.

Bad:
    dates: {start: 2025-11-21, sources: [example-source, example-source]}

Good:
    dates: {start: 2025-11-21, sources: [example-source]}
""")
# Layout: what `communique fmt --check` reports.
NOT_CANONICAL = register(
    "K001", "not-canonical", "The file is not in canonical form; `communique fmt` would rewrite it.",
    """Records are kept in one layout, so that a change to a record shows as a change to its
values and not to its layout, and so that records read alike: keys in the order the schema
declares them, 2-space indentation with `  - ` items, lists of plain values in flow style,
strings quoted (in double quotes) only where YAML 1.2 would read them otherwise.
`communique fmt --check` reports a file that differs, at the first line that would change;
`communique fmt FILE` rewrites it, keeping every value and comment (`--diff` shows the change).

Bad:
    id: pk-eu-strategic-dialogue-07
    schema_version: '1.0'
    dates: {start: 2025-11-21}
    parties:
    - id: pk
      name: "Pakistan"
      sources:
        - 000_977b91af71d6b120

Good:
    schema_version: "1.0"
    id: pk-eu-strategic-dialogue-07
    dates:
      start: "2025-11-21"
    parties:
      - id: pk
        name: Pakistan
        sources: [000_977b91af71d6b120]
""")
CANNOT_FORMAT = register(
    "K002", "cannot-format", "The formatter could not rewrite the file without changing it; it was left untouched.",
    """Before writing, the formatter loads its output again, with this tool's loader, PyYAML
(YAML 1.1) and ruamel.yaml (YAML 1.2), and checks that all three read the same data as the
file holds, that every comment is kept, and that formatting it again changes nothing. When
a check fails (or the file cannot be parsed for formatting), the file is left as it is and
this finding names the problem: which reader disagreed, and where. A tab before a comment
is one input that ruamel.yaml, which the formatter parses with, refuses; other cases are
bugs: please report them, with the file.

Bad:
    title: Example meeting\t# a tab before the comment

Good:
    title: Example meeting  # spaces before the comment
""")
WRITE_FAILED = register(
    "K003", "write-failed", "The formatted file could not be written.",
    """The file is read-only, its folder cannot be written, or the disk is full. The file is
unchanged. The run exits 2.

Bad:
    $ chmod a-w records/example-meeting.yaml && communique fmt records/

Good:
    $ chmod u+w records/example-meeting.yaml && communique fmt records/
""", io_error=True)
# Versions: what `communique migrate` reports.
CANNOT_MIGRATE = register(
    "M001", "cannot-migrate", "The record could not be moved to the newer schema version; it was left untouched.",
    """`communique migrate` moves a record to a newer minor version by editing only what the
move changes (`schema_version`, the version in the editor comment, caveat paths that name a
list item by its position), and checks the result before writing: it must load, hold the
same data but for those values, keep every comment, validate under the new version, and
every caveat must point at the same field as before. A record it cannot move so is left as
it is, and this finding says why, where: most often the record is not valid under its own
version (fix what `communique validate` reports, then migrate again), or its
`schema_version` names no version this tool knows.

Bad:
    schema_version: "1.0"
    title: 2026                  # not valid under 1.0: the migration would not be checkable

Good:
    schema_version: "1.0"
    title: "2026"
""")
NOT_MIGRATED = register(
    "M002", "not-migrated", "The record is on an older schema version; `communique migrate` would move it.",
    """`communique migrate --check` (and `--diff`) reports each record that a migration would
rewrite, at its `schema_version`, and writes nothing; the exit code is 1. `communique
migrate FILE` moves it: the new `schema_version`, the editor comment's schema path, and
caveat paths that name list items by their ids, every other byte as it was.

Bad:
    # yaml-language-server: $schema=../schema/1.0/record.schema.json
    schema_version: "1.0"
    caveats: [{path: /agreements/19/parties, kind: inferred, note: Parties from context.}]

Good:
    # yaml-language-server: $schema=../schema/1.1/record.schema.json
    schema_version: "1.1"
    caveats: [{path: /agreements/deepen-sep-cooperation/parties, kind: inferred, note: Parties from context.}]
""")
POSITION_KEPT = register(
    "M003", "position-kept", "A migrated caveat path still names a list item by its position.",
    """From schema 1.1 a caveat path names a list item by its id, which stays with the item when
the list is reordered, and `communique migrate` rewrites positions into ids. It keeps a
position where an id could be misread: when an item of that list has an id that reads as a
number (`id: "7"`: a 1.1 reader matches ids first, so `/parties/7` would be ambiguous to a
person), or when two items share the id (R002). The record is migrated all the same; the
path keeps pointing where it did, and R004 goes on warning about it until the ids are
made unambiguous and the path is rewritten by hand.

Bad:
    parties: [{id: "7", name: Seven, kind: organisation}, {id: pk, name: Pakistan, kind: state}]
    caveats: [{path: /parties/1, kind: inferred, note: From context.}]

Good:
    parties: [{id: seven, name: Seven, kind: organisation}, {id: pk, name: Pakistan, kind: state}]
    caveats: [{path: /parties/pk, kind: inferred, note: From context.}]
""", severity=Severity.INFO)
MIGRATE_WRITE_FAILED = register(
    "M004", "migrate-write-failed", "The migrated record could not be written.",
    """The file is read-only, its folder cannot be written, or the disk is full. The file is
unchanged. The run exits 2.

Bad:
    $ chmod a-w records/example-meeting.yaml && communique migrate records/

Good:
    $ chmod u+w records/example-meeting.yaml && communique migrate records/
""", io_error=True)
RULES_SKIPPED = register("S900", "rules-skipped", "Lint rules were not run on a record that does not match the schema.", """\
Rules read records that match the schema, so on a record that does not, none of them
runs (nor are its suppressions of their codes called unused). Rather than pass the record
in silence, `communique check` and `communique lint` say so, once a record, whenever rules
were selected, even by a `--select` that leaves S900 out (`--ignore S900` hides it), and
whatever the selection when none of the record's schema problems is shown (`--select A`,
`--ignore S`), so that a record failing the schema never passes as "No problems".
`check` shows the schema problems beside it; after `lint`, `communique check` (or
`validate`) shows them. Fix them, and check again.

Bad:
    title: 2026        # the rules are skipped: the schema wants a string

Good:
    title: "2026"
""")
NO_MATCHING_FORM = register("S109", "no-matching-form", "A value matches none of the forms the schema allows.", """\
Some fields take one of several forms: `dates` needs `start` (a day) or `within` (a month
or a year); a partial date is YYYY-MM-DD, YYYY-MM or YYYY. The message says which forms.

Bad:
    dates: {weekday: Friday}

Good:
    dates: {within: 2025-11}
""")

# Project set-up: the repository's own files around the records.
SCHEMA_COPY_STALE = register(
    "P001", "schema-copy-stale", "The repository's copy of the schema for editors differs from the installed one.",
    """`communique init` copies the schema into the repository (`editor-schema` in the
configuration), where records and editor settings point at it with relative paths. When
communique is upgraded, or a new schema version arrives, the copy falls behind and
editors check records against an older schema than `communique check` does. Refresh it
with `communique init --refresh-schema`, and commit the result.

Bad:
    # communique.toml
    editor-schema = ".communique/schema"   # holds 1.0 from an older communique, or no 1.0 at all

Good:
    # communique.toml, after `communique init --refresh-schema`
    editor-schema = ".communique/schema"   # holds every version this communique carries, byte for byte
""", severity=Severity.WARNING)
