"""A keeper's own records repository: what `communique init` sets up, and the repository's
copy of the schema that editors read.

Everything written here stays inside the repository and refers to other files by paths
relative to it, so that it works the same for every collaborator, from a fresh clone,
offline, whatever Python or virtual environment they use. Nothing that exists is
overwritten; what was skipped is said, with what to add by hand.
"""

from __future__ import annotations

import json
import os
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..core.findings import SCHEMA_COPY_STALE, Finding
from ..core.version import __version__
from ..documents.files import display_path
from ..documents.writing import write_atomically
from .config import CONFIG_FILE, Config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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
    raise InitError("communique's package metadata names no Source repository (is it installed?); "
                    "give one with --repo-url")


@dataclass
class Step:
    """One file or folder `init` dealt with, and what became of it."""

    path: str
    outcome: str  # created, added, updated, unchanged, skipped, ignored (an option)
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


# Folder names init writes into configuration, hooks and editor globs: nothing that TOML,
# YAML, a regular expression or a glob would read differently.
_FOLDER_NAME = re.compile(r"[\w\- ]+(/[\w\- ][\w\-. ]*)*\Z")


def _inside(path: Path, root: Path, what: str) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InitError(f"{what} ({path}) lies outside the repository ({root}); init writes only paths inside it") from None


def _render(template: str, **values: str) -> str:
    return string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)


def _glob_escaped(folder: str) -> str:
    """A folder as a .gitattributes pattern matches it: its glob characters and spaces
    escaped with a backslash."""
    return re.sub(r"([*?\[\]\\ #!])", r"\\\1", folder)


