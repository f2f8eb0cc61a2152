"""Build and check every artefact of a release, as the release workflow does:

    python tools/release.py build --out dist          # the five files to publish, nothing else
    python tools/release.py check dist --tag v0.7.0   # everything a user would notice, offline

.github/workflows/release.yml runs these two commands before it publishes anything, and
tests/integration/test_release.py runs that workflow's steps, so a release can be rehearsed
locally exactly as it will run (CONTRIBUTING.md, "Releasing"). Every artefact carries the one
version in validator/communique/core/version.py:

- communique, the tool: sdist and wheel (`python -m build .`);
- communique-schema, the schema alone: sdist and wheel (`python -m build packages/communique-schema`);
- @communique-project/schema, for npm: the tarball (`npm ci`, `npm run build`, `npm pack` in packages/npm).

`check` reads the artefacts, not the checkout's sources: the tag and each artefact's own
version, `twine check --strict`, the files each wheel and the tarball hold (every schema file
byte for byte); then it installs them offline into fresh environments and runs what the README
tells users to run. The standard library only: it runs where nothing but build and twine is
installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from changelog import section  # tools/changelog.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = "validator/communique/core/version.py"
NPM_FOLDER = "packages/npm"
NPM_NAME = "@communique-project/schema"


class Failure(Exception):
    """An expected failure: reported as one line (with the failing tool's last lines, if
    any), exit code 1, no traceback."""


# --- what a release is ---------------------------------------------------------------------------

def project_version(repo: Path) -> str:
    """The one version of every artefact, read as text: nothing of the package is imported."""
    match = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", (repo / VERSION_FILE).read_text(encoding="utf-8"),
                      re.M)
    if not match:
        raise Failure(f"no __version__ in {VERSION_FILE}")
    return match.group(1)


def artefact_names(version: str) -> dict[str, str]:
    """Every file a release publishes, by kind: `check` refuses a folder with anything else."""
    return {
        "tool sdist": f"communique-{version}.tar.gz",
        "tool wheel": f"communique-{version}-py3-none-any.whl",
        "schema sdist": f"communique_schema-{version}.tar.gz",
        "schema wheel": f"communique_schema-{version}-py3-none-any.whl",
        "npm tarball": f"communique-project-schema-{version}.tgz",
    }


def schema_versions(repo: Path) -> list[str]:
    found = (path.parent.name for path in (repo / "schema").glob("*/record.schema.json"))
    return sorted(found, key=lambda version: tuple(int(part) for part in version.split(".")))


def files_under(folder: Path) -> dict[str, Path]:
    """The files of a source folder by their path inside it, as a build packs them (no
    bytecode caches)."""
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def expected_tool_wheel(repo: Path, version: str) -> dict[str, Path | None]:
    """The tool's wheel: the package, the schema folder as communique/_schemas, the metadata.
    Each name maps to the repository file it must equal byte for byte (None: generated)."""
    files: dict[str, Path | None] = {f"communique/{name}": path
                                     for name, path in files_under(repo / "validator" / "communique").items()}
    files |= {f"communique/_schemas/{name}": path for name, path in files_under(repo / "schema").items()}
    info = f"communique-{version}.dist-info"
    files |= {f"{info}/{name}": None for name in ("METADATA", "WHEEL", "RECORD", "entry_points.txt")}
    files[f"{info}/licenses/LICENSE"] = repo / "LICENSE"
    return files


def expected_schema_wheel(repo: Path, version: str) -> dict[str, Path | None]:
    """communique-schema's wheel: its module, the schema folder as communique_schema/schemas,
    the licence, the metadata; nothing of the tool."""
    package = repo / "packages" / "communique-schema" / "communique_schema"
    files: dict[str, Path | None] = {f"communique_schema/{name}": path for name, path in files_under(package).items()}
    files |= {f"communique_schema/schemas/{name}": path for name, path in files_under(repo / "schema").items()}
    files["communique_schema/LICENSE"] = repo / "LICENSE"
    files |= {f"communique_schema-{version}.dist-info/{name}": None for name in ("METADATA", "WHEEL", "RECORD")}
    return files


def expected_npm_tarball(repo: Path) -> dict[str, Path | None]:
    """The npm tarball, as packages/npm/build.mjs stages it: an ES module and a CommonJS
    entry with their declarations, and per schema version its file and its generated types."""
    files: dict[str, Path | None] = {f"package/{name}": None for name in (
        "package.json", "README.md", "index.js", "index.cjs", "index.d.ts", "index.d.cts")}
    files["package/LICENSE"] = repo / "LICENSE"
    for version in schema_versions(repo):
        files[f"package/{version}/record.schema.json"] = repo / "schema" / version / "record.schema.json"
        files[f"package/types/{version}.d.ts"] = None
    return files


# --- running tools -------------------------------------------------------------------------------

def run(command: list, *, cwd: Path | None = None, env: dict | None = None) -> str:
    """Run a command, quietly; on failure its last lines are part of the one reported failure."""
    try:
        result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise Failure(f"{command[0]} is not installed") from None
    if result.returncode != 0:
        shown = " ".join(str(part) for part in command if "\n" not in str(part))[:200]
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise Failure(f"`{shown}` exited with {result.returncode}" + "".join(f"\n        {line}" for line in tail))
    return result.stdout


def no_network() -> list[str]:
    """`unshare -rn` (a user namespace with no network at all) where this machine allows it.
    Elsewhere (some CI runners forbid user namespaces) the installs are still offline by
    construction: pip --no-index, npm --offline."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-rn"]
    return []


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for installed artefacts: no PYTHONPATH (the checkout's copy of a package
    must not stand in for the installed one), no pip version check (offline)."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore",
            "NO_UPDATE_NOTIFIER": "1", **extra}


