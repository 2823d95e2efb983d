"""Bulk inserts that give back the new rows' ids, in input order, fast on both databases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select


def insert_ids(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows` and return their ids in the same order.

    PostgreSQL: the ids are drawn from the table's sequence first, then the rows go in with them
    through one pipelined executemany.
    SQLite: the transaction holds the write lock from BEGIN IMMEDIATE, and SQLite gives each new
    row of an INTEGER PRIMARY KEY table the largest id plus one, so a plain executemany yields a
    contiguous run of ids; the run is checked and a mismatch raises instead of guessing.
    """
    if not rows:
        return []
    id_col = table.c.id
    if conn.dialect.name != "sqlite":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        ids = [
            r[0]
            for r in conn.execute(
                select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))
            )
        ]
        conn.execute(insert(table), [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)])
        return ids
    before = conn.execute(select(func.coalesce(func.max(id_col), 0))).scalar_one()
    conn.execute(insert(table), list(rows))
    after = conn.execute(select(func.max(id_col))).scalar_one()
    if after - before != len(rows):
        raise RuntimeError(f"{table.name}: ids are not contiguous after a bulk insert; another writer?")
    return list(range(before + 1, after + 1))


CHUNK = 500  # keys per IN (...) list


def chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
