"""`fmt` and `migrate`: the commands that rewrite records in place (communique.rewrite)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import main
from .options import CheckedPath, Inputs, Style, echo, emit, input_options, output_options, pass_through, paths_argument


@main.command("fmt")
@paths_argument
@click.option("--check", "check_only", is_flag=True,
              help="Only report files that are not in canonical form (exit 1); write nothing.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print what would change as a unified diff, and write nothing (implies --check).")
@output_options
@input_options
def fmt(paths, check_only, show_diff, output_format, output_file, no_source, color, quiet, statistics, config_file,
        stdin_filename) -> None:
    """Rewrite records into canonical form: keys in schema order, consistent quoting and
    indentation, every comment and value kept. Files are written atomically; a file that
    cannot be parsed is left untouched and reported. With `-`, the record on standard
    input is written, formatted, to standard output."""
    from ..rewrite.formatting import format_paths

    style = Style(output_format, color, quiet, statistics)
    inputs = Inputs(paths, config_file, stdin_filename)
    check_only = check_only or show_diff
    if inputs.stdin is not None:
        if len(inputs.paths) > 1:
            raise click.UsageError("`-` formats standard input on its own; give no other PATHS with it")
        sys.exit(_format_stdin(inputs, check_only, show_diff, output_format, no_source))
    report, code, diff = format_paths(inputs.paths, check=check_only, want_diff=show_diff,
                                      record_filter=inputs.config.record_filter())
    if diff:  # on stdout beside a text report; on stderr when stdout carries a machine format
        click.echo(diff, nl=False, err=output_format != "text" and output_file is None)
    emit(report, output_format, output_file, no_source, style)
    sys.exit(code)


def _format_stdin(inputs: Inputs, check_only: bool, show_diff: bool, output_format: str, no_source: bool) -> int:
    """Standard input to standard output, formatted; findings on standard error. Input that
    cannot be formatted, or that is not a record by the configuration, is passed through
    unchanged, so an editor never loses the text."""
    from ..documents.files import STDIN_NAME
    from ..rewrite.formatting import format_stdin
    from ..run.reporting import RENDERERS

    stdin = inputs.stdin
    if stdin.name != STDIN_NAME and not inputs.config.record_filter().accepts(stdin.name):
        if not check_only:
            pass_through(stdin.raw)
        return 0
    new_raw, report, code = format_stdin(stdin, check_only=check_only)
    if show_diff and new_raw is not None and new_raw != stdin.raw:
        from ..rewrite.formatting.per_file import unified_diff

        echo(unified_diff(stdin.name, stdin.raw.decode("utf-8-sig"), new_raw.decode("utf-8")))
    if not check_only:
        pass_through(stdin.raw) if new_raw is None else echo(new_raw)
    if report.findings or check_only:
        click.echo(RENDERERS[output_format](report, colour=False, show_source=not no_source), nl=False, err=True)
    return code


@main.command("migrate", short_help="Move records to a newer minor version of the schema, changing only what moves.")
@paths_argument
@click.option("--to", "target", metavar="VERSION", default=None,
              help="Schema version to move the records to [default: the latest].")
@click.option("--check", "check_only", is_flag=True,
              help="Only report records that would be migrated (exit 1); write nothing.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print what would change as a unified diff, and write nothing (implies --check).")
@output_options
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest communique.toml or pyproject.toml with "
                   "[tool.communique]).")
def migrate(paths, target, check_only, show_diff, output_format, output_file, no_source, color, quiet, statistics,
            config_file) -> None:
    """Move records to a newer minor version of the schema (--to, default the latest),
    changing only what moves: schema_version, the editor comment's schema path, and caveat
    paths that name list items by position, which name them by id. Comments and layout are
    kept byte for byte; the result is checked before a file is replaced atomically. A
    record that cannot be moved is left untouched, and a finding (M001) says why.

    Exit 0 when every record was moved or had nothing to move; 1 when a record could not
    be moved, or, with --check or --diff, would be; 2 on a usage or I/O error.
    """
    from .. import schema
    from ..rewrite.migrating import MigrateUsageError, check_target, migrate_paths

    style = Style(output_format, color, quiet, statistics)
    if "-" in paths:
        raise click.UsageError("migrate rewrites record files in place; standard input (`-`) is not supported here")
    try:
        target = check_target(target or schema.LATEST)
    except MigrateUsageError as error:
        raise click.UsageError(str(error)) from None
    inputs = Inputs(paths, config_file, None)
    check_only = check_only or show_diff
    try:
        report, code, diff = migrate_paths(inputs.paths, target, check=check_only, want_diff=show_diff,
                                           record_filter=inputs.config.record_filter())
    except MigrateUsageError as error:
        raise click.UsageError(str(error)) from None
    if diff:  # on stdout beside a text report; on stderr when stdout carries a machine format
        click.echo(diff, nl=False, err=output_format != "text" and output_file is None)
    emit(report, output_format, output_file, no_source, style)
    sys.exit(code)


