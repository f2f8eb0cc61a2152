"""A progress bar for long runs, and only for them: on standard error, when it is a
terminal, once a run has taken more than a moment. Pipes, files, CI logs and machine
formats never see it; click draws it and hides it where there is no terminal."""

from __future__ import annotations

import os
import sys
import time

DELAY = 1.5  # seconds before a bar appears: a quick run shows none
INTERVAL = 0.1  # seconds between redraws: ten a second, whatever the number of files


class Progress:
    def __init__(self, enabled: bool = True, stream=None, clock=time.monotonic, delay: float = DELAY):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.stream.isatty() and not os.environ.get("CI")
        self.clock, self.delay = clock, delay
        self.started = clock()
        self.bar = None
        self.shown = 0
        self.drawn_at = 0.0

    def __enter__(self):
        return self if self.enabled else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < self.delay or done >= total:
                return
            import click

            self.bar = click.progressbar(length=total, label="checking", file=self.stream, show_pos=True,
                                         show_eta=True, width=30)
            self.bar.__enter__()
        now = self.clock()
        if now - self.drawn_at >= INTERVAL or done >= total:
            self.bar.update(done - self.shown)
            self.shown, self.drawn_at = done, now

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.stream.write("\r\x1b[2K\x1b[?25h")  # the bar goes (and the cursor it hid comes back)
            self.stream.flush()
