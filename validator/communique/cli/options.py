"""What the commands share: the options of the commands that read records, the inputs they
start from (configuration, paths, standard input), and how a report reaches the user."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

FORMATS = ["text", "json", "sarif", "github"]
SEVERITIES = ["error", "warning", "info"]


class CheckedPath(click.Path):
    """click.Path, refusing a NUL byte (which no file name can hold) as a usage error rather
    than letting the operating system raise on it later."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "\x00" in value:
            self.fail(f"{value!r} holds a NUL byte, which no path can", param, ctx)
        if isinstance(value, str) and value != "-":
            try:
                os.stat(value)
            except OSError as error:
                if error.errno == errno.ENAMETOOLONG:
                    self.fail(f"{value[:40]}... is longer than a path can be", param, ctx)
        return super().convert(value, param, ctx)


def paths_argument(command):
    return click.argument("paths", nargs=-1, type=CheckedPath(path_type=str))(command)


def output_options(command):
    options = [
        click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                     show_default=True, help="Report format."),
        click.option("--output-file", "-o", type=CheckedPath(dir_okay=False, path_type=Path),
                     help="Write the report to this file instead of standard output."),
        click.option("--no-source", is_flag=True,
                     help="In text output, do not show the offending lines under each finding."),
        click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True,
                     help="Colour in text output; auto: on a terminal, unless NO_COLOR is set."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Text output: the findings only, without the summary line."),
        click.option("--statistics", is_flag=True,
                     help="Instead of the findings, how many there are of each code (text or json)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def input_options(command):
    options = [
        click.option("--config", "config_file", type=CheckedPath(dir_okay=False, path_type=Path),
                     help="Configuration file (default: the nearest communique.toml or pyproject.toml "
                          "with [tool.communique])."),
        click.option("--stdin-filename", metavar="PATH", type=CheckedPath(),
                     help="With `-` among PATHS: the file name standard input stands for, for positions, "
                          "configuration and rules."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def lint_options(command):
    options = [
        click.option("--sources", type=CheckedPath(file_okay=False, path_type=Path),
                     help="Folder of source texts (<source id>.txt) for the quote check."),
        click.option("--corpus", type=CheckedPath(file_okay=False, path_type=Path),
                     help="Folder of all records, for cross-record rules (default: the configured records "
                          "folder, else the folders of PATHS)."),
        click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated; repeatable).",
                     shell_complete=lambda ctx, param, incomplete: complete_codes(incomplete)),
        click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated; repeatable).",
                     shell_complete=lambda ctx, param, incomplete: complete_codes(incomplete)),
        click.option("--fail-on", type=click.Choice(SEVERITIES, case_sensitive=False), default=None,
                     help="Lowest severity that makes the exit code 1 [default: error]."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (I/O errors still exit 2)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Worker processes for large runs (0: one per CPU; 1: no workers)."),
        click.option("--show-files", is_flag=True,
                     help="List on standard error the files checked, and the other records read for cross-record "
                          "rules, with where they came from."),
        click.option("--summary-file", type=CheckedPath(dir_okay=False, path_type=Path),
                     help="Also append a Markdown table of the findings to this file (for a CI job summary, "
                          "e.g. \"$GITHUB_STEP_SUMMARY\")."),
        click.option("--no-cache", is_flag=True,
                     help="Check every file afresh, without the cache of earlier results (see README)."),
        click.option("--baseline", type=CheckedPath(dir_okay=False, path_type=Path),
                     help="Report only findings not in this baseline file (see --write-baseline); say how many "
                          "known ones were left out, and which were fixed."),
        click.option("--write-baseline", type=CheckedPath(dir_okay=False, path_type=Path),
                     help="Write every finding to this baseline file, for --baseline, and exit 0."),
        click.option("--since", metavar="REV",
                     help="Report only findings the records at this git revision did not have."),
        click.option("--fix", is_flag=True,
                     help="Make the safe fixes (see `communique rule CODE`), then report what is left."),
        click.option("--diff", "fix_diff", is_flag=True,
                     help="Print the safe fixes as a unified diff and write nothing; exit 1 if there are any."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class Inputs:
    """What every command that reads records starts from: the configuration, the paths (the
    configured records folder when none are given) and standard input, if named."""

    def __init__(self, paths: tuple[str, ...], config_file: Path | None, stdin_filename: str | None):
        from ..documents.files import STDIN, STDIN_NAME, display_path
        from ..documents.loading import MAX_FILE_BYTES
        from ..run.checking import StdinInput

        if stdin_filename is not None and STDIN not in paths:
            raise click.UsageError("--stdin-filename names what `-` stands for; give `-` among the PATHS")
        if paths.count(STDIN) > 1:
            raise click.UsageError("standard input (`-`) can be read only once")
        start = Path(stdin_filename) if stdin_filename and paths[0] == STDIN else Path(paths[0]) if paths else None
        self.config = config_for(config_file, start)
        if not paths:
            records = self.config.records
            if records is None:
                where = self.config.path.name if self.config.path else "a communique.toml (`communique init` writes one)"
                raise click.UsageError(f'give the records to check (files or folders), or name their folder in '
                                       f'{where}: records = "records"')
            paths = (display_path(records),)
        self.paths = paths
        self.stdin = None
        if STDIN in paths:  # read up to one byte over the limit, so that too much is noticed
            raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            self.stdin = StdinInput(stdin_filename or STDIN_NAME, raw)


class Style:
    """How a report is shown: its format, colour, quietness, statistics instead of findings."""

    def __init__(self, output_format: str, color: str = "auto", quiet: bool = False, statistics: bool = False):
        if statistics and output_format not in ("text", "json"):
            raise click.UsageError(f"--statistics shows counts as text or json, not {output_format}")
        self.format, self.color, self.quiet, self.statistics = output_format, color, quiet, statistics

    def colour(self, to_terminal: bool) -> bool:
        """--color always wins over NO_COLOR (a flag is the user's latest word); auto means
        a terminal, and NO_COLOR unset (no-color.org)."""
        if self.color != "auto" or self.format != "text":
            return self.color == "always" and self.format == "text"
        return to_terminal and not os.environ.get("NO_COLOR")


def progress_shown(style: Style):
    """A progress bar on standard error for a long run on a terminal (see progress.py)."""
    from ..run.progress import Progress

    return Progress(enabled=style.format == "text" and not style.quiet)


def emit(report, output_format: str, output_file: Path | None, no_source: bool, style: Style | None = None) -> None:
    from ..documents.files import file_key
    from ..run.reporting import RENDERERS, render_statistics

    style = style or Style(output_format)
    if output_file is not None and file_key(str(output_file)) in {file_key(p) for p in report.checked or []}:
        fail(f"--output-file {output_file} is one of the files checked; the report would replace it")
    colour = style.colour(output_file is None and sys.stdout.isatty())
    if style.statistics:
        text = render_statistics(report, output_format, colour=colour)
    elif output_format == "text":
        text = RENDERERS["text"](report, colour=colour, show_source=not no_source, quiet=style.quiet)
    else:
        text = RENDERERS[output_format](report, colour=colour, show_source=not no_source)
    if output_file is None:
        echo(text, colour=colour or None)
    else:
        write_report(output_file, text)


def write_report(path: Path, text: str, *, append: bool = False) -> None:
    """A report replaces its file in one step; a summary is added to the end of one (the
    job summary file a CI runner collects)."""
    from ..documents.writing import write_atomically

    try:
        if append:
            with open(path, "a", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            write_atomically(path, text)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


def pass_through(raw: bytes) -> None:
    """Standard input back out, byte for byte, however long: what could not be formatted is
    never changed, nor cut at the size limit."""
    import shutil

    echo(raw)
    try:
        shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def echo(text: str | bytes, colour: bool | None = None) -> None:
    """Print to standard output (bytes as they are); a reader that stops early (`| head`)
    ends the output quietly. colour=True keeps colour codes even off a terminal."""
    try:
        click.echo(text, nl=False, color=colour)
        sys.stdout.flush()
    except BrokenPipeError:
        # Nothing more can be written; send the rest of the process's output nowhere, so
        # that the interpreter's own flush at exit does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def config_for(config_file: Path | None, start: Path | None = None):
    """The configuration given, or the nearest one to `start` (the current folder)."""
    from ..run.config import ConfigError, find_config, load_config

    if config_file is not None and not config_file.is_file():
        raise click.UsageError(f"configuration file {config_file} does not exist")
    try:
        return load_config(config_file or find_config(start or Path.cwd()))
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def fail(message: str) -> None:
    """An I/O error: said on standard error, exit 2 (not click's exit 1 for its own exceptions)."""
    click.echo(f"communique: error: {message}", err=True)
    sys.exit(2)


def echo_json(value) -> None:
    import json

    echo(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def complete_codes(incomplete: str) -> list:
    """Shell completion of codes (and, for --select/--ignore, of the last of a comma-separated
    list): each code with its summary, for shells that show one."""
    from click.shell_completion import CompletionItem

    from ..lint.selection import known_codes

    done, _, last = incomplete.rpartition(",")
    lead = done + "," if done else ""
    codes = known_codes()
    return [CompletionItem(lead + code, help=codes[code].summary) for code in sorted(codes)
            if code.startswith(last.upper())]


