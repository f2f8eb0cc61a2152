"""`schema` and `schema diff`: the JSON Schema itself, and what changed between two versions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import main
from .options import echo, fail


@main.group("schema", invoke_without_command=True)
@click.option("--version", "version", default=None, help="Schema version (default: the latest).")
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
@click.option("--list", "list_versions", is_flag=True, help="List the schema versions this tool knows.")
@click.option("--bundle", is_flag=True,
              help="Print the schema as one self-contained file (every $ref answered inside it); with -o, write "
                   "every version (or --version) to DIR/<version>/record.schema.json.")
@click.option("--catalog", is_flag=True,
              help="Print a JSON Schema Store catalog whose entry gives editors the schema for files named "
                   "*.communique.yaml.")
@click.option("--base-url", default=None, metavar="URL",
              help="With --catalog: where the schema files are served (default: the project's repository).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="With --bundle: a folder to write into; with --catalog: a file.")
@click.pass_context
def schema_command(ctx: click.Context, version: str | None, show_path: bool, list_versions: bool, bundle: bool,
                   catalog: bool, base_url: str | None, output: Path | None) -> None:
    """Print the JSON Schema (or its path) for editors and other tools.

    `--bundle` gives a file that any validator loads with no registry (check-jsonschema,
    Ajv, the YAML language server); `--catalog` an entry for editors that find a schema by
    the file's name. `communique schema diff OLD NEW` compares two versions instead.
    """
    from .. import schema
    from ..core.hints import did_you_mean_aside

    chosen = [name for name, value in (("--version", version), ("--path", show_path), ("--list", list_versions),
                                       ("--bundle", bundle), ("--catalog", catalog), ("--base-url", base_url),
                                       ("--output", output)) if value]
    if ctx.invoked_subcommand is not None:
        if chosen:
            raise click.UsageError(f"{', '.join(chosen)}: options for printing a schema; `communique schema "
                                   f"{ctx.invoked_subcommand}` takes none")
        return
    modes = [name for name in ("--path", "--list", "--bundle", "--catalog") if name in chosen]
    if len(modes) > 1:
        raise click.UsageError(f"{' and '.join(modes)} cannot be combined: give one")
    if base_url is not None and not catalog:
        raise click.UsageError("--base-url goes with --catalog")
    if output is not None and not (bundle or catalog):
        raise click.UsageError("--output goes with --bundle or --catalog")
    if version is not None and version not in schema.versions():
        raise click.UsageError(f"unknown schema version {version!r}{did_you_mean_aside(version, schema.versions())}; "
                               f"known: {', '.join(schema.versions())}")
    if list_versions:
        echo("".join(f"{known}\t{schema.schema_id(known)}\n" for known in schema.versions()))
    elif catalog:
        _print_catalog(base_url, output)
    elif bundle:
        every = list(schema.versions()) if output is not None else [schema.LATEST]
        _print_bundles([version] if version else every, output)
    else:
        path = schema.schema_path(version or schema.LATEST)
        echo(str(path) + "\n" if show_path else path.read_text(encoding="utf-8"))


def _print_catalog(base_url: str | None, output: Path | None) -> None:
    from ..schema.bundling import dumps
    from ..schema.catalog import DEFAULT_BASE_URL, catalog

    if base_url is not None and not base_url.startswith(("https://", "http://", "file://")):
        raise click.UsageError(f"--base-url {base_url!r}: give an address (https://...), where editors can read "
                               f"the files")
    text = dumps(catalog(base_url or DEFAULT_BASE_URL))
    if output is None:
        echo(text)
    else:
        _write(output, text)
        click.echo(f"wrote {output}", err=True)


def _print_bundles(versions: list[str], output: Path | None) -> None:
    from .. import schema
    from ..schema.bundling import BundleError, bundle, dumps

    try:
        bundles = {version: dumps(bundle(schema.load_schema(version))) for version in versions}
    except BundleError as error:  # a schema this tool ships that references nothing: a bug, said plainly
        fail(f"cannot bundle the schema: {error}")
    if output is None:
        echo(bundles[versions[0]])
        return
    for version, text in bundles.items():
        _write(output / version / schema.SCHEMA_FILE, text)
    click.echo(f"wrote {len(bundles)} self-contained schema file{'s' if len(bundles) > 1 else ''} to {output}",
               err=True)


def _write(path: Path, text: str) -> None:
    from ..documents.writing import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


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
