"""The corpus as an SQLite database (built with sqlite-utils), and the Datasette metadata
that makes it a browsable, queryable site: `datasette corpus.db -m corpus.metadata.json`.

Tables, keys and descriptions come from `tables`; dates are ISO 8601 text, which SQLite's
date functions read. Full-text search covers the columns each table marks for search.
The database is built whole in a new file and renamed over the old one, so running the
export again gives the same database, never one with rows added twice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .datapackage import TITLE
from .describe import description, table_title
from .tables import TABLES, Row, Table

SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "date": str}

# Canned queries for Datasette: (name, title, description, SQL).
QUERIES = (
    ("series_rounds", "A series' rounds in order",
     "Every recorded meeting of one series, by date, with where it was held and how it ended.",
     "select record_id, round, edition, start, end, date_precision, venue_city, venue_country, result, title\n"
     "from meetings where series_id = :series\norder by start, round, edition"),
    ("agreements_by_kind", "Agreements by kind",
     "How many agreements of each kind the corpus holds, and in how many meetings.",
     "select kind, count(*) as agreements, count(distinct record_id) as meetings\n"
     "from agreements group by kind order by agreements desc, kind"),
    ("person_meetings", "A person's meetings",
     "Every meeting a person is named in, by date, with the part and the title they had then.",
     "select meetings.record_id, meetings.title as meeting, meetings.start, participations.capacity,\n"
     "  participations.role, participations.title, participations.party_id\n"
     "from participations join meetings on meetings.record_id = participations.record_id\n"
     "where participations.person_id = :person\norder by meetings.start, meetings.record_id"),
    ("party_meetings", "A party's meetings",
     "Every meeting a party took part in, by date, with its roles there.",
     "select meetings.record_id, meetings.title as meeting, meetings.start, meetings.series_id,\n"
     "  group_concat(party_roles.role, ', ') as roles\n"
     "from party_roles join meetings on meetings.record_id = party_roles.record_id\n"
     "where party_roles.party_id = :party\ngroup by meetings.record_id order by meetings.start, meetings.record_id"),
)


def build_database(path: Path, pieces: dict[str, list[Row]] | Iterable[tuple[str, list[Row]]]) -> int:
    """Create the database at `path` (a new file) with every table, key, index and search,
    from the tables in memory or from (table, rows) pieces (tables.stream), which go in
    as they come, a batch at a time; the number of rows inserted."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    db.conn.execute("pragma journal_mode = off")  # a new file, renamed in only when complete
    waiting: dict[str, list[dict]] = {name: [] for name in TABLES}
    total = 0
    with db.conn:
        for table in _dependency_order():
            _create(db, table)
        for name, rows in (pieces.items() if isinstance(pieces, dict) else pieces):
            waiting[name] += (_sql_row(row) for row in rows)
            total += len(rows)
            if len(waiting[name]) >= BATCH:
                db[name].insert_all(waiting[name], batch_size=BATCH)
                waiting[name] = []
        for name, rows in waiting.items():
            if rows:
                db[name].insert_all(rows, batch_size=BATCH)
    for table in TABLES.values():
        for mine, _, _ in table.references:
            if tuple(mine) != table.key[:len(mine)]:
                db[table.name].create_index(list(mine), find_unique_name=True)
        if table.search:
            db[table.name].enable_fts(list(table.search), create_triggers=False, replace=True)
    db.conn.execute("vacuum")
    db.close()
    return total


BATCH = 1000  # rows a table gathers before they are inserted


def _create(db, table: Table) -> None:
    db[table.name].create(
        {column.name: SQL_TYPES[column.type] for column in table.columns},
        pk=table.key if len(table.key) > 1 else table.key[0],
        not_null=set(table.key),
        foreign_keys=[(mine if len(mine) > 1 else mine[0], other, theirs if len(theirs) > 1 else theirs[0])
                      for mine, other, theirs in table.references],
    )


def _dependency_order() -> list[Table]:
    """Tables in an order where each one's referenced tables come first."""
    ordered: list[Table] = []
    done: set[str] = set()
    pending = list(TABLES.values())
    while pending:
        ready = [t for t in pending if all(other in done or other == t.name for _, other, _ in t.references)]
        if not ready:
            raise ValueError(f"tables refer to each other in a cycle: {[t.name for t in pending]}")
        for table in ready:
            ordered.append(table)
            done.add(table.name)
            pending.remove(table)
    return ordered


def _sql_row(row: Row) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value, date) else value) for name, value in row.items()}


def metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata: titles and descriptions from the schema, facets, canned queries."""
    tables = {}
    for table in TABLES.values():
        entry: dict[str, Any] = {
            "title": table_title(table),
            "description": table.description,
            "columns": {column.name: description(column) for column in table.columns},
        }
        if table.facets:
            entry["facets"] = list(table.facets)
        tables[table.name] = entry
    queries = {name: {"title": title, "description": about, "sql": sql} for name, title, about, sql in QUERIES}
    return {
        "title": TITLE,
        "description": "Meetings, parties, people and agreements of the communique records, with the "
                       "evidence for each. Columns are described in the words of the communique JSON Schema.",
        "databases": {database_name: {"tables": tables, "queries": queries}},
    }
