"""The JSON Schema Store catalog entry: in the form SchemaStore's catalog schema asks for,
pointing at every version, and matching the files it should match and no others."""

from __future__ import annotations

import fnmatch
import json
import sys

import pytest
from communique import schema
from communique.schema.catalog import DEFAULT_BASE_URL, FILE_MATCH, catalog

from ..conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_the_entry_has_what_schemastore_requires():
    document = catalog()
    assert document["$schema"] == "https://json.schemastore.org/schema-catalog.json"
    assert isinstance(document["version"], (int, float))
    (entry,) = document["schemas"]
    assert set(entry) <= {"name", "description", "fileMatch", "url", "versions"}
    assert all(isinstance(entry[key], str) and entry[key] for key in ("name", "description", "url"))
    assert len(set(entry["fileMatch"])) == len(entry["fileMatch"])
    addresses = [entry["url"], *entry["versions"].values()]
    assert all(address.startswith("https://") for address in addresses)  # SchemaStore takes https only


def test_every_version_is_listed_and_the_latest_is_the_default():
    (entry,) = catalog("https://example.org/s/")["schemas"]
    assert entry["url"] == f"https://example.org/s/{schema.LATEST}/record.schema.json"
    assert list(entry["versions"]) == list(schema.versions())
    for version, address in entry["versions"].items():
        assert address == f"https://example.org/s/{version}/record.schema.json"


def test_the_files_are_served_from_the_projects_own_repository():
    source = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    owner_and_name = source.removeprefix("https://github.com/")
    assert DEFAULT_BASE_URL == f"https://raw.githubusercontent.com/{owner_and_name}/main/schema"
    for version in schema.versions():  # each address is a file of this repository, on main
        assert (REPO / "schema" / version / "record.schema.json").is_file()


def _claimed(path: str) -> bool:
    """SchemaStore's rule: a pattern without a slash is matched against the file's name."""
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in FILE_MATCH)


@pytest.mark.parametrize("path, claimed", [
    ("records/pk-eu-strategic-dialogue-07.communique.yaml", True),
    ("pk-eu-strategic-dialogue-07.communique.yml", True),
    ("data/af-pk-talks-01.communique.json", True),
    ("records/pk-eu-strategic-dialogue-07.yaml", False),   # too common a name to claim
    ("communique.yaml", False),
    (".github/workflows/communique.yml", False),
    ("communique.toml", False),
])
def test_file_match_claims_only_records_named_for_editors(path, claimed):
    assert _claimed(path) is claimed


def test_the_committed_catalog_is_the_generated_one():
    assert json.loads((REPO / "schema" / "catalog.json").read_text()) == catalog()
