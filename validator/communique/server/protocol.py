"""`communique server`: the language server, on pygls. This module only translates: editor
events in, the workspace's findings and edits out, in the client's position units.

Checking a record can take seconds (a large document, a slow quote search), so it never runs
on the event loop: each open document's checks run one after another on a worker thread,
and an edit made meanwhile supersedes the running check, whose result is dropped rather
than published for a version the editor has left. Hover and completion answer from the last
checked and last parsed state without waiting for a check.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..core.findings import Finding, Severity
from ..core.version import __version__
from ..documents.files import RECORD_SUFFIXES, forget_file_keys
from ..lint.rules.evidence import SOURCE_SUFFIXES, forget_sources
from ..run.config import CONFIG_FILES
from .actions import fixed_text, suppressed_text
from .completion import offers
from .hover import describe_field, explain_findings
from .positions import Position, text_change
from .workspace import Diagnosis, Workspace

FIX_ALL = "source.fixAll.communique"
FORMAT = "source.format.communique"
OTHERS_DELAY = 0.3  # seconds of quiet before the other open records are checked again
SWITCH_INTERVAL = 0.001
GC_THRESHOLDS = (50_000, 20, 10)  # Python's defaults are (700, 10, 10)
MAX_CHECK_DELAY = 0.25  # seconds of quiet an edit of a slow-checking document waits for, at most
LARGE_TEXT = 100_000  # characters: a record read is kept out of the cyclic collector's passes
QUICK_CHECK = 0.05  # seconds: a record checked faster is checked again at once, each keystroke
SEVERITIES = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
              Severity.INFO: lsp.DiagnosticSeverity.Information}


class CommuniqueServer(LanguageServer):
    def __init__(self, use_cache: bool = True):
        super().__init__("communique", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.records = Workspace(use_cache=use_cache)
        self.diagnoses: dict[str, Diagnosis] = {}  # open documents, by URI
        self._others: asyncio.Task | None = None
        self.last_read: dict = {}  # the last text of each open record that could be read, parsed
        # Every use of the workspace runs on this one thread, in turn: checks, rereads, forgets.
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="communique-check")
        self._stale: set[str] = set()  # open documents whose newest text is not checked yet
        self._checking: dict[str, asyncio.Task] = {}
        self._edited: dict[str, float] = {}  # when each document was last edited
        self._took: dict[str, float] = {}  # how long its last check took, in seconds

    def opened(self, uri: str) -> bool:
        return uri in self.workspace.text_documents

    def check_soon(self, uri: str) -> None:
        """Check the document's current text on the worker, once the edits pause. A check
        already under way for it is superseded: when it ends, the newest text is checked."""
        if to_fs_path(uri) is None:  # an untitled buffer, a file in git history: no file, no configuration
            return
        self._stale.add(uri)
        self._edited[uri] = time.perf_counter()
        task = self._checking.get(uri)
        if task is None or task.done():
            self._checking[uri] = asyncio.get_running_loop().create_task(self._check_while_stale(uri))

    async def _check_while_stale(self, uri: str) -> None:
        while uri in self._stale:
            await self._quiet(uri)
            self._stale.discard(uri)
            if not self.opened(uri):
                return
            document = self.workspace.get_text_document(uri)
            text, version = document.source, document.version
            started = time.perf_counter()
            diagnosis = await self.off_loop(self.diagnose, to_fs_path(uri), text)
            self._took[uri] = time.perf_counter() - started
            if uri in self._stale or not self.opened(uri) or document.source != text:
                continue  # superseded by an edit or a close: never shown for a text that is gone
            self.show(uri, diagnosis, version)

    async def _quiet(self, uri: str) -> None:
        """Wait until the document has not been edited for a while: a fraction of what its
        last check took, so a record checked in milliseconds is checked at once, and one
        that takes a second is not checked again for each keystroke of a word."""
        took = self._took.get(uri, 0.0)
        delay = min(MAX_CHECK_DELAY, took / 4) if took > QUICK_CHECK else 0.0
        while (left := self._edited.get(uri, 0.0) + delay - time.perf_counter()) > 0:
            await asyncio.sleep(left)

    async def off_loop(self, function, *args):
        """Run `function` on the worker that every use of the workspace goes through, one
        at a time, and wait for it without holding up the editor's other requests."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    def diagnose(self, path: str, text: str) -> Diagnosis:
        """The record's findings, with their ranges (on the worker). A check that fails is
        a bug of this tool: it is said where the keeper sees it, and the server goes on."""
        try:
            diagnosis = self.records.diagnose(path, text)
            diagnosis.ranges  # noqa: B018 -- placed here, not on the event loop
            return diagnosis
        except Exception:  # a bug here must not take the editor's checking down with it
            return Diagnosis(path, text, None, failure=traceback.format_exc())

    async def current(self, uri: str) -> Diagnosis | None:
        """The open document's diagnosis for its current text, checked now if need be (for
        the edits of fixes and formatting, which must match the text they change)."""
        diagnosis = self.diagnoses.get(uri)
        document = self.workspace.get_text_document(uri)
        if diagnosis is not None and diagnosis.text == document.source:
            return diagnosis
        if to_fs_path(uri) is None:
            return None
        text, version = document.source, document.version
        diagnosis = await self.off_loop(self.diagnose, to_fs_path(uri), text)
        if not self.opened(uri) or document.source != text:
            return None  # the text moved on while it was checked
        self.show(uri, diagnosis, version)
        return diagnosis

    def show(self, uri: str, diagnosis: Diagnosis, version: int | None) -> None:
        """Publish a diagnosis of the document's current text (on the event loop)."""
        self.diagnoses[uri] = diagnosis
        if diagnosis.document is not None:
            self.last_read[uri] = diagnosis.document
        if len(diagnosis.text) > LARGE_TEXT:
            # A large record read is a million objects; left to the cyclic collector, each
            # full pass over them holds every thread for a tenth of a second or more, hovers
            # included. Frozen, they are still freed when replaced (they hold no cycles).
            gc.freeze()
        if diagnosis.failure is not None:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, diagnosis.failure))
            error = diagnosis.failure.strip().splitlines()[-1]
            diagnostics = [lsp.Diagnostic(
                lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                f"communique: internal error while checking: {error}; please report it "
                f"(the traceback is in the language server's log)", lsp.DiagnosticSeverity.Error,
                source="communique")]
        else:
            diagnostics = [self.diagnostic(uri, finding, span) for finding, span in zip(diagnosis.findings,
                                                                                        diagnosis.ranges)]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, version))
        self._report_problems()
        for scope in self.records.take_new_scopes():
            asyncio.get_running_loop().create_task(self._load(scope))

    def republish_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.check_soon(uri)

    def republish_others_soon(self, uri: str) -> None:
        """An edit here can make or mend a finding in another open record: check those again
        once typing pauses, so that each keystroke costs one record, not every open one."""
        if self._others is not None:
            self._others.cancel()

        async def later() -> None:
            await asyncio.sleep(OTHERS_DELAY)
            for other in list(self.workspace.text_documents):
                if other != uri:
                    self.check_soon(other)

        self._others = asyncio.get_running_loop().create_task(later())

    async def _load(self, scope) -> None:
        """Index a corpus in the background, then add the cross-record findings."""
        started = time.perf_counter()
        try:
            await asyncio.get_running_loop().run_in_executor(None, scope.load)
        except Exception:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, traceback.format_exc()))
            return
        # The index is hundreds of thousands of long-lived objects without cycles; left to
        # the cyclic collector, each full pass over them stalls a keystroke by ~100 ms.
        gc.freeze()
        self.window_log_message(lsp.LogMessageParams(
            lsp.MessageType.Info, f"communique: {len(scope.index)} records indexed in "
                                  f"{time.perf_counter() - started:.1f} s"))
        self.republish_all()

    def _report_problems(self) -> None:
        while self.records.problems:
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error,
                                                           f"communique: {self.records.problems.pop(0)}"))

    def client_range(self, uri: str, start: Position, end: Position) -> lsp.Range:
        document = self.workspace.get_text_document(uri)
        return document.range_to_client_units(lsp.Range(lsp.Position(*start), lsp.Position(*end)))

    def diagnostic(self, uri: str, finding: Finding, span: tuple[Position, Position]) -> lsp.Diagnostic:
        return lsp.Diagnostic(self.client_range(uri, *span), finding.message, SEVERITIES[finding.severity],
                              code=finding.code.code, source="communique")

    def server_position(self, uri: str, position: lsp.Position) -> Position:
        found = self.workspace.get_text_document(uri).position_from_client_units(position)
        return found.line, found.character

    def findings_at(self, diagnosis: Diagnosis, start: Position, end: Position) -> list[tuple[Finding, tuple]]:
        """The findings whose range meets [start, end], with their ranges."""
        return [(finding, (first, last)) for finding, (first, last) in zip(diagnosis.findings, diagnosis.ranges)
                if first <= end and start <= last]

    def action(self, uri: str, proposal: Proposal) -> lsp.CodeAction:
        start, end, text = proposal.change
        change = lsp.TextEdit(self.client_range(uri, start, end), text)
        answers = [self.diagnostic(uri, *proposal.answers)] if proposal.answers is not None else None
        return lsp.CodeAction(proposal.title, kind=proposal.kind, diagnostics=answers,
                              is_preferred=proposal.preferred or None, edit=lsp.WorkspaceEdit(changes={uri: [change]}))


