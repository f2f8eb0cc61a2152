"""The `communique` command line.

Exit codes: 0 nothing at or above the failing severity, 1 findings, 2 usage or I/O error
(2 wins when both apply). Heavy modules are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

FORMATS = ["text", "json", "sarif", "github"]
SEVERITIES = ["error", "warning", "info"]


def _codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def output_options(command):
    command = click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                           show_default=True, help="Report format.")(command)
    command = click.option("--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path),
                           help="Write the report to this file instead of standard output.")(command)
    command = click.option("--no-source", is_flag=True,
                           help="In text output, do not show the offending lines under each finding.")(command)
    return command


def lint_options(command):
    options = [
        click.option("--sources", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder of source texts (<source id>.txt) for the quote check."),
        click.option("--corpus", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder of all records, for cross-record rules (default: the folders of PATHS)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Configuration file (default: the nearest communique.toml or pyproject.toml "
                          "with [tool.communique])."),
        click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated; repeatable)."),
        click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated; repeatable)."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Lowest severity that makes the exit code 1 [default: error]."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (I/O errors still exit 2)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Worker processes for large runs (0: one per CPU; 1: no workers)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communique")
def main() -> None:
    """Validate and lint records of diplomatic communiques."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@output_options
def validate(paths, output_format, output_file, no_source) -> None:
    """Check record files against the schema their schema_version names.

    PATHS are files or folders; folders are searched for .yaml, .yml and .json files.
    """
    from .checking import validate_paths

    report, code = validate_paths(paths)
    _emit(report, output_format, output_file, no_source)
    sys.exit(code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@output_options
@lint_options
def lint(paths, **options) -> None:
    """Run the consistency rules on records (records that fail the schema are skipped, and
    said so: `check` shows why)."""
    _run(paths, schema=False, **options)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@output_options
@lint_options
def check(paths, **options) -> None:
    """Validate and lint in one pass: the entry point for pre-commit and CI.

    Given some files, cross-record rules still compare them with the whole corpus, but
    report only on the files given.
    """
    _run(paths, schema=True, **options)


def _run(paths, *, schema, output_format, output_file, no_source, sources, corpus, config_file,
         select, ignore, fail_on, exit_zero, jobs) -> None:
    from .checking import Options, run
    from .config import ConfigError, find_config, load_config, parse_severity

    try:
        config = load_config(config_file if config_file else find_config(Path(paths[0])))
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    if config_file and not config_file.is_file():
        raise click.UsageError(f"configuration file {config_file} does not exist")
    if select:
        config.select = _codes(select)
    if ignore:
        config.ignore = config.ignore + _codes(ignore)
    sources = sources or config.sources
    if sources is not None and not sources.is_dir():
        raise click.UsageError(f"sources folder {sources} does not exist")
    corpus = corpus or config.corpus
    if corpus is not None and not corpus.is_dir():
        raise click.UsageError(f"corpus folder {corpus} does not exist")
    options = Options(schema=schema, lint=True, config=config, sources=sources, corpus=corpus,
                      fail_on=parse_severity(fail_on, "--fail-on") if fail_on else config.fail_on,
                      exit_zero=exit_zero, jobs=jobs)
    report, code = run(paths, options)
    _emit(report, output_format, output_file, no_source)
    sys.exit(code)


def _emit(report, output_format: str, output_file: Path | None, no_source: bool) -> None:
    from .reporting import RENDERERS

    colour = (output_file is None and output_format == "text" and sys.stdout.isatty()
              and not os.environ.get("NO_COLOR"))
    text = RENDERERS[output_format](report, colour=colour, show_source=not no_source)
    if output_file is None:
        click.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(f"communique: error: cannot write {output_file}: {error.strerror}", err=True)
        sys.exit(2)


@main.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--check", "check_only", is_flag=True,
              help="Only report files that are not in canonical form (exit 1); write nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check, also print what would change.")
@output_options
def fmt(paths, check_only, show_diff, output_format, output_file, no_source) -> None:
    """Rewrite records into canonical form: keys in schema order, consistent quoting and
    indentation, every comment and value kept. Files are written atomically; a file that
    cannot be parsed is left untouched and reported."""
    from .formatting import format_paths

    report, code, diff = format_paths(paths, check=check_only, want_diff=show_diff)
    if diff:  # on stdout beside a text report; on stderr when stdout carries a machine format
        click.echo(diff, nl=False, err=output_format != "text" and output_file is None)
    _emit(report, output_format, output_file, no_source)
    sys.exit(code)


@main.command("new")
@click.option("--series", help="Series id, e.g. pk-eu-strategic-dialogue.")
@click.option("--round", "round_number", type=click.IntRange(min=1), help="Round of the series.")
@click.option("--id", "record_id", help="Record id, for a meeting that is not a round of a series.")
@click.option("--title", help="The meeting's name as the sources give it.")
@click.option("--kind", type=click.Choice(["dialogue", "talks", "summit", "ministerial", "meeting", "forum", "visit"]),
              default="dialogue", show_default=True)
