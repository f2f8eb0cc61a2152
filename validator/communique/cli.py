"""The `communique` command line.

Exit codes: 0 nothing found, 1 findings, 2 usage or I/O error (2 wins when both apply).
"""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communique")
def main() -> None:
    """Validate and lint records of diplomatic communiques."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
def validate(paths: tuple[str, ...], output_format: str) -> None:
    """Check record files against the schema their schema_version names.

    PATHS are files or folders; folders are searched for .yaml, .yml and .json files.
    """
    from .checking import validate_paths
    from .reporting import RENDERERS

    report, exit_code = validate_paths(paths)
    click.echo(RENDERERS[output_format](report), nl=False)
    sys.exit(exit_code)


@main.command("schema")
@click.option("--version", "version", default=None, help="Schema version (default: the latest).")
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
@click.option("--list", "list_versions", is_flag=True, help="List the schema versions this tool knows.")
def schema_command(version: str | None, show_path: bool, list_versions: bool) -> None:
    """Print the JSON Schema (or its path) for editors and other tools."""
    from . import schema

    if list_versions:
        for known in schema.versions():
            click.echo(f"{known}\t{schema.schema_id(known)}")
        return
    version = version or schema.LATEST
    if version not in schema.versions():
        raise click.UsageError(f"unknown schema version {version!r}; known: {', '.join(schema.versions())}")
    path = schema.schema_path(version)
    click.echo(str(path) if show_path else path.read_text(encoding="utf-8"), nl=show_path)
