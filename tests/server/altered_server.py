"""`communique server` with its checks altered, for the tests of how the server copes with a
check that is slow or fails. The launcher an editor would use otherwise:

    python tests/server/altered_server.py [--slow SECONDS] [--fail-on TEXT]

--slow: every check first spends SECONDS in pure-Python work, as a check of a large record
does (holding the interpreter's lock, which a sleep would let go).
--fail-on: a check of a text that contains TEXT raises, as a bug in a rule would, and so
does completion in it.
"""

from __future__ import annotations

import argparse
import time

from communique.server import protocol, workspace
from communique.server.protocol import serve


def altered(diagnose, slow: float, fail_on: str | None):
    def diagnose_altered(self, path: str, text: str):
        until = time.perf_counter() + slow
        while time.perf_counter() < until:
            sum(range(1000))
        if fail_on is not None and fail_on in text:
            raise RuntimeError(f"a planted bug, set off by {fail_on!r}")
        return diagnose(self, path, text)

    return diagnose_altered


def failing(offers, fail_on: str):
    def offers_failing(text: str, *args, **kwargs):
        if fail_on in text:
            raise RuntimeError(f"a planted bug in completion, set off by {fail_on!r}")
        return offers(text, *args, **kwargs)

    return offers_failing


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=float, default=0.0)
    parser.add_argument("--fail-on")
    args = parser.parse_args()
    workspace.Workspace.diagnose = altered(workspace.Workspace.diagnose, args.slow, args.fail_on)
    if args.fail_on is not None:
        protocol.offers = failing(protocol.offers, args.fail_on)
    serve()
