"""`validate`, `lint` and `check`: the pipeline of communique.run.checking, its report, the
safe fixes of `check --fix` and `--diff`, and the known findings of `--baseline` and `--since`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import main
from .options import (
    Inputs,
    Style,
    echo,
    emit,
    fail,
    input_options,
    lint_options,
    output_options,
    paths_argument,
    progress_shown,
    write_report,
)


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
    from ..run.checking import Options, validate_paths

    style = Style(output_format, color, quiet, statistics)
    inputs = Inputs(paths, config_file, stdin_filename)
    with progress_shown(style) as progress:
        report, code = validate_paths(inputs.paths, Options(config=inputs.config, stdin=inputs.stdin, lint=False,
                                                            use_cache=not no_cache), progress=progress)
    emit(report, output_format, output_file, no_source, style)
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
         baseline, write_baseline, since, fix, fix_diff) -> None:
    from ..core.errors import SettingsError
    from ..lint.selection import parse_option
    from ..run.checking import build_options, exit_code, run

    inputs = Inputs(paths, config_file, stdin_filename)

    def options_for(config):
        return build_options(config, schema=schema, sources=sources, corpus=corpus,
                             select=parse_option(select, "--select") if select else None,
                             ignore=parse_option(ignore, "--ignore") if ignore else None,
                             fail_on=fail_on, exit_zero=exit_zero, jobs=jobs, stdin=inputs.stdin)

    try:
        options = options_for(inputs.config)
        if sum(bool(x) for x in (baseline, write_baseline, since)) > 1:
            raise click.UsageError("--baseline, --write-baseline and --since each say which findings are known: "
                                   "give one")
        known = None
        if baseline or since:
            from ..run.baseline import known_at
            from ..run.baseline import read as read_baseline

            known = read_baseline(baseline) if baseline else known_at(since, inputs.paths, options_for)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None
    options.use_cache = not no_cache
    if output_format == "text" and not fix:
        options.count_fixes = _fixable_paths  # for the note on what --fix can do, cached with each file
    if (fix or fix_diff) and inputs.stdin is not None:
        raise click.UsageError("--fix and --diff change record files; standard input (`-`) is not supported with them")
    style = Style(output_format, color, quiet, statistics)
    with progress_shown(style) as progress:
        report, code = run(inputs.paths, options, progress=progress)
    if fix_diff:
        sys.exit(_show_fixes(report))
    if fix:
        report, code = _make_fixes(report, inputs.paths, options)
    if write_baseline is not None:
        _write_baseline(write_baseline, report)
        return
    said = None
    if known is not None:
        from ..run.baseline import note, split

        result = split(report.findings, known, report.checked)
        report.findings = result.new
        code = exit_code(report.counted, options)
        said = note(result, f"baseline {baseline}" if baseline else f"known at {since}")
    if show_files:
        from ..run.reporting import shown_path

        lines = [f"checked: {shown_path(path)}" for path in report.checked or []]
        lines += [f"compared with: {shown_path(path)}" for path in report.context]
        lines.append(f"({len(report.context)} other records read for cross-record rules, from "
                     f"{report.context_origin or 'nowhere: no cross-record rule is selected'})")
        click.echo("\n".join(lines), err=True)
    emit(report, output_format, output_file, no_source, style)
    if not fix:
        _say_fixable(report, output_format)
    if said:
        click.echo(said, err=True)
    if summary_file is not None:
        from ..run.reporting import render_markdown

        write_report(summary_file, render_markdown(report) + (f"\n{said}\n" if said else ""), append=True)
    sys.exit(code)


def _write_baseline(path: Path, report) -> None:
    """--write-baseline: every finding in a file, for later runs to leave out; exit 0."""
    from ..documents.writing import write_atomically
    from ..run.baseline import write

    in_files = [f for f in report.findings if f.path]
    try:
        write_atomically(path, write(in_files))
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")
    click.echo(f"{len(in_files)} finding{'' if len(in_files) == 1 else 's'} written to {path}; "
               f"`communique check --baseline {path}` reports only new ones.", err=True)
    sys.exit(0)


def _show_fixes(report) -> int:
    """--diff: the safe fixes as a diff on standard output; 1 if there are any."""
    from ..rewrite.fixing import plan
    from ..rewrite.migrating import unified_diff

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
    from ..rewrite.fixing import plan, write
    from ..run.checking import exit_code, run

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
    """A note on standard error when some findings shown have a safe fix (text output only),
    from what the run worked out with each file (Options.count_fixes): no file is read again."""
    from ..lint.fixable import FIXES

    if output_format != "text" or not report.fixable:
        return
    count = len({(f.path, f.json_path) for f in report.findings
                 if f.code.code in FIXES and f.json_path in report.fixable.get(f.path, ())})
    if count:
        click.echo(f"{count} of these {'has' if count == 1 else 'have'} a safe fix: `--fix` makes them (each file "
                   f"checked before it is written), `--diff` shows how.", err=True)


def _fixable_paths(document, findings) -> frozenset[str]:
    """rewrite.fixing.fixable_paths, imported only once a record has a finding to fix: a
    run the cache answers never needs it."""
    from ..rewrite.fixing import fixable_paths

    return fixable_paths(document, findings)
