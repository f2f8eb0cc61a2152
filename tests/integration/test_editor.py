"""Records in an editor: the real YAML language server (the engine of the editors' YAML
extension) reads a record's `yaml-language-server` schema comment, flags schema errors as
the user types, and offers the schema's fields for completion. Driven over LSP on stdio.

The server is installed from the npm registry into a temporary folder, as an editor's
extension bundles it.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time

import pytest

from ..conftest import RECORDS, REPO


class LanguageServer:
    """A minimal LSP client: framed JSON-RPC over the server's stdin and stdout."""

    SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=REPO)
        self.inbox: queue.Queue = queue.Queue()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    return
                header += byte
            length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            self.inbox.put(json.loads(stream.read(length)))

    def _write(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self._write({"method": method, "params": params})

    def request(self, method, params):
        self.last_id += 1
        self._write({"id": self.last_id, "method": method, "params": params})
        wanted = self.last_id
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m)["result"]

    def wait(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from the language server")
            message = self.inbox.get(timeout=remaining)
            if message.get("method") == "workspace/configuration":  # the server asks for settings
                self._write({"id": message["id"], "result": [self.SETTINGS] * len(message["params"]["items"])})
            elif "method" in message and "id" in message:  # other server requests: acknowledge
                self._write({"id": message["id"], "result": None})
            elif predicate(message):
                return message

    def open(self, uri, text):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)["params"]["diagnostics"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not (shutil.which("node") and shutil.which("npm")):
        message = "needs node and npm to install yaml-language-server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("yaml-language-server")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                    "yaml-language-server@2"], check=True, capture_output=True, timeout=300)
    lsp = LanguageServer([str(folder / "node_modules" / ".bin" / "yaml-language-server"), "--stdio"])
    lsp.request("initialize", {"processId": os.getpid(), "rootUri": REPO.as_uri(),
                               "capabilities": {"workspace": {"configuration": True}}})
    lsp.notify("initialized", {})
    lsp.notify("workspace/didChangeConfiguration", {"settings": {"yaml": LanguageServer.SETTINGS}})
    yield lsp
    lsp.process.kill()


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
