"""Time the language server's answer to a keystroke in a 10,000-record workspace.

    pip install -e .
    python bench/server.py [--records 10000] [--edits 300]

Writes the synthetic corpus (bench/make_corpus.py) with its source texts into a keeper's
repository (communique.toml naming both), starts `communique server` as an editor does, and
drives it with pygls's own LSP client over stdio. It opens one record, waits for the corpus
to be indexed, then types: each edit is one character, inserted or deleted in the record's
title, in an evidence quote (checked against its source) or its round number (the
cross-record rules have new work), sent as an incremental change. The latency of an edit is the time from
sending it to receiving the diagnostics of that version. Prints the median and the 95th
percentile, and how long indexing took, from a cold cache and a warm one. A measurement,
not a test.

Then, responsiveness while a large record is checked: the open record grows to about 1 MB
(its agreements repeated under new ids), and each round makes one edit of its title and
sends hovers (on `kind`) and completions (of an `agenda_item`) one after another until the
diagnostics of that edit arrive. Only the answers that came while the check was still
under way count: their median and 95th percentile, and how long each check took.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, ROOT  # noqa: E402


class Session:
    """One server, one open record, and the times its diagnostics arrive."""

    def __init__(self, repo: Path, cache: Path):
        self.repo, self.cache = repo, cache
        self.client = LanguageClient("bench", "1")
        self.arrived: dict[int, float] = {}
        self.codes: dict[int, set] = {}  # what each version was found to have, to show the edits did work
        self.indexed = asyncio.Event()
        self.index_message = ""

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            if params.version is not None:
                self.arrived.setdefault(params.version, time.perf_counter())
                self.codes.setdefault(params.version, {str(d.code) for d in params.diagnostics})

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        def logged(params: lsp.LogMessageParams) -> None:
            if "indexed" in params.message:
                self.index_message = params.message
                self.indexed.set()

    async def start(self) -> float:
        """Start the server and open a record; the seconds until the corpus is indexed."""
        await self.client.start_io(str(BIN / "communique"), "server", env={**os.environ,
                                                                            "COMMUNIQUE_CACHE_DIR": str(self.cache)})
        await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), root_uri=self.repo.as_uri(), process_id=os.getpid()))
        self.client.initialized(lsp.InitializedParams())
        started = time.perf_counter()
        records = sorted((self.repo / "records").glob("*.yaml"))
        self.path = records[len(records) // 2 + 5]  # a round in the middle of its series
        self.uri = self.path.as_uri()
        self.text = self.path.read_text(encoding="utf-8")
        self.version = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(self.uri, "yaml", self.version, self.text)))
        await asyncio.wait_for(self.indexed.wait(), 600)
        return time.perf_counter() - started

    async def edit(self, line: int, column: int, old: str, new: str) -> float:
        """Replace `old` at (line, column) by `new`; seconds until that version's diagnostics."""
        self.version += 1
        version = self.version
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(line, column), lsp.Position(line, column + len(old))), text=new)
        sent = time.perf_counter()
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=version, uri=self.uri), [change]))
        while version not in self.arrived:
            await asyncio.sleep(0.0005)
        return self.arrived[version] - sent

    async def edit_only(self, line: int, column: int, old: str, new: str) -> None:
        """Send the edit, without waiting for its diagnostics."""
        self.version += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=self.version, uri=self.uri),
            [lsp.TextDocumentContentChangePartial(
                range=lsp.Range(lsp.Position(line, column), lsp.Position(line, column + len(old))), text=new)]))

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def spot(text: str, pattern: str) -> tuple[int, int]:
    """(line, column) just after the match of `pattern`."""
    for number, line in enumerate(text.split("\n")):
        match = re.search(pattern, line)
        if match:
            return number, match.end()
    raise SystemExit(f"the record has no line matching {pattern!r}")


async def type_in(session: Session, edits: int) -> dict[str, list[float]]:
    """Each edit made and then undone, in turn: a letter in the title (the schema and the
    record rules), a letter in an evidence quote (the quote check, against its source), and
    the round number (the cross-record rules: a duplicate round, a gap, a slipped plan)."""
    places = {"title": spot(session.text, r"^title: ."), "quote": spot(session.text, r"^\s+quote: .")}
    line, column = spot(session.text, r"^  round: \d")
    digit = session.text.split("\n")[line][column - 1]
    kinds = list(places) + ["round"]
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    session.found = {kind: set() for kind in kinds}
    for number in range(edits):
        kind = kinds[number % len(kinds)]
        made, undone = (((line, column - 1), digit, "9"), ((line, column - 1), "9", digit)) if kind == "round" \
            else ((places[kind], "", "x"), (places[kind], "x", ""))
        for (where, old, new) in (made, undone):
            times[kind].append(await session.edit(*where, old, new))
            if (where, old, new) == made:
                session.found[kind] |= session.codes[session.version]
    return times


