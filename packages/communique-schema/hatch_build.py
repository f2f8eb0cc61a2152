"""Put the repository's schema files into the package at build time.

The schema has one copy, `schema/` at the repository's root. Built from a checkout, both
the sdist and the wheel take it from there; an sdist already holds the files inside the
package (and no `../../schema`), so a wheel built from it takes them as they are.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SchemaFiles(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        checkout = Path(self.root, "..", "..").resolve()
        checkout_schemas = checkout / "schema"
        if checkout_schemas.is_dir():
            build_data["force_include"][str(checkout_schemas)] = "communique_schema/schemas"
            build_data["force_include"][str(checkout / "LICENSE")] = "communique_schema/LICENSE"
        elif not Path(self.root, "communique_schema", "schemas").is_dir():
            raise FileNotFoundError(f"no schema files: neither {checkout_schemas} nor communique_schema/schemas")
