"""A minor version accepts every record of the versions before it: proven on records that
hypothesis-jsonschema generates from the older schema, not promised in the docs.

Runs with the suite (a bounded number of examples, as every property in tests/fuzz/), so a
future minor version that rejects an older record fails CI.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from communique import schema


def minor_steps() -> list[tuple[str, str]]:
    """(older, newer) for each pair of consecutive versions that share a major number."""
    versions = schema.versions()
    return [(old, new) for old, new in zip(versions, versions[1:]) if old.split(".")[0] == new.split(".")[0]]


def test_there_is_a_minor_step_to_prove():
    assert ("1.0", "1.1") in minor_steps()


@pytest.mark.parametrize(("old", "new"), minor_steps())
def test_every_record_of_the_older_version_is_valid_under_the_newer(old, new):
    older = Draft202012Validator(schema.load_schema(old), format_checker=Draft202012Validator.FORMAT_CHECKER)
    newer = Draft202012Validator(schema.load_schema(new), format_checker=Draft202012Validator.FORMAT_CHECKER)

    @given(from_schema(schema.load_schema(old)))
    def once_it_says_so(record):
        assert older.is_valid(record)  # the generator keeps to the older schema
        bumped = {**record, "schema_version": new}
        problems = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in newer.iter_errors(bumped)]
        assert problems == [], f"valid {old} record refused by {new}"

    once_it_says_so()
