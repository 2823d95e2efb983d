"""Batches that commit out of order leave no empty "merged" conversation or case behind.

A reply stored before its parent starts a conversation of its own; when the parent arrives, that
orphan thread joins the parent's. Nobody acted on it: it is absorbed (deleted with its case). Someone
did (assigned it): it is merged visibly, its case closed as merged. With two writers on PostgreSQL
storing a child and its parent at the same moment, neither sees the other's post; the check after
commit (`do_rejoin_threads`, what each scale-out ingest worker runs) joins the split threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import text

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.config import Settings
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role
from socialdesk.domain.post import Post
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.workers.ingest_stage import store
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]
ROOT = post("my router is dead", id="G")
MIDDLE = post("still dead", id="P", reply_to="G", minutes=1)
CHILD = post("hello??", id="C", reply_to="P", minutes=2)


def _setup(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "@AcmeCares")
        uow.commit()
    return ws.id


def _ingest(uow_factory: Factory, ws: int, *batches: list[Post]) -> None:
    for batch in batches:
        with uow_factory() as uow:
            do_ingest_posts(uow, ws, batch, T0)
            uow.commit()


def _conversations(uow_factory: Factory, ws: int) -> list[tuple[int, list[str], list[str]]]:
    """Each conversation: its messages' ids and its cases' statuses."""
    with uow_factory() as uow:
        convs = uow.conversations.get_many(ws, range(1, 100))
        return [
            (
                c.message_count,
                [m.external_id or "" for m in uow.messages.list_for_conversation(ws, cid)],
                [k.status.value for k in uow.cases.list_for_conversation(ws, cid)],
            )
            for cid, c in sorted(convs.items())
        ]


def test_a_late_parent_absorbs_the_orphan_thread_nobody_touched(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [ROOT], [CHILD], [MIDDLE])
    assert _conversations(uow_factory, ws) == [(3, ["G", "P", "C"], ["new"])]


def test_sibling_replies_that_each_started_a_thread_all_join_their_late_parent(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    sibling = post("anyone??", id="C2", reply_to="P", minutes=3)
    _ingest(uow_factory, ws, [ROOT], [CHILD], [sibling], [MIDDLE])
    assert _conversations(uow_factory, ws) == [(4, ["G", "P", "C", "C2"], ["new"])]


def test_an_orphan_thread_someone_worked_on_is_merged_visibly(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [ROOT], [CHILD])
    with uow_factory() as uow:
        agent = check_create_user(uow, ws, "ann@acme.io", "Ann", "correct-horse-9", Role.AGENT)
        orphan = uow.messages.find_by_keys(ws, [("x", "C")])[("x", "C")].conversation_id
        assert orphan is not None
        case = uow.cases.current_for(ws, [orphan])[orphan]
        uow.cases.save_many([replace(case, assignee_id=agent.id, status=CaseStatus.OPEN)])
        uow.commit()
    _ingest(uow_factory, ws, [MIDDLE])
    found = _conversations(uow_factory, ws)
    assert found[0] == (3, ["G", "P", "C"], ["new"])
    assert found[1] == (0, [], ["closed"])  # kept: the agent's case says where it went


PAIRS = 30


@pytest.mark.postgres
def test_two_writers_storing_child_and_parent_at_once_leave_one_thread(postgres_url: str) -> None:
    runtimes = [
        Runtime(
            settings=Settings(database_url=postgres_url, triage=False),
            engine=make_engine(postgres_url),
            bus=RecordingBus(),
            clock=FixedClock(T0),
        )
        for _ in range(2)
    ]
    ws = _setup(runtimes[0].uow)
    roots = [post(f"router {i} dead", id=f"g{i}", author=f"c{i}") for i in range(PAIRS)]
    _ingest(runtimes[0].uow, ws, roots)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(PAIRS):
                middle = post("still dead", id=f"p{i}", author=f"c{i}", reply_to=f"g{i}", minutes=1)
                child = post("hello??", id=f"k{i}", author=f"c{i}", reply_to=f"p{i}", minutes=2)
                barrier.wait(30)  # the child and its parent are stored at the same moment
                store(runtimes[n], ws, [child] if n == 0 else [middle])
        except BaseException as exc:  # noqa: BLE001 (re-raised by the test's thread below)
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    with runtimes[0].engine.connect() as conn:
        split = conn.execute(
            text(
                "SELECT count(*) FROM messages m JOIN messages p ON p.channel = m.channel"
                " AND p.external_id = m.in_reply_to WHERE m.conversation_id <> p.conversation_id"
            )
        ).scalar_one()
        empty = conn.execute(
            text(
                "SELECT count(*) FROM conversations c"
                " WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)"
            )
        ).scalar_one()
        cases = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        convs = conn.execute(text("SELECT count(*) FROM conversations")).scalar_one()
    assert (split, empty, convs, cases) == (0, 0, PAIRS, PAIRS)
    for r in runtimes:
        r.close()


def test_a_brand_reply_answered_before_its_post_in_one_batch_stays_one_thread(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    answer = post("Sorry! DM us", id="R", author="AcmeCares", reply_to="P", minutes=-2)  # clocks differ
    thanks = post("thanks, done", id="F", reply_to="R", minutes=-1)
    _ingest(uow_factory, ws, [ROOT], [answer, thanks, MIDDLE])
    found = _conversations(uow_factory, ws)
    assert [ids for _, ids, _ in found if ids] == [["R", "F", "G", "P"]]
    assert all(count == len(ids) for count, ids, _ in found)


def test_a_repeated_reply_to_an_early_brand_reply_threads_with_it_not_with_the_repeat(
    uow_factory: Factory,
) -> None:
    """Found by kill -9 of a scale-out worker (redelivery reorders the stream): a customer's second
    "thanks" answers a brand reply stored before the post it answers; it used to fold into the
    customer's other conversation as a repeat, leaving it apart from its parent for good."""
    ws = _setup(uow_factory)
    first_root = post("site down", id="A1")
    first_answer = post("We're on it", id="A2", author="AcmeCares", reply_to="A1", minutes=1)
    first_thanks = post("fixed, thanks!", id="A3", reply_to="A2", minutes=2)
    root = post("site down again #outage", id="B1", minutes=3)
    answer = post("Still on it", id="B2", author="AcmeCares", reply_to="B1", minutes=4)
    thanks = post("fixed, thanks!", id="B3", reply_to="B2", minutes=5)
    _ingest(uow_factory, ws, [first_root, first_answer, first_thanks], [answer], [thanks], [root])
    found = _conversations(uow_factory, ws)
    assert sorted(ids for _, ids, _ in found if ids) == [["A1", "A2", "A3"], ["B1", "B2", "B3"]]
