"""A Frictionless Data Package: one CSV per table and `datapackage.json`, which types every
column, describes it in the schema's words, and declares the keys between tables.

This output is for pandas, DuckDB, R and `frictionless`, which read the types from the
descriptor; but its CSV files are also opened in spreadsheets, so a text cell that starts
like a formula gets a leading apostrophe (`exporting.spreadsheet_safe`) unless raw values
are asked for. Only text columns can hold a formula: typed columns (integers, dates,
booleans) are written as they are, so the package stays valid for `frictionless`. Dates
are ISO 8601; an empty cell is a missing value.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .describe import allowed_values, description, table_title
from .tables import TABLES, Row, Table

TITLE = "Communique corpus"


ESCAPED = (" A text cell that begins like a spreadsheet formula (=, +, -, @, also after spaces, or a tab or "
           "line break) carries a leading apostrophe, so that a spreadsheet shows it rather than runs it; "
           "`communique export --raw` writes the text exactly.")


def descriptor(raw: bool = False) -> dict[str, Any]:
    """`datapackage.json` for the tables; it says whether text cells are escaped."""
    return {
        "name": "communique-corpus",
        "title": TITLE,
        "description": "Records of diplomatic communiques and joint statements, as tidy tables: one fact a row."
                       + ("" if raw else ESCAPED),
        "profile": "tabular-data-package",
        "resources": [_resource(table) for table in TABLES.values()],
    }


def _resource(table: Table) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        field: dict[str, Any] = {"name": column.name, "type": column.type, "description": description(column)}
        constraints: dict[str, Any] = {}
        if column.name in table.key:
            constraints["required"] = True
        allowed = allowed_values(column)
        if allowed and column.type == "string":
            constraints["enum"] = list(allowed)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(table.key),
        "foreignKeys": [{"fields": list(mine), "reference": {"resource": other, "fields": list(theirs)}}
                        for mine, other, theirs in table.references],
    }
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "title": table_title(table), "description": table.description, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def render_csv(table: Table, rows: list[Row], raw: bool = False) -> str:
    """One table as CSV; unless `raw`, text cells are spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    writer.writerows(_cells(table, rows, raw))
    return buffer.getvalue()


def _cells(table: Table, rows: Iterable[Row], raw: bool) -> Iterable[list]:
    from .exporting import spreadsheet_safe

    text = {column.name for column in table.columns if column.type == "string" and not raw}
    return ([spreadsheet_safe(cell(row[name])) if name in text else cell(row[name]) for name in table.column_names]
            for row in rows)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def files(rows: dict[str, list[Row]], raw: bool = False) -> dict[str, str]:
    """Every file of the package, by name: the descriptor and one CSV per table."""
    written = {f"{name}.csv": render_csv(TABLES[name], table_rows, raw) for name, table_rows in rows.items()}
    written["datapackage.json"] = json.dumps(descriptor(raw), indent=2, ensure_ascii=False) + "\n"
    return written


def write(folder: Path, pieces: Iterable[tuple[str, list[Row]]], raw: bool = False) -> int:
    """Write the package into `folder` from (table, rows) pieces (tables.stream), appending
    each piece to its table's CSV as it comes; the number of rows written."""
    total = 0
    with ExitStack() as stack:
        writers = {}
        for name, table in TABLES.items():
            handle = stack.enter_context(open(folder / f"{name}.csv", "w", encoding="utf-8", newline=""))
            writers[name] = csv.writer(handle, lineterminator="\n")
            writers[name].writerow(table.column_names)
        for name, rows in pieces:
            writers[name].writerows(_cells(TABLES[name], rows, raw))
            total += len(rows)
    (folder / "datapackage.json").write_bytes(
        (json.dumps(descriptor(raw), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return total
