"""The corpus the table tests build from: the shipped records and the shape examples, which
between them hold every field of schema 1.1 (partial dates, disputes, unnamed parties,
amounts, side events, delegations, planned rounds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from communique.corpus.collect import collect
from communique.corpus.tables import build

from ..conftest import FIXTURES, RECORDS
from ..integration.conftest import needs

SHAPES = FIXTURES / "shapes"
CORPUS = (str(RECORDS), str(SHAPES))


@pytest.fixture(scope="session")
def collected():
    result = collect(CORPUS)
    assert not result.problems, result.problems
    return result


@pytest.fixture(scope="session")
def rows(collected):
    return build(collected.entries)


@pytest.fixture(scope="session")
def keeper(tmp_path_factory):
    """A keeper's folder of records (no configuration) holding the whole test corpus."""
    import shutil

    folder = tmp_path_factory.mktemp("keeper") / "records"
    folder.mkdir()
    for source in CORPUS:
        for path in sorted(Path(source).glob("*.yaml")):
            shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, keeper):
    """`communique site` run on the keeper's folder, as a user runs it."""
    from click.testing import CliRunner
    from communique.cli import main

    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["site", "-o", str(out), str(keeper)])
    assert result.exit_code == 0, result.output
    return out


def by_key(table_rows, **match):
    """The rows whose columns have the given values."""
    return [row for row in table_rows if all(row[name] == value for name, value in match.items())]


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's package, driven by Playwright, which downloads none)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    needs(executable is not None, "needs Chromium (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs(False, "needs playwright: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def watched_page(browser):
    """A new page, and the list of what went wrong on it: console errors and warnings,
    script errors, failed requests, and any request that leaves the disk."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("request", lambda request: problems.append(f"network: {request.url}")
            if not request.url.startswith(("file:", "data:")) else None)
    return page, problems
