"""The SQLite database: the same tables, keys that resolve, search, and Datasette on top."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from communique.corpus.tables import TABLES

from ..conftest import RECORDS
from ..integration.conftest import needs


@pytest.fixture(scope="module")
def database(tmp_path_factory, keeper):
    from click.testing import CliRunner
    from communique.cli import main

    path = tmp_path_factory.mktemp("sqlite") / "corpus.db"
    result = CliRunner().invoke(main, ["export", "--format", "sqlite", "-o", str(path), str(keeper)])
    assert result.exit_code == 0, result.output
    assert f"datasette {path} -m {path.with_name('corpus.metadata.json')}" in result.output
    return path


def test_row_counts_match_the_tables(database, rows):
    with sqlite3.connect(database) as db:
        for name, table_rows in rows.items():
            assert db.execute(f"select count(*) from [{name}]").fetchone()[0] == len(table_rows), name


def test_foreign_keys_are_declared_and_all_resolve(database):
    with sqlite3.connect(database) as db:
        assert db.execute("pragma foreign_key_check").fetchall() == []
        declared = {name: db.execute(f"pragma foreign_key_list([{name}])").fetchall() for name in TABLES}
    assert {row[2] for row in declared["agreements"]} == {"meetings"}
    assert ("agreements", ("record_id", "agreement_id")) in {
        (row[2], tuple(r[3] for r in declared["agreement_parties"] if r[0] == row[0]))
        for row in declared["agreement_parties"]}


def test_dates_are_iso_text_that_sqlite_date_functions_read(database):
    with sqlite3.connect(database) as db:
        start, end, days = db.execute(
            "select start, end, julianday(end) - julianday(start) from meetings where record_id = 'af-pk-talks-01'"
        ).fetchone()
    assert (start, end, days) == ("2025-10-01", "2025-10-31", 30.0)


def test_full_text_search_covers_titles_agreements_and_quotes(database):
    with sqlite3.connect(database) as db:
        quotes = db.execute("select quote from evidence where rowid in "
                            "(select rowid from evidence_fts where evidence_fts match 'Doha')").fetchall()
        agreements = db.execute("select count(*) from agreements_fts where agreements_fts match 'terrorism'").fetchone()
        titles = db.execute("select count(*) from meetings_fts where meetings_fts match 'strategic'").fetchone()
    assert quotes and all("Doha" in quote for (quote,) in quotes)
    assert agreements[0] > 0 and titles[0] == 1


def test_rebuilding_gives_the_same_database(run, database, keeper, tmp_path):
    again = tmp_path / "corpus.db"
    for _ in range(2):
        assert run("export", "--format", "sqlite", "-o", again, keeper).exit_code == 0
    with sqlite3.connect(database) as first, sqlite3.connect(again) as second:
        for name in TABLES:
            query = f"select * from [{name}] order by 1, 2"
            assert first.execute(query).fetchall() == second.execute(query).fetchall(), name


def test_a_file_that_is_not_a_database_is_left_alone(run, tmp_path):
    mine = tmp_path / "notes.db"
    mine.write_text("my notes")
    result = run("export", "--format", "sqlite", "-o", mine, RECORDS)
    assert result.exit_code == 2 and "not an SQLite database" in result.output
    assert mine.read_text() == "my notes"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, deadline: float):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_datasette_serves_the_canned_queries_and_descriptions(database):
    datasette = Path(sys.executable).with_name("datasette")
    needs(datasette.exists(), "datasette is not installed: pip install -e '.[test]'")
    port = free_port()
    metadata = database.with_name("corpus.metadata.json")
    server = subprocess.Popen([str(datasette), str(database), "-m", str(metadata), "-h", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/corpus"
        deadline = time.monotonic() + 30
        rounds = get_json(f"{base}/series_rounds.json?series=af-pk-talks&_shape=array", deadline)
        assert [row["round"] for row in rounds] == [1, 2, 3]
        assert [row["venue_city"] for row in rounds] == [None, "Ankara", "Istanbul"]
        person = get_json(f"{base}/person_meetings.json?person=ishaq-dar&_shape=array", deadline)
        assert [row["record_id"] for row in person] == ["pk-eu-strategic-dialogue-07"]
        kinds = get_json(f"{base}/agreements_by_kind.json?_shape=array", deadline)
        assert sum(row["agreements"] for row in kinds) > 30
        table = get_json(f"{base}/agreements.json?_search=terrorism&_shape=objects", deadline)
        assert table["rows"] and all("terror" in row["text"].lower() for row in table["rows"])
        served = get_json(f"http://127.0.0.1:{port}/-/metadata.json", deadline)
        assert served["databases"]["corpus"]["tables"]["meetings"]["columns"]["kind"] == \
            "What sort of meeting this was."
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_records_that_cannot_become_rows_are_reported_and_the_rest_exported(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("af-pk-talks-01", "af-pk-talks-02"):
        (folder / f"{name}.yaml").write_text((RECORDS / f"{name}.yaml").read_text())
    (folder / "wrong-type.yaml").write_text((RECORDS / "af-pk-talks-03.yaml").read_text().replace(
        "round: 3", "round: third", 1))
    result = run("export", "--format", "sqlite", "-o", tmp_path / "corpus.db", folder)
    assert result.exit_code == 1
    assert "wrong-type.yaml:" in result.stderr and "S103" in result.stderr
    assert "2 records exported" in result.stderr and "1 problem (above) left records out" in result.stderr
    with sqlite3.connect(tmp_path / "corpus.db") as db:
        assert [row[0] for row in db.execute("select record_id from meetings order by start")] == \
            ["af-pk-talks-01", "af-pk-talks-02"]
