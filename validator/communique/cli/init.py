"""`init`: set up a keeper's repository (communique.run.project writes the files)."""

from __future__ import annotations

from pathlib import Path

import click

from .group import main
from .options import CheckedPath, config_for, fail


@main.command("init")
@click.argument("directory", required=False, type=CheckedPath(file_okay=False, path_type=Path), default=Path("."))
@click.option("--records", "records_folder", metavar="FOLDER",
              help="Records folder, relative to DIRECTORY [default: records]; used when there is no configuration yet.")
@click.option("--sources", "sources_folder", metavar="FOLDER",
              help="Source texts folder [default: sources]; used when there is no configuration yet.")
@click.option("--refresh-schema", is_flag=True,
              help="Only bring the repository's copy of the schema up to date with this communique.")
@click.option("--repo-url", metavar="URL",
              help="Where pre-commit and GitHub Actions fetch communique from [default: its own repository].")
def init(directory, records_folder, sources_folder, refresh_schema, repo_url) -> None:
    """Set up a repository of records: configuration, records and sources folders,
    pre-commit hooks, a GitHub workflow and editor wiring. Files that exist are never
    overwritten; what was skipped is said, with what init would have written."""
    from ..run.project import InitError, Layout, init_repository, refresh_schema_copy

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {directory}: {error.strerror or error}")
    config = config_for(None, directory)
    if refresh_schema and config.path is None:
        raise click.UsageError(f"{directory} has no communique configuration; run `communique init` first")
    try:
        if refresh_schema:
            steps = refresh_schema_copy(config.path.parent, Layout.of(config.path.parent, config))
        else:
            steps = init_repository(directory, config, records=records_folder, sources=sources_folder,
                                    repo_url=repo_url)
    except InitError as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        fail(f"cannot write {error.filename or directory}: {error.strerror or error}")
    top = _git_top(directory)
    if not refresh_schema and top is not None and top != directory.resolve():
        below = directory.resolve().relative_to(top).as_posix()
        click.echo(f"warning: {directory} is not the top of its git repository ({top}): pre-commit and GitHub read "
                   ".pre-commit-config.yaml and .github/workflows/ only there. To check records kept below it, run "
                   f"init at the top with --records {below}/records", err=True)
    width = len("unchanged")  # the longest outcome, so that paths line up from run to run
    for step in steps:
        note = f"  ({step.note})" if step.note and "\n" not in step.note else ""
        click.echo(f"{step.outcome:<{width}}  {step.path}{note}")
        if "\n" in step.note:
            head, _, body = step.note.partition("\n")
            click.echo(f"{'':<{width}}  ({head})\n{body}", nl=not body.endswith("\n"))
    if not refresh_schema:
        click.echo("\nNext: `pre-commit install` (once per clone), then `communique new --series SERIES --round N "
                   "--kind KIND ...`; fill in its placeholders, `communique check`, commit. For `git diff` of "
                   "records fact by fact (once per clone): git config diff.communique.textconv "
                   "\"communique diff --textconv\"")


def _git_top(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, if any (found without running git)."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / ".git").exists():
            return candidate
    return None


