"""The `communique` command line.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 usage or I/O error
(2 wins when both apply). Heavy modules are imported inside the commands that need them.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import sys
from pathlib import Path

import click

from . import __version__

FORMATS = ["text", "json", "sarif", "github"]
SEVERITIES = ["error", "warning", "info"]


class _Path(click.Path):
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
    return click.argument("paths", nargs=-1, type=_Path(path_type=str))(command)


def output_options(command):
    options = [
        click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                     show_default=True, help="Report format."),
        click.option("--output-file", "-o", type=_Path(dir_okay=False, path_type=Path),
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
        click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
                     help="Configuration file (default: the nearest communique.toml or pyproject.toml "
                          "with [tool.communique])."),
        click.option("--stdin-filename", metavar="PATH", type=_Path(),
                     help="With `-` among PATHS: the file name standard input stands for, for positions, "
                          "configuration and rules."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def lint_options(command):
    options = [
        click.option("--sources", type=_Path(file_okay=False, path_type=Path),
                     help="Folder of source texts (<source id>.txt) for the quote check."),
        click.option("--corpus", type=_Path(file_okay=False, path_type=Path),
                     help="Folder of all records, for cross-record rules (default: the configured records "
                          "folder, else the folders of PATHS)."),
        click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated; repeatable).",
                     shell_complete=lambda ctx, param, incomplete: _complete_codes(incomplete)),
        click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated; repeatable).",
                     shell_complete=lambda ctx, param, incomplete: _complete_codes(incomplete)),
        click.option("--fail-on", type=click.Choice(SEVERITIES, case_sensitive=False), default=None,
                     help="Lowest severity that makes the exit code 1 [default: error]."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (I/O errors still exit 2)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Worker processes for large runs (0: one per CPU; 1: no workers)."),
        click.option("--show-files", is_flag=True,
                     help="List on standard error the files checked, and the other records read for cross-record "
                          "rules, with where they came from."),
        click.option("--summary-file", type=_Path(dir_okay=False, path_type=Path),
                     help="Also append a Markdown table of the findings to this file (for a CI job summary, "
                          "e.g. \"$GITHUB_STEP_SUMMARY\")."),
        click.option("--no-cache", is_flag=True,
                     help="Check every file afresh, without the cache of earlier results (see README)."),
        click.option("--fix", is_flag=True,
                     help="Make the safe fixes (see `communique rule CODE`), then report what is left."),
        click.option("--diff", "fix_diff", is_flag=True,
                     help="Print the safe fixes as a unified diff and write nothing; exit 1 if there are any."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


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


class Inputs:
    """What every command that reads records starts from: the configuration, the paths (the
    configured records folder when none are given) and standard input, if named."""

    def __init__(self, paths: tuple[str, ...], config_file: Path | None, stdin_filename: str | None):
        from .checking import StdinInput
        from .files import STDIN, STDIN_NAME, display_path
        from .loading import MAX_FILE_BYTES

        if stdin_filename is not None and STDIN not in paths:
            raise click.UsageError("--stdin-filename names what `-` stands for; give `-` among the PATHS")
        if paths.count(STDIN) > 1:
            raise click.UsageError("standard input (`-`) can be read only once")
        start = Path(stdin_filename) if stdin_filename and paths[0] == STDIN else Path(paths[0]) if paths else None
        self.config = _config_for(config_file, start)
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


@main.command()
@paths_argument
@output_options
@input_options
@click.option("--no-cache", is_flag=True, help="Check every file afresh, without the cache of earlier results.")
def validate(paths, output_format, output_file, no_source, color, quiet, statistics, config_file,
             stdin_filename, no_cache) -> None:
    """Check record files against the schema their schema_version names.

    PATHS are files or folders (folders are searched for .yaml, .yml and .json files), or
    `-` for standard input; without PATHS, the configured records folder. Files that the
    configuration's include/exclude do not count as records are skipped, even when named.
    """
    from .checking import Options, validate_paths

    style = Style(output_format, color, quiet, statistics)
    inputs = Inputs(paths, config_file, stdin_filename)
    with progress_shown(style) as progress:
        report, code = validate_paths(inputs.paths, Options(config=inputs.config, stdin=inputs.stdin, lint=False,
                                                            use_cache=not no_cache), progress=progress)
    _emit(report, output_format, output_file, no_source, style)
    sys.exit(code)


@main.command()
@paths_argument
@output_options
@input_options
@lint_options
def lint(paths, **options) -> None:
    """Run the consistency rules on records (records that fail the schema are skipped, and
    said so: `check` shows why)."""
    _run(paths, schema=False, **options)


@main.command()
@paths_argument
@output_options
@input_options
@lint_options
def check(paths, **options) -> None:
    """Validate and lint in one pass: the entry point for pre-commit and CI.

    Given some files, cross-record rules still compare them with the whole corpus, but
    report only on the files given. Without PATHS, the configured records folder.
    """
    _run(paths, schema=True, **options)


def _run(paths, *, schema, output_format, output_file, no_source, color, quiet, statistics, config_file,
         stdin_filename, sources, corpus, select, ignore, fail_on, exit_zero, jobs, show_files, summary_file, no_cache,
         fix, fix_diff) -> None:
    from .checking import build_options, run
    from .errors import SettingsError
    from .selection import parse_option

    inputs = Inputs(paths, config_file, stdin_filename)
    try:
        options = build_options(inputs.config, schema=schema, sources=sources, corpus=corpus,
                                select=parse_option(select, "--select") if select else None,
                                ignore=parse_option(ignore, "--ignore") if ignore else None,
                                fail_on=fail_on, exit_zero=exit_zero, jobs=jobs, stdin=inputs.stdin)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None
    options.use_cache = not no_cache
    if (fix or fix_diff) and inputs.stdin is not None:
        raise click.UsageError("--fix and --diff change record files; standard input (`-`) is not supported with them")
    style = Style(output_format, color, quiet, statistics)
    with progress_shown(style) as progress:
        report, code = run(inputs.paths, options, progress=progress)
    if fix_diff:
        sys.exit(_show_fixes(report))
    if fix:
        report, code = _make_fixes(report, inputs.paths, options)
    if show_files:
        from .reporting import shown_path

        lines = [f"checked: {shown_path(path)}" for path in report.checked or []]
        lines += [f"compared with: {shown_path(path)}" for path in report.context]
        lines.append(f"({len(report.context)} other records read for cross-record rules, from "
                     f"{report.context_origin or 'nowhere: no cross-record rule is selected'})")
        click.echo("\n".join(lines), err=True)
    _emit(report, output_format, output_file, no_source, style)
    if not fix:
        _say_fixable(report, output_format)
    if summary_file is not None:
        from .reporting import render_markdown

        _write_report(summary_file, render_markdown(report), append=True)
    sys.exit(code)


def _show_fixes(report) -> int:
    """--diff: the safe fixes as a diff on standard output; 1 if there are any."""
    from .fixing import plan
    from .migrating import unified_diff

    planned = plan(report.findings)
    for file_fixes in planned:
        if file_fixes.new_text is not None:
            echo(unified_diff(file_fixes.path, file_fixes.old_text, file_fixes.new_text, label="fixed"))
        else:
            click.echo(f"{file_fixes.path}: cannot fix: {file_fixes.problem}", err=True)
    count = sum(len(f.fixes) for f in planned if f.new_text is not None)
    click.echo(f"{count} fix{'' if count == 1 else 'es'} available; `--fix` makes them.", err=True)
    return 1 if count else 0


def _make_fixes(report, paths, options):
    """--fix: make the safe fixes, then check again and report what is left."""
    from .checking import exit_code, run
    from .fixing import plan, write

    made, code = 0, exit_code(report.counted, options)
    refused: set[str] = set()  # files whose fixes could not be made: said once, not tried again
    for _ in range(FIX_ROUNDS):  # a fix can let the schema check reach, and find, more
        made_now = 0
        for file_fixes in plan([f for f in report.findings if f.path not in refused]):
            problem = file_fixes.problem if file_fixes.new_text is None else write(file_fixes)
            if problem is None:
                made_now += len(file_fixes.fixes)
                for fix in file_fixes.fixes:
                    click.echo(f"fixed: {file_fixes.path}: {fix.title}", err=True)
            else:
                refused.add(file_fixes.path)
                click.echo(f"{file_fixes.path}: not fixed: {problem}", err=True)
        if not made_now:
            break
        made += made_now
        report, code = run(paths, options)
    click.echo(f"{made} fix{'' if made == 1 else 'es'} made.", err=True)
    return report, code


FIX_ROUNDS = 5


def _say_fixable(report, output_format: str) -> None:
    """A note on standard error when some findings have a safe fix (text output only)."""
    from .fixing import FIXES

    if output_format != "text" or not any(f.code.code in FIXES for f in report.findings):
        return
    from .fixing import plan

    count = sum(len(f.fixes) for f in plan(report.findings) if f.new_text is not None)
    if count:
        click.echo(f"{count} of these can be fixed safely: `--fix` fixes them, `--diff` shows how.", err=True)


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
    from .progress import Progress

    return Progress(enabled=style.format == "text" and not style.quiet)


def _emit(report, output_format: str, output_file: Path | None, no_source: bool, style: Style | None = None) -> None:
    from .files import file_key
    from .reporting import RENDERERS, render_statistics

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
        _write_report(output_file, text)


def _write_report(path: Path, text: str, *, append: bool = False) -> None:
    """A report replaces its file in one step; a summary is added to the end of one (the
    job summary file a CI runner collects)."""
    from .writing import write_atomically

    try:
        if append:
            with open(path, "a", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            write_atomically(path, text)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


def _pass_through(raw: bytes) -> None:
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
    from .formatting import format_paths

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
    _emit(report, output_format, output_file, no_source, style)
    sys.exit(code)


def _format_stdin(inputs: Inputs, check_only: bool, show_diff: bool, output_format: str, no_source: bool) -> int:
    """Standard input to standard output, formatted; findings on standard error. Input that
    cannot be formatted, or that is not a record by the configuration, is passed through
    unchanged, so an editor never loses the text."""
    from .files import STDIN_NAME
    from .formatting import format_stdin
    from .reporting import RENDERERS

    stdin = inputs.stdin
    if stdin.name != STDIN_NAME and not inputs.config.record_filter().accepts(stdin.name):
        if not check_only:
            _pass_through(stdin.raw)
        return 0
    new_raw, report, code = format_stdin(stdin, check_only=check_only)
    if show_diff and new_raw is not None and new_raw != stdin.raw:
        from .formatting.per_file import unified_diff

        echo(unified_diff(stdin.name, stdin.raw.decode("utf-8-sig"), new_raw.decode("utf-8")))
    if not check_only:
        _pass_through(stdin.raw) if new_raw is None else echo(new_raw)
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
@click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
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
    from . import schema
    from .migrating import MigrateUsageError, check_target, migrate_paths

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
    _emit(report, output_format, output_file, no_source, style)
    sys.exit(code)


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
@click.option("--dir", "folder", type=_Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the record in [default: the configured records folder, else records].")
@click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest one).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(series, round_number, edition, record_id, title, kind, start, end, city, country, parties, no_co_chairs, folder,
        config_file, force) -> None:
    """Write a new record skeleton, named by the convention, with the editor schema comment.

    Values not given as options are asked for when run in a terminal; any still missing are
    left as TODO placeholders, which `communique check` reports until they are filled in.
    """
    from .files import display_path
    from .project import editor_schema_reference
    from .skeleton import NewRecord, SkeletonError, canonical, render
    from .writing import write_atomically

    config = _config_for(config_file)
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
    from .skeleton import (KINDS, SkeletonError, check_country, check_date, check_identifier, check_parties,
                           parse_party, series_record_id)

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


def _config_for(config_file: Path | None, start: Path | None = None):
    """The configuration given, or the nearest one to `start` (the current folder)."""
    from .config import ConfigError, find_config, load_config

    if config_file is not None and not config_file.is_file():
        raise click.UsageError(f"configuration file {config_file} does not exist")
    try:
        return load_config(config_file or find_config(start or Path.cwd()))
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


@main.command("init")
@click.argument("directory", required=False, type=_Path(file_okay=False, path_type=Path), default=Path("."))
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
    from .project import InitError, Layout, init_repository, refresh_schema_copy

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {directory}: {error.strerror or error}")
    config = _config_for(None, directory)
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
                   "--kind KIND ...`; fill in its placeholders, `communique check`, commit.")


def _git_top(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, if any (found without running git)."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def fail(message: str) -> None:
    """An I/O error: said on standard error, exit 2 (not click's exit 1 for its own exceptions)."""
    click.echo(f"communique: error: {message}", err=True)
    sys.exit(2)


@main.command("export")
@paths_argument
@click.option("--format", "output_format", type=click.Choice(["jsonl", "json", "csv", "datapackage", "sqlite"]),
              default="jsonl", show_default=True,
              help="jsonl: one record per line; json: one array; csv: one row per agreement; datapackage: a "
                   "folder of tidy CSV tables with datapackage.json; sqlite: a database, with Datasette metadata.")
@click.option("--output-file", "-o", "output_file", type=_Path(path_type=Path),
              help="Write to this file (for datapackage: this folder) instead of standard output.")
@click.option("--output", "legacy_output", type=_Path(dir_okay=False, path_type=Path), hidden=True)
@click.option("--raw", is_flag=True,
              help="csv and datapackage: write text cells exactly as the records hold them, without the "
                   "apostrophe that keeps a spreadsheet from running a cell that starts like a formula.")
@click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
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
    from .corpus.collect import Wanted
    from .exporting import render
    from .findings import exit_code

    collected = _collect(paths, config_file, Wanted(keys=False))
    records = [entry.data for entry in collected.entries]
    text = render(records, output_format, raw)
    if output_file is None:
        echo(text)
    else:
        _write_report(output_file, text)
    if collected.problems:
        _say_left_out(len(records), collected.problems, "exported")
    sys.exit(exit_code(collected.problems))


def _collect(paths, config_file, wanted=None):
    """The records that can become tables, with what was left out already reported."""
    from dataclasses import replace

    from .corpus.collect import Wanted, collect

    inputs = Inputs(paths, config_file, None)
    record_filter = inputs.config.record_filter()
    wanted = replace(wanted or Wanted(rows=True, data=False), root=str(inputs.config.root))
    collected = collect(inputs.paths, record_filter, wanted)
    _report_left_out(collected.problems, collected.found, len(collected.entries), record_filter.origin)
    return collected


def _report_left_out(problems, found, count: int, origin) -> None:
    from .reporting import Report, format_line, scope_notes

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
    from .findings import exit_code

    count = len(collected.entries)
    if collected.problems:
        _say_left_out(count, collected.problems, done)
    else:
        click.echo(f"{count} record{'' if count == 1 else 's'} {done}; {hint}", err=True)
    sys.exit(exit_code(collected.problems))


def _export_tables(paths, output_format: str, target: Path, config_file, raw: bool = False) -> None:
    import json

    from .corpus import output
    from .corpus.tables import build
    from .writing import write_atomically

    collected = _collect(paths, config_file)
    rows = build(collected.entries)
    total = sum(len(table_rows) for table_rows in rows.values())
    try:
        if output_format == "datapackage":
            from .corpus import datapackage

            output.replace_folder(target, datapackage.files(rows, raw), "datapackage.json", "a data package")
            done = f"exported to {target} ({len(rows)} tables, {total} rows)"
            hint = f"check it with: frictionless validate {shlex.quote(str(target / 'datapackage.json'))}"
        else:
            from .corpus import database

            output.replace_file(target, lambda path: database.build_database(path, rows))
            metadata_file = target.with_name(target.stem + ".metadata.json")
            write_atomically(metadata_file, json.dumps(database.metadata(target.stem), indent=2,
                                                       ensure_ascii=False) + "\n")
            done = f"exported to {target} ({len(rows)} tables, {total} rows) and {metadata_file.name}"
            hint = f"browse it with: datasette {shlex.quote(str(target))} -m {shlex.quote(str(metadata_file))}"
    except output.RefusedOutput as refused:
        fail(str(refused))
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    _finish(collected, done, hint)


@main.command("stats")
@paths_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output-file", "-o", "output_file", type=_Path(dir_okay=False, path_type=Path),
              help="Write the summary to this file instead of standard output.")
