"""Lint rules: small, declaratively registered checks of what the schema cannot express.

A rule is a function decorated with `@rule(...)`, which records its code, name, default
severity and one-line summary; its docstring says why it matters and gives a `Bad:` and a
`Good:` example. Listing, explaining and documenting rules read this metadata and nothing
else.

Record rules (and document rules, which also see records that fail the schema) take a
`RecordContext` and yield `Violation`s for that record. Corpus rules take the `Corpus`
index (built once per run) and yield `(file path, Violation)` pairs.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ...core import findings
from ...core.findings import Code, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULE_MODULES = ("dates", "references", "chairs", "codes", "naming", "evidence", "quotes", "corpus",
                "yaml_versions")


@dataclass(frozen=True)
class Violation:
    """One problem a rule found: where (a JSON path in the record) and what."""

    json_path: tuple
    message: str
    key: bool = False  # point at the key naming json_path's last step, not at its value


@dataclass(frozen=True)
class Rule:
    code: Code
    check: Callable[..., Iterable[Any]]
    # "record": one record that matches the schema; "document": any parsed record, before
    # the schema; "corpus": the whole corpus.
    scope: str
    # A document rule whose findings stand in for schema findings at the same place (a TODO
    # placeholder is reported as unfilled, not also as a bad date).
    replaces_schema_findings: bool = False

    @property
    def examples(self) -> dict[str, str]:
        return parse_examples(self.code.doc)


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, summary: str, *, scope: str = "record",
         replaces_schema_findings: bool = False):
    """Register the decorated function as a rule."""

    def register(check):
        doc = inspect.cleandoc(check.__doc__ or "")
        entry = findings.register(code, name, summary, doc, severity=severity)
        RULES[code] = Rule(entry, check, scope, replaces_schema_findings)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, in code order (importing the rule modules on first call)."""
    for module in RULE_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    importlib.import_module("communique.lint.suppression")  # registers the U codes the linter reports
    return [RULES[code] for code in sorted(RULES)]


def parse_examples(doc: str) -> dict[str, str]:
    """The indented blocks under `Bad:` and `Good:` in a rule's docstring."""
    return split_doc(doc)[1]


def split_doc(doc: str) -> tuple[str, dict[str, str]]:
    """A code's docstring as its prose and its `Bad:` and `Good:` blocks (dedented)."""
    prose: list[str] = []
    sections: dict[str, list[str]] = {}
    current = None
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped in ("Bad:", "Good:"):
            current = stripped[:-1].lower()
            sections[current] = []
        elif current and (line.startswith("    ") or not stripped):
            sections[current].append(line[4:])
        else:
            current = None
            prose.append(line)
    return "\n".join(prose).strip(), {name: "\n".join(lines).strip("\n") + "\n" for name, lines in sections.items()}
