"""`schema` and `schema diff`: the JSON Schema itself, and what changed between two versions."""

from __future__ import annotations

import sys

import click

from .group import main
from .options import echo, fail


@main.group("schema", invoke_without_command=True)
@click.option("--version", "version", default=None, help="Schema version (default: the latest).")
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
@click.option("--list", "list_versions", is_flag=True, help="List the schema versions this tool knows.")
@click.pass_context
def schema_command(ctx: click.Context, version: str | None, show_path: bool, list_versions: bool) -> None:
    """Print the JSON Schema (or its path) for editors and other tools.

    `communique schema diff OLD NEW` compares two versions instead.
    """
    from .. import schema
    from ..core.hints import did_you_mean_aside

    if ctx.invoked_subcommand is not None:
        given = [name for name, value in (("--version", version), ("--path", show_path), ("--list", list_versions))
                 if value]
        if given:
            raise click.UsageError(f"{', '.join(given)}: options for printing a schema; `communique schema "
                                   f"{ctx.invoked_subcommand}` takes none")
        return
    if list_versions:
        echo("".join(f"{known}\t{schema.schema_id(known)}\n" for known in schema.versions()))
        return
    version = version or schema.LATEST
    if version not in schema.versions():
        raise click.UsageError(f"unknown schema version {version!r}{did_you_mean_aside(version, schema.versions())}; "
                               f"known: {', '.join(schema.versions())}")
    path = schema.schema_path(version)
    echo(str(path) + "\n" if show_path else path.read_text(encoding="utf-8"))


@schema_command.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per change, then a summary; json: the same as one object.")
def schema_diff_command(old: str, new: str, output_format: str) -> None:
    """List every change from schema OLD to NEW, each with whether records valid under OLD
    stay valid under NEW.

    OLD and NEW are versions this tool carries (`communique schema --list`) or paths of
    schema files. A change of the version marker (schema_version, $id) is expected between
    versions and is not breaking. Exit 0 when every record valid under OLD is valid under
    NEW, 1 when a change can break one, 2 when a schema cannot be read.
    """
    from ..schema.diff import DiffInputError, compare, render_json, render_text

    try:
        diff = compare(old, new)
    except DiffInputError as error:
        fail(str(error))
    echo(render_json(diff) if output_format == "json" else render_text(diff))
    sys.exit(0 if diff.compatible else 1)
