"""Every code explains itself with a failing and a passing example, and the examples of
the parse and schema codes are true: the failing one gives its code, the passing one does
not. (The lint rules' examples are backed by their fixtures in tests/lint/rules/.)"""

from __future__ import annotations

import pytest
from communique.documents.loading import load_text
from communique.lint.rules import parse_examples
from communique.lint.selection import known_codes
from communique.schema.validation import validate_document

from ..conftest import FIXTURES

CODES = known_codes()
BASE = load_text((FIXTURES / "valid" / "minimal.yaml").read_text(encoding="utf-8"), "base.yaml").document
# Examples that cannot be shown as a file's text (a missing file, 201 levels of nesting...).
DESCRIBED_ONLY = {"F001", "F002", "F003", "F004", "Y006", "Y011", "K002", "K003", "S900"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_failing_and_a_passing_example(code):
    examples = parse_examples(CODES[code].doc)
    assert examples.get("bad", "").strip() and examples.get("good", "").strip(), f"{code} needs Bad: and Good:"
    assert examples["bad"] != examples["good"]


def codes_of(example: str) -> set[str]:
    """Codes found in the example read as a file, and merged into a valid record."""
    loaded = load_text(example, "example.yaml")
    found = {f.code.code for f in loaded.findings}
    if loaded.document is None:
        return found
    found |= {f.code.code for f in validate_document(loaded.document)}
    if isinstance(loaded.document.data, dict) and "schema_version" not in loaded.document.data:
        merged = type(BASE)("example.yaml", example, {**BASE.data, **loaded.document.data}, None)
        found |= {f.code.code for f in validate_document(merged)}
    return found


def codes_of_good(example: str) -> set[str]:
    loaded = load_text(example, "example.yaml")
    found = {f.code.code for f in loaded.findings}
    if loaded.document is not None and isinstance(loaded.document.data, dict):
        merged = type(BASE)("example.yaml", example, {**BASE.data, **loaded.document.data}, None)
        found |= {f.code.code for f in validate_document(merged)}
    return found


@pytest.mark.parametrize("code", sorted(c for c in CODES if c[0] in "YS" and c not in DESCRIBED_ONLY))
def test_parse_and_schema_examples_are_true(code):
    examples = parse_examples(CODES[code].doc)
    assert code in codes_of(examples["bad"]), f"{code}'s Bad example does not give {code}"
    assert code not in codes_of_good(examples["good"]), f"{code}'s Good example gives {code}"
