"""`new`: a record skeleton named by the convention, its values asked for in a terminal."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import click

from .group import main
from .options import CheckedPath, config_for, fail


@main.command("new")
@click.option("--series", help="Series id, e.g. pk-eu-strategic-dialogue.")
@click.option("--round", "round_number", type=click.IntRange(min=1), help="Round of the series.")
@click.option("--edition", help="Edition, for a series named by year rather than by round, e.g. 2022.")
@click.option("--id", "record_id", help="Record id, for a meeting that is not a round of a series.")
@click.option("--title", help="The meeting's name as the sources give it.")
@click.option("--kind", type=click.Choice(["dialogue", "talks", "summit", "ministerial", "meeting", "forum", "visit"]),
              help="What sort of meeting it was (asked for in a terminal).")
@click.option("--start", help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD (multi-day meetings).")
@click.option("--city")
@click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. BE.")
@click.option("--party", "parties", multiple=True, help="A party as ID=NAME, e.g. pk=Pakistan (repeatable).")
@click.option("--no-co-chairs", is_flag=True, help="Write an empty co_chairs list instead of one placeholder per party.")
@click.option("--dir", "folder", type=CheckedPath(file_okay=False, path_type=Path), default=None,
              help="Folder to write the record in [default: the configured records folder, else records].")
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(series, round_number, edition, record_id, title, kind, start, end, city, country, parties, no_co_chairs, folder,
        config_file, force) -> None:
    """Write a new record skeleton, named by the convention, with the editor schema comment.

    Values not given as options are asked for when run in a terminal; any still missing are
    left as TODO placeholders, which `communique check` reports until they are filled in.
    """
    from ..documents.files import display_path
    from ..documents.writing import write_atomically
    from ..rewrite.skeleton import NewRecord, SkeletonError, canonical, render
    from ..run.project import editor_schema_reference

    config = config_for(config_file)
    values = dict(series=series, round=round_number, edition=edition, record_id=record_id, title=title, kind=kind, start=start,
                  end=end, city=city, country=country, parties=parties)
    try:
        values = _new_record_values(values, interactive=sys.stdin.isatty())
    except SkeletonError as error:
        raise click.UsageError(str(error)) from None
    folder = folder if folder is not None else config.records if config.records is not None else Path("records")
    record = NewRecord(folder, **values, co_chairs=not no_co_chairs, schema_ref=editor_schema_reference(config, folder))
    shown = display_path(record.path)
    if record.path.is_dir():
        fail(f"cannot write {shown}: it is a folder")
    if record.path.is_symlink():
        fail(f"cannot write {shown}: it is a link, and `new` writes only files of its own")
    if record.path.exists() and not force:
        raise click.UsageError(f"{shown} exists; --force to overwrite")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(record.path, canonical(render(record), shown))
    except OSError as error:
        fail(f"cannot write {shown}: {error.strerror or error}")
    click.echo(f"wrote {shown}; fill in the TODO placeholders, then: communique check {shlex.quote(shown)}")
    if config.path is not None and not config.record_filter().accepts(str(record.path)):
        click.echo(f"note: {shown} is not among the records {config.path.name} describes (records, include, "
                   "exclude), so checks of this repository leave it out", err=True)
    if record.schema_ref is None:
        click.echo("note: no schema comment for editors was written: this repository has no copy of the schema "
                   "(`communique init` sets one up)", err=True)


def _new_record_values(values: dict, *, interactive: bool) -> dict:
    """The options of `new`, each checked (SkeletonError), and what is missing asked for
    in a terminal (asked again until the answer can be used)."""
    from ..rewrite.skeleton import (
        KINDS,
        SkeletonError,
        check_country,
        check_date,
        check_identifier,
        check_parties,
        parse_party,
        series_record_id,
    )

    def ask(text: str, check=None, required: bool = False):
        while True:
            answer = click.prompt(text, default=None if required else "", show_default=False)
            if not answer or check is None:
                return answer or None
            try:
                return check(answer)
            except SkeletonError as error:
                click.echo(error.problem, err=True)

    def parties_of(entries):
        return check_parties([parse_party(p) for p in entries if p.strip()])

    for key, definition, option in (("series", "slug", "--series"), ("record_id", "slug", "--id")):
        if values[key] is not None:
            check_identifier(values[key], definition, option)
    for key, option in (("start", "--start"), ("end", "--end")):
        if values[key] is not None:
            check_date(values[key], option)
    if values["start"] and values["end"] and values["end"] < values["start"]:
        raise SkeletonError("--end", f"{values['end']} is before --start {values['start']}")
    if values["country"] is not None:
        values["country"] = check_country(values["country"])
    values["parties"] = parties_of(values["parties"])
    if not values["record_id"] and not values["series"]:
        if not interactive:
            raise click.UsageError("give --series and --round, or --id")
        values["series"] = ask("Series id (empty for a one-off meeting)", lambda v: check_identifier(v, "slug", "series"))
        if not values["series"]:
            values["record_id"] = ask("Record id", lambda v: check_identifier(v, "slug", "id"), required=True)
    if values["edition"] is not None and not values["series"]:
        raise click.UsageError("--edition needs --series")
    if values["edition"] is not None and not re.search(r"[A-Za-z0-9]", values["edition"]):
        raise SkeletonError("--edition", f"{values['edition']!r} has no letter or digit to name the record by")
    if values["series"] and values["round"] is None and values["edition"] is None:
        if not interactive:
            raise click.UsageError("--series needs --round (or --edition, for a series named by year)")
        values["round"] = click.prompt("Round", type=click.IntRange(min=1))
    if values["series"] and values["record_id"]:
        expected = series_record_id(values["series"], values["round"], values["edition"])
        which = f"round {values['round']}" if values["round"] is not None else f"edition {values['edition']!r}"
        if values["record_id"] != expected:  # the id a series' record has (N003)
            raise SkeletonError("--id", f"the record of {which} of {values['series']} has the id "
                                        f"{expected!r}; leave --id out, or give {expected!r}")
    if values["kind"] is None:
        if not interactive:
            raise click.UsageError(f"give --kind, one of {', '.join(KINDS)}")
        values["kind"] = click.prompt("Kind of meeting", type=click.Choice(KINDS))
    if interactive:
        values["title"] = values["title"] or ask("Title")
        values["start"] = values["start"] or ask("First day (YYYY-MM-DD)", lambda v: check_date(v, "date"))
        values["city"] = values["city"] or ask("City")
        values["country"] = values["country"] or ask("Country code", check_country)
        if not values["parties"]:
            values["parties"] = ask("Parties as ID=NAME, comma-separated", lambda v: parties_of(v.split(","))) or []
    return values


