"""The Data Package: valid for the real frictionless, typed for pandas and DuckDB."""

from __future__ import annotations

import json

import pytest

from ..conftest import RECORDS


@pytest.fixture(scope="module")
def package(tmp_path_factory, keeper):
    from click.testing import CliRunner
    from communique.cli import main

    out = tmp_path_factory.mktemp("export") / "corpus"
    result = CliRunner().invoke(main, ["export", "--format", "datapackage", "-o", str(out), str(keeper)])
    assert result.exit_code == 0, result.output
    return out


def test_frictionless_validates_the_package_keys_included(package):
    import frictionless

    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == len(json.loads((package / "datapackage.json").read_text())["resources"])


def test_descriptions_come_from_the_schema(package):
    from communique import schema

    descriptor = json.loads((package / "datapackage.json").read_text())
    agreements = next(r for r in descriptor["resources"] if r["name"] == "agreements")
    kind = next(f for f in agreements["schema"]["fields"] if f["name"] == "kind")
    assert kind["description"] == schema.load_schema()["$defs"]["agreement"]["properties"]["kind"]["description"]
    assert kind["constraints"]["enum"] == schema.load_schema()["$defs"]["agreement"]["properties"]["kind"]["enum"]
    assert agreements["schema"]["primaryKey"] == ["record_id", "agreement_id"]
    assert {"fields": ["record_id"], "reference": {"resource": "meetings", "fields": ["record_id"]}} \
        in agreements["schema"]["foreignKeys"]


def test_pandas_reads_every_date_as_a_date(package):
    import pandas as pd

    descriptor = json.loads((package / "datapackage.json").read_text())
    checked = 0
    for resource in descriptor["resources"]:
        dates = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "date"]
        if not dates:
            continue
        raw = pd.read_csv(package / resource["path"], dtype=str, keep_default_na=False)
        typed = pd.read_csv(package / resource["path"], parse_dates=dates, date_format="%Y-%m-%d")
        for column in dates:
            assert pd.api.types.is_datetime64_any_dtype(typed[column]) or typed[column].isna().all(), column
            # No date is lost: every non-empty cell parses.
            assert typed[column].notna().sum() == (raw[column] != "").sum(), f"{resource['name']}.{column}"
            checked += typed[column].notna().sum()
    meetings = pd.read_csv(package / "meetings.csv", parse_dates=["start", "end"], date_format="%Y-%m-%d")
    assert meetings["start"].notna().sum() >= 18 and checked > 40
    dated = meetings.dropna(subset=["start", "end"])  # a meeting known only as "on or before" has neither
    assert len(dated) >= 18 and (dated["end"] >= dated["start"]).all()


def test_duckdb_types_the_date_columns_as_dates(package):
    import duckdb

    con = duckdb.connect()
    described = con.execute(f"describe select * from read_csv('{package / 'meetings.csv'}')").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["start"] == "DATE" and types["end"] == "DATE" and types["round"] in ("BIGINT", "INTEGER")
    rounds = con.execute(f"select round, start from read_csv('{package / 'meetings.csv'}') "
                         "where series_id = 'af-pk-talks' order by start").fetchall()
    assert [r[0] for r in rounds] == [1, 2, 3]


def test_export_again_replaces_the_package_and_refuses_a_foreign_folder(run, tmp_path):
    out = tmp_path / "corpus"
    assert run("export", "--format", "datapackage", "-o", out, RECORDS).exit_code == 0
    (out / "stale.csv").write_text("left from before")
    assert run("export", "--format", "datapackage", "-o", out, RECORDS).exit_code == 0
    assert not (out / "stale.csv").exists() and (out / "meetings.csv").is_file()
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "draft.txt").write_text("keep me")
    result = run("export", "--format", "datapackage", "-o", mine, RECORDS)
    assert result.exit_code == 2 and "left alone" in result.output
    assert (mine / "draft.txt").read_text() == "keep me" and len(list(mine.iterdir())) == 1


def test_a_folder_format_needs_an_output_path(run):
    result = run("export", "--format", "datapackage", RECORDS)
    assert result.exit_code == 2 and "-o" in result.output


