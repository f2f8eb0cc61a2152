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
