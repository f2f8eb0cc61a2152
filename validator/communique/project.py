"""A keeper's own records repository: what `communique init` sets up, and the repository's
copy of the schema that editors read.

Everything written here stays inside the repository and refers to other files by paths
relative to it, so that it works the same for every collaborator, from a fresh clone,
offline, whatever Python or virtual environment they use. Nothing that exists is
overwritten; what was skipped is said, with what to add by hand.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path

from . import __version__, schema
from .config import CONFIG_FILE, Config
from .files import display_path
from .findings import SCHEMA_COPY_STALE, Finding
from .writing import write_atomically

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_RECORDS = "records"
DEFAULT_SOURCES = "sources"
DEFAULT_EDITOR_SCHEMA = ".communique/schema"

def repository_url() -> str:
    """Where communique's own repository lives (the package metadata's Source URL): the
    repository that pre-commit and GitHub Actions install it from."""
    from importlib import metadata

    try:
        urls = metadata.metadata("communique").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare source tree
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "source":
            return url.strip()
    raise RuntimeError("communique's package metadata has no Source URL; reinstall communique")


@dataclass
class Step:
    """One file or folder `init` dealt with, and what became of it."""

    path: str
    outcome: str  # created, added, skipped, unchanged, updated
    note: str = ""


@dataclass
class Layout:
    """Where a repository keeps its records, sources and schema copy (relative to its root)."""

    root: Path
    records: str = DEFAULT_RECORDS
    sources: str = DEFAULT_SOURCES
    editor_schema: str = DEFAULT_EDITOR_SCHEMA
    config_name: str = CONFIG_FILE

    @classmethod
    def of(cls, root: Path, config: Config) -> "Layout":
        """The layout an existing configuration describes (its defaults where it is silent)."""
        layout = cls(root)
        if config.path is None:
            return layout
        layout.config_name = config.path.name
        base = config.path.parent
        for attribute in ("records", "sources", "editor_schema"):
            value = getattr(config, attribute)
            if value is not None:
                setattr(layout, attribute, _inside(value, base, f"`{attribute.replace('_', '-')}`"))
        return layout

    def schema_file(self, version: str) -> str:
        return f"{self.editor_schema}/{version}/{schema.SCHEMA_FILE}"


class InitError(Exception):
    """`init` cannot go on; nothing was written."""


def _inside(path: Path, root: Path, what: str) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InitError(f"{what} ({path}) lies outside the repository ({root}); init writes only paths inside it") from None


def _render(template: str, **values: str) -> str:
    return string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)


def init_repository(root: Path, config: Config, *, records: str | None = None, sources: str | None = None,
                    repo_url: str | None = None) -> list[Step]:
    """Set up `root` as a records repository; an existing configuration's folders win over
    the defaults, and the options over both when there is no configuration yet."""
    root = root.resolve()
    if config.path is not None and config.path.parent.resolve() != root:
        config = Config()  # a configuration further up belongs to another project
    layout = Layout.of(root, config)
    if config.path is None:
        layout.records = _relative_option(records, root, "--records") or layout.records
        layout.sources = _relative_option(sources, root, "--sources") or layout.sources
    repo_url = repo_url or repository_url()
    steps = [_write_config(root, layout, config)]
    steps.append(_make_folder(root / layout.records, root))
    steps.append(_write_new(root / layout.sources / "README.md", root, _render("sources-README.md")))
    steps += refresh_schema_copy(root, layout, create_only=True)
    steps.append(_write_new(root / ".pre-commit-config.yaml", root,
                            _render("pre-commit-config.yaml", repo_url=repo_url, version=__version__,
                                    records_regex=re.escape(layout.records))))
    action = _github_action(repo_url)
    if action:
        steps.append(_write_new(root / ".github" / "workflows" / "records.yml", root,
                                _render("workflow.yml", action=action, version=__version__,
                                        config_name=layout.config_name)))
    else:
        steps.append(Step(".github/workflows/records.yml", "skipped",
                          f"{repo_url} is not on GitHub, so no workflow can `uses:` its action"))
    steps.append(_write_new(root / ".vscode" / "settings.json", root,
                            _render("vscode-settings.json", records=layout.records,
                                    schema_file=layout.schema_file(schema.LATEST))))
    steps.append(_write_new(root / ".vscode" / "extensions.json", root, _render("vscode-extensions.json")))
    return steps


def _relative_option(value: str | None, root: Path, option: str) -> str | None:
    if value is None:
        return None
    return _inside(root / value, root, option)


def _write_config(root: Path, layout: Layout, config: Config) -> Step:
    body = _render("communique.toml", records=layout.records, sources=layout.sources,
                   editor_schema=layout.editor_schema)
    if config.path is not None:
        return Step(config.path.name, "skipped", "exists; its settings are used")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8")
        addition = ("" if text.endswith("\n") or not text else "\n") + "\n[tool.communique]\n" + body
        write_atomically(pyproject, text + addition)
        return Step("pyproject.toml", "added", "a [tool.communique] table")
    return _write_new(root / CONFIG_FILE, root, body)


def _make_folder(folder: Path, root: Path) -> Step:
    shown = folder.relative_to(root).as_posix() + "/"
    if folder.is_dir():
        return Step(shown, "unchanged", "exists")
    folder.mkdir(parents=True)
    (folder / ".gitkeep").write_text("", encoding="utf-8")  # so that git keeps the empty folder
    return Step(shown, "created")


def _write_new(path: Path, root: Path, text: str) -> Step:
    shown = path.relative_to(root).as_posix()
    if path.exists() or path.is_symlink():
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == text:
            return Step(shown, "unchanged", "exists, as init would write it")
        return Step(shown, "skipped", "exists; not overwritten. What init would write:\n" + _indent(text))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    return Step(shown, "created")


def _indent(text: str) -> str:
    return "".join("    " + line for line in text.splitlines(keepends=True))


def _github_action(repo_url: str) -> str | None:
    match = re.match(r"https://github\.com/([^/\s]+/[^/\s]+?)(?:\.git)?/?$", repo_url)
    return match.group(1) if match else None


def refresh_schema_copy(root: Path, layout: Layout, *, create_only: bool = False) -> list[Step]:
    """Copy every installed schema version into the repository; with `create_only`, leave a
    differing copy alone (init never overwrites) and say so."""
    steps = []
    folder = root / layout.editor_schema
    for version in schema.versions():
        installed = schema.schema_path(version).read_bytes()
        target = folder / version / schema.SCHEMA_FILE
        shown = target.relative_to(root).as_posix()
        if target.is_file() and target.read_bytes() == installed:
            steps.append(Step(shown, "unchanged", "up to date"))
        elif target.exists() and create_only:
            steps.append(Step(shown, "skipped", "differs from the installed schema; "
                                                "`communique init --refresh-schema` replaces it"))
        else:
            existed = target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, installed)
            steps.append(Step(shown, "updated" if existed else "created"))
    readme = folder / "README.md"
    text = _render("schema-copy-README.md", version=__version__)
    if create_only:
        steps.append(_write_new(readme, root, text))
    elif not readme.is_file() or readme.read_text(encoding="utf-8") != text:
        write_atomically(readme, text)
        steps.append(Step(readme.relative_to(root).as_posix(), "updated"))
    return steps


def schema_copy_findings(config: Config) -> list[Finding]:
    """P001 for each schema version whose copy in the repository is missing or differs."""
    folder = config.editor_schema
    found = []
    for version in schema.versions():
        copy = folder / version / schema.SCHEMA_FILE
        shown = Path(display_path(copy)).as_posix()
        if not copy.is_file():
            message = f"no copy of schema {version} here for editors (communique {__version__} carries it)"
        elif copy.read_bytes() != schema.schema_path(version).read_bytes():
            message = f"this copy of schema {version} differs from the one communique {__version__} carries"
        else:
            continue
        found.append(Finding(shown, 1, 1, SCHEMA_COPY_STALE,
                             f"{message}; refresh it with `communique init --refresh-schema`", show_source=False))
    return found


def editor_schema_reference(config: Config, folder: Path, version: str = schema.LATEST) -> str | None:
    """The schema path a record in `folder` should name in its editor comment: the
    repository's copy, relative to the folder; None when there is no copy inside the
    repository, since any other path would break for the next collaborator."""
    if config.editor_schema is None or config.path is None:
        return None
    target = config.editor_schema / version / schema.SCHEMA_FILE
    root = config.path.parent.resolve()
    try:
        target.resolve().relative_to(root)
        folder.resolve().relative_to(root)
    except ValueError:
        return None
    if not target.is_file():
        return None
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
