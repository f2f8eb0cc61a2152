"""Records in an editor: the real YAML language server (the engine of the editors' YAML
extension) reads a record's `yaml-language-server` schema comment, flags schema errors as
the user types, and offers the schema's fields for completion. Driven over LSP on stdio.

The server is installed from the npm registry into a temporary folder, as an editor's
extension bundles it.
"""

from __future__ import annotations

import pytest

from ..conftest import RECORDS, REPO
from .lsp import LanguageServer


@pytest.fixture(scope="module")
def server(yaml_language_server):
    lsp = LanguageServer(yaml_language_server, REPO)
    yield lsp
    lsp.close()


@pytest.mark.parametrize("record", sorted(RECORDS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_records_have_no_diagnostics(server, record):
    assert server.open((RECORDS / f"editor-{record.name}").as_uri(), record.read_text()) == []


def test_errors_are_flagged_at_their_lines_as_the_user_types(server):
    text = (RECORDS / "pk-eu-political-dialogue-10.yaml").read_text()
    text = text.replace("kind: dialogue", "kind: conference").replace("  country: BE", "  country: be")
    diagnostics = server.open((RECORDS / "editor-bad.yaml").as_uri(), text)
    lines = text.splitlines()
    flagged = {lines[d["range"]["start"]["line"]].strip() for d in diagnostics}
    assert flagged == {"kind: conference", "country: be"}


def test_fields_of_the_schema_are_offered_for_completion(server):
    text = 'schema_version: "1.0"\nid: example-meeting\n\n'
    text = "# yaml-language-server: $schema=../schema/1.0/record.schema.json\n" + text
    uri = (RECORDS / "editor-new.yaml").as_uri()
    server.open(uri, text)
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                         "position": {"line": 3, "character": 0}})
    labels = {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}
    assert {"title", "kind", "parties", "co_chairs", "agreements", "next_round"} <= labels
    assert "schema_version" not in labels  # already there


def _labels(server, uri, line, character):
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                         "position": {"line": line, "character": character}})
    return {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}


def test_schema_1_1_offers_its_code_lists_and_new_fields(server):
    text = ('# yaml-language-server: $schema=../schema/1.1/record.schema.json\n'
            'schema_version: "1.1"\nid: example-meeting\nvenue:\n  country: \n'
            'agreements:\n  - amounts:\n      - currency: \n')
    uri = (RECORDS / "editor-codes.yaml").as_uri()
    server.open(uri, text)
    lines = text.splitlines()
    assert {"GB", "PK", "\"NO\""} <= _labels(server, uri, 4, len(lines[4]))  # ISO 3166-1 (NO quoted, as YAML 1.1 needs)
    assert {"USD", "EUR"} <= _labels(server, uri, 7, len(lines[7]))       # ISO 4217
    series = text + "series:\n  id: example\n  \n"
    uri = (RECORDS / "editor-series.yaml").as_uri()
    server.open(uri, series)
    assert {"edition", "periodicity", "aliases"} <= _labels(server, uri, series.count("\n") - 1, 2)


def test_schema_1_2_offers_a_meetings_status_and_its_new_fields(server):
    text = ('# yaml-language-server: $schema=../schema/1.2/record.schema.json\n'
            'schema_version: "1.2"\nid: example-meeting\nstatus: \n')
    uri = (RECORDS / "editor-status.yaml").as_uri()
    server.open(uri, text)
    lines = text.splitlines()
    assert {"cancelled", "postponed", "downgraded"} <= _labels(server, uri, 3, len(lines[3]))
    more = text.replace("status: \n", "\n")
    uri = (RECORDS / "editor-fields.yaml").as_uri()
    server.open(uri, more)
    assert {"status_change", "statements", "stops", "on_margins_of", "heads_named"} <= _labels(server, uri, 3, 0)
