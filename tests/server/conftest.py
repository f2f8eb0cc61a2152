"""A keeper's repository, and `communique server` started on it by a real LSP client
(pytest-lsp) over stdio, as an editor starts it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from ..conftest import RECORDS

TALKS = ["af-pk-talks-01.yaml", "af-pk-talks-02.yaml", "af-pk-talks-03.yaml"]


@pytest.fixture
def keeper(tmp_path, seeds) -> Path:
    """A repository as `communique init` leaves it, with three records of one series and
    the source texts they cite."""
    repo = tmp_path / "meetings"
    (repo / "records").mkdir(parents=True)
    (repo / "sources").mkdir()
    (repo / "communique.toml").write_text('records = "records"\nsources = "sources"\n', encoding="utf-8")
    for name in TALKS:
        shutil.copy(RECORDS / name, repo / "records" / name)
    for source in ("000_977b91af71d6b120", "001_fa99d96cec5996b8"):
        shutil.copy(seeds / f"{source}.txt", repo / "sources" / f"{source}.txt")
    return repo


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "communique", "server"],
                                              server_env={**os.environ}))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, repo: Path) -> None:
    await client.initialize_session(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=repo.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(repo.as_uri(), repo.name)]))


async def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri, "yaml", 1, path.read_text(encoding="utf-8") if text is None else text)))
    return uri


async def diagnostics_until(client: LanguageClient, uri: str, wanted, timeout: float = 60) -> list[lsp.Diagnostic]:
    """The diagnostics of `uri` once `wanted(diagnostics)` holds; fails after `timeout`."""
    async def wait():
        while not wanted(client.diagnostics.get(uri, None)):
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    try:
        return await asyncio.wait_for(wait(), timeout)
    except TimeoutError:
        pytest.fail(f"no diagnostics as wanted for {uri}; last: {client.diagnostics.get(uri)}")


def codes(diagnostics) -> list[str]:
    return sorted(d.code for d in diagnostics or [])


def large_record(text: str, size: int = 1_000_000) -> str:
    """A record of about `size` characters: `text` (af-pk-talks-02.yaml, which agrees nothing)
    with as many agreements as fill it, each quoting its source as it stands."""
    agreement = ("  - id: keep-talking-{n}\n    kind: commitment\n    text: Keep talking ({n}).\n"
                 "    parties: [pk, af]\n    agenda_item: cross-border-terrorism\n    evidence:\n"
                 "      - source: 001_fa99d96cec5996b8\n"
                 "        quote: A second round in Ankara on October 25 failed to yield results\n")
    count = max(1, (size - len(text)) // len(agreement.format(n=1000)))
    agreements = "".join(agreement.format(n=n) for n in range(count))
    assert "agreements: []\n" in text
    return text.replace("agreements: []\n", f"agreements:\n{agreements}", 1)
