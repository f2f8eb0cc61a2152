"""Regenerate everything derived from the schema and the rules: `python tools/regenerate.py`.

The JSON Schema in schema/ is the one source of truth for the record format; the rules'
registered metadata is the one source for the rule reference. Derived and committed:
- the ISO code lists inside the schema files (`$defs` iso_3166_alpha2 and iso_4217), from
  pycountry; schema/1.0 has none and is never rewritten;
- the pydantic models (validator/communique/models/), generated with
  datamodel-code-generator, pinned in the `test` extra since another version may print
  different code;
- docs/schema-<version>.md and docs/rules.md (tools/docs.py).
tests/test_models.py and tests/test_docs.py regenerate them and fail when a committed copy differs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = ROOT / "validator" / "communique" / "models"

CODEGEN_OPTIONS = [
    "--input-file-type", "jsonschema",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.10",
    "--disable-timestamp",
    "--use-annotated",
    "--field-constraints",
    "--use-double-quotes",
    "--use-schema-description",
    "--use-field-description",
    "--collapse-root-models",
    "--enum-field-as-literal", "all",
]


def module_name(version: str) -> str:
    return "v" + version.replace(".", "_")


def generate_models(version: str) -> str:
    """Source of the pydantic module for one schema version."""
    schema_file = ROOT / "schema" / version / "record.schema.json"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "models.py"
        codegen = Path(sys.executable).with_name("datamodel-codegen")
        command = [str(codegen) if codegen.exists() else "datamodel-codegen"]
        subprocess.run(command + ["--input", str(schema_file), "--output", str(out)] + CODEGEN_OPTIONS,
                       check=True, capture_output=True, text=True)
        body = out.read_text(encoding="utf-8")
    # The generator names the input by its absolute path; keep the repository-relative one.
    return body.replace(f"#   filename:  {schema_file.name}", f"#   filename:  schema/{version}/{schema_file.name}")


def code_lists() -> dict[str, list[str]]:
    """The ISO code lists the schema carries as enums, from pycountry (pinned in the `test`
    extra, so that a new pycountry release changes the lists only deliberately)."""
    import pycountry

    return {"iso_3166_alpha2": sorted(country.alpha_2 for country in pycountry.countries),
            "iso_4217": sorted(currency.alpha_3 for currency in pycountry.currencies)}


def with_code_lists(text: str) -> str:
    """A schema's text with every code-list `$defs` entry it has set from `code_lists()`."""
    import json

    document = json.loads(text)
    lists = {name: codes for name, codes in code_lists().items() if name in document.get("$defs", {})}
    if not lists:
        return text
    for name, codes in lists.items():
        document["$defs"][name]["enum"] = codes
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def schema_versions() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "schema").glob("*/record.schema.json"))


def main() -> None:
    for version in schema_versions():
        schema_file = ROOT / "schema" / version / "record.schema.json"
        text = schema_file.read_text(encoding="utf-8")
        if with_code_lists(text) != text:
            schema_file.write_text(with_code_lists(text), encoding="utf-8")
            print(f"wrote {schema_file.relative_to(ROOT)} (code lists)")
        target = MODELS_DIR / f"{module_name(version)}.py"
        target.write_text(generate_models(version), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    sys.path.insert(0, str(ROOT / "tools"))
    from docs import documents

    for path, text in documents().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
