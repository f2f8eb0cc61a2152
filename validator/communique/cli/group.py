"""The `communique` command group and the console script's entry point.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 usage or I/O error
(2 wins when both apply). Each command lives in a module of this package by what it does;
heavy modules are imported inside the commands that need them, so that `--help` and a
one-file check start fast.
"""

from __future__ import annotations

import sys

import click

from ..core.version import __version__


def entry_point() -> None:
    """The console script: the command line, with a last safety net. A bug must still end
    in one clear line and exit 2, never a traceback over a user's terminal."""
    try:
        main()
    except Exception as error:  # pragma: no cover - reached only by a bug
        click.echo(f"communique: internal error ({type(error).__name__}: {error}); please report it, with the "
                   "command and the files it read", err=True)
        sys.exit(2)
    finally:
        # The process ends here. Its last garbage collection would walk every object the
        # run made (0.1-0.2 s after a 10,000-record check from the cache) to free memory
        # that the system takes back anyway; frozen objects are not walked.
        import gc

        gc.freeze()


class _FullSummaries(click.Group):
    """A group whose `--help` gives each command's whole summary (its `short_help`, else the
    first sentence of its help), wrapped, rather than click's first 45 characters ending in
    "...": the list of commands is where a user learns what each one is for."""

    group_class = type  # `schema` and any other subgroup list their commands the same way

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.short_help or _first_sentence(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _first_sentence(text: str) -> str:
    """The first sentence of a command's help, whole, on one logical line."""
    import inspect
    import re

    paragraph = inspect.cleandoc(text).split("\n\n")[0]
    line = " ".join(part.strip() for part in paragraph.splitlines() if part.strip() != "\b")
    return re.split(r"(?<!e\.g)(?<!i\.e)(?<=\.)\s", line, maxsplit=1)[0]


@click.group(cls=_FullSummaries, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="communique")
def main() -> None:
    """Validate and lint records of diplomatic communiques."""


