"""A minimal LSP client for the real YAML language server (the engine of the editors' YAML
extension): framed JSON-RPC over the server's standard input and output."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path


class LanguageServer:
    SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

    def __init__(self, executable: Path, workspace: Path, settings: dict | None = None):
        self.settings = {**self.SETTINGS, **(settings or {})}
        self.process = subprocess.Popen([str(executable), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=workspace)
        self.inbox: queue.Queue = queue.Queue()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": workspace.as_uri(),
                                    "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
                                    "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

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
                self._write({"id": message["id"], "result": [self.settings] * len(message["params"]["items"])})
            elif "method" in message and "id" in message:  # other server requests: acknowledge
                self._write({"id": message["id"], "result": None})
            elif predicate(message):
                return message

    def open(self, uri, text):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)["params"]["diagnostics"]

    def close(self):
        self.process.kill()
        self.process.wait()