def large_version(text: str, size: int = 1_000_000) -> str:
    """The record with its agreements repeated, under new ids, until it is about `size`
    characters long."""
    lines = text.split("\n")
    start = lines.index("agreements:")
    end = next(number for number in range(start + 1, len(lines)) if lines[number][:1] not in ("", " "))
    block = "\n".join(lines[start + 1:end])
    copies, length, count = [], len(text), 0
    while length < size:
        count += 1
        copy = re.sub(r"^  - id: (\S+)", lambda match: f"  - id: {match.group(1)}-copy-{count}", block, flags=re.M)
        copies.append(copy)
        length += len(copy) + 1
    return "\n".join(lines[:end] + copies + lines[end:])


async def answers_while_checking(session: Session, wanted: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds each hover and each completion took while a check of the large record was
    under way, and how long each check took (edit to diagnostics)."""
    big = large_version(session.text)
    session.version += 1
    session.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version=session.version, uri=session.uri),
        [lsp.TextDocumentContentChangeWholeDocument(text=big)]))
    while session.version not in session.arrived:
        await asyncio.sleep(0.01)
    title = spot(big, r"^title: .")
    field = lsp.Position(spot(big, r"^kind: ")[0], 1)
    lines = big.split("\n")
    middle = next(number for number in range(len(lines) // 2, len(lines))  # an agreement half-way down
                  if lines[number].startswith("    agenda_item: "))
    item = lsp.Position(middle, len("    agenda_item: "))
    document = lsp.TextDocumentIdentifier(session.uri)
    hovers, completions, checks = [], [], []
    while min(len(hovers), len(completions)) < wanted:
        typed = (len(checks) % 2 == 0)
        sent = time.perf_counter()
        version = session.version + 1
        await session.edit_only(title[0], title[1], "" if typed else "x", "x" if typed else "")
        while version not in session.arrived:
            for times, request in ((hovers, session.client.text_document_hover_async(lsp.HoverParams(document, field))),
                                   (completions, session.client.text_document_completion_async(
                                       lsp.CompletionParams(document, item)))):
                started = time.perf_counter()
                answer = await request
                if version not in session.arrived and answer:
                    times.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)
        checks.append(session.arrived[version] - sent)
    return hovers, completions, checks


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def measure(repo: Path, cache: Path, edits: int, large_answers: int) -> None:
    for label in ("cold cache", "warm cache"):
        session = Session(repo, cache)
        indexing = await session.start()
        print(f"{label}: {session.index_message.removeprefix('communique: ')}; open to indexed {indexing:.1f} s")
        if label == "warm cache":
            times = await type_in(session, edits)
            every = [value for values in times.values() for value in values]
            for name, values in (("title (schema and record rules)", times["title"]),
                                 ("quote (the quote check too)", times["quote"]),
                                 ("round (cross-record rules too)", times["round"]), ("all edits", every)):
                print(f"  {name:<38} n={len(values):<4} median {statistics.median(values) * 1000:6.1f} ms   "
                      f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   max {max(values) * 1000:6.1f} ms")
            for kind, codes in session.found.items():
                print(f"  codes found while the {kind} was edited: {', '.join(sorted(codes)) or 'none'}")
            hovers, completions, checks = await answers_while_checking(session, large_answers)
            print(f"the open record grown to 1 MB; {len(checks)} edits, each checked in median "
                  f"{statistics.median(checks):.2f} s, max {max(checks):.2f} s; while a check was under way:")
            for name, values in (("hover", hovers), ("completion", completions)):
                print(f"  {name:<38} n={len(values):<4} median {statistics.median(values) * 1000:6.1f} ms   "
                      f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   max {max(values) * 1000:6.1f} ms")
        await session.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=300, help="edit pairs (each made and then undone)")
    parser.add_argument("--answers", type=int, default=50,
                        help="hovers and completions to time while the 1 MB record is checked")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="communique-bench-server-"))
    try:
        repo = workdir / "meetings"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(repo / "records"),
                        str(args.records), str(repo / "sources")], check=True, stdout=subprocess.DEVNULL)
        (repo / "communique.toml").write_text('records = "records"\nsources = "sources"\n', encoding="utf-8")
        print(f"{args.records} synthetic records with their sources; {os.cpu_count()} CPUs; "
              f"{args.edits * 2} edits of one open record")
        asyncio.run(measure(repo, workdir / "cache", args.edits, args.answers))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