def test_text_cells_that_start_like_formulas_are_escaped_unless_raw(run, tmp_path):
    """A clean record whose text starts like spreadsheet formulas: the package's CSV cells
    carry the apostrophe (typed cells never do), frictionless still validates it, pandas
    reads the escaped text; with --raw, the text as the record has it."""
    import csv

    import frictionless
    import pandas as pd

    from .test_exporting import HOSTILE, hostile_record

    path = hostile_record(tmp_path)
    assert run("check", path).exit_code == 0
    places = {("meetings", "title"): "title", ("meetings", "notes"): "notes", ("agreements", "text"): "text",
              ("evidence", "quote"): "quote", ("caveats", "note"): "note"}
    for raw in (False, True):
        out = tmp_path / ("raw" if raw else "safe")
        result = run("export", "--format", "datapackage", "-o", out, path, *(["--raw"] if raw else []))
        assert result.exit_code == 0, result.output
        report = frictionless.validate(str(out / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
        said = json.loads((out / "datapackage.json").read_text())["description"]
        assert ("apostrophe" in said) is not raw  # the package says whether its text is escaped
        for (table, column), key in places.items():
            expected = HOSTILE[key] if raw else "'" + HOSTILE[key]
            with open(out / f"{table}.csv", newline="", encoding="utf-8") as handle:
                assert {row[column] for row in csv.DictReader(handle)} >= {expected}, (table, column)
            read = pd.read_csv(out / f"{table}.csv", dtype={column: "string"}, keep_default_na=False)
            assert expected in set(read[column]), (table, column)
        meetings = pd.read_csv(out / "meetings.csv", parse_dates=["start"], date_format="%Y-%m-%d")
        assert meetings["round"].tolist() == [2] and str(meetings["start"][0].date()) == "2025-11-11"


def test_the_file_column_is_relative_to_the_configuration_however_the_records_are_named(run, tmp_path,
                                                                                         monkeypatch):
    import csv
    import shutil

    project = tmp_path / "keeper"
    (project / "records").mkdir(parents=True)
    (project / "communique.toml").write_text('records = "records"\n')
    shutil.copy(RECORDS / "af-pk-talks-01.yaml", project / "records")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def file_column(*args) -> list[str]:
        out = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        assert run("export", "--format", "datapackage", "-o", out, *args).exit_code == 0
        with open(out / "meetings.csv", newline="", encoding="utf-8") as handle:
            return [row["file"] for row in csv.DictReader(handle)]

    monkeypatch.chdir(elsewhere)
    absolute = file_column(project / "records")
    by_config = file_column("--config", project / "communique.toml")
    monkeypatch.chdir(project / "records")
    relative = file_column(".")
    monkeypatch.chdir(project)
    bare = file_column()
    assert absolute == by_config == relative == bare == ["records/af-pk-talks-01.yaml"]
    # With no configuration, relative to the working folder.
    loose = tmp_path / "loose"
    loose.mkdir()
    shutil.copy(RECORDS / "af-pk-talks-01.yaml", loose)
    monkeypatch.chdir(tmp_path)
    assert file_column(loose / "af-pk-talks-01.yaml") == file_column("loose") == ["loose/af-pk-talks-01.yaml"]


def test_the_readmes_pandas_recipe_keeps_schema_versions_as_text(tmp_path):
    """The recipe in the README's "For analysts", run as written (on a folder of 1.0 and
    1.2 records): "1.0" must not become the number 1.0, nor "1.2" the number 1.2."""
    import re
    import shutil

    from ..conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    recipe = re.search(r"From Python, with pandas.*?```python\n(.*?)```", readme, re.S).group(1)
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(RECORDS / "af-pk-talks-01.yaml", folder)
    older = (RECORDS / "af-pk-talks-02.yaml").read_text().replace('schema_version: "1.2"', 'schema_version: "1.0"')
    older = older.replace("heads_named: false\n", "")  # a 1.2 field, which 1.0 refuses
    (folder / "af-pk-talks-02.yaml").write_text(older)
    assert '"records/"' in recipe
    namespace: dict = {}
    exec(compile(recipe.replace('"records/"', repr(str(folder))), "README recipe", "exec"), namespace)
    meetings = namespace["tables"]["meetings"].set_index("record_id")
    assert meetings.loc["af-pk-talks-01", "schema_version"] == "1.2"
    assert meetings.loc["af-pk-talks-02", "schema_version"] == "1.0"
    assert meetings["round"].tolist() == [1, 2] and str(meetings["round"].dtype) == "Int64"