# --- build ---------------------------------------------------------------------------------------

def build(repo: Path, out: Path) -> None:
    """Every artefact into `out`, the three builds side by side; what cannot be built is
    refused before anything starts."""
    if out.exists() and any(out.iterdir()):
        raise Failure(f"{out} is not empty: build into a new folder (check refuses anything but the artefacts)")
    if importlib.util.find_spec("build") is None:
        raise Failure("the build package is not installed: python -m pip install build twine")
    if not (repo / NPM_FOLDER / "package.json").is_file():
        raise Failure(f"cannot build {NPM_NAME}: {repo / NPM_FOLDER / 'package.json'} does not exist")
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise Failure(f"cannot build {NPM_NAME}: {tool} is not on PATH (Node 20 or newer, with npm)")
    builds: dict[str, Callable[[Path], None]] = {
        "communique": lambda into: build_python(repo, into),
        "communique-schema": lambda into: build_python(repo / "packages" / "communique-schema", into),
        NPM_NAME: lambda into: build_npm(repo, into),
    }
    out.mkdir(parents=True, exist_ok=True)
    failed = []
    with tempfile.TemporaryDirectory(prefix="communique-build-") as scratch, ThreadPoolExecutor(len(builds)) as pool:
        jobs = {name: pool.submit(timed, make, Path(scratch, name.replace("/", "-"))) for name, make in builds.items()}
        for name, job in jobs.items():  # reported in this order, whichever ends first
            try:
                files, seconds = job.result()
            except Failure as failure:
                print(f"FAIL  build {name}: {failure}", flush=True)
                failed.append(name)
                continue
            for file in files:
                shutil.move(file, out / file.name)
            print(f"ok    built {name}: {', '.join(file.name for file in files)} ({seconds:.0f} s)", flush=True)
    if failed:
        raise Failure(f"build failed: {', '.join(failed)}")


def timed(make: Callable[[Path], None], into: Path) -> tuple[list[Path], float]:
    """The files one build wrote into a folder of its own, and how long it took."""
    start = time.monotonic()
    into.mkdir(parents=True)
    make(into)
    return sorted(into.iterdir()), time.monotonic() - start


def build_python(project: Path, into: Path) -> None:
    """An sdist, then the wheel built from that sdist (build's default), as users of the sdist build it."""
    run([sys.executable, "-m", "build", "--outdir", into, project], env=clean_env())


def build_npm(repo: Path, into: Path) -> None:
    """The npm package as its README says: npm ci, npm run build (a staging folder, dist/,
    holding the stamped package.json), npm pack of that folder. Install scripts of the build
    tools are not run: only the package's own build."""
    package = repo / NPM_FOLDER
    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=package, env=clean_env())
    run(["npm", "run", "build"], cwd=package, env=clean_env())
    run(["npm", "pack", "./dist", "--pack-destination", into], cwd=package, env=clean_env())


# --- check ---------------------------------------------------------------------------------------

