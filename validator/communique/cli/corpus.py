"""`export`, `stats` and `site`: the corpus as data, counted, and as pages (communique.corpus)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from .group import main
from .options import CheckedPath, Inputs, echo, fail, paths_argument, write_report


@main.command("export")
@paths_argument
@click.option("--format", "output_format",
              type=click.Choice(["jsonl", "json", "csv", "datapackage", "sqlite", "jsonld", "quickstatements", "plover",
                                 "timelinejs"]),
              default="jsonl", show_default=True,
              help="jsonl: one record per line; json: one array; csv: one row per agreement; datapackage: a "
                   "folder of tidy CSV tables with datapackage.json; sqlite: a database, with Datasette metadata; "
                   "jsonld: schema.org Events (JSON-LD); quickstatements: Wikidata QuickStatements (V1) for the "
                   "meetings; plover: PLOVER event data, one JSON object a line; timelinejs: a TimelineJS 3 "
                   "timeline, a group per series. See docs/tables.md for how each maps the records.")
@click.option("--output-file", "-o", "output_file", type=CheckedPath(path_type=Path),
              help="Write to this file (for datapackage: this folder) instead of standard output.")
@click.option("--output", "legacy_output", type=CheckedPath(dir_okay=False, path_type=Path), hidden=True)
@click.option("--raw", is_flag=True,
              help="csv and datapackage: write text cells exactly as the records hold them, without the "
                   "apostrophe that keeps a spreadsheet from running a cell that starts like a formula.")
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
def export(paths, output_format, output_file, legacy_output, raw, config_file) -> None:
    """Write the records as plain data for analysis.

    Records that do not load or match the schema are left out and reported on standard
    error, and the exit code is 1; so are, for datapackage and sqlite, records whose ids do
    not hold (R001, R002, X001), which would break the tables' keys. Without PATHS, the
    configured records folder. In csv and datapackage output, a text cell that starts like
    a spreadsheet formula (=, +, -, @, also after spaces, or a tab or line break) is written
    with a leading apostrophe unless --raw is given; jsonl, json and sqlite are always raw.
    """
    if "-" in paths:
        raise click.UsageError("export reads record files; standard input (`-`) is not supported here")
    output_file = output_file or legacy_output
    if output_format in ("datapackage", "sqlite"):
        if output_file is None:
            example = "corpus/" if output_format == "datapackage" else "corpus.db"
            raise click.UsageError(f"--format {output_format} writes {'a folder' if output_format == 'datapackage' else 'a database file'}: "
                                   f"name it with -o, e.g. -o {example}")
        _export_tables(paths, output_format, output_file, config_file, raw)
        return
    if output_file is not None and output_file.is_dir():
        raise click.UsageError(f"--output-file {output_file} is a folder; --format {output_format} writes one file")
    import tempfile

    from ..core.findings import exit_code
    from ..corpus import formats
    from ..corpus.collect import Wanted
    from ..corpus.exporting import Writer
    from ..documents.writing import write_atomically

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", prefix="communique-export-") as spooled:
        writer = formats.writer(spooled, output_format) if output_format in formats.MODULES \
            else Writer(spooled, output_format, raw)
        collected = _collect(paths, config_file, Wanted(keys=False), keep=lambda entry: _written(writer, entry))
        notes = writer.close() or []
        if output_file is None:
            spooled.seek(0)
            for piece in iter(lambda: spooled.read(1 << 20), ""):
                echo(piece)
        else:
            try:
                write_atomically(output_file, spooled)  # a text stream, copied in pieces
            except OSError as error:
                fail(f"cannot write {output_file}: {error.strerror or error}")
    for note in notes:  # what a format could not say (e.g. a statement without a Wikidata id)
        click.echo(f"note: {note}", err=True)
    if collected.problems:
        _say_left_out(len(collected.entries), collected.problems, "exported")
    sys.exit(exit_code(collected.problems))


def _written(writer, entry):
    """Write a record to the export as it is read, and keep only where it came from.
    (The export goes to a temporary file first: what was left out is said before it.)"""
    from dataclasses import replace

    writer.add(entry.data)
    return replace(entry, data=None)


def _collect(paths, config_file, wanted=None, keep=None):
    """The records that can become tables, with what was left out already reported; `keep`
    as for collect (Spool.put, to hold them on disk)."""
    from dataclasses import replace

    from ..corpus.collect import Wanted, collect

    inputs = Inputs(paths, config_file, None)
    record_filter = inputs.config.record_filter()
    wanted = replace(wanted or Wanted(rows=True, data=False), root=str(inputs.config.root))
    collected = collect(inputs.paths, record_filter, wanted, keep)
    _report_left_out(collected.problems, collected.found, len(collected.entries), record_filter.origin)
    return collected


def _report_left_out(problems, found, count: int, origin) -> None:
    from ..run.reporting import Report, format_line, scope_notes

    for problem in sorted(problems, key=lambda finding: finding.sort_key()):
        click.echo(format_line(problem), err=True)
    scope = scope_notes(Report([], count, skipped=found.skipped, missing=found.missing, empty=found.empty,
                               origin=origin))
    if scope:
        click.echo(f"note: {'; '.join(scope)}.", err=True)


def _say_left_out(count: int, problems, done: str) -> None:
    click.echo(f"{count} record{'' if count == 1 else 's'} {done}; "
               f"{len(problems)} problem{'' if len(problems) == 1 else 's'} (above) left records out.", err=True)


def _finish(collected, done: str, hint: str) -> None:
    """Say what was written (and what was left out), and exit 1 if anything was."""
    from ..core.findings import exit_code

    count = len(collected.entries)
    if collected.problems:
        _say_left_out(count, collected.problems, done)
    else:
        click.echo(f"{count} record{'' if count == 1 else 's'} {done}; {hint}", err=True)
    sys.exit(exit_code(collected.problems))


def _export_tables(paths, output_format: str, target: Path, config_file, raw: bool = False) -> None:
    import json

    from ..corpus import output
    from ..corpus.collect import Spool
    from ..corpus.tables import TABLES, stream
    from ..documents.writing import write_atomically

    with Spool() as spool:
        collected = _collect(paths, config_file, keep=spool.put)
        pieces = stream(spool.in_recency_order(collected.entries))
        try:
            if output_format == "datapackage":
                from ..corpus import datapackage

                total = output.build_folder(target, lambda folder: datapackage.write(folder, pieces, raw),
                                            "datapackage.json", "a data package")
                done = f"exported to {target} ({len(TABLES)} tables, {total} rows)"
                hint = f"check it with: frictionless validate {shlex.quote(str(target / 'datapackage.json'))}"
            else:
                from ..corpus import database

                total = 0

                def build(path):
                    nonlocal total
                    total = database.build_database(path, pieces)

                output.replace_file(target, build)
                metadata_file = target.with_name(target.stem + ".metadata.json")
                write_atomically(metadata_file, json.dumps(database.metadata(target.stem), indent=2,
                                                           ensure_ascii=False) + "\n")
                done = f"exported to {target} ({len(TABLES)} tables, {total} rows) and {metadata_file.name}"
                hint = f"browse it with: datasette {shlex.quote(str(target))} -m {shlex.quote(str(metadata_file))}"
        except output.RefusedOutput as refused:
            fail(str(refused))
        except OSError as error:
            fail(f"cannot write {target}: {error.strerror or error}")
    _finish(collected, done, hint)


@main.command("stats")
@paths_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output-file", "-o", "output_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Write the summary to this file instead of standard output.")
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
def stats_command(paths, output_format, output_file, config_file) -> None:
    """The corpus at a glance: meetings by series, year, kind and level; the parties and
    people in the most meetings; series with gaps, and announced rounds not yet recorded;
    agreements by kind.

    Records that cannot be counted (they do not load, match the schema, or keep their ids)
    are reported on standard error and make the exit code 1. Without PATHS, the configured
    records folder.
    """
    import json

    from ..core.findings import exit_code
    from ..corpus import stats
    from ..corpus.collect import Spool
    from ..corpus.tables import stream

    if "-" in paths:
        raise click.UsageError("stats reads record files; standard input (`-`) is not supported here")
    tally = stats.Tally()
    with Spool() as spool:
        collected = _collect(paths, config_file, keep=spool.put)
        for name, rows in stream(spool.in_recency_order(collected.entries)):
            tally.add(name, rows)
    summary = tally.summary()
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n" if output_format == "json" \
        else stats.render_text(summary)
    if output_file is None:
        echo(text)
    else:
        write_report(output_file, text)
    if collected.problems:
        _say_left_out(len(collected.entries), collected.problems, "counted")
    sys.exit(exit_code(collected.problems))


@main.command("site")
@paths_argument
@click.option("--output", "-o", "out", type=CheckedPath(file_okay=False, path_type=Path),
              help="Folder to write the site to (required).")
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
def site_command(paths, out, config_file) -> None:
    """Write a static site of the records to the folder given with -o: an index of series
    with their timelines, a page per meeting, person and party. Plain HTML and CSS; it opens
    from disk and fits a phone's screen.

    The folder must be new, empty, or a site this command wrote before, which it replaces
    whole. Records that cannot be shown are reported on standard error and make the exit
    code 1. Without PATHS, the configured records folder. (`site OUT [PATHS]`, the older
    form, still works, with a note.)
    """
    from ..corpus import output, site
    from ..corpus.collect import Spool, Wanted

    if out is None:
        out, paths = _legacy_site_folder(paths)
    if "-" in paths:
        raise click.UsageError("site reads record files; standard input (`-`) is not supported here")
    try:
        output.check_folder(out, site.MARKER, "a site")
    except output.RefusedOutput as refused:
        fail(str(refused))
    with Spool() as spool:
        collected = _collect(paths, config_file, Wanted(rows=True, page=site.render_meeting, data=False),
                             keep=spool.put)
        try:
            pages = output.build_folder(
                out, lambda folder: site.write(folder, spool.in_recency_order(collected.entries)),
                site.MARKER, "a site")
        except output.RefusedOutput as refused:
            fail(str(refused))
        except OSError as error:
            fail(f"cannot write {out}: {error.strerror or error}")
    from ..corpus import site_map

    if not site_map.gazetteer_installed():
        click.echo(f"note: the map of venues places none without its gazetteer: {site_map.INSTALL_HINT}", err=True)
    _finish(collected, f"written to {out} ({pages} pages)", f"open {out / 'index.html'}")


def _legacy_site_folder(paths: tuple[str, ...]) -> tuple[Path, tuple[str, ...]]:
    """The older `site OUT [PATHS]`: the first path is the folder to write, as it was; said
    once on standard error, so that scripts keep working while their authors learn of -o.
    (The folder is still refused unless it is new, empty or a site, so a records folder
    given alone is never overwritten.)"""
    if not paths:
        raise click.UsageError("name the folder to write the site to with -o, e.g. communique site -o _site")
    if paths[0] == "-":
        raise click.UsageError("site reads record files; standard input (`-`) is not supported here")
    click.echo(f"communique: note: `site OUT` is deprecated; write `communique site -o {shlex.quote(paths[0])}"
               f"{''.join(' ' + shlex.quote(path) for path in paths[1:])}`", err=True)
    return Path(paths[0]), paths[1:]


