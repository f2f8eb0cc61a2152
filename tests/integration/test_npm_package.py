"""The npm package @communique-project/schema, as a JavaScript or TypeScript project uses it.

packages/npm is built (the schema files copied from schema/, the types generated from them,
the version stamped from version.py) and packed once per run; the tarball is installed beside
pinned TypeScript, Ajv and sourcemeta's JSON Schema CLI into a copy of
tests/integration/npm_consumer/, which stands for another project. Only the npm installs reach
the registry: building, type-checking and validating run offline.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from communique.core.version import __version__
from communique.documents.loading import load_file
from communique.schema.validation import compiled_validator, validate_document

from ..conftest import FIXTURES, RECORDS, REPO
from .conftest import needs

PACKAGE = REPO / "packages" / "npm"
CONSUMER = Path(__file__).parent / "npm_consumer"
SUITE = REPO / "tests" / "schema" / "suite"
NAME = "@communique-project/schema"
VERSION_ID = "https://communique.example/schema/{}/record.schema.json"
BELGIUM = {"id": "be", "name": "Belgium", "kind": "state", "country": "BE"}  # a party
VERSIONS = sorted((path.parent.name for path in (REPO / "schema").glob("*/record.schema.json")),
                  key=lambda version: tuple(int(part) for part in version.split(".")))

VALID = [*sorted(RECORDS.glob("*.yaml")), *sorted((FIXTURES / "valid").glob("*.yaml")),
         *sorted((FIXTURES / "shapes").glob("*.yaml"))]
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
MINIMAL = FIXTURES / "valid" / "minimal.yaml"


def case_name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"  # records/af-pk-talks-01, shapes/example-..., invalid/...


@cache
def record(path: Path):
    """A record's data as the CLI reads it (YAML 1.2: an unquoted date is a string)."""
    return load_file(path).document.data


def named_version(data) -> str | None:
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if version in VERSIONS else None


def schema_invalid(path: Path) -> bool:
    """Whether the schema itself refuses a fixture, by the project's validator: jsonschema-rs,
    which `communique validate` runs against the version a record names. That is each fixture
    of tests/fixtures/invalid/ with an S1xx finding (its `# expect:` lines) but for the CLI's
    own refusal of integral floats (`round: 1.0`, an integer to JSON Schema). A record naming
    no known version (S001-S003) has no version to fail."""
    data = record(path)
    return named_version(data) is not None and not compiled_validator(named_version(data)).is_valid(data)


def type_name(key: str) -> str:
    """The TypeScript name build.mjs gives a $defs entry: party_ids -> PartyIds."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[_-]", key))


def run(*command, cwd: Path | None = None, stdin: str | None = None, check: bool = True, offline: bool = True,
        timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a command; fail the test with its output when `check` and it fails. `offline` runs it
    without a network where the machine allows (everything but npm's installs)."""
    command = [str(part) for part in command]
    if offline and _can_unshare():
        command = ["unshare", "-rn", *command]
    result = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout,
                            check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@cache
def _can_unshare() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-rn", "true"], check=False).returncode == 0


def npm(*args, cwd: Path | None = None) -> str:
    return run("npm", *args, "--no-audit", "--no-fund", "--prefer-offline", cwd=cwd, offline=False).stdout


# --- the package, built, packed and installed once per run ----------------------------------------

@dataclass
class Package:
    tarball: Path
    consumer: Path  # a project with the tarball and the tools installed

    @property
    def installed(self) -> Path:
        return self.consumer / "node_modules" / NAME

    def bin(self, name: str) -> Path:
        return self.consumer / "node_modules" / ".bin" / name


