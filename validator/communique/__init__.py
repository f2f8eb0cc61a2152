"""communique: a JSON Schema for diplomatic communiques, and a validator and linter for records."""

__version__ = "0.1.0"
