"""The write path's precompiled statements: compile once, convert rows with the columns' own types.

SQLAlchemy Core compiles a statement once and caches it, but it still builds and processes every
row's parameters in Python on each execution, and for a batch of a thousand posts that costs more
than the database's own work. Here a statement is compiled once per dialect and kept; each row goes
through the same bind processors SQLAlchemy would apply (so an aware datetime, a JSON value or a
boolean is stored exactly as before) and the whole batch goes to the driver in one call: SQLite's
`executemany`, or on PostgreSQL `COPY ... FROM STDIN` for inserts. Values are always bound or
streamed by the driver, never formatted into SQL text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, String, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None
Converter = Callable[[Sequence[Mapping[str, Any]]], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement compiled for one dialect, with what turns a row dict into driver parameters."""

    sql: str
    keys: tuple[str, ...]  # the row dict's key for each bound parameter, in the driver's order
    processors: tuple[Processor, ...]
    positional: bool
    defaults: Mapping[str, Any]  # the value of a key a row leaves out (the column's scalar default)
    convert: Converter = field(compare=False, repr=False)  # `values`, generated for these keys

    def values(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Each row's parameter values in `keys` order, converted by the column types."""
        return self.convert(rows)

    def params(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """What the driver's executemany takes: tuples (qmark style) or dicts (named style)."""
        values = self.convert(rows)
        if self.positional:
            return values
        return [dict(zip(self.keys, v, strict=True)) for v in values]


def reference_values(
    keys: Sequence[str],
    processors: Sequence[Processor],
    defaults: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
) -> list[tuple[Any, ...]]:
    """What a statement's generated converter computes, written plainly (tests compare the two)."""
    out = []
    for row in rows:
        values = []
        for key, process in zip(keys, processors, strict=True):
            value = row[key] if key in row or key not in defaults else defaults[key]
            values.append(value if process is None else process(value))
        out.append(tuple(values))
    return out


def converter(keys: Sequence[str], processors: Sequence[Processor], defaults: Mapping[str, Any]) -> Converter:
    """`reference_values` for these keys as one generated list comprehension: per row, a tuple display
    of `row[key]` (or `row.get(key, default)`), each wrapped in its processor when it has one. A
    batch of a thousand rows of twenty columns then costs no Python loop per value. Where a
    processor's output for None, or for a column's default, is a plain constant (JSON's "null"),
    that constant stands in for the call."""
    items = []
    namespace: dict[str, Any] = {"missing": NOT_CONSTANT}
    for i, (key, process) in enumerate(zip(keys, processors, strict=True)):
        item = f"row[{key!r}]"
        default = constant_of(process, defaults[key]) if key in defaults else NOT_CONSTANT
        if key in defaults and default is not NOT_CONSTANT:
            # A row without the key takes the default, converted once here.
            namespace[f"d{i}"] = default
            if process is None:
                item = f"row.get({key!r}, d{i})"
            else:
                namespace[f"p{i}"] = process
                item = f"(d{i} if (v{i} := row.get({key!r}, missing)) is missing else p{i}(v{i}))"
            items.append(item + ",")
            continue
        if key in defaults:
            namespace[f"d{i}"] = defaults[key]
            item = f"row.get({key!r}, d{i})"
        if process is not None:
            namespace[f"p{i}"] = process
            none = constant_of(process, None)
            if none is NOT_CONSTANT:
                item = f"p{i}({item})"
            else:  # the common None (an empty column) skips the call: its value is known
                namespace[f"n{i}"] = none
                item = f"(n{i} if (v{i} := {item}) is None else p{i}(v{i}))"
        items.append(item + ",")
    source = f"def convert(rows):\n    return [({' '.join(items)}) for row in rows]\n"
    # The source holds only repr()'d keys and generated names; values stay in the namespace.
    exec(compile(source, "<fastsql converter>", "exec"), namespace)  # noqa: S102
    convert: Converter = namespace["convert"]
    return convert


NOT_CONSTANT = object()


def constant_of(process: Callable[[Any], Any] | None, value: Any) -> Any:
    """What `process` makes of `value`, to be used as a constant when that is None, a string or a
    number (JSON's "null" for None, "[]" for an empty list); else `NOT_CONSTANT`. Generated
    converters (here and in storage/sql/fast/reads.py) put such constants in place of the call."""
    if process is None:
        return value if value is None or type(value) in (str, int, float, bool) else NOT_CONSTANT
    try:
        converted = process(value)
    except Exception:  # noqa: BLE001 (a processor that refuses the value keeps doing so, row by row)
        return NOT_CONSTANT
    return converted if converted is None or type(converted) in (str, int, float, bool) else NOT_CONSTANT


_cache: dict[tuple[str, str], Prepared] = {}


def prepare(
    dialect: Dialect, name: str, build: Callable[[], ClauseElement], defaults: Mapping[str, Any] | None = None
) -> Prepared:
    """Compile `build()` once for `dialect`; `name` identifies the statement in the cache.

    Its bound parameters are named after the row keys (`bindparam("b_id")`).
    """
    cached = _cache.get((dialect.name, name))
    if cached is not None:
        return cached
    compiled = build().compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    binds = {b.key: b for b in compiled.binds.values()}
    names = list(compiled.positiontup) if compiled.positiontup is not None else list(binds)
    processors = [binds[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    prepared = Prepared(
        compiled.string,
        tuple(names),
        tuple(processors),
        compiled.positiontup is not None,
        dict(defaults or {}),
        converter(names, processors, defaults or {}),
    )
    _cache[(dialect.name, name)] = prepared
    return prepared


def insert_statement(
    dialect: Dialect,
    table: Table,
    columns: Sequence[str],
    *,
    skip_conflicts: bool = False,
    as_text: frozenset[str] = frozenset(),
) -> Prepared:
    """`INSERT INTO table (...) VALUES (...)` for `columns` and every other column that has a scalar
    default (rows may leave those out, as with `insert(table)`). Columns in `as_text` take their
    values as the stored text itself (a JSON column's value already encoded), bound as plain strings."""
    key = (dialect.name, table.name, tuple(columns), skip_conflicts, as_text)
    found = _inserts.get(key)
    if found is not None:
        return found
    defaults = {
        c.key: getattr(c.default, "arg", None)
        for c in table.c
        if c.key not in columns and c.default is not None and getattr(c.default, "is_scalar", False)
    }
    keys = [*columns, *defaults]
    name = f"insert:{table.name}:{','.join(keys)}:{','.join(sorted(as_text))}"

    def bound(k: str) -> Any:
        return bindparam(k, type_=String() if k in as_text else table.c[k].type)

    prepared = prepare(
        dialect, name, lambda: insert(table).values({k: bound(k) for k in keys}).inline(), defaults
    )
    if skip_conflicts:
        # Both SQLite (3.24+) and PostgreSQL spell it the same way.
        prepared = replace(prepared, sql=prepared.sql + " ON CONFLICT DO NOTHING")
    _inserts[key] = prepared
    return prepared


_inserts: dict[tuple[str, str, tuple[str, ...], bool, frozenset[str]], Prepared] = {}


def execute_many(conn: Connection, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run `prepared` once per row in one driver call (driver errors are raised as SQLAlchemy's)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        with sqlite_cursor(conn, prepared.sql) as cursor:
            cursor.executemany(prepared.sql, prepared.convert(rows))
        return
    conn.exec_driver_sql(prepared.sql, prepared.params(rows))


@contextlib.contextmanager
def sqlite_cursor(conn: Connection, sql: str) -> Iterator[Any]:
    """SQLite: a cursor of the connection's own driver connection, inside its transaction.

    `exec_driver_sql` costs several times what SQLite needs to run a short statement; the write path
    goes to the driver itself. The transaction is begun first if the connection has none yet, as
    SQLAlchemy's autobegin would do (so the engine's BEGIN IMMEDIATE still runs), and driver errors
    come out as SQLAlchemy's (`sql` names the statement in them).
    """
    if not conn.in_transaction():
        conn.begin()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with _driver_errors(conn, sql):
            yield cursor
    finally:
        cursor.close()


def copy_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """PostgreSQL: stream `rows` into `table` with COPY (psycopg 3), values converted as for INSERT."""
    if not rows:
        return
    dialect = conn.dialect
    prepared = insert_statement(dialect, table, columns)
    quote = dialect.identifier_preparer
    sql = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(c) for c in prepared.keys)}) FROM STDIN"
    rows_values = prepared.values(rows)
    dbapi_conn: Any = conn.connection.dbapi_connection
    with _driver_errors(conn, sql), dbapi_conn.cursor() as cursor, cursor.copy(sql) as copy:
        for values in rows_values:
            copy.write_row(values)


@contextlib.contextmanager
def _driver_errors(conn: Connection, sql: str) -> Iterator[None]:
    """Raise driver errors as SQLAlchemy's, as `Connection.execute` would (callers tell a lost
    database from a bad row by those classes)."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        lost = conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
        # A lost connection goes back to the pool as it is; the pool's pre-ping replaces it.
        raise DBAPIError.instance(
            sql, None, exc, dbapi.Error, connection_invalidated=lost, dialect=conn.dialect
        ) from exc