@click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
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

    from .corpus import stats
    from .corpus.tables import build
    from .findings import exit_code

    if "-" in paths:
        raise click.UsageError("stats reads record files; standard input (`-`) is not supported here")
    collected = _collect(paths, config_file)
    summary = stats.summarise(build(collected.entries))
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n" if output_format == "json" \
        else stats.render_text(summary)
    if output_file is None:
        echo(text)
    else:
        _write_report(output_file, text)
    if collected.problems:
        _say_left_out(len(collected.entries), collected.problems, "counted")
    sys.exit(exit_code(collected.problems))


@main.command("site")
@paths_argument
@click.option("--output", "-o", "out", type=_Path(file_okay=False, path_type=Path),
              help="Folder to write the site to (required).")
@click.option("--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
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
    from .corpus import output, site
    from .corpus.collect import Wanted
    from .corpus.tables import build

    if out is None:
        out, paths = _legacy_site_folder(paths)
    if "-" in paths:
        raise click.UsageError("site reads record files; standard input (`-`) is not supported here")
    try:
        output.check_folder(out, site.MARKER, "a site")
    except output.RefusedOutput as refused:
        fail(str(refused))
    collected = _collect(paths, config_file, Wanted(rows=True, page=site.render_meeting, data=False))
    try:
        files = site.pages(collected.entries, build(collected.entries))
        output.replace_folder(out, files, site.MARKER, "a site")
    except output.RefusedOutput as refused:
        fail(str(refused))
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    _finish(collected, f"written to {out} ({sum(name.endswith('.html') for name in files)} pages)",
            f"open {out / 'index.html'}")


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


@main.command("server", short_help="Run the language server: findings as you type, hovers, completion and safe "
                                   "fixes in any LSP editor.")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output: the default and only transport, "
                                             "accepted for clients that pass it.")
