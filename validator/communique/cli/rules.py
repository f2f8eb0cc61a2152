"""`rules` and `rule`: every code, and one explained, from the declarations in communique.lint."""

from __future__ import annotations

import click

from .group import main
from .options import complete_codes, echo, echo_json


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per code; json: a list of every code's metadata, explanation and examples.")
def rules_command(output_format: str) -> None:
    """List every code: file, parse and schema problems, and the lint rules."""
    from ..lint.selection import describe, known_codes

    codes = known_codes()
    entries = [codes[k] for k in sorted(codes)]
    if output_format == "json":
        echo_json([describe(entry) for entry in entries])
        return
    echo("".join(f"{c.code:<5} {c.name:<28} {str(c.severity):<8} {c.summary}\n" for c in entries))


@main.command("rule")
@click.argument("code", shell_complete=lambda ctx, param, incomplete: complete_codes(incomplete))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the explanation as prose; json: the same as one object (as in `rules --format json`).")
def rule_command(code: str, output_format: str) -> None:
    """Explain one code or rule name (in any case): why it matters, with a failing and a passing example."""
    from ..core.hints import did_you_mean_aside
    from ..lint.selection import describe, explanation, known_codes

    codes = known_codes()
    entry = codes.get(code.upper()) or next((c for c in codes.values() if c.name == code.lower()), None)
    if entry is None:
        candidates = list(codes) + [c.name for c in codes.values()]
        raise click.UsageError(f"unknown code {code!r}{did_you_mean_aside(code, candidates)}; "
                               "`communique rules` lists them")
    if output_format == "json":
        echo_json(describe(entry))
        return
    echo(explanation(entry))