class Release:
    """The artefacts of one version in one folder, and what `check` proves of them. Each step
    yields a line per thing it proved, or raises Failure; the steps run in order, so a wrong
    tag or a wrong file is reported before any install."""

    def __init__(self, repo: Path, dist: Path, tag: str | None, scratch: Path):
        self.repo, self.dist, self.tag, self.scratch = repo, dist, tag, scratch
        self.version = project_version(repo)
        self.files = {kind: dist / name for kind, name in artefact_names(self.version).items()}
        self.offline = no_network()
        self.how_offline = ("no network: unshare -rn" if self.offline else
                            "pip --no-index, npm --offline; unshare -rn is not allowed here")

    def steps(self) -> list[Callable[[], Iterator[str]]]:
        return [self.tag_is_the_version, self.changelog_has_the_version, self.exactly_the_artefacts,
                self.each_says_the_version, self.twine_check, self.wheels_hold_their_files,
                self.sdists_hold_the_schema, self.npm_tarball_holds_its_files, self.wheelhouse,
                self.tool_works_installed, self.schema_package_works_installed, self.npm_package_works_installed]

    def tag_is_the_version(self) -> Iterator[str]:
        if self.tag is None:
            return
        if self.tag != f"v{self.version}":
            raise Failure(f"tag {self.tag} does not match version {self.version} in {VERSION_FILE} "
                          f"(its tag is v{self.version}): nothing may be published")
        yield f"tag {self.tag} is version {self.version} ({VERSION_FILE})"

    def changelog_has_the_version(self) -> Iterator[str]:
        found = section((self.repo / "CHANGELOG.md").read_text(encoding="utf-8"), self.version)
        if found is None:
            raise Failure(f"CHANGELOG.md has no section '## {self.version} ...': the GitHub release takes its notes "
                          f"from there")
        heading, _ = found
        yield f"CHANGELOG.md has a section for {self.version} (the release notes)"
        if self.tag and "unreleased" in heading:
            print(f"warn  CHANGELOG.md still heads {self.version} '{heading}': date it", flush=True)

    def exactly_the_artefacts(self) -> Iterator[str]:
        if not self.dist.is_dir():
            raise Failure(f"no folder {self.dist}: `python tools/release.py build --out {self.dist.name}` first")
        found = {path.name for path in self.dist.iterdir()}
        expected = set(artefact_names(self.version).values())
        same_names(f"{self.dist}", found, expected)
        yield f"{self.dist} holds the {len(expected)} artefacts of {self.version} and nothing else"

    def each_says_the_version(self) -> Iterator[str]:
        v = self.version
        inside = {
            "tool wheel": (f"communique-{v}.dist-info/METADATA", metadata_version),
            "schema wheel": (f"communique_schema-{v}.dist-info/METADATA", metadata_version),
            "tool sdist": (f"communique-{v}/PKG-INFO", metadata_version),
            "schema sdist": (f"communique_schema-{v}/PKG-INFO", metadata_version),
            "npm tarball": ("package/package.json", lambda text: json.loads(text).get("version")),
        }
        for kind, (member, read_version) in inside.items():
            said = read_version(read_member(self.files[kind], member).decode("utf-8"))
            if said != v:
                raise Failure(f"{self.files[kind].name}: {member} says version {said}, not {v} ({VERSION_FILE})")
        name = json.loads(read_member(self.files["npm tarball"], "package/package.json")).get("name")
        if name != NPM_NAME:
            raise Failure(f"{self.files['npm tarball'].name}: package.json names {name}, not {NPM_NAME}")
        yield f"every artefact says version {v} inside (METADATA, PKG-INFO, package.json)"

    def twine_check(self) -> Iterator[str]:
        if importlib.util.find_spec("twine") is None:
            raise Failure("twine is not installed: python -m pip install build twine")
        python = [self.files[kind] for kind in ("tool sdist", "tool wheel", "schema sdist", "schema wheel")]
        run([sys.executable, "-m", "twine", "check", "--strict", *python])
        yield f"twine check --strict: {len(python)} Python artefacts (metadata and README render on PyPI)"

    def wheels_hold_their_files(self) -> Iterator[str]:
        for kind, expected in (("tool wheel", expected_tool_wheel(self.repo, self.version)),
                               ("schema wheel", expected_schema_wheel(self.repo, self.version))):
            wheel = self.files[kind]
            with zipfile.ZipFile(wheel) as archive:
                same_names(wheel.name, {name for name in archive.namelist() if not name.endswith("/")}, set(expected))
                same_bytes(wheel.name, archive.read, expected, self.repo)
            yield f"{wheel.name}: exactly the {len(expected)} files expected, schema {self.schema_list} byte for byte"

    def sdists_hold_the_schema(self) -> Iterator[str]:
        v = self.version
        for kind, inside in (("tool sdist", f"communique-{v}/schema"),
                             ("schema sdist", f"communique_schema-{v}/communique_schema/schemas")):
            sdist = self.files[kind]
            wanted = {f"{inside}/{name}": path for name, path in files_under(self.repo / "schema").items()}
            with tarfile.open(sdist) as archive:
                same_bytes(sdist.name, lambda member: archive.extractfile(member).read(), wanted, self.repo)
            yield f"{sdist.name}: schema {self.schema_list} byte for byte"

    def npm_tarball_holds_its_files(self) -> Iterator[str]:
        tarball, expected = self.files["npm tarball"], expected_npm_tarball(self.repo)
        with tarfile.open(tarball) as archive:
            same_names(tarball.name, {member.name for member in archive.getmembers() if member.isfile()}, set(expected))
            same_bytes(tarball.name, lambda member: archive.extractfile(member).read(), expected, self.repo)
        yield f"{tarball.name}: exactly the {len(expected)} files expected, schema {self.schema_list} byte for byte"

    def wheelhouse(self) -> Iterator[str]:
        """The one step with network: every dependency as a wheel, so that the installs after
        it need no index."""
        self.wheels = self.scratch / "wheelhouse"
        run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", self.wheels, self.files["tool wheel"],
             f"{self.files['schema wheel']}[validate]", "PyYAML"], env=clean_env())
        yield f"wheelhouse: {len(list(self.wheels.glob('*.whl')))} wheels (the only network; what follows is offline)"

    def fresh_venv(self, name: str) -> Path:
        """A virtual environment with nothing in it (pip is run from outside, `pip --python`)."""
        venv = self.scratch / name
        run([sys.executable, "-m", "venv", "--without-pip", venv])
        return venv / "bin" / "python"

    def pip_install(self, python: Path, *requirements: str | Path) -> None:
        run([*self.offline, sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile",
             "--no-index", "--find-links", self.wheels, *requirements], env=clean_env())

    def tool_works_installed(self) -> Iterator[str]:
        python = self.fresh_venv("tool")
        self.pip_install(python, self.files["tool wheel"])
        communique = python.parent / "communique"
        env = clean_env()
        where = run([*self.offline, python, "-c", "import communique; print(communique.__file__)"], env=env).strip()
        said = run([*self.offline, communique, "--version"], cwd=self.repo, env=env)
        if self.version not in said or not where.startswith(str(python.parents[1])):
            raise Failure(f"the installed communique says {said.strip()!r} from {where}, not {self.version} from the "
                          f"fresh environment")
        yield f"communique {self.version} installed from its wheel into a fresh venv ({self.how_offline})"
        for command in (["validate", "records/"], ["check", "--no-source", "records/"]):
            run([*self.offline, communique, *command], cwd=self.repo, env=env)
            yield f"communique {' '.join(command)}: the repository's records pass"
        listed = [row.split()[0] for row in run([*self.offline, communique, "schema", "--list"], env=env).splitlines()]
        if listed != schema_versions(self.repo):
            raise Failure(f"communique schema --list gives {', '.join(listed)}, not {self.schema_list}")
        yield f"communique schema --list: {self.schema_list}"

    def schema_package_works_installed(self) -> Iterator[str]:
        python, env = self.fresh_venv("schema"), clean_env()
        self.pip_install(python, self.files["schema wheel"])
        versions = ",".join(schema_versions(self.repo))
        run([*self.offline, python, "-c", SCHEMA_ALONE, versions], cwd=self.scratch, env=env)
        yield f"communique-schema installed alone: imports with the standard library only, serves {self.schema_list}"
        self.pip_install(python, f"{self.files['schema wheel']}[validate]", "PyYAML")
        count = run([*self.offline, python, "-c", SCHEMA_VALIDATES, self.repo / "records"], cwd=self.scratch, env=env)
        yield f"communique-schema[validate] validates the repository's {count.strip()} records and refuses a broken one"

    def npm_package_works_installed(self) -> Iterator[str]:
        project = self.scratch / "npm-project"
        project.mkdir()
        (project / "package.json").write_text('{"name": "release-check", "private": true, "type": "module"}\n')
        env = clean_env(npm_config_cache=str(self.scratch / "npm-cache"))  # an empty cache: nothing to fall back on
        run([*self.offline, "npm", "install", "--offline", "--no-audit", "--no-fund", self.files["npm tarball"]],
            cwd=project, env=env)
        run([*self.offline, "node", "--input-type=module", "-e", NPM_LOADS, json.dumps(schema_versions(self.repo))],
            cwd=project, env=env)
        yield f"npm install --offline of the tarball into an empty project; node imports {NPM_NAME} (ES module " \
              f"and require) with schema {self.schema_list}"

    @property
    def schema_list(self) -> str:
        return ", ".join(schema_versions(self.repo))


