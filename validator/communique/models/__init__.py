"""Pydantic models of the records, generated from the JSON Schema (see tools/regenerate.py).

Each schema version has its module (`v1_0`, `v1_1`, `v1_2`, `v1_3`); `CommuniqueRecord` of that module is a
whole record of that version. This package re-exports the latest version's models, and
`record_model(version)` picks the model a record's `schema_version` names. Do not edit the
generated modules by hand.
"""

from __future__ import annotations

import importlib

from .v1_3 import *  # noqa: F401,F403
from .v1_3 import CommuniqueRecord  # noqa: F401


def record_model(version: str) -> type:
    """The `CommuniqueRecord` model of schema `version` ("1.0"); KeyError for a version with no model."""
    from .. import schema

    if version not in schema.versions():
        raise KeyError(f"unknown schema version {version!r}; known: {', '.join(schema.versions())}")
    module = importlib.import_module(f"{__name__}.v{version.replace('.', '_')}")
    return module.CommuniqueRecord
