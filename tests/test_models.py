"""The pydantic models are generated from the schema and must not drift from it."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import REPO

spec = importlib.util.spec_from_file_location("regenerate", REPO / "tools" / "regenerate.py")
regenerate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regenerate)


@pytest.mark.parametrize("version", regenerate.schema_versions())
def test_committed_models_match_a_fresh_generation(version):
    committed = (regenerate.MODELS_DIR / f"{regenerate.module_name(version)}.py").read_text(encoding="utf-8")
    assert regenerate.generate_models(version) == committed, (
        "models are stale: run `python tools/regenerate.py` and commit the result")


def test_models_reject_what_the_schema_rejects():
    from pydantic import ValidationError

    from communique.models import CommuniqueRecord

    good = {"schema_version": "1.0", "id": "x", "title": "X", "kind": "meeting",
            "parties": [{"id": "no", "name": "Norway", "kind": "state"}],
            "co_chairs": [], "agenda": [], "agreements": [], "sources": [{"id": "s", "kind": "other"}]}
    CommuniqueRecord.model_validate(good)
    with pytest.raises(ValidationError):
        CommuniqueRecord.model_validate({**good, "venu": {"country": "NO"}})
    with pytest.raises(ValidationError):
        CommuniqueRecord.model_validate({**good, "kind": "party"})
