"""The write path's short cuts convert values exactly as SQLAlchemy's own processors do: the UTC
datetime short path against TypeDecorator's composed one, and the generated row converters against
the plain loop over each column's processor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg.types.json import Json
from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import TypeDecorator

from socialdesk.domain.case import CaseStatus
from socialdesk.ports.care import CaseCare
from socialdesk.ports.inbox import NewCase, NewConversation
from socialdesk.storage import schema as s
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.fast.reads import fetch
from socialdesk.storage.sql.fast.statements import insert_statement, reference_values
from socialdesk.storage.sql.uow import SqlUnitOfWork
from socialdesk.storage.types import UTCDateTime
from tests.conftest import T0

DIALECTS = [sqlite.dialect(), postgresql.psycopg.dialect()]  # type: ignore[attr-defined]

zones = st.one_of(
    st.just(UTC),
    st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60, 23 * 60)),
)
aware = st.datetimes(
    min_value=datetime(1, 1, 2),  # noqa: DTZ001 (hypothesis takes naive bounds)
    max_value=datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=zones,
)  # a day's margin: converting to UTC stays within datetime's range


def _reference(dialect: Dialect) -> Any:
    """What TypeDecorator composes: process_bind_param, then the implementation type's processor."""
    return TypeDecorator.bind_processor(UTCDateTime().dialect_impl(dialect), dialect)


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@given(value=st.one_of(st.none(), aware))
def test_utc_datetime_short_path_binds_what_the_composed_path_binds(dialect: Dialect, value: Any) -> None:
    fast = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None
    expected = _reference(dialect)(value)
    got = fast(value)
    assert got == expected and type(got) is type(expected)
    if isinstance(expected, datetime):
        assert got.utcoffset() == expected.utcoffset()


def test_utc_datetime_short_path_stores_sqlalchemys_text_on_sqlite() -> None:
    fast = UTCDateTime().dialect_impl(DIALECTS[0]).bind_processor(DIALECTS[0])
    assert fast is not None
    assert fast(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)) == "2026-01-05 09:00:00.000000"
    assert fast(datetime(33, 2, 3, 4, 5, 6, 7, tzinfo=UTC)) == "0033-02-03 04:05:06.000007"


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_utc_datetime_short_path_refuses_naive_values(dialect: Dialect) -> None:
    fast = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None
    fast(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))  # its aware twin, remembered on SQLite, hashes alike
    with pytest.raises(ValueError, match="naive"):
        fast(datetime(2026, 1, 5, 9, 0))  # noqa: DTZ001 (naive on purpose: refused)


def test_utc_datetime_short_path_gives_each_instant_its_own_text() -> None:
    dialect = DIALECTS[0]
    fast = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None
    base = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    values = [base + timedelta(microseconds=i * 7919) for i in range(5000)]  # past the memo's size
    assert [fast(v) for v in values + values[::-1]] == [
        v.replace(tzinfo=None).isoformat(" ", "microseconds") for v in values + values[::-1]
    ]
    east = base.astimezone(timezone(timedelta(hours=2)))  # the same instant in another zone
    assert fast(east) == fast(base) == "2026-01-05 09:00:00.000000"


jsonish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
MESSAGE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "workspace_id": st.integers(1, 5),
    "conversation_id": st.none() | st.integers(1, 10**6),
    "channel": st.sampled_from(["x", "mastodon"]),
    "external_id": st.text(max_size=12),
    "direction": st.sampled_from(["inbound", "outbound"]),
    "visibility": st.just("public"),
    "text": st.text(),
    "created_at": aware,
    "author_handle": st.text(max_size=10),
    "author_name": st.text(max_size=10),
    "is_repost": st.booleans(),
    "raw": jsonish,
    "needs_reply": st.none() | st.booleans(),
    "sentiment_score": st.none() | st.floats(-1, 1) | st.integers(-1, 1),
    "triage": st.none() | st.dictionaries(st.text(max_size=6), jsonish, max_size=3),
    "monitors": st.none() | st.lists(st.text(max_size=6), max_size=3),
}
message_rows = st.fixed_dictionaries(
    MESSAGE_FIELDS,
    optional={"delivery": st.sampled_from(["received", "sent"])},  # a column with a default
)


