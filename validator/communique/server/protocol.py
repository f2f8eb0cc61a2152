"""`communique server`: the language server, on pygls. This module only translates: editor
events in, the workspace's findings and edits out, in the client's position units."""

from __future__ import annotations

import asyncio
import gc
import os
import time
import traceback

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..config import CONFIG_FILES
from ..files import RECORD_SUFFIXES, forget_file_keys
from ..findings import Finding, Severity
from ..rules.evidence import SOURCE_SUFFIXES, forget_sources
from .actions import fixed_text, suppressed_text
from .completion import offers
from .hover import describe_field, explain_findings
from .positions import Position, finding_range, text_change
from .workspace import Diagnosis, Workspace

FIX_ALL = "source.fixAll.communique"
FORMAT = "source.format.communique"
OTHERS_DELAY = 0.3  # seconds of quiet before the other open records are checked again
SEVERITIES = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
              Severity.INFO: lsp.DiagnosticSeverity.Information}


class CommuniqueServer(LanguageServer):
    def __init__(self, use_cache: bool = True):
        super().__init__("communique", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.records = Workspace(use_cache=use_cache)
        self.diagnoses: dict[str, Diagnosis] = {}  # open documents, by URI
        self._others: asyncio.Task | None = None
        self.last_read: dict = {}  # the last text of each open record that could be read, parsed

    def current(self, uri: str) -> Diagnosis | None:
        """The open document's diagnosis, checked again if its text moved on since."""
        diagnosis = self.diagnoses.get(uri)
        if diagnosis is not None and diagnosis.text != self.workspace.get_text_document(uri).source:
            diagnosis = self.publish(uri)
        return diagnosis

    def publish(self, uri: str) -> Diagnosis | None:
        path = to_fs_path(uri)
        if path is None:  # an untitled buffer, a file in git history: no file, no configuration
            return None
        document = self.workspace.get_text_document(uri)
        try:
            diagnosis = self.records.diagnose(path, document.source)
        except Exception:  # a bug here must not take the editor's checking down with it
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, traceback.format_exc()))
            return None
        self.diagnoses[uri] = diagnosis
        if diagnosis.document is not None:
            self.last_read[uri] = diagnosis.document
        diagnostics = [self.diagnostic(uri, diagnosis, finding) for finding in diagnosis.findings]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, document.version))
        self._report_problems()
        for scope in self.records.take_new_scopes():
            asyncio.get_running_loop().create_task(self._load(scope))
        return diagnosis

    def republish_all(self) -> None:
        for uri in list(self.diagnoses):
            self.publish(uri)

    def republish_others_soon(self, uri: str) -> None:
        """An edit here can make or mend a finding in another open record: check those again
        once typing pauses, so that each keystroke costs one record, not every open one."""
        if self._others is not None:
            self._others.cancel()

        async def later() -> None:
            await asyncio.sleep(OTHERS_DELAY)
            for other in list(self.diagnoses):
                if other != uri:
                    self.publish(other)

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

    def range_of(self, uri: str, diagnosis: Diagnosis, finding: Finding) -> lsp.Range:
        start, end = finding_range(diagnosis.document, diagnosis.lines, finding)
        return self.client_range(uri, start, end)

    def client_range(self, uri: str, start: Position, end: Position) -> lsp.Range:
        document = self.workspace.get_text_document(uri)
        return document.range_to_client_units(lsp.Range(lsp.Position(*start), lsp.Position(*end)))

    def diagnostic(self, uri: str, diagnosis: Diagnosis, finding: Finding) -> lsp.Diagnostic:
        return lsp.Diagnostic(self.range_of(uri, diagnosis, finding), finding.message, SEVERITIES[finding.severity],
                              code=finding.code.code, source="communique")

    def server_position(self, uri: str, position: lsp.Position) -> Position:
        found = self.workspace.get_text_document(uri).position_from_client_units(position)
        return found.line, found.character

    def findings_at(self, uri: str, diagnosis: Diagnosis, start: Position, end: Position) -> list[Finding]:
        """The findings whose range meets [start, end]."""
        found = []
        for finding in diagnosis.findings:
            first, last = finding_range(diagnosis.document, diagnosis.lines, finding)
            if first <= end and start <= last:
                found.append(finding)
        return found

    def edit(self, uri: str, old: str, new: str, title: str, kind: str, diagnostics=None,
             preferred: bool = False) -> lsp.CodeAction:
        start, end, text = text_change(old, new)
        change = lsp.TextEdit(self.client_range(uri, start, end), text)
        return lsp.CodeAction(title, kind=kind, diagnostics=diagnostics, is_preferred=preferred or None,
                              edit=lsp.WorkspaceEdit(changes={uri: [change]}))


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

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: CommuniqueServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CommuniqueServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.publish(uri)
        ls.republish_others_soon(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: CommuniqueServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.diagnoses.pop(uri, None)
        ls.last_read.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        path = to_fs_path(uri)
        if path is not None:
            ls.records.reread(path)  # the saved text counts again, not the unsaved one
        ls.republish_all()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_files(ls: CommuniqueServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        forget_file_keys()  # a link may have been made or removed
        for change in params.changes:
            path = to_fs_path(change.uri)
            if path is None:
                continue
            if os.path.basename(path) in CONFIG_FILES:
                ls.records.forget_configs()
            elif path.endswith(SOURCE_SUFFIXES):
                forget_sources()
            elif change.uri in ls.diagnoses:
                continue  # the editor's text wins over the file's
            elif change.type == lsp.FileChangeType.Deleted:
                ls.records.forget(path)
            else:
                ls.records.reread(path)
        ls.republish_all()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: CommuniqueServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        diagnosis = ls.current(uri)
        if diagnosis is None:
            return None
        where = ls.server_position(uri, params.position)
        findings = ls.findings_at(uri, diagnosis, where, where)
        text = explain_findings(findings) if findings else \
            describe_field(diagnosis.document, where) if diagnosis.document is not None else None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text)) if text else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "[", ",", "-"]))
    def completion(ls: CommuniqueServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        diagnosis = ls.current(uri)
        if diagnosis is None or not diagnosis.is_record:
            return None
        where = ls.server_position(uri, params.position)
        last = ls.last_read.get(uri)
        found, start = offers(diagnosis.text, where, is_json=diagnosis.path.lower().endswith(".json"),
                              known=last.data if last is not None else None)
        typed = ls.client_range(uri, start, where)
        items = [lsp.CompletionItem(
            offer.value, detail=offer.detail or None, sort_text=f"{index:04d}", filter_text=offer.value,
            kind=lsp.CompletionItemKind.Reference if offer.reference else lsp.CompletionItemKind.EnumMember,
            text_edit=lsp.TextEdit(typed, offer.insert)) for index, offer in enumerate(found)]
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL, FORMAT]))
    def code_action(ls: CommuniqueServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        diagnosis = ls.current(uri)
        if diagnosis is None or diagnosis.document is None:
            return None
        document = diagnosis.document
        wanted = params.context.only

        def asked(kind: str) -> bool:
            return not wanted or any(kind == k or kind.startswith(f"{k}.") for k in wanted)

        actions = []
        if asked(lsp.CodeActionKind.QuickFix):
            start = ls.server_position(uri, params.range.start)
            end = ls.server_position(uri, params.range.end)
            for finding in ls.findings_at(uri, diagnosis, start, end):
                shown = [ls.diagnostic(uri, diagnosis, finding)]
                fixed = fixed_text(document, [finding])
                if fixed is not None:
                    actions.append(ls.edit(uri, document.text, fixed[0], f"Fix {finding.code.code}: {fixed[1]}",
                                           lsp.CodeActionKind.QuickFix, shown, preferred=True))
                suppressed = suppressed_text(document, finding)
                if suppressed is not None:
                    actions.append(ls.edit(uri, document.text, suppressed,
                                           f"Suppress {finding.code.code} on line {finding.line}",
                                           lsp.CodeActionKind.QuickFix, shown))
        if asked(FIX_ALL):
            fixed = fixed_text(document, diagnosis.findings)
            if fixed is not None:
                actions.append(ls.edit(uri, document.text, fixed[0], "Fix all safe fixes (communique)", FIX_ALL))
        if asked(FORMAT):
            formatted = _formatted(document)
            if formatted is not None and formatted != document.text:
                actions.append(ls.edit(uri, document.text, formatted, "Format the record (communique fmt)", FORMAT))
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: CommuniqueServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        uri = params.text_document.uri
        diagnosis = ls.current(uri)
        if diagnosis is None or diagnosis.document is None:
            return None
        formatted = _formatted(diagnosis.document, ls)
        if formatted is None or formatted == diagnosis.document.text:
            return []
        start, end, text = text_change(diagnosis.document.text, formatted)
        return [lsp.TextEdit(ls.client_range(uri, start, end), text)]

    return server


def _formatted(document, ls: CommuniqueServer | None = None) -> str | None:
    """The `fmt` layout of a record; None for JSON (fmt leaves it alone) or when it cannot
    be made safely (then the editor is told why, when it asked to format)."""
    from ..formatting import format_text
    from ..formatting.errors import Unformattable

    if document.path.lower().endswith(".json"):
        return None
    try:
        return format_text(document.text, document.data, document.path)
    except Unformattable as problem:
        if ls is not None:
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, f"communique fmt: {problem}"))
        return None


def serve(use_cache: bool = True) -> None:
    create_server(use_cache).start_io()