@click.option("--no-cache", is_flag=True, help="Index the corpus without reading or writing the cache.")
def server_command(stdio: bool, no_cache: bool) -> None:
    """Run the language server: any editor that speaks LSP gets every finding as you type
    (schema, rules, cross-record rules against the records, quotes against the sources),
    hovers that explain them, completion of ids and allowed values, safe fixes, inline
    suppressions and formatting. The README shows the set-up for VS Code, Neovim and Helix.
    """
    from .server.protocol import serve

    serve(use_cache=not no_cache)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per code; json: a list of every code's metadata, explanation and examples.")
def rules_command(output_format: str) -> None:
    """List every code: file, parse and schema problems, and the lint rules."""
    from .selection import describe, known_codes

    codes = known_codes()
    entries = [codes[k] for k in sorted(codes)]
    if output_format == "json":
        _echo_json([describe(entry) for entry in entries])
        return
    echo("".join(f"{c.code:<5} {c.name:<28} {str(c.severity):<8} {c.summary}\n" for c in entries))


@main.command("rule")
@click.argument("code", shell_complete=lambda ctx, param, incomplete: _complete_codes(incomplete))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the explanation as prose; json: the same as one object (as in `rules --format json`).")
def rule_command(code: str, output_format: str) -> None:
    """Explain one code or rule name (in any case): why it matters, with a failing and a passing example."""
    from .hints import did_you_mean_aside
    from .selection import describe, explanation, known_codes

    codes = known_codes()
    entry = codes.get(code.upper()) or next((c for c in codes.values() if c.name == code.lower()), None)
    if entry is None:
        candidates = list(codes) + [c.name for c in codes.values()]
        raise click.UsageError(f"unknown code {code!r}{did_you_mean_aside(code, candidates)}; "
                               "`communique rules` lists them")
    if output_format == "json":
        _echo_json(describe(entry))
        return
    echo(explanation(entry))


