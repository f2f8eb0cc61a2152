"""`diff`: what a change to the records says, fact by fact (communique.review)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import main
from .options import CheckedPath, config_for, echo, fail, write_report


@main.command("diff", short_help="Show what a change to the records says, fact by fact.")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--textconv", is_flag=True,
              help="Print the one record OLD as a line per fact, for git: the diff driver `communique init` "
                   "sets up (see README).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for a terminal, markdown for a pull request, json for scripts.")
@click.option("--output-file", "-o", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Write the diff to this file instead of standard output.")
@click.option("--sources", type=CheckedPath(file_okay=False, path_type=Path),
              help="Folder of source texts: show the passage around each changed fact's evidence "
                   "[default: `sources` in the configuration].")
@click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
def diff_command(old, new, textconv, output_format, output_file, sources, config_file) -> None:
    """Show what a change to the records says about the world, fact by fact: meetings
    added, removed or renamed, and for each changed meeting every field, agreement, party,
    document or co-chair added, removed or changed, with old and new value and the evidence
    behind it. Records and list items are matched by id, so moving a list item or
    reformatting (`fmt`) is no change.

    OLD and NEW are files, folders or git revisions: `diff main` compares the records
    folder at `main` with the working tree, `diff main..HEAD` two revisions, `diff a.yaml
    b.yaml` two files. Exit 0 whatever changed (it is a report); 2 when a side cannot be read.
    """
    from ..review.facts import compare_sets
    from ..review.passages import passage_finder
    from ..review.render import RENDERERS
    from ..review.revisions import DiffInputError, sides
    from ..run.reporting import format_line

    if textconv:
        sys.exit(_textconv(old))
    config = config_for(config_file)
    try:
        before, after = sides(old, new, config.record_filter(), config.records)
    except DiffInputError as error:
        fail(str(error))
    sources = sources or config.sources
    passages = passage_finder(str(sources)) if sources is not None and Path(sources).is_dir() else None
    text = RENDERERS[output_format](compare_sets(before.records, after.records), passages)
    if output_file is None:
        echo(text)
    else:
        write_report(output_file, text)
    for side in (before, after):
        for problem in side.problems:
            click.echo(f"{format_line(problem)} (at {side.label}; left out of the diff)", err=True)
    sys.exit(2 if before.problems or after.problems else 0)


def _textconv(path: str) -> int:
    """A record as git compares it: a line per fact; a file that is no record, as it is."""
    from ..documents.loading import load_file
    from ..review.facts import fact_lines

    loaded = load_file(path)
    if loaded.document is None or not isinstance(loaded.document.data, dict):
        try:
            echo(Path(path).read_bytes())
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror or error}")
        return 0
    echo("".join(line + "\n" for line in fact_lines(loaded.document.data)))
    return 0
