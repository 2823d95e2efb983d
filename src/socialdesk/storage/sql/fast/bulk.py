"""Bulk inserts that give back the new rows' ids, in input order, fast on both databases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text

from socialdesk.storage.sql.fast.statements import copy_rows, insert_statement, sqlite_cursor


def insert_ids(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, as_text: frozenset[str] = frozenset()
) -> list[int]:
    """Insert `rows` (dicts with the same keys) and return their ids in the same order.

    PostgreSQL: the ids are drawn from the table's sequence first, then the rows go in with them
    through one COPY.
    SQLite: the transaction holds the write lock from BEGIN IMMEDIATE, and SQLite gives each new
    row of an INTEGER PRIMARY KEY table the largest id plus one, so a plain executemany yields a
    contiguous run of ids; the run is checked and a mismatch raises instead of guessing.
    Either way the statement is compiled once and values are converted by the column types
    (see storage/sql/fast/statements.py), except the `as_text` columns (SQLite only), whose values are their
    stored text.
    """
    if not rows:
        return []
    columns = list(rows[0])
    name = table.name
    if conn.dialect.name != "sqlite":
        if as_text:
            raise ValueError("as_text columns are for SQLite")
        ids = list(
            conn.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": name, "n": len(rows)},
            ).scalars()
        )
        copy_rows(conn, table, ["id", *columns], [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    top = f"SELECT coalesce(max(id), 0) FROM {conn.dialect.identifier_preparer.format_table(table)}"  # noqa: S608 (fixed SQL fragments; values are bound)
    prepared = insert_statement(conn.dialect, table, columns, as_text=as_text)
    with sqlite_cursor(conn, prepared.sql) as cursor:
        before = cursor.execute(top).fetchone()[0]
        cursor.executemany(prepared.sql, prepared.convert(rows))
        after = cursor.execute(top).fetchone()[0]
    if after - before != len(rows):
        raise RuntimeError(f"{name}: ids are not contiguous after a bulk insert; another writer?")
    return list(range(before + 1, after + 1))


CHUNK = 500  # keys per IN (...) list


def chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