def _echo_json(value) -> None:
    import json

    echo(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _complete_codes(incomplete: str) -> list:
    """Shell completion of codes (and, for --select/--ignore, of the last of a comma-separated
    list): each code with its summary, for shells that show one."""
    from click.shell_completion import CompletionItem

    from .selection import known_codes

    done, _, last = incomplete.rpartition(",")
    lead = done + "," if done else ""
    codes = known_codes()
    return [CompletionItem(lead + code, help=codes[code].summary) for code in sorted(codes)
            if code.startswith(last.upper())]


@main.group("schema", invoke_without_command=True)
@click.option("--version", "version", default=None, help="Schema version (default: the latest).")
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
@click.option("--list", "list_versions", is_flag=True, help="List the schema versions this tool knows.")
@click.pass_context
def schema_command(ctx: click.Context, version: str | None, show_path: bool, list_versions: bool) -> None:
    """Print the JSON Schema (or its path) for editors and other tools.

    `communique schema diff OLD NEW` compares two versions instead.
    """
    from . import schema
    from .hints import did_you_mean_aside

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
    from .schema_diff import DiffInputError, compare, render_json, render_text

    try:
        diff = compare(old, new)
    except DiffInputError as error:
        fail(str(error))
    echo(render_json(diff) if output_format == "json" else render_text(diff))
    sys.exit(0 if diff.compatible else 1)
