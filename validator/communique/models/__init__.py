"""Pydantic models of the records, generated from the JSON Schema (see tools/regenerate.py).

`communique.models.v1_0.CommuniqueRecord` is a whole record of schema 1.0; this package
re-exports the latest version's models. Do not edit the generated modules by hand.
"""

from .v1_0 import *  # noqa: F401,F403
from .v1_0 import CommuniqueRecord  # noqa: F401
