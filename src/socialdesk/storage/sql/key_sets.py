"""Many keys in one bound parameter: the lookups of a batch without an IN list per key.

`tuple_(a, b).in_(keys)` renders a placeholder per key on every execution; SQLAlchemy spends more
time expanding those lists than the database spends answering, PostgreSQL's planner handles a long
row-value IN list poorly, and every new list length is a new statement for the driver to parse.
Here the keys travel as one parameter, a JSON array on SQLite (read back with `json_each`) or typed
arrays on PostgreSQL (`unnest`), joined to the table like any other row source. The key set comes
first in the join (CROSS JOIN fixes that order on SQLite), so each key is one unique-index probe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection


def pairs(
    conn: Connection, keys: Iterable[tuple[str, str]], name: str = "keys"
) -> tuple[str, dict[str, Any]]:
    """A row source `(SQL, params)` with columns k1, k2, one row per distinct key pair."""
    distinct = sorted(set(keys))
    if conn.dialect.name == "sqlite":
        sql = (
            f"(SELECT json_extract(value, '$[0]') AS k1, json_extract(value, '$[1]') AS k2 "  # noqa: S608 (fixed SQL fragments; values are bound)
            f"FROM json_each(:{name}))"
        )
        return sql, {name: json.dumps(distinct)}
    sql = f"(SELECT * FROM unnest(CAST(:{name}_1 AS text[]), CAST(:{name}_2 AS text[])) AS u(k1, k2))"  # noqa: S608 (fixed SQL fragments; values are bound)
    return sql, {f"{name}_1": [a for a, _ in distinct], f"{name}_2": [b for _, b in distinct]}


def values(
    conn: Connection, items: Iterable[Any], name: str = "vals", sql_type: str = "bigint"
) -> tuple[str, dict[str, Any]]:
    """A row source `(SQL, params)` with one column k1, one row per distinct value."""
    distinct: Sequence[Any] = sorted(set(items))
    if conn.dialect.name == "sqlite":
        return f"(SELECT value AS k1 FROM json_each(:{name}))", {name: json.dumps(list(distinct))}  # noqa: S608 (fixed SQL fragments; values are bound)
    return f"(SELECT * FROM unnest(CAST(:{name} AS {sql_type}[])) AS u(k1))", {name: list(distinct)}  # noqa: S608 (fixed SQL fragments; values are bound)


def probe(
    conn: Connection,
    keys: str,
    columns: str,
    tables: str,
    where: str,
    order: Sequence[str] = (),
    alias: str = "",
) -> str:
    """`SELECT columns FROM tables WHERE where` for every key of `keys` (a row source from `pairs` or
    `values`, named k in `where`), one index probe per key whatever the table statistics say.

    SQLite takes CROSS JOIN as the loop order; PostgreSQL gets a LATERAL subquery, which it runs once
    per key (a plain join would be planned from statistics, and a freshly filled table's statistics
    say it is empty, which makes it hash the whole workspace on every batch). `order` names output
    columns; `alias` is the table alias that holds them (on SQLite).
    """
    if conn.dialect.name == "sqlite":
        sql = f"SELECT {columns} FROM {keys} AS k CROSS JOIN {tables} WHERE {where}"  # noqa: S608 (fixed SQL fragments; values are bound)
        by = ", ".join(f"{alias}.{c}" for c in order)
    else:
        inner = f"SELECT {columns} FROM {tables} WHERE {where}"  # noqa: S608 (fixed SQL fragments; values are bound)
        sql = f"SELECT r.* FROM {keys} AS k CROSS JOIN LATERAL ({inner}) AS r"  # noqa: S608 (as above)
        by = ", ".join(f"r.{c}" for c in order)
    return f"{sql} ORDER BY {by}" if order else sql


def params_have_keys(params: dict[str, Any]) -> bool:
    """Whether a key set built by `pairs` or `values` holds any key (skip the query when not)."""
    value = next(iter(params.values()))
    return value not in ("[]", [])
