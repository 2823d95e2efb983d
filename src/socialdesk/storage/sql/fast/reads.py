"""The ingest path's batch lookups on SQLite: compiled once, run on the driver's cursor.

Each lookup of a batch (stored posts, conversations, cases, contact handles...) is one short query,
and through `Connection.execute` SQLAlchemy spends longer preparing it and wrapping its rows than
SQLite spends answering. Here a textual query with typed columns (`text(...).columns(...)`) is
compiled once per dialect; on SQLite it runs on the connection's own cursor and each value goes
through the result processor of its column's type, the one SQLAlchemy itself would apply (a stored
datetime comes back as an aware UTC datetime, a JSON column as its value), into a named tuple with
the columns' names as fields. On PostgreSQL the query runs through SQLAlchemy as before.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.selectable import TextualSelect

from socialdesk.storage.sql.fast.statements import Prepared, constant_of, prepare, sqlite_cursor


@dataclass(frozen=True, slots=True)
class _Query:
    statement: Prepared  # the SQL and its parameters
    rows: Callable[[list[tuple[Any, ...]]], list[Any]]  # driver rows -> named tuples


_queries: dict[tuple[str, str], _Query] = {}


def fetch(
    conn: Connection, name: str, build: Callable[[], TextualSelect], params: Mapping[str, Any]
) -> Sequence[Any]:
    """The rows of `build()` with `params`; each row has its columns as attributes.

    `name` identifies the query (its SQL must not vary for one name and dialect).
    """
    dialect = conn.dialect
    if dialect.name != "sqlite":
        return list(conn.execute(build(), params))
    query = _queries.get((dialect.name, name))
    if query is None:
        query = _queries[(dialect.name, name)] = _compile(dialect, name, build)
    sql = query.statement.sql
    with sqlite_cursor(conn, sql) as cursor:
        found = cursor.execute(sql, query.statement.convert([params])[0]).fetchall()
    return query.rows(found)


def _compile(dialect: Dialect, name: str, build: Callable[[], TextualSelect]) -> _Query:
    statement = prepare(dialect, "fetch:" + name, build)
    assert statement.positional  # SQLite's qmark style
    columns = list(build().selected_columns)
    names = [c.key for c in columns]
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
    return _Query(statement, row_converter(names, processors))


def row_converter(
    names: Sequence[str], processors: Sequence[Callable[[Any], Any] | None]
) -> Callable[[list[tuple[Any, ...]]], list[Any]]:
    """Driver rows to named tuples, each value through its processor: one generated comprehension."""
    row_type = namedtuple("Row", names)  # type: ignore[misc]
    namespace: dict[str, Any] = {"make": row_type._make}
    items = []
    for i, process in enumerate(processors):
        if process is None:
            items.append(f"r[{i}],")
        elif constant_of(process, None) is None:  # an empty column (None) skips the call
            namespace[f"p{i}"] = process
            items.append(f"(None if (v{i} := r[{i}]) is None else p{i}(v{i})),")
        else:
            namespace[f"p{i}"] = process
            items.append(f"p{i}(r[{i}]),")
    source = f"def rows(found):\n    return [make(({' '.join(items)})) for r in found]\n"
    # The source holds only indexes and generated names; the processors stay in the namespace.
    exec(compile(source, "<fastread rows>", "exec"), namespace)  # noqa: S102
    convert: Callable[[list[tuple[Any, ...]]], list[Any]] = namespace["rows"]
    return convert
