"""docs/ is generated from the schema and the rules' metadata, and must not go stale; the
README's Python examples run as written."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
spec = importlib.util.spec_from_file_location("docs_tool", REPO / "tools" / "docs.py")
docs_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(docs_tool)
GENERATED = docs_tool.documents()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: p.name)
def test_generated_document_is_current(path):
    assert path.is_file(), f"{path} is missing: run `python tools/regenerate.py`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], (
        f"{path.name} is stale: run `python tools/regenerate.py` and commit the result")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
def test_schema_reference_covers_every_field(version):
    from communique import schema

    text = GENERATED[REPO / "docs" / f"schema-{version}.md"]
    record = schema.load_schema(version)
    for name in record["properties"]:
        assert f"| `{name}` |" in text
    for name, node in record["$defs"].items():
        assert f"## {name}" in text
        for field in node.get("properties", {}):
            assert f"| `{field}` |" in text, f"{name}.{field}"


def test_rule_reference_covers_every_code_with_examples():
    from communique.core.findings import CODES
    from communique.lint.rules import all_rules

    text = GENERATED[REPO / "docs" / "rules.md"]
    for rule in all_rules():
        section = text.split(f"## {rule.code.code} {rule.code.name}")[1].split("\n## ")[0]
        assert "**Bad**" in section and "**Good**" in section and "```yaml" in section
    for code in CODES:
        assert f"## {code} " in text


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S))
def test_the_readme_python_examples_run(block, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(REPO / "packages" / "communique-schema"))  # communique_schema, from the checkout
    exec(compile(block, "README.md", "exec"), {})
