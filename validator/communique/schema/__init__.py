"""The communique JSON Schema, for this tool and for other projects.

Importing this module pulls in nothing but the standard library, so a website or a
pipeline can use the schema without the CLI's dependencies. `registry()` needs the
`referencing` package (installed with jsonschema).

In a wheel the files live in `communique/_schemas/<version>/`; in a source checkout
(an editable install) they are read from the repository's `schema/` folder, their one copy.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import referencing

SCHEMA_FILE = "record.schema.json"
LATEST = "1.3"


def schema_dir() -> Path:
    """Folder holding one sub-folder per schema version."""
    packaged = Path(__file__).parent.parent / "_schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schema"


@lru_cache(maxsize=None)
def versions() -> tuple[str, ...]:
    """Schema versions this installation carries, oldest first."""
    found = [p.parent.name for p in schema_dir().glob(f"*/{SCHEMA_FILE}")]
    return tuple(sorted(found, key=lambda v: tuple(int(part) for part in v.split("."))))


def version_of(data: Any) -> str:
    """The schema version a record's fields are read by: the one it names, or the latest
    when it names none this tool knows (its fields are still worth describing)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) and version in versions() else LATEST


def schema_path(version: str = LATEST) -> Path:
    """Path of the schema file of `version`; KeyError when the version is unknown."""
    if version not in versions():
        raise KeyError(f"unknown schema version {version!r}; known: {', '.join(versions())}")
    return schema_dir() / version / SCHEMA_FILE


@lru_cache(maxsize=None)
def _load(version: str) -> dict[str, Any]:
    return json.loads(schema_path(version).read_text(encoding="utf-8"))


def load_cached(version: str = LATEST) -> dict[str, Any]:
    """The schema of `version` as one shared dict, for readers that never modify it."""
    return _load(version)


def load_schema(version: str = LATEST) -> dict[str, Any]:
    """The schema of `version` as a dict (a fresh copy: callers may modify it)."""
    return json.loads(json.dumps(_load(version)))


def schema_id(version: str = LATEST) -> str:
    return _load(version)["$id"]


def registry() -> "referencing.Registry":
    """A `referencing.Registry` holding every version under its `$id`, for offline `$ref`s."""
    from referencing import Registry, Resource

    resources = [(schema_id(v), Resource.from_contents(_load(v))) for v in versions()]
    return Registry().with_resources(resources)
