"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, func
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import _TraverseInternalsType
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: socialdesk stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """`process_bind_param` followed by the column type's own conversion (what TypeDecorator
        composes), with a short path for the common value: a plain `datetime` in UTC.

        On SQLite the stored text is SQLAlchemy's DATETIME storage format,
        `YYYY-MM-DD HH:MM:SS.ffffff`, which is exactly `isoformat(" ", "microseconds")` without the
        "+00:00" suffix. Anything else (None, other zones, naive values, subclasses) takes the
        composed path. A property test holds the two to the same output.
        """
        composed = super().bind_processor(dialect)
        if composed is None:  # (never: process_bind_param is defined)
            return None
        reference = composed
        if dialect.name == "sqlite":
            # The text of recent values: a batch writes the same instants several times (a post's
            # time as its message's, its conversation's and its case's), and `isoformat` with a
            # zone costs a few microseconds. Equal instants have equal text, whatever their zone.
            recent: dict[datetime, str] = {}

            def process_sqlite(value: Any) -> Any:
                if value.__class__ is datetime:
                    found = recent.get(value)
                    if found is not None:
                        return found
                    if value.tzinfo is UTC:
                        if len(recent) >= 4096:
                            recent.clear()
                        found = recent[value] = value.isoformat(" ", "microseconds")[:26]
                        return found
                return reference(value)

            return process_sqlite
        if self.impl_instance.dialect_impl(dialect).bind_processor(dialect) is not None:
            return reference  # the driver's type converts further: keep the composed path

        def process_aware(value: Any) -> Any:
            if value.__class__ is datetime and value.tzinfo is UTC:
                return value  # what astimezone(UTC) gives back for a value already in UTC
            return reference(value)

        return process_aware

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        """The column type's own parsing followed by `process_result_value` (what TypeDecorator
        composes), with a short path on SQLite for the text this type stores,
        `YYYY-MM-DD HH:MM:SS.ffffff`: `datetime.fromisoformat` reads it several times faster than
        SQLAlchemy's regular expression. Any other text takes the composed path; a property test holds
        the two to the same values."""
        composed = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or composed is None:
            return composed
        reference = composed

        def process_sqlite(value: Any) -> Any:
            if value.__class__ is str and len(value) == 26 and value[10] == " ":
                try:  # (with its zone written out: `replace(tzinfo=UTC)` would cost five times more)
                    return datetime.fromisoformat(value + "+00:00")
                except ValueError:
                    pass
            return reference(value)

        return process_sqlite

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class NotWaiting(ColumnElement[datetime]):
    """The far-future instant a conversation nobody waits on sorts at (`domain.conversation.NOT_WAITING`),
    spelled out as a constant in the SQL text rather than bound: an index on an expression holding it
    (the inbox orders' `COALESCE(waiting_since, ...)`) serves only queries with the very same text."""

    type = UTCDateTime()
    inherit_cache = True
    # No parts to traverse: a constant. Without this SQLAlchemy finds no cache key for it, and every
    # statement holding it (the inbox list's ORDER BY) was compiled anew on every request.
    _traverse_internals: _TraverseInternalsType = []  # noqa: RUF012 (typed as SQLAlchemy types it)


@compiles(NotWaiting, "sqlite")
def _not_waiting_sqlite(element: NotWaiting, compiler: Any, **kw: Any) -> str:
    return "'9999-12-31 00:00:00.000000'"  # UTCDateTime's stored text of NOT_WAITING


@compiles(NotWaiting)
def _not_waiting(element: NotWaiting, compiler: Any, **kw: Any) -> str:
    return "'9999-12-31 00:00:00+00'::timestamptz"  # PostgreSQL (a typed constant, folded when parsed)


def waiting_key(waiting_since: Any) -> Any:
    """The inbox orders' waiting key: when the customer began to wait, NOT_WAITING when nobody waits."""
    return func.coalesce(waiting_since, NotWaiting())