def check(repo: Path, dist: Path, tag: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="communique-release-check-") as scratch:
        release = Release(repo, dist, tag, Path(scratch))
        for step in release.steps():
            for line in step():
                print(f"ok    {line}", flush=True)
    print(f"All checks passed: {release.version} is ready to publish.", flush=True)


def metadata_version(text: str) -> str | None:
    match = re.search(r"^Version: (\S+)$", text, re.M)
    return match.group(1) if match else None


def read_member(archive: Path, member: str) -> bytes:
    """One file of a wheel (zip) or an sdist or npm tarball (tar.gz)."""
    try:
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                return wheel.read(member)
        with tarfile.open(archive) as tar:
            return tar.extractfile(member).read()
    except (KeyError, AttributeError):
        raise Failure(f"{archive.name} has no {member}") from None


def same_names(label: str, found: set[str], expected: set[str]) -> None:
    missing, unexpected = sorted(expected - found), sorted(found - expected)
    if missing or unexpected:
        parts = [f"{what} {', '.join(names[:5])}{' ...' if len(names) > 5 else ''} ({len(names)})"
                 for what, names in (("missing", missing), ("unexpected", unexpected)) if names]
        raise Failure(f"{label}: {'; '.join(parts)}")


def same_bytes(label: str, read: Callable[[str], bytes], expected: dict[str, Path | None], repo: Path) -> None:
    for member, source in expected.items():
        if source is None:
            continue
        try:
            packed = read(member)
        except (KeyError, AttributeError):
            raise Failure(f"{label}: missing {member}") from None
        if packed != source.read_bytes():
            raise Failure(f"{label}: {member} differs from {source.relative_to(repo).as_posix()} in the repository")


