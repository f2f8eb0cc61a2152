"""Found by name: the real YAML language server, given our JSON Schema Store catalog and no
other wiring (no schema comment, no settings naming a file), validates a file named
`<id>.communique.yaml` and leaves any other YAML file alone.

The catalog and the bundled schema files are served over HTTP on loopback, as SchemaStore
and the project's repository serve them to editors; only the address differs from the
catalog that ships (`schema/catalog.json`), which `communique schema --catalog` writes for
any address.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from communique.cli import main
from communique.schema import LATEST
from communique.schema.catalog import DEFAULT_BASE_URL

from ..conftest import RECORDS, REPO
from .lsp import LanguageServer

PREVIOUS = "1.2"  # the shipped records' version


class _Logged(SimpleHTTPRequestHandler):
    requested: list[str] = []

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        self.requested.append(self.path)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A folder served on loopback holding the catalog and every version's bundled schema."""
    root = tmp_path_factory.mktemp("served")
    handler = functools.partial(_Logged, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for arguments in (["schema", "--bundle", "-o", str(root / "schema")],
                      ["schema", "--catalog", "--base-url", f"{base}/schema", "-o", str(root / "catalog.json")]):
        result = CliRunner().invoke(main, arguments)
        assert result.exit_code == 0, result.output
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield base, root
    httpd.shutdown()


@pytest.fixture(scope="module")
def keeper(tmp_path_factory):
    """A keeper's repository: records with no schema comment and no editor settings."""
    repository = tmp_path_factory.mktemp("keeper")
    (repository / "records").mkdir()
    return repository


@pytest.fixture(scope="module")
def server(yaml_language_server, served, keeper):
    base, _ = served
    lsp = LanguageServer(yaml_language_server, keeper,
                         settings={"schemaStore": {"enable": True, "url": f"{base}/catalog.json"}})
    yield lsp
    lsp.close()


def _without_schema_comment(name: str) -> str:
    text = (RECORDS / name).read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines(keepends=True) if "yaml-language-server" not in line)


def test_the_served_catalog_is_the_shipped_one_at_another_address(served):
    base, root = served
    shipped = (REPO / "schema" / "catalog.json").read_text(encoding="utf-8")
    local = (root / "catalog.json").read_text(encoding="utf-8")
    assert local.replace(f"{base}/schema", DEFAULT_BASE_URL) == shipped


def test_a_record_named_for_editors_is_validated_by_its_name_alone(server, served, keeper):
    # The catalog names the latest version, so the record is the shipped one moved to it
    # (as `communique migrate` moves it: the version line alone).
    text = _without_schema_comment("pk-eu-political-dialogue-10.yaml").replace(
        f'schema_version: "{PREVIOUS}"', f'schema_version: "{LATEST}"')
    assert "$schema" not in text and f'schema_version: "{LATEST}"' in text
    good = keeper / "records" / "pk-eu-political-dialogue-10.communique.yaml"
    assert server.open(good.as_uri(), text) == []
    bad_text = text.replace("kind: dialogue", "kind: conference")
    diagnostics = server.open((keeper / "records" / "bad.communique.yaml").as_uri(), bad_text)
    lines = bad_text.splitlines()
    assert {lines[d["range"]["start"]["line"]].strip() for d in diagnostics} == {"kind: conference"}
    assert f"/schema/{LATEST}/record.schema.json" in _Logged.requested  # fetched through the catalog


def test_other_yaml_files_are_not_claimed(server, keeper):
    bad_text = _without_schema_comment("pk-eu-political-dialogue-10.yaml").replace("kind: dialogue",
                                                                                  "kind: conference")
    for name in ("bad.yaml", "communique.yaml", "records.yml"):
        assert server.open((keeper / "records" / name).as_uri(), bad_text) == [], name