def _comparable(values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """psycopg's JSON wrappers compare by identity: compare what they wrap (and its type) instead."""
    return [tuple((type(v), v.obj) if isinstance(v, Json) else v for v in row) for row in values]


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@given(rows=st.lists(message_rows, max_size=4))
def test_generated_converter_gives_what_each_columns_processor_gives(
    dialect: Dialect, rows: list[dict[str, Any]]
) -> None:
    prepared = insert_statement(dialect, s.messages, list(MESSAGE_FIELDS))
    expected = reference_values(prepared.keys, prepared.processors, prepared.defaults, rows)
    assert _comparable(prepared.values(rows)) == _comparable(expected)
    assert "delivery" in prepared.keys  # left out of some rows: the column default fills in


def test_generated_converter_follows_the_compiled_statement_order() -> None:
    dialect = DIALECTS[0]
    prepared = insert_statement(dialect, s.contacts, ["workspace_id", "name", "created_at"])
    compiled = insert(s.contacts).values(workspace_id=1, name="Ada", created_at=None).compile(dialect=dialect)
    assert prepared.sql == compiled.string
    row = {"workspace_id": 1, "name": "Ada", "created_at": datetime(2026, 1, 5, 9, tzinfo=UTC)}
    assert prepared.values([row]) == [(1, "Ada", "2026-01-05 09:00:00.000000")]


def test_fetch_gives_the_rows_sqlalchemy_gives(sqlite_url: str) -> None:
    """fastread's rows on SQLite: the same values, typed by the same result processors."""
    engine = make_engine(sqlite_url)
    try:
        with SqlUnitOfWork(engine) as uow:
            ws = uow.workspaces.add("acme", "Acme").id
            [cid] = uow.conversations.add_many(
                ws, [NewConversation("x", None, "subject", T0, T0, None, 1, "carol", "Carol", None, "hi", 2)]
            )
            [case_id] = uow.cases.add_many(ws, [NewCase(cid, CaseStatus.NEW, T0)])
            care = CaseCare(case_id, tags=("vip",), facts={"language": "en"}, sla_next_check_at=T0)
            uow.care.save(ws, care)
            conn = uow.connection

            def build() -> TextualSelect:
                return text("SELECT * FROM cases WHERE workspace_id = :ws AND id >= :first").columns(
                    *s.cases.c
                )

            params = {"ws": ws, "first": case_id}
            expected = [tuple(r) for r in conn.execute(build(), params)]
            got = fetch(conn, "test:cases", build, params)
            assert [tuple(r) for r in got] == expected
            assert got[0].opened_at == T0 and got[0].opened_at.tzinfo is UTC and got[0].tags == ["vip"]
            assert fetch(conn, "test:cases", build, {"ws": ws, "first": case_id + 1}) == []
    finally:
        engine.dispose()


HANDLE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "workspace_id": st.integers(1, 5),
    "contact_id": st.integers(1, 10**6),
    "channel": st.sampled_from(["x", "mastodon"]),
    "external_id": st.text(max_size=12),
    "handle": st.text(max_size=12),
}
handle_rows = st.fixed_dictionaries(
    HANDLE_FIELDS,
    # Columns with defaults, left out (the converted default stands in) or given.
    optional={
        "verified": st.booleans(),
        "name": st.text(max_size=6),
        "followers": st.none() | st.integers(0, 9),
    },
)


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@given(rows=st.lists(handle_rows, max_size=4))
def test_generated_converter_fills_defaults_as_the_processors_would(
    dialect: Dialect, rows: list[dict[str, Any]]
) -> None:
    prepared = insert_statement(dialect, s.contact_handles, list(HANDLE_FIELDS))
    expected = reference_values(prepared.keys, prepared.processors, prepared.defaults, rows)
    assert _comparable(prepared.values(rows)) == _comparable(expected)
    assert {"verified", "name"} <= set(prepared.defaults)


@given(value=aware)
def test_utc_datetime_reads_back_as_sqlalchemy_reads_it(value: datetime) -> None:
    """SQLite's short read path (fromisoformat) against TypeDecorator's composed one, on the text the
    type stores; odd texts (no microseconds, a 'T', junk) take the composed path."""
    dialect = DIALECTS[0]
    impl = UTCDateTime().dialect_impl(dialect)
    store = impl.bind_processor(dialect)
    fast = impl.result_processor(dialect, None)
    reference = TypeDecorator.result_processor(impl, dialect, None)
    assert store is not None and fast is not None and reference is not None
    stored = store(value)
    assert fast(stored) == reference(stored) == value
    assert fast(stored).tzinfo is UTC
    for odd in (stored[:19], stored.replace(" ", "T"), None):
        assert fast(odd) == reference(odd)
    with pytest.raises(ValueError, match=r"month must be in 1\.\.12"):
        fast("2026-13-45 99:00:00.000000")  # refused as SQLAlchemy refuses it
