"""The one kind of error a user's settings can cause: an option, a configuration value or
an API argument that cannot be used. The command line reports it as a usage error (exit 2);
the Python API raises it (it is a ValueError)."""

from __future__ import annotations


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which, where it was written, and why."""
