"""The `communique` command line: the group and entry point (`group`), what the commands
share (`options`), and one module per command or family of commands. Importing this
package registers every command on `main`."""

from . import check, corpus, init, new, review, rewrite, rules, schema, server  # noqa: F401 (each registers its commands)
from .group import entry_point, main
from .options import FORMATS

__all__ = ["FORMATS", "entry_point", "main"]