def create_server(use_cache: bool = True) -> CommuniqueServer:
    server = CommuniqueServer(use_cache)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: CommuniqueServer, params: lsp.InitializedParams) -> None:
        root = ls.workspace.root_path
        if root and os.path.isdir(root):
            os.chdir(root)  # paths in messages read as `check` run from the repository would write them
            ls.records = Workspace(use_cache=ls.records.use_cache)  # everything it knows, from this folder
        watching = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watching and watching.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/*{suffix}")
                        for suffix in RECORD_SUFFIXES + SOURCE_SUFFIXES]
            watchers += [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            ls.client_register_capability(lsp.RegistrationParams([lsp.Registration(
                "communique-files", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                lsp.DidChangeWatchedFilesRegistrationOptions(watchers))]))
        ls._worker.submit(_warm_up)  # what the first completion would load, loaded while the keeper reads

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: CommuniqueServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.check_soon(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CommuniqueServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.check_soon(uri)
        ls.republish_others_soon(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: CommuniqueServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.diagnoses.pop(uri, None)
        ls.last_read.pop(uri, None)
        ls._stale.discard(uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        path = to_fs_path(uri)
        if path is not None:
            await ls.off_loop(ls.records.reread, path)  # the saved text counts again, not the unsaved one
        ls.republish_all()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_files(ls: CommuniqueServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        changes = [(to_fs_path(change.uri), change.type) for change in params.changes
                   if not ls.opened(change.uri)]  # the editor's text wins over the file's
        await ls.off_loop(_take_in, ls.records, changes)
        ls.republish_all()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_answering
    def hover(ls: CommuniqueServer, params: lsp.HoverParams) -> lsp.Hover | None:
        """From the last check and the last text that read: a hover never waits for a check."""
        uri = params.text_document.uri
        diagnosis = ls.diagnoses.get(uri)
        if diagnosis is None:
            return None
        where = ls.server_position(uri, params.position)
        findings = [finding for finding, _ in ls.findings_at(diagnosis, where, where)]
        document = diagnosis.document or ls.last_read.get(uri)
        text = explain_findings(findings) if findings else \
            describe_field(document, where) if document is not None else None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text)) if text else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "[", ",", "-"]))
    @_answering
    def completion(ls: CommuniqueServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        """Offers in the current text, with the ids of the last text that read: a completion
        never waits for a check."""
        uri = params.text_document.uri
        path = to_fs_path(uri)
        diagnosis = ls.diagnoses.get(uri)
        if path is None or not (diagnosis.is_record if diagnosis is not None else
                                path.lower().endswith(RECORD_SUFFIXES)):
            return None
        where = ls.server_position(uri, params.position)
        last = ls.last_read.get(uri)
        found, start = offers(ls.workspace.get_text_document(uri).source, where,
                              is_json=path.lower().endswith(".json"), known=last.data if last is not None else None)
        typed = ls.client_range(uri, start, where)
        items = [lsp.CompletionItem(
            offer.value, detail=offer.detail or None, sort_text=f"{index:04d}", filter_text=offer.value,
            kind=lsp.CompletionItemKind.Reference if offer.reference else lsp.CompletionItemKind.EnumMember,
            text_edit=lsp.TextEdit(typed, offer.insert)) for index, offer in enumerate(found)]
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL, FORMAT]))
    async def code_action(ls: CommuniqueServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        diagnosis = await ls.current(uri)
        if diagnosis is None or diagnosis.document is None:
            return None
        wanted = params.context.only

        def asked(kind: str) -> bool:
            return not wanted or any(kind == k or kind.startswith(f"{k}.") for k in wanted)

        chosen = []
        if asked(lsp.CodeActionKind.QuickFix):
            chosen = ls.findings_at(diagnosis, ls.server_position(uri, params.range.start),
                                    ls.server_position(uri, params.range.end))
        proposals = await ls.off_loop(_proposals, diagnosis, chosen, asked(FIX_ALL), asked(FORMAT))
        if ls.workspace.get_text_document(uri).source != diagnosis.text:
            return []  # edited while the edits were worked out: they would not fit
        return [ls.action(uri, proposal) for proposal in proposals]

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: CommuniqueServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        uri = params.text_document.uri
        diagnosis = await ls.current(uri)
        if diagnosis is None or diagnosis.document is None:
            return None
        change, problem = await ls.off_loop(_format_change, diagnosis.document)
        if problem is not None:
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, f"communique fmt: {problem}"))
        if change is None or ls.workspace.get_text_document(uri).source != diagnosis.text:
            return []  # nothing to change, or edited while the layout was worked out
        start, end, text = change
        return [lsp.TextEdit(ls.client_range(uri, start, end), text)]

    return server


def _answering(handler):
    """A request that fails is answered with nothing, and the traceback goes to the log: the
    keeper asked for a hover or a completion, not for an error pop-up."""
    @functools.wraps(handler)
    def answer(ls: CommuniqueServer, params):
        try:
            return handler(ls, params)
        except Exception:
            ls.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, traceback.format_exc()))
            return None

    return answer


def _warm_up() -> None:
    """Import and load, on the worker, what hover and completion first need (the schema,
    ruamel.yaml's resolver, the rule explanations), so the first of them is not slow."""
    from ..lint.selection import explanation  # noqa: F401

    offers("kind: \n", (0, len("kind: ")))


def _take_in(records: Workspace, changes: list[tuple[str | None, lsp.FileChangeType]]) -> None:
    """Files changed on disk (on the worker): configurations read again, sources forgotten,
    records reread or taken out of their scopes."""
    forget_file_keys()  # a link may have been made or removed
    for path, kind in changes:
        if path is None:
            continue
        if os.path.basename(path) in CONFIG_FILES:
            records.forget_configs()
        elif path.endswith(SOURCE_SUFFIXES):
            forget_sources()
        elif kind == lsp.FileChangeType.Deleted:
            records.forget(path)
        else:
            records.reread(path)


@dataclass(frozen=True)
class Proposal:
    """A code action worked out on the worker: the one change it makes, in the server's
    positions, and the finding it answers (if one)."""

    title: str
    kind: str
    change: tuple[Position, Position, str]
    answers: tuple[Finding, tuple] | None = None
    preferred: bool = False


def _proposals(diagnosis: Diagnosis, chosen: list[tuple[Finding, tuple]], fix_all: bool, format_it: bool
               ) -> list[Proposal]:
    """The fixes and suppressions of the chosen findings, all safe fixes, and the `fmt`
    layout (on the worker: each is a rewrite of the whole text)."""
    document = diagnosis.document
    found = []
    for finding, span in chosen:
        fixed = fixed_text(document, [finding])
        if fixed is not None:
            found.append(Proposal(f"Fix {finding.code.code}: {fixed[1]}", lsp.CodeActionKind.QuickFix,
                                  text_change(document.text, fixed[0]), (finding, span), preferred=True))
        suppressed = suppressed_text(document, finding)
        if suppressed is not None:
            found.append(Proposal(f"Suppress {finding.code.code} on line {finding.line}",
                                  lsp.CodeActionKind.QuickFix, text_change(document.text, suppressed),
                                  (finding, span)))
    if fix_all:
        fixed = fixed_text(document, diagnosis.findings)
        if fixed is not None:
            found.append(Proposal("Fix all safe fixes (communique)", FIX_ALL, text_change(document.text, fixed[0])))
    if format_it:
        formatted, _ = _formatted(document)
        if formatted is not None and formatted != document.text:
            found.append(Proposal("Format the record (communique fmt)", FORMAT, text_change(document.text, formatted)))
    return found


def _format_change(document) -> tuple[tuple[Position, Position, str] | None, str | None]:
    """The one change that gives the record the `fmt` layout (None: none to make), and why
    it cannot be made, if it cannot (on the worker)."""
    formatted, problem = _formatted(document)
    if formatted is None or formatted == document.text:
        return None, problem
    return text_change(document.text, formatted), None


def _formatted(document) -> tuple[str | None, str | None]:
    """The `fmt` layout of a record, or None: for JSON (fmt leaves it alone), or when it
    cannot be made safely (then also why, for the editor to tell when it asked to format)."""
    from ..rewrite.formatting import format_text
    from ..rewrite.formatting.errors import Unformattable

    if document.path.lower().endswith(".json"):
        return None, None
    try:
        return format_text(document.text, document.data, document.path), None
    except Unformattable as problem:
        return None, str(problem)


def serve(use_cache: bool = True) -> None:
    # The worker holds the interpreter's lock while it checks; the editor's requests get it
    # back within this many seconds (Python's default is 5 ms, several waits per request).
    sys.setswitchinterval(SWITCH_INTERVAL)
    # Reading a large record makes objects by the hundred thousand; at Python's default
    # thresholds each read sets off collections over all of them that hold every thread for
    # 0.1-0.6 s. Collected in bigger, rarer batches, no pause of a hover is longer than ~50 ms.
    gc.set_threshold(*GC_THRESHOLDS)
    create_server(use_cache).start_io()