@click.option("--start", help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD (multi-day meetings).")
@click.option("--city")
@click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. BE.")
@click.option("--party", "parties", multiple=True, help="A party as ID=NAME, e.g. pk=Pakistan (repeatable).")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("records"),
              show_default=True, help="Folder to write the record in.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(series, round_number, record_id, title, kind, start, end, city, country, parties, folder, force) -> None:
    """Write a new record skeleton, named by the convention, with the editor schema comment.

    Values not given as options are asked for when run in a terminal; any still missing are
    left as TODO placeholders, which `communique check` reports until they are filled in.
    """
    from datetime import date

    from .skeleton import NewRecord, canonical, parse_party, render

    interactive = sys.stdin.isatty()
    if not record_id and not series:
        if not interactive:
            raise click.UsageError("give --series and --round, or --id")
        series = click.prompt("Series id (empty for a one-off meeting)", default="", show_default=False) or None
        if not series:
            record_id = click.prompt("Record id")
    if series and round_number is None:
        if not interactive:
            raise click.UsageError("--series needs --round")
        round_number = click.prompt("Round", type=click.IntRange(min=1))
    if interactive:
        title = title or click.prompt("Title", default="", show_default=False) or None
        start = start or click.prompt("First day (YYYY-MM-DD)", default="", show_default=False) or None
        city = city or click.prompt("City", default="", show_default=False) or None
        country = country or click.prompt("Country code", default="", show_default=False) or None
        if not parties:
            entered = click.prompt("Parties as ID=NAME, comma-separated", default="", show_default=False)
            parties = tuple(p for p in entered.split(",") if p.strip())
    for day in (start, end):
        if day:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise click.UsageError(f"{day!r} is not a date (YYYY-MM-DD)") from None
    try:
        party_list = [parse_party(p) for p in parties]
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    record = NewRecord(folder, series, round_number, record_id, title, kind, start, end, city,
                       country.upper() if country else None, party_list)
    if record.path.exists() and not force:
        raise click.UsageError(f"{record.path} exists; --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    record.path.write_text(canonical(render(record), str(record.path)), encoding="utf-8")
    click.echo(f"wrote {record.path}; fill in the TODO placeholders, then: communique check {record.path}")


@main.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv", "json"]), default="jsonl",
              show_default=True, help="jsonl: one record per line; json: one array; csv: one row per agreement.")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def export(paths, output_format, output_file) -> None:
    """Write the records as plain data for analysis.

    Records that do not load or match the schema are left out and reported on standard
    error, and the exit code is 1.
    """
    from .exporting import load_valid_records, render
    from .findings import exit_code
    from .reporting import format_line

    records, problems = load_valid_records(paths)
    for problem in problems:
        click.echo(format_line(problem), err=True)
    text = render(records, output_format)
    if output_file is None:
        click.echo(text, nl=False)
    else:
        try:
            output_file.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            click.echo(f"communique: error: cannot write {output_file}: {error.strerror}", err=True)
            sys.exit(2)
    if problems:
        click.echo(f"{len(records)} records exported; {len(problems)} problems left records out.", err=True)
    sys.exit(exit_code(problems))


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every code: file, parse and schema problems, and the lint rules."""
    import json

    from .findings import CODES
    from .rules import all_rules

    all_rules()
    if output_format == "json":
        payload = [{"code": c.code, "name": c.name, "severity": str(c.severity), "summary": c.summary,
                    "doc": c.doc} for c in (CODES[k] for k in sorted(CODES))]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for key in sorted(CODES):
        c = CODES[key]
        click.echo(f"{c.code:<5} {c.name:<28} {str(c.severity):<8} {c.summary}")


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one code: why it matters, with a failing and a passing example."""
    from .findings import CODES
    from .rules import all_rules

    all_rules()
    entry = CODES.get(code.upper()) or next((c for c in CODES.values() if c.name == code), None)
    if entry is None:
        raise click.UsageError(f"unknown code {code!r}; `communique rules` lists them")
    click.echo(f"{entry.code} {entry.name} ({entry.severity})\n\n{entry.summary}\n")
    if entry.doc:
        click.echo(entry.doc)


@main.command("schema")
@click.option("--version", "version", default=None, help="Schema version (default: the latest).")
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
@click.option("--list", "list_versions", is_flag=True, help="List the schema versions this tool knows.")
def schema_command(version: str | None, show_path: bool, list_versions: bool) -> None:
    """Print the JSON Schema (or its path) for editors and other tools."""
    from . import schema

    if list_versions:
        for known in schema.versions():
            click.echo(f"{known}\t{schema.schema_id(known)}")
        return
    version = version or schema.LATEST
    if version not in schema.versions():
        raise click.UsageError(f"unknown schema version {version!r}; known: {', '.join(schema.versions())}")
    path = schema.schema_path(version)
    click.echo(str(path) if show_path else path.read_text(encoding="utf-8"), nl=show_path)
