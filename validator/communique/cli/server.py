"""`server`: the language server over standard input and output (communique.server)."""

from __future__ import annotations

import click

from .group import main


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
    from ..server.protocol import serve

    serve(use_cache=not no_cache)


