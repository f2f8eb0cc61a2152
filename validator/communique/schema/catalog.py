"""The JSON Schema Store catalog entry: how an editor finds our schema by a file's name.

Editors with the YAML or JSON language server read a catalog (SchemaStore's by default) and
give a file the schema whose `fileMatch` its name matches. Records are `<id>.yaml` in a
records folder, a name too common to claim; a record named `<id>.communique.yaml` claims
only our files, and the tool reads the id from it the same way (see `record_stem`).
"""

from __future__ import annotations

from typing import Any

from . import LATEST, SCHEMA_FILE, versions

CATALOG_SCHEMA = "https://json.schemastore.org/schema-catalog.json"
FILE_MATCH = ("*.communique.yaml", "*.communique.yml", "*.communique.json")
# Each version's folder never changes once released, so the main branch serves all of them.
DEFAULT_BASE_URL = "https://raw.githubusercontent.com/communique-project/communique/main/schema"


def catalog(base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """A catalog in SchemaStore's format with our one entry, its files under `base_url`."""
    base_url = base_url.rstrip("/")
    return {
        "$schema": CATALOG_SCHEMA,
        "version": 1,
        "schemas": [{
            "name": "communique record",
            "description": "A record of one diplomatic meeting: parties, chairs, venue, dates, agenda, agreements, "
                           "next round and the sources of every fact (communique-project)",
            "fileMatch": list(FILE_MATCH),
            "url": f"{base_url}/{LATEST}/{SCHEMA_FILE}",
            "versions": {version: f"{base_url}/{version}/{SCHEMA_FILE}" for version in versions()},
        }],
    }
