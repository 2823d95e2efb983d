"""Conversation counters match a recount of their messages: whatever the batch boundaries, and with two
ingest workers on PostgreSQL adding to the same conversations at once (separate connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.demo.traffic import BRANDS, generate_posts
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import post_from_dict
from socialdesk.ports.uow import UnitOfWork
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]


def _setup(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
        uow.commit()
    return ws.id


def _miscounted(uow_factory: Factory, ws: int) -> dict[int, tuple[int, int]]:
    """Each conversation whose message_count differs from its messages: (counter, recount)."""
    with uow_factory() as uow:
        messages = uow.messages.recent(ws, 1_000_000)
        recount: dict[int, int] = {}
        for m in messages:
            if m.conversation_id is not None:
                recount[m.conversation_id] = recount.get(m.conversation_id, 0) + 1
        convs = uow.conversations.get_many(ws, recount)
        return {
            cid: (c.message_count, recount.get(cid, 0))
            for cid, c in convs.items()
            if c.message_count != recount.get(cid, 0)
        }


def _traffic() -> list[Post]:
    posts = [p for p in (post_from_dict(d) for d in generate_posts(400, seed=5)) if isinstance(p, Post)]
    # Customers answering a brand announcement stored on its own (brought into their conversation).
    announcement = post("New plans from today!", id="ann", author="AcmeCares")
    return [announcement, *posts, post("is it cheaper?", id="q1", reply_to="ann", minutes=30)]


@pytest.mark.parametrize("size", [1, 7, 10_000])
def test_counts_do_not_depend_on_where_batches_end(uow_factory: Factory, size: int) -> None:
    ws = _setup(uow_factory)
    with uow_factory() as uow:
        check_add_brand_account(uow, ws, "x", "AcmeCares")
        uow.commit()
    posts = _traffic()
    for start in range(0, len(posts), size):
        with uow_factory() as uow:
            do_ingest_posts(uow, ws, posts[start : start + size], T0)
            uow.commit()
    assert _miscounted(uow_factory, ws) == {}


ROOTS, ROUNDS = 40, 12


@pytest.mark.postgres
def test_two_workers_adding_to_the_same_conversations_lose_no_count(postgres_url: str) -> None:
    engines = [make_engine(postgres_url) for _ in range(2)]
    factories = [lambda e=e: SqlUnitOfWork(e, RecordingBus()) for e in engines]  # type: ignore[misc]
    ws = _setup(factories[0])
    roots = [post(f"my router {i} is dead", id=f"r{i}", author=f"c{i}") for i in range(ROOTS)]
    with factories[0]() as uow:
        do_ingest_posts(uow, ws, roots, T0)
        uow.commit()
    # Each round, both workers add a reply to every conversation at the same moment.
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for r in range(ROUNDS):
                replies = [
                    post(
                        f"still dead {n} {r}",
                        id=f"w{n}-{r}-{i}",
                        author=f"c{i}",
                        reply_to=f"r{i}",
                        minutes=1 + r,
                    )
                    for i in range(ROOTS)
                ]
                barrier.wait(30)
                with factories[n]() as uow:
                    do_ingest_posts(uow, ws, replies, T0)
                    uow.commit()
        except BaseException as exc:  # noqa: BLE001 (re-raised by the test's thread below)
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    assert _miscounted(factories[0], ws) == {}
    with engines[0].connect() as conn:
        total = conn.execute(text("SELECT sum(message_count) FROM conversations")).scalar()
    assert total == ROOTS * (1 + 2 * ROUNDS)
    for e in engines:
        e.dispose()
