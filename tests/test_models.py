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


@pytest.mark.parametrize("version", regenerate.schema_versions())
def test_models_reject_what_the_schema_rejects(version):
    from communique.models import record_model
    from pydantic import ValidationError

    model = record_model(version)
    good = {"schema_version": version, "id": "x", "title": "X", "kind": "meeting",
            "parties": [{"id": "no", "name": "Norway", "kind": "state"}],
            "co_chairs": [], "agenda": [], "agreements": [], "sources": [{"id": "s", "kind": "other"}]}
    model.model_validate(good)
    with pytest.raises(ValidationError):
        model.model_validate({**good, "venu": {"country": "NO"}})
    with pytest.raises(ValidationError):
        model.model_validate({**good, "kind": "party"})
    with pytest.raises(ValidationError):  # a 1.0 record is a 1.1 record only once it says so
        record_model("1.1" if version == "1.0" else "1.0").model_validate(good)


def test_the_package_exports_the_latest_model():
    from communique import models, schema

    assert models.CommuniqueRecord is models.record_model(schema.LATEST)
    with pytest.raises(KeyError, match="unknown schema version '9.9'"):
        models.record_model("9.9")
