"""Shared helpers: paths to fixtures and the repository, a CLI runner, the shared seeds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from communique.cli import main

REPO = Path(__file__).resolve().parents[1]

# Every run in the tests, and the tools they start, caches results in a folder of its own,
# never in the user's cache.
if "COMMUNIQUE_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["COMMUNIQUE_CACHE_DIR"] = tempfile.mkdtemp(prefix="communique-test-cache-")
FIXTURES = Path(__file__).parent / "fixtures"
RECORDS = REPO / "records"
SEEDS = REPO.parent / "shared" / "seeds"

EXPECT_LINE = re.compile(r"#\s*expect:\s*(?:(\d+):(\d+)\s+|(run)\s+)?([A-Z]+\d+)\s+(.*\S)")
RUN = "run"  # an expectation about the run as a whole, pinned to no file


def expectations(path: Path) -> list[tuple[int | str | None, int | None, str, str]]:
    """The `# expect: LINE:COL CODE message` lines of a fixture (a .expect file beside a JSON
    one); `# expect: run CODE message` expects a note on the whole run."""
    source = path.with_name(path.name + ".expect") if path.suffix == ".json" else path
    found = []
    for line in source.read_text(encoding="utf-8").splitlines():
        match = EXPECT_LINE.match(line)
        if match:
            row, col, run_level, code, message = match.groups()
            found.append((RUN if run_level else int(row) if row else None, int(col) if col else None, code, message))
    return found


@pytest.fixture
def run():
    """Run the CLI in-process; fails the test on any uncaught exception (a traceback)."""

    def invoke(*args: str, input: str | None = None):
        result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


@pytest.fixture
def seeds() -> Path:
    """The source texts in ../shared/seeds; CI has them beside the clone."""
    if not SEEDS.is_dir():
        message = f"needs the source texts at {SEEDS} (../shared/seeds beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SEEDS


# --- property-based tests (tests/fuzz/) ---------------------------------------------------------
# A bounded number of examples runs with the suite, and in CI; `pytest -m fuzz --fuzz-examples
# 10000` is the long run.
FUZZ_EXAMPLES = 40


def pytest_addoption(parser):
    parser.addoption("--fuzz-examples", type=int, default=FUZZ_EXAMPLES,
                     help=f"examples for each property test in tests/fuzz/ (default {FUZZ_EXAMPLES})")


def pytest_configure(config):
    from hypothesis import HealthCheck, settings

    settings.register_profile("communique", deadline=None, print_blob=True,
                              max_examples=config.getoption("--fuzz-examples"),
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                     HealthCheck.filter_too_much])
    settings.load_profile("communique")


# The tests that drive tools from outside this package: pre-commit, a fresh virtual
# environment and the wheel, the YAML language server, Neovim, Chromium. They need those
# tools (and the package registries, once), so `-m "not integration"` leaves them out.
INTEGRATION = ("tests/integration/", "tests/corpus/test_browser.py")


def pytest_collection_modifyitems(items):
    import pytest as _pytest

    for item in items:
        path = item.path.relative_to(REPO).as_posix()
        if path.startswith("tests/fuzz/"):
            item.add_marker(_pytest.mark.fuzz)
        if path.startswith(INTEGRATION):
            item.add_marker(_pytest.mark.integration)