# What the installed artefacts must do, run by their own interpreters.

SCHEMA_ALONE = textwrap.dedent("""
    import sys
    import communique_schema as cs

    expected = tuple(sys.argv[1].split(","))
    assert cs.versions() == expected and cs.LATEST == expected[-1], cs.versions()
    for version in expected:
        assert cs.load(version)["$id"] == cs.schema_id(version)
        assert "site-packages" in cs.path(version).as_posix(), cs.path(version)
    others = sorted(name for name in sys.modules if name.split(".")[0] in ("jsonschema", "referencing", "yaml"))
    assert not others, others
""")

# The README's recipe ("Python, the schema alone") on every record, and on one made invalid.
SCHEMA_VALIDATES = textwrap.dedent("""
    import json, sys
    from pathlib import Path

    import yaml
    import communique_schema as cs

    paths = sorted(Path(sys.argv[1]).glob("*.yaml"))
    for path in paths:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record = json.loads(json.dumps(record, default=str))
        errors = [error.message for error in cs.validator(record["schema_version"]).iter_errors(record)]
        assert not errors, (path.name, errors[:3])
    record["dates"]["start"] = "2025-02-30"
    assert not cs.validator(record["schema_version"]).is_valid(record), "2025-02-30 passed"
    print(len(paths))
""")

NPM_LOADS = textwrap.dedent("""
    import assert from "node:assert/strict";
    import { createRequire } from "node:module";
    import { latest, schemaFor, schemas, versions } from "@communique-project/schema";

    const expected = JSON.parse(process.argv[1]);
    assert.deepEqual([...versions], expected);
    assert.equal(latest, expected.at(-1));
    const require = createRequire(import.meta.url);
    const common = require("@communique-project/schema");
    for (const version of expected) {
      assert.ok(schemaFor(version).$id.endsWith(`/${version}/record.schema.json`), version);
      assert.deepEqual(require(`@communique-project/schema/${version}/record.schema.json`), schemas[version]);
      assert.deepEqual(common.schemaFor(version), schemaFor(version));
    }
    assert.throws(() => schemaFor("0.0"), RangeError);
""")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/release.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to build from (default: this one)")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build every artefact into a new folder")
    build_parser.add_argument("--out", type=Path, required=True, help="the folder to write the artefacts to")
    check_parser = commands.add_parser("check", help="check the artefacts in a folder, installing them offline")
    check_parser.add_argument("dist", type=Path, help="the folder build wrote")
    check_parser.add_argument("--tag", help="the git tag being released (vX.Y.Z): must name version.py's version")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    try:
        if args.command == "build":
            build(repo, args.out.resolve())
        else:
            check(repo, args.dist.resolve(), args.tag)
    except Failure as failure:
        print(f"FAIL  {failure}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
