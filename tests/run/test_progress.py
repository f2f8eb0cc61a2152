"""The progress bar: on a terminal, for long runs only; never in pipes or CI."""

from __future__ import annotations

import io

from communique.run.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_long_run_on_a_terminal_shows_a_bar_then_clears_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream, clock = Terminal(), Clock()
    with Progress(stream=stream, clock=clock) as progress:
        progress(10, 1000)
        assert stream.getvalue() == ""  # not yet: a quick run shows nothing
        clock.now = 2.0
        progress(400, 1000)
        assert "400/1000" in stream.getvalue()
        progress(401, 1000)
        assert "401/1000" not in stream.getvalue()  # redrawn ten times a second, not once a file
        clock.now = 2.2
        progress(900, 1000)
    assert "900/1000" in stream.getvalue() and stream.getvalue().endswith("\r\x1b[2K\x1b[?25h")


def test_no_bar_in_a_pipe_in_ci_or_when_quick(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with Progress(stream=io.StringIO()) as progress:
        assert progress is None  # not a terminal: nothing to tell
    monkeypatch.setenv("CI", "true")
    with Progress(stream=Terminal()) as progress:
        assert progress is None
    monkeypatch.delenv("CI")
    stream, clock = Terminal(), Clock()
    with Progress(stream=stream, clock=clock) as progress:
        progress(999, 1000)
        progress(1000, 1000)
    assert stream.getvalue() == ""