def _quoted(value: str) -> str:
    """A string as TOML, YAML and JSON all read it (JSON's escapes are valid in the other two)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class _Planned:
    """A file or folder init means to create, with what to say if it exists already."""

    path: Path
    text: str | bytes | None  # None: a folder; bytes: a schema file


def init_repository(root: Path, config: Config, *, records: str | None = None, sources: str | None = None,
                    repo_url: str | None = None) -> list[Step]:
    """Set up `root` as a records repository; an existing configuration's folders win over
    the defaults, and the options over both when there is no configuration yet. Every
    target is checked before anything is written, so a failure leaves nothing half done."""
    root = root.resolve()
    if config.path is not None and config.path.parent.resolve() != root:
        config = Config()  # a configuration further up belongs to another project
    layout = Layout.of(root, config)
    steps: list[Step] = []
    for option, value, attribute in (("--records", records, "records"), ("--sources", sources, "sources")):
        if value is None:
            continue
        if config.path is not None and getattr(config, attribute) is not None:
            if _folder_option(value, root, option) != getattr(layout, attribute):
                steps.append(Step(option, "ignored", f"{config.path.name} already names {getattr(layout, attribute)!r}"))
        else:
            setattr(layout, attribute, _folder_option(value, root, option))
    repo_url = _checked_repo_url(repo_url or repository_url())
    config_step, config_text = _config_plan(root, layout, config)
    plan = [_Planned(root / layout.records, None),
            _Planned(root / layout.sources / "README.md", _render("sources-README.md"))]
    plan += [_Planned(root / layout.schema_file(v), schema.schema_path(v).read_bytes()) for v in schema.versions()]
    plan.append(_Planned(root / layout.editor_schema / "README.md", _render("schema-copy-README.md", version=__version__)))
    plan.append(_Planned(root / ".pre-commit-config.yaml", _render(
        "pre-commit-config.yaml", repo_url=_quoted(repo_url), version=__version__,
        records_pattern=_quoted("^" + re.escape(layout.records) + "/"))))
    action = _github_action(repo_url)
    if action:
        plan.append(_Planned(root / ".github" / "workflows" / "records.yml", _render(
            "workflow.yml", action=action, version=__version__, config_name=layout.config_name)))
    plan.append(_Planned(root / ".gitattributes", _render("gitattributes", records=_glob_escaped(layout.records))))
    plan.append(_Planned(root / ".vscode" / "settings.json", _vscode_settings(layout)))
    plan.append(_Planned(root / ".vscode" / "extensions.json", _render("vscode-extensions.json")))
    _preflight(root, ([(config_text[0], True)] if config_text else []) + [(i.path, i.text is not None) for i in plan])
    if config_text:
        path, text = config_text
        write_atomically(path, text)
    steps.insert(0, config_step)
    for item in plan:
        steps.append(_carry_out(item, root))
    if not action:
        steps.append(Step(".github/workflows/records.yml", "skipped",
                          f"{repo_url} is not a GitHub repository URL (https://github.com/OWNER/REPO), "
                          "so no workflow can `uses:` its action"))
    return steps


def _folder_option(value: str | None, root: Path, option: str) -> str | None:
    if value is None:
        return None
    name = value.strip().rstrip("/")
    if not _FOLDER_NAME.match(name) or "/." in name:
        raise InitError(f"{option}: {value!r} cannot be used: give a folder inside the repository, named with "
                        "letters, digits, spaces, '-', '_' and '/', not hidden, e.g. records")
    return _inside(root / name, root, option)


def _checked_repo_url(url: str) -> str:
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        raise InitError(f"--repo-url: {url!r} is not a repository URL (no spaces or control characters)")
    return url


def _config_plan(root: Path, layout: Layout, config: Config) -> tuple[Step, tuple[Path, str] | None]:
    """What becomes of the configuration, and the file to write (None: nothing)."""
    body = _render("communique.toml", records=_quoted(layout.records), sources=_quoted(layout.sources),
                   editor_schema=_quoted(layout.editor_schema))
    if config.path is not None:
        missing = [f"{key} = {_quoted(value)}" for key, attribute, value in (
            ("records", "records", layout.records), ("sources", "sources", layout.sources),
            ("editor-schema", "editor_schema", layout.editor_schema)) if getattr(config, attribute) is None]
        note = "exists; its settings are used"
        if missing:
            note += f"; add {' and '.join(missing)} to it, to use the folders init sets up"
        return Step(config.path.name, "skipped", note), None
    own = root / CONFIG_FILE
    if own.is_symlink() or own.exists():  # there, but not a configuration communique could read
        return Step(CONFIG_FILE, "skipped", "exists, but is not a readable file; not overwritten. What init "
                                            "would write:\n" + _indent(body)), None
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return Step(CONFIG_FILE, "created"), (own, body)
    if pyproject.is_symlink():
        raise InitError("pyproject.toml is a link; init adds to no file through a link. Add a [tool.communique] "
                        f"table to it by hand, or a communique.toml:\n{_indent(body)}")
    try:
        text = pyproject.read_bytes().decode("utf-8-sig")
        tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InitError(f"pyproject.toml cannot be read as TOML ({error}); fix it, or add a communique.toml "
                        "by hand") from None
    combined = text + ("" if text.endswith("\n") or not text else "\n") + "\n[tool.communique]\n" + body
    try:
        if "communique" not in tomllib.loads(combined).get("tool", {}):
            raise tomllib.TOMLDecodeError("the table did not take")
    except tomllib.TOMLDecodeError as error:
        raise InitError(f"a [tool.communique] table cannot be added to pyproject.toml safely ({error}); "
                        f"add one by hand, or a communique.toml:\n{_indent(body)}") from None
    return Step("pyproject.toml", "added", "a [tool.communique] table at its end"), (pyproject, combined)


def _preflight(root: Path, targets: list[tuple[Path, bool]]) -> None:
    """Refuse, before writing anything, a target that cannot be written: a file standing
    where a folder must be, or a folder where a file must be. `targets` are (path, is a file)."""
    problems = []
    for path, is_file in targets:
        shown = path.relative_to(root).as_posix()
        for parent in reversed(path.relative_to(root).parents[:-1]):
            if (root / parent).exists() and not (root / parent).is_dir():
                problems.append(f"{parent.as_posix()} is a file, but {shown} needs it to be a folder")
                break
        else:
            if is_file and path.is_dir():
                problems.append(f"{shown} is a folder, where init would write a file")
            elif not is_file and path.exists() and not path.is_dir():
                problems.append(f"{shown} is a file, where init would make a folder")
    if problems:
        raise InitError("nothing was written: " + "; ".join(dict.fromkeys(problems)))


def _carry_out(item: _Planned, root: Path) -> Step:
    shown = item.path.relative_to(root).as_posix() + ("/" if item.text is None else "")
    try:
        item.path.parent.resolve().relative_to(root)
    except ValueError:
        return Step(shown, "skipped", "its folder is a link to outside the repository; init writes only inside it")
    if item.text is None:
        if item.path.is_dir():
            return Step(shown, "unchanged", "exists")
        item.path.mkdir(parents=True)
        write_atomically(item.path / ".gitkeep", "")  # so that git keeps the empty folder
        return Step(shown, "created")
    data = item.text.encode("utf-8") if isinstance(item.text, str) else item.text
    if item.path.exists() or item.path.is_symlink():
        if item.path.is_file() and item.path.read_bytes() == data:
            return Step(shown, "unchanged", "exists, as init would write it")
        if isinstance(item.text, bytes):
            return Step(shown, "skipped", "differs from the installed schema; "
                                          "`communique init --refresh-schema` replaces it")
        return Step(shown, "skipped", "exists; not overwritten. What init would write:\n" + _indent(item.text))
    item.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(item.path, data)
    return Step(shown, "created")


def _vscode_settings(layout: Layout) -> str:
    schema_file = "./" + layout.schema_file(schema.LATEST)
    settings = {
        "yaml.schemas": {schema_file: [f"{layout.records}/**/*.yaml", f"{layout.records}/**/*.yml"]},
        "json.schemas": [{"fileMatch": [f"/{layout.records}/**/*.json"], "url": schema_file}],
    }
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def _indent(text: str) -> str:
    return "".join("    " + line for line in text.splitlines(keepends=True))


def _github_action(repo_url: str) -> str | None:
    match = re.match(r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$", repo_url)
    return match.group(1) if match else None


def refresh_schema_copy(root: Path, layout: Layout) -> list[Step]:
    """Bring the repository's copy of every installed schema version up to date."""
    steps = []
    root = root.resolve()
    folder = root / layout.editor_schema
    items = [(folder / v / schema.SCHEMA_FILE, schema.schema_path(v).read_bytes()) for v in schema.versions()]
    items.append((folder / "README.md", _render("schema-copy-README.md", version=__version__).encode("utf-8")))
    _preflight(root, [(path, True) for path, _ in items])
    for target, data in items:
        shown = target.relative_to(root).as_posix()
        if target.is_file() and target.read_bytes() == data:
            steps.append(Step(shown, "unchanged", "up to date"))
            continue
        existed = target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        steps.append(Step(shown, "updated" if existed else "created"))
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
