"""Several batches stored as one (the ingest queue's group commit), each with its own report; triage
computed ahead is used as given."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator, ahead_of, triage_request
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_batches, do_ingest_posts
from socialdesk.domain.post import Post
from socialdesk.ports.uow import UnitOfWork
from socialdesk.triage import Triager, TriageResult
from tests.conftest import T0
from tests.factories import post
from tests.support.sqlite_copies import SqliteStore, SqliteStores

Factory = Callable[[], UnitOfWork]


def _workspace(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "@AcmeCares")
        uow.commit()
    return ws.id


def _counts(report: IngestReport) -> tuple[int, int, int, int, int, int]:
    r = report
    return (r.received, r.added, r.duplicates, r.conversations_created, r.cases_opened, r.listening_only)


def test_each_batch_gets_its_own_report(uow_factory: Factory) -> None:
    ws = _workspace(uow_factory)
    first = [post("my router is dead", id="1", author="ann"), post("no signal", id="2", author="bo")]
    second = [
        post("no signal", id="2", author="bo"),  # also in the first batch: a duplicate here
        post("still dead", id="3", author="ann", reply_to="1", minutes=2),  # joins ann's conversation
        post("Sorry! DM us", id="4", author="AcmeCares", reply_to="2", minutes=3),  # the brand's answer
        post("bill is wrong", id="5", author="cy", minutes=1),  # opens a third conversation
    ]
    with uow_factory() as uow:
        a, b = do_ingest_batches(uow, ws, [first, second], T0)
        uow.commit()
        conv = uow.messages.find_by_keys(ws, [("x", str(i)) for i in range(1, 6)])
    assert _counts(a) == (2, 2, 0, 2, 2, 0)
    assert _counts(b) == (4, 3, 1, 1, 1, 0)
    assert conv[("x", "3")].conversation_id == conv[("x", "1")].conversation_id
    assert conv[("x", "4")].conversation_id == conv[("x", "2")].conversation_id
    assert a.conversation_ids == {conv[("x", "1")].conversation_id, conv[("x", "2")].conversation_id}
    assert b.conversation_ids == {
        conv[("x", k)].conversation_id for k in ("3", "4", "5")
    }  # the duplicate of post 2 names no conversation of its own


def test_a_batch_of_nothing_new(uow_factory: Factory) -> None:
    ws = _workspace(uow_factory)
    posts = [post(id="1"), post(id="2", author="dan")]
    with uow_factory() as uow:
        do_ingest_posts(uow, ws, posts, T0)
        uow.commit()
    with uow_factory() as uow:
        reports = do_ingest_batches(uow, ws, [posts, posts[:1]], T0)
    assert [_counts(r) for r in reports] == [(2, 0, 2, 0, 0, 0), (1, 0, 1, 0, 0, 0)]


# Posts drawn from a small pool of ids, so batches overlap; replies point at earlier ids, some of them
# in later batches (a reply that arrives before its parent).
_posts = st.lists(
    st.tuples(
        st.integers(0, 11),  # id
        st.sampled_from(["ann", "bo", "cy", "AcmeCares"]),
        st.one_of(st.none(), st.integers(0, 11)),  # in reply to
        st.integers(0, 30),  # minutes
    ),
    max_size=8,
)


def _build(spec: list[tuple[int, str, int | None, int]]) -> list[Post]:
    return [
        post(f"text of {i}", id=str(i), author=a, reply_to=None if r is None or r == i else str(r), minutes=m)
        for i, a, r, m in spec
    ]


@pytest.fixture(scope="module")
def shared_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    """One database with the workspace for every example of the property below; each example works in
    units of work it never commits, so each starts from the same rows (and the same next ids)."""
    stores = SqliteStores(sqlite_template, tmp_path_factory.mktemp("batches"))
    store = stores.new()
    _workspace(store.unit_of_work)
    yield store
    stores.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(_posts, min_size=1, max_size=4))
def test_split_reports_add_up_to_the_whole(
    shared_database: SqliteStore, batches_spec: list[list[tuple[int, str, int | None, int]]]
) -> None:
    """Against one call on all the posts together: the same rows, and reports that add up to its
    report; each batch's added + duplicates is what it received, and a post counts as added in the
    first batch that holds it."""
    batches = [_build(spec) for spec in batches_spec]
    with shared_database.unit_of_work() as uow:
        [ws] = [w.id for w in uow.workspaces.list()]
        reports = do_ingest_batches(uow, ws, batches, T0)
        stored = (uow.messages.count(ws), uow.conversations.count(ws))
        uow.rollback()  # never committed: the next run and the next example start from the same rows
    with shared_database.unit_of_work() as uow:
        assert uow.messages.count(ws) == 0
        total = do_ingest_posts(uow, ws, [p for b in batches for p in b], T0)
        assert stored == (uow.messages.count(ws), uow.conversations.count(ws))
        uow.rollback()
    summed = IngestReport()
    for report in reports:
        summed.merge(report)
    assert _counts(summed) == _counts(total)
    assert summed.conversation_ids == total.conversation_ids
    seen: set[tuple[str, str]] = set()
    for batch, report in zip(batches, reports, strict=True):
        assert report.added + report.duplicates == report.received == len(batch)
        firsts = {p.key for p in batch} - seen
        assert report.added == len(firsts)
        seen |= firsts


class _CountingTriager(Triager):
    def __init__(self) -> None:
        super().__init__()
        self.triaged: list[str] = []

    def triage_many(self, items: Any) -> Any:
        items = list(items)
        self.triaged += [i.text for i in items]
        return super().triage_many(items)


def test_triage_given_ahead_is_used_and_only_the_rest_is_triaged(uow_factory: Factory) -> None:
    ws = _workspace(uow_factory)
    triager = _CountingTriager()
    annotator = Annotator(triager)
    first = post("my bill doubled, explain", id="1")
    rest = post("where is my parcel?", id="2", author="dan")
    given_triage = TriageResult(True, "question", "neutral", 0.0, "en", 7, (), ("from ahead",))
    with uow_factory() as uow:
        do_ingest_posts(
            uow, ws, [first, rest], T0, annotator, ahead={first.key: ahead_of(first, given_triage)}
        )
        uow.commit()
        refs = uow.messages.find_by_keys(ws, [first.key, rest.key])
        stored_first = uow.messages.get(ws, refs[first.key].id)
        stored_rest = uow.messages.get(ws, refs[rest.key].id)
    assert triager.triaged == [rest.text]
    assert stored_first is not None and stored_first.triage == given_triage.to_dict()
    assert (
        stored_rest is not None
        and stored_rest.triage == Triager().triage_many([triage_request(rest)])[0].to_dict()
    )


def test_what_is_computed_ahead_is_stored_exactly_as_without_it(sqlite_stores: SqliteStores) -> None:
    """On SQLite the triage's JSON text from ahead goes in as it is: the stored text, the dedupe key and
    every other column equal what the writer stores computing them itself (None triage included)."""
    triager = Triager()
    posts = [
        post("my bill doubled, explain ü", id="1"),
        post("where is my parcel?", id="2", author="dan"),
        post("my bill doubled, explain ü", id="3", minutes=1),  # a repeat: found by its dedupe key
    ]
    dumps = []
    for use_ahead in (False, True):
        store = sqlite_stores.new()
        engine, factory = store.engine, store.unit_of_work
        ws = _workspace(factory)
        annotator = Annotator(triager)
        triages = annotator._triage(posts)
        ahead = {p.key: ahead_of(p, t) for p, t in zip(posts, triages, strict=True)} if use_ahead else None
        with factory() as uow:
            do_ingest_posts(uow, ws, posts, T0, annotator, ahead=ahead)
            do_ingest_posts(uow, ws, [post("no triage here", id="4", author="eve")], T0)
            uow.commit()
        with engine.connect() as conn:
            dumps.append(conn.exec_driver_sql("SELECT * FROM messages ORDER BY id").fetchall())
            triage_texts: dict[str, str] = dict(
                conn.exec_driver_sql("SELECT external_id, triage FROM messages").fetchall()
            )
            conversations = conn.exec_driver_sql("SELECT count(*) FROM conversations").scalar_one()
        assert triage_texts["4"] == "null"  # no triage: JSON null, as SQLAlchemy's JSON type stores None
        first = triages[0]
        assert first is not None and triage_texts["1"] == json.dumps(first.to_dict())
        assert conversations == 3  # the repeat joined its twin's conversation
    assert dumps[0] == dumps[1]