def _build_and_install(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    build, consumer = folder / "build", folder / "consumer"
    shutil.copytree(PACKAGE, build, ignore=shutil.ignore_patterns("node_modules", "dist"))
    shutil.copytree(CONSUMER, consumer, ignore=shutil.ignore_patterns("node_modules"))
    npm("ci", cwd=build)  # json-schema-to-typescript, as packages/npm's lockfile pins it
    npm("ci", cwd=consumer)  # TypeScript, Ajv, ajv-formats, sourcemeta's CLI, as the consumer's pins them
    run("node", build / "build.mjs", "--repo", REPO, "--out", build / "dist")
    [packed] = json.loads(npm("pack", build / "dist", "--json", "--pack-destination", folder))
    tarball = folder / packed["filename"]
    npm("install", "--no-save", tarball, cwd=consumer)  # as another project installs it
    (folder / "built.json").write_text(json.dumps({"tarball": str(tarball), "consumer": str(consumer)}))


@pytest.fixture(scope="session")
def npm_package(tmp_path_factory) -> Package:
    """Built and installed once per run: xdist's workers share the run's folder and take turns
    at a lock, so the first builds and the others read what it built."""
    needs(bool(shutil.which("node") and shutil.which("npm")), "needs node and npm to build and use the npm package")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder = shared / "npm-package"
    with open(shared / "npm-package.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built.json").exists():
            _build_and_install(folder)
    built = json.loads((folder / "built.json").read_text())
    return Package(Path(built["tarball"]), Path(built["consumer"]))


# --- what the tarball holds -------------------------------------------------------------------------

def test_the_tarball_holds_exactly_what_a_consumer_needs(npm_package):
    expected = {"package.json", "README.md", "index.js", "index.cjs", "index.d.ts", "index.d.cts",
                *(f"{version}/record.schema.json" for version in VERSIONS),
                *(f"types/{version}.d.ts" for version in VERSIONS)}
    if (REPO / "LICENSE").exists():
        expected.add("LICENSE")
    with tarfile.open(npm_package.tarball) as tarball:
        assert sorted(tarball.getnames()) == sorted(f"package/{name}" for name in expected)


def test_the_package_has_the_projects_version(npm_package):
    manifest = json.loads((npm_package.installed / "package.json").read_text())
    assert (manifest["name"], manifest["version"]) == (NAME, __version__)
    assert npm_package.tarball.name == f"communique-project-schema-{__version__}.tgz"
    assert "devDependencies" not in manifest and "scripts" not in manifest  # nothing the build alone needs


@pytest.mark.parametrize("version", VERSIONS)
def test_each_schema_is_shipped_byte_for_byte(npm_package, version):
    shipped = npm_package.installed / version / "record.schema.json"
    assert shipped.read_bytes() == (REPO / "schema" / version / "record.schema.json").read_bytes()


ENTRY = r"""
import { createRequire } from "node:module";
import * as entry from "@communique-project/schema";
const required = createRequire(import.meta.url)("@communique-project/schema");
const files = {};
for (const version of entry.versions) {
  const path = `@communique-project/schema/${version}/record.schema.json`;
  files[version] = (await import(path, { with: { type: "json" } })).default;
}
let unknown;
try { entry.schemaFor("9.9"); } catch (error) { unknown = `${error.name}: ${error.message}`; }
console.log(JSON.stringify({
  names: Object.keys(entry).sort(),
  versions: entry.versions,
  latest: entry.latest,
  ids: entry.versions.map((version) => entry.schemaFor(version).$id),
  one_set_of_objects: entry.versions.every((version) =>
    entry.schemaFor(version) === entry.schemas[version] && required.schemas[version] === entry.schemas[version]),
  files_are_the_schemas: entry.versions.every((version) =>
    JSON.stringify(files[version]) === JSON.stringify(entry.schemas[version])),
  unknown,
}));
"""


def test_the_entry_module_serves_every_version_to_import_and_require(npm_package):
    result = json.loads(run("node", "--input-type=module", "-e", ENTRY, cwd=npm_package.consumer).stdout)
    assert result == {
        "names": ["latest", "schemaFor", "schemas", "versions"],
        "versions": VERSIONS,
        "latest": VERSIONS[-1],
        "ids": [VERSION_ID.format(version) for version in VERSIONS],
        "one_set_of_objects": True,
        "files_are_the_schemas": True,
        "unknown": f"RangeError: unknown communique schema version \"9.9\"; known: {', '.join(VERSIONS)}",
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_every_definition_is_a_named_type(npm_package, version):
    declarations = (npm_package.installed / "types" / f"{version}.d.ts").read_text()
    exported = set(re.findall(r"^export (?:type|interface) (\w+)\b", declarations, re.MULTILINE))
    definitions = json.loads((REPO / "schema" / version / "record.schema.json").read_text())["$defs"]
    assert {"CommuniqueRecord", *(type_name(key) for key in definitions)} <= exported


# --- TypeScript: the types accept the valid records and refuse what they can say is wrong -----------

# Schema-invalid fixtures whose fault the generated types cannot express: tsc accepts them.
BEYOND_TYPES = {
    "dates-without-start-or-within": "anyOf of required lists: give start or within",
    "disputed-without-claims": "if/then: a disputed caveat needs claims",
    "impossible-date": "format: date (2025-02-30 is a string like any other)",
    "lower-case-country": "pattern: two capital letters",
    "repeated-party-in-agreement": "uniqueItems",
    "round-zero": "minimum: 1",
    "v1-3-wikidata-ids": "pattern: Q and the item's number",
}

# Records the schema refuses, each made from a valid one by one change, that the types refuse
# too: (valid record, path to the change, value, the property tsc must name).
CHANGED = {
    "party-kind-planet": (MINIMAL, ["parties", 0, "kind"], "planet", "kind"),
    "round-written-as-text": (MINIMAL, ["series"], {"id": "example-meeting", "name": "Example", "round": "7"}, "round"),
    "misspelt-property-in-dates": (MINIMAL, ["dates"], {"start": "2025-03-01", "ende": "2025-03-02"}, "ende"),
    "misspelt-property-of-a-delegation-member": (
        FIXTURES / "shapes" / "example-convened-meeting-delegations-side-event.yaml",
        ["delegations", 0, "members", 0, "nmae"], "X", "nmae"),
}


def changed(name: str):
    base, path, value, _ = CHANGED[name]
    data = json.loads(json.dumps(record(base)))
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    return data


def typed_module(data) -> str:
    """A TypeScript module holding a record as a constant of its version's type."""
    kind = f"CommuniqueRecord_{data['schema_version'].replace('.', '_')}"
    return (f'import type {{ {kind} }} from "{NAME}";\n\n'
            f"export const record: {kind} = {json.dumps(data, indent=2, ensure_ascii=False)};\n")


DIAGNOSTIC = re.compile(r"^(?P<file>\S[^(]*)\((?P<line>\d+),(?P<column>\d+)\): error (?P<text>TS\d+: .*)$")


@pytest.fixture(scope="module")
def tsc_errors(npm_package, tmp_path_factory) -> dict[str, list[str]]:
    """One `tsc --noEmit --strict` over a project holding each record as a typed constant, and
    the consumer's own modules (src/). Its errors by file (records/invalid/missing-title.ts), each
    followed by the source line it points at."""
    project = tmp_path_factory.mktemp("typescript")
    for name in ("package.json", "tsconfig.json"):
        shutil.copy(npm_package.consumer / name, project / name)
    shutil.copytree(npm_package.consumer / "src", project / "src")
    (project / "node_modules").symlink_to(npm_package.consumer / "node_modules")
    modules = {case_name(path): typed_module(record(path)) for path in VALID}
    modules |= {case_name(path): typed_module(record(path)) for path in INVALID if schema_invalid(path)}
    modules |= {f"changed/{name}": typed_module(changed(name)) for name in CHANGED}
    for name, text in modules.items():
        (project / "records" / f"{name}.ts").parent.mkdir(parents=True, exist_ok=True)
        (project / "records" / f"{name}.ts").write_text(text)
    result = run(npm_package.bin("tsc"), "-p", project, "--noEmit", "--strict", "--pretty", "false", "--listFiles",
                 cwd=project, check=False)
    errors: dict[str, list[str]] = {}
    checked = set()
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.match(line)
        if line.startswith("/"):  # --listFiles: a file tsc read
            checked.add(Path(line))
        elif match:
            source = (project / match["file"]).read_text().splitlines()[int(match["line"]) - 1]
            errors.setdefault(match["file"], []).append(f"{match['text']} | at: {source.strip()}")
        elif errors and line.startswith(" "):
            last = list(errors)[-1]
            errors[last][-1] += "\n" + line
        elif line.strip():
            pytest.fail(f"tsc printed what is not an error of a file:\n{result.stdout}\n{result.stderr}")
    assert result.returncode == (1 if errors else 0), result.stdout + result.stderr
    written = [project / "records" / f"{name}.ts" for name in modules] + list((project / "src").iterdir())
    assert {path.resolve() for path in written} <= {path.resolve() for path in checked}, "tsc left modules out"
    return errors


def test_the_consumers_own_modules_type_check(tsc_errors):
    """src/: a CommonJS module requiring the package, with its types."""
    assert {file: text for file, text in tsc_errors.items() if file.startswith("src/")} == {}


@pytest.mark.parametrize("path", VALID, ids=case_name)
def test_every_valid_record_type_checks_as_its_version(tsc_errors, path):
    assert tsc_errors.get(f"records/{case_name(path)}.ts", []) == []


def _faulted(path: Path) -> set[str]:
    """The properties the project's validator finds fault with: the one a message names
    ("missing required property 'title'"), else the last of its path ($.parties[0].kind)."""
    names = set()
    for finding in validate_document(load_file(path).document):
        quoted = re.search(r"property '([^']+)'", finding.message)
        names.add(quoted[1] if quoted else re.findall(r"[A-Za-z_]\w*", finding.json_path)[-1])
    return names


def _names_one_of(errors: list[str], names: set[str]) -> bool:
    return any(f"'{name}'" in error or f'"{name}"' in error for error in errors for name in names)


@pytest.mark.parametrize("path", [p for p in INVALID if schema_invalid(p)], ids=case_name)
def test_a_schema_invalid_fixture_fails_to_type_check_where_types_can_say_so(tsc_errors, path):
    errors = tsc_errors.get(f"records/{case_name(path)}.ts", [])
    if path.stem in BEYOND_TYPES:  # a known limit: if the types come to express it, drop it from the list
        assert errors == [], f"the types now refuse {path.stem} ({BEYOND_TYPES[path.stem]})"
    else:
        assert errors, f"tsc accepts {path.stem}"
        assert _names_one_of(errors, _faulted(path)), errors


@pytest.mark.parametrize("name", CHANGED)
def test_a_record_changed_against_the_schema_fails_to_type_check_naming_the_property(tsc_errors, name):
    data = changed(name)
    assert not compiled_validator(data["schema_version"]).is_valid(data)  # the schema refuses it too
    errors = tsc_errors.get(f"records/changed/{name}.ts", [])
    assert errors and _names_one_of(errors, {CHANGED[name][3]}), errors


def test_the_readme_example_compiles_and_validates(npm_package, tmp_path):
    """The shipped README's TypeScript example, compiled under --strict and run on a record."""
    [example] = re.findall(r"```ts\n(.*?)```", (npm_package.installed / "README.md").read_text(), re.DOTALL)
    shutil.copy(npm_package.consumer / "package.json", tmp_path / "package.json")  # an ES module project
    (tmp_path / "node_modules").symlink_to(npm_package.consumer / "node_modules")
    (tmp_path / "example.ts").write_text(example)
    run(npm_package.bin("tsc"), "--strict", "--module", "nodenext", "--target", "es2022", "--outDir", "out",
        "example.ts", cwd=tmp_path)
    latest = next(data for data in map(record, VALID) if data["schema_version"] == VERSIONS[-1])
    wrong = json.loads(json.dumps(latest))
    wrong["parties"][0]["kind"] = "planet"
    script = ('import { partyIds } from "./out/example.js";\n'
              'const [good, bad] = process.argv.slice(1);\n'
              'console.log(JSON.stringify(partyIds(good)));\n'
              'try { partyIds(bad); } catch (error) { console.log(JSON.stringify(error.message)); }\n')
    out = run("node", "--input-type=module", "-e", script, json.dumps(latest), json.dumps(wrong), cwd=tmp_path)
    ids, refusal = map(json.loads, out.stdout.splitlines())
    assert ids == [party["id"] for party in latest["parties"]]
    assert "/parties/0/kind must be equal to one of the allowed values" in refusal


# --- Ajv: the package's schemas validate as the project's validator does ------------------------------

@pytest.fixture(scope="module")
def ajv(npm_package) -> dict:
    """Ajv's verdict on every valid record and every invalid fixture (verdicts.mjs)."""
    cases = [{"name": case_name(path), "version": named_version(record(path)), "data": record(path)}
             for path in [*VALID, *INVALID]]
    out = run("node", npm_package.consumer / "verdicts.mjs", stdin=json.dumps(cases), cwd=npm_package.consumer)
    return json.loads(out.stdout)


def test_ajv_compiles_every_version_from_the_package_in_strict_mode_less_only_what_is_needed(ajv):
    assert ajv["compiled"] == VERSIONS
    # each relaxation of ajv.mjs, turned back on alone, makes some version fail to compile
    assert ajv["relaxations_needed"] == ["strictRequired", "strictTypes"]


@pytest.mark.parametrize("path", VALID, ids=case_name)
def test_ajv_accepts_every_valid_record_against_the_version_it_names(ajv, path):
    assert ajv["verdicts"][case_name(path)] == {"valid": True, "errors": []}


@pytest.mark.parametrize("path", INVALID, ids=case_name)
def test_ajv_refuses_each_invalid_fixture_the_schema_refuses(ajv, path):
    """Ajv's verdict is the project's validator's on the schema alone. A fixture naming no
    version the package carries is checked against every version: none may accept it."""
    verdict = ajv["verdicts"][case_name(path)]
    data = record(path)
    versions = [named_version(data)] if named_version(data) else VERSIONS
    reference = any(compiled_validator(version).is_valid(data) for version in versions)
    assert verdict["valid"] == reference, verdict["errors"]


def test_ajv_accepts_only_the_integral_floats_json_schema_allows(ajv):
    """`round: 1.0` is an integer to JSON Schema, so to Ajv; `communique validate` refuses it
    on top of the schema (S103). These are the only invalid fixtures Ajv lets through."""
    accepted = {path.stem for path in INVALID if ajv["verdicts"][case_name(path)]["valid"]}
    assert accepted == {"integral-float-round", "v1-1-integral-floats"}
    assert all(validate_document(load_file(FIXTURES / "invalid" / f"{stem}.yaml").document) for stem in accepted)


def test_another_projects_schema_refs_ours_by_its_id(npm_package):
    """meeting-index.schema.json $refs schema 1.2's party definition and whole record; Ajv
    compiles it once the shipped file is added, and finds fault where ours does."""
    meeting = next(data for data in map(record, VALID) if data["schema_version"] == "1.2")
    documents = [
        {"host": BELGIUM, "meeting": meeting},
        {"host": {**BELGIUM, "kind": "planet"}, "meeting": {**meeting, "dates": {"start": "2025-02-30"}}},
        {"host": {"id": "be", "unnamed": True}, "meeting": meeting},  # party's if/then: unnamed needs as_stated
        {"host": BELGIUM},
    ]
    out = run("node", npm_package.consumer / "meeting_index.mjs", stdin=json.dumps(documents),
              cwd=npm_package.consumer)
    assert json.loads(out.stdout) == [[], ["/host/kind", "/meeting/dates/start"], ["/host"], [""]]


# --- Ajv over the schema test suite (tests/schema/suite/, JSON-Schema-Test-Suite format) -------------

def _suite(npm_package, folder: Path) -> tuple[int, dict]:
    out = run("node", npm_package.consumer / "schema_suite.mjs", folder, cwd=npm_package.consumer, check=False)
    return out.returncode, json.loads(out.stdout)


def test_the_suite_runner_reports_a_wrong_expectation(npm_package, tmp_path):
    """The runner on a suite made here, one of whose expectations is wrong: it must say which;
    and on a folder without suite files, it must fail."""
    suite = {
        "1.0/record.json": [{"description": "a whole record", "schema": {"$ref": VERSION_ID.format("1.0")}, "tests": [
            {"description": "the minimal record", "data": record(MINIMAL), "valid": True}]}],
        "1.2/party.json": [{"description": "a party", "schema": {"$ref": VERSION_ID.format("1.2") + "#/$defs/party"},
                            "tests": [
            {"description": "a state", "data": BELGIUM, "valid": True},
            {"description": "a planet", "data": {**BELGIUM, "kind": "planet"}, "valid": False},
            {"description": "a planet, wrongly expected valid", "data": {**BELGIUM, "kind": "planet"}, "valid": True},
        ]}],
    }
    for name, groups in suite.items():
        (tmp_path / "suite" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "suite" / name).write_text(json.dumps(groups))
    code, report = _suite(npm_package, tmp_path / "suite")
    assert code == 1
    assert (report["files"], report["cases"]) == (sorted(suite), 4)
    assert [(m["group"], m["test"], m["expected"], m["got"]) for m in report["mismatches"]] == [
        ("a party", "a planet, wrongly expected valid", True, False)]
    assert any("/kind" in error for error in report["mismatches"][0]["errors"])

    for name in suite:
        (tmp_path / "suite" / name).unlink()
    assert _suite(npm_package, tmp_path / "suite") == (1, {"files": [], "cases": 0, "mismatches": []})


def test_ajv_agrees_with_every_case_of_the_schema_test_suite(npm_package):
    code, report = _suite(npm_package, SUITE)
    assert report["files"], f"no suite files in {SUITE.relative_to(REPO)}"
    assert report["mismatches"] == [], json.dumps(report["mismatches"], indent=1)
    assert code == 0 and report["cases"] > 0


# --- the schema linted by an independent tool: sourcemeta's JSON Schema CLI -----------------------

# Rules of `jsonschema lint` the published schemas do not follow, each for a reason. The files
# are not edited to please a linter: records and other schemas name a published version by its
# $id, and its file stays as it was published.
LINT_EXCLUSIONS = {
    "description_trailing_period": "descriptions are full sentences, shown as editor hover text and in the docs",
    "top_level_examples": "a whole record is too long for an example; records/ and the docs hold them",
    "required_properties_in_properties": "co_chair and related_rounds require properties that their $ref'd "
                                         "definition declares",
    "unnecessary_allof_ref_wrapper_modern": "co_chair and related_rounds' items wrap their $ref in allOf, the draft-07 "
                                            "idiom, which means the same in 2020-12",
    "unnecessary_allof_wrapper": "party's allOf keeps its if/then/else and its not apart, one rule each",
}
SCHEMA_FILES = [REPO / "schema" / version / "record.schema.json" for version in VERSIONS]


@pytest.mark.parametrize("version", VERSIONS)
def test_each_schema_is_valid_against_its_metaschema(npm_package, version):
    result = run(npm_package.bin("jsonschema"), "metaschema", REPO / "schema" / version / "record.schema.json",
                 check=False, cwd=npm_package.consumer)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schemas_pass_the_linter_but_for_the_listed_rules(npm_package):
    excluded = [option for rule in LINT_EXCLUSIONS for option in ("--exclude", rule)]
    result = run(npm_package.bin("jsonschema"), "lint", "--json", *excluded, *SCHEMA_FILES, check=False,
                 cwd=npm_package.consumer)
    report = json.loads(result.stdout)
    assert [(error["id"], error["path"], error["schemaLocation"]) for error in report["errors"]] == []
    assert result.returncode == 0, result.stderr


def test_every_lint_exclusion_is_still_needed(npm_package):
    result = run(npm_package.bin("jsonschema"), "lint", "--json", *SCHEMA_FILES, check=False, cwd=npm_package.consumer)
    assert {error["id"] for error in json.loads(result.stdout)["errors"]} == set(LINT_EXCLUSIONS)
