"""The server stays responsive: checks run off its event loop, a newer edit supersedes a
check under way, and a check that fails is shown as a diagnostic, not a crash. Each test
drives `tests/server/altered_server.py` (the real server with slowed or failing checks)
over stdio with pytest-lsp, as an editor does."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import codes, diagnostics_until, large_record, open_file, start

pytestmark = pytest.mark.asyncio

ALTERED = Path(__file__).with_name("altered_server.py")
SLOW = 4.0  # seconds every check of the slowed server takes, at least
PLANTED = "planted-bug"  # a text with this in it makes the failing server's check raise


def altered(*arguments: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=[sys.executable, str(ALTERED), *arguments], server_env={**os.environ})


@pytest_lsp.fixture(config=altered("--slow", str(SLOW)))
async def slow_client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=altered("--fail-on", PLANTED))
async def failing_client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def published_versions(client: LanguageClient) -> dict[str, list]:
    """Every version whose diagnostics the server publishes, by URI, in order of arrival
    (pytest-lsp keeps only the last diagnostics)."""
    features = client.protocol.fm.features
    keep = features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]
    versions: dict[str, list] = {}

    def record(params: lsp.PublishDiagnosticsParams) -> None:
        versions.setdefault(params.uri, []).append((params.version, time.perf_counter()))
        keep(params)

    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    return versions


def edit(client: LanguageClient, uri: str, version: int, line: int, column: int, old: str, new: str) -> None:
    """Replace `old` at (line, column) by `new`, as an editor sends a keystroke."""
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
        [lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(line, column), lsp.Position(line, column + len(old))), text=new)]))


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n")) if fragment in line)


async def timed(request) -> tuple[float, object]:
    started = time.perf_counter()
    answer = await request
    return time.perf_counter() - started, answer


async def test_hover_and_completion_answer_while_a_large_record_is_checked(slow_client, keeper):
    client = slow_client
    versions = published_versions(client)
    await start(client, keeper)
    path = keeper / "records" / "af-pk-talks-02.yaml"
    text = large_record(path.read_text(encoding="utf-8"))
    assert len(text) > 900_000
    uri = await open_file(client, path, text)
    await diagnostics_until(client, uri, lambda found: found is not None)

    title = line_of(text, "title: ")
    edit(client, uri, 2, title, len("title: "), "", "x")  # a keystroke: the slow check starts again
    sent = time.perf_counter()
    kind = line_of(text, "kind: talks")
    item = line_of(text, "    agenda_item: cross-border-terrorism")
    hovers, completions = [], []
    for _ in range(10):
        took, hover = await timed(client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(kind, 1))))
        hovers.append(took)
        assert hover.contents.value.startswith("**kind**")  # the last state it read, not nothing
        took, offered = await timed(client.text_document_completion_async(lsp.CompletionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(item, len("    agenda_item: ")))))
        completions.append(took)
        assert [offer.label for offer in offered.items] == ["cross-border-terrorism"]
    answered = time.perf_counter()
    # Every answer came while the check of version 2 was under way: none waited for it.
    assert 2 not in [version for version, _ in versions.get(uri, [])]
    assert answered - sent < SLOW
    print(f"\nhover: median {statistics.median(hovers) * 1000:.1f} ms, max {max(hovers) * 1000:.1f} ms; "
          f"completion: median {statistics.median(completions) * 1000:.1f} ms, "
          f"max {max(completions) * 1000:.1f} ms")
    assert statistics.median(hovers) < 0.1 and statistics.median(completions) < 0.1
    assert max(hovers + completions) < SLOW / 4  # a noisy machine, but far from waiting for a check

    await diagnostics_until(client, uri, lambda found: any(version == 2 for version, _ in versions.get(uri, [])))


async def test_an_edit_made_during_a_check_supersedes_it_and_its_result_is_never_shown(slow_client, keeper):
    client = slow_client
    versions = published_versions(client)
    await start(client, keeper)
    path = keeper / "records" / "af-pk-talks-03.yaml"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    await diagnostics_until(client, uri, lambda found: found is not None)
    row = line_of(text, "  round: 3")
    edit(client, uri, 2, row, len("  round: "), "3", "2")  # a duplicate of round 2: X002
    await asyncio.sleep(SLOW / 4)  # its check is under way
    edit(client, uri, 3, row, len("  round: "), "2", "3")  # mended before that check ends
    await diagnostics_until(client, uri, lambda found: any(version == 3 for version, _ in versions.get(uri, [])),
                            timeout=SLOW * 6)
    assert [version for version, _ in versions[uri]] == [1, 3]
    assert "X002" not in codes(client.diagnostics[uri])


async def test_a_check_or_completion_that_fails_is_no_pop_up_and_the_server_goes_on(failing_client, keeper):
    client = failing_client
    await start(client, keeper)
    path = keeper / "records" / "af-pk-talks-03.yaml"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path, text.replace("title: ", f"title: {PLANTED} ", 1))
    [failure] = await diagnostics_until(client, uri, lambda found: found is not None)
    assert failure.severity == lsp.DiagnosticSeverity.Error
    assert failure.range == lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    assert failure.message.startswith("communique: internal error while checking: RuntimeError: a planted bug")
    assert "please report" in failure.message
    assert not any("Traceback" in message.message or "Error in server" in message.message
                   for message in client.messages)  # no pop-up
    assert any("Traceback" in message.message for message in client.log_messages)  # the log has it
    offered = await client.text_document_completion_async(lsp.CompletionParams(  # its bug answers nothing
        lsp.TextDocumentIdentifier(uri), lsp.Position(line_of(text, "kind: talks"), len("kind: "))))
    assert offered is None and not client.messages

    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [lsp.TextDocumentContentChangeWholeDocument(text=text.replace("  round: 3\n", "  round: 2\n"))]))
    found = await diagnostics_until(client, uri, lambda found: "X002" in codes(found))
    assert not any("internal error" in diagnostic.message for diagnostic in found)


async def test_a_fractional_round_is_checked_without_a_crash(client, keeper):
    """`round: 1.0` once raised in a naming rule: the server showed nothing but a traceback."""
    await start(client, keeper)
    path = keeper / "records" / "af-pk-talks-03.yaml"
    uri = await open_file(client, path, path.read_text(encoding="utf-8").replace("  round: 3\n", "  round: 1.0\n"))
    found = await diagnostics_until(client, uri, lambda found: found)
    assert all(diagnostic.severity for diagnostic in found) and any(
        diagnostic.severity == lsp.DiagnosticSeverity.Error for diagnostic in found)
    assert not any("Traceback" in message.message or "Error in server" in message.message
                   for message in client.messages)
