"""A reply and its parent stored at the same moment by two ingest workers each start a thread (neither
sees the other's uncommitted post); the join after commit (`store`'s second transaction) mends it.
When that join fails (two workers merging the same threads can deadlock), the batch must not be
acked as if all were well: `store` raises, the message is redelivered, and the redelivered batch,
its posts already stored, joins the threads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.inbox.ingest_threads import do_rejoin_threads
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.post import Post
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.workers import ingest_stage
from socialdesk.workers.ingest_stage import REJOIN_TRIES, store
from tests.conftest import T0
from tests.factories import post

pytestmark = pytest.mark.postgres
ROOT = post("my router is dead", id="G")
MIDDLE = post("still dead", id="P", reply_to="G", minutes=1)
CHILD = post("hello??", id="C", reply_to="P", minutes=2)


@pytest.fixture
def runtime(postgres_url: str) -> Iterator[Runtime]:
    rt = Runtime(
        settings=Settings(database_url=postgres_url, triage=False),
        engine=make_engine(postgres_url),
        bus=RecordingBus(),
        clock=FixedClock(T0),
    )
    yield rt
    rt.close()


def _split_threads(runtime: Runtime) -> int:
    with runtime.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM messages m JOIN messages p ON p.channel = m.channel"
                    " AND p.external_id = m.in_reply_to"
                    " WHERE m.conversation_id IS DISTINCT FROM p.conversation_id"
                )
            ).scalar_one()
        )


def _store_at_once(runtime: Runtime, ws: int, one: Post = CHILD, other: Post = MIDDLE) -> None:
    """What two workers do at the same moment: each stores its post without seeing the other's."""
    with runtime.uow() as first, runtime.uow() as second:
        do_ingest_posts(first, ws, [one], T0)
        do_ingest_posts(second, ws, [other], T0)
        first.commit()
        second.commit()


def _workspace(runtime: Runtime) -> int:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme").id
        check_add_brand_account(uow, ws, "x", "@AcmeCares")
        uow.commit()
    return ws


def _messages(runtime: Runtime) -> list[tuple[str, int | None]]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, conversation_id FROM messages ORDER BY external_id"))
        return [(str(r[0]), r[1]) for r in rows]


def test_a_brand_reply_stored_while_its_post_was_joins_the_thread(runtime: Runtime) -> None:
    """The brand's reply stored in one worker while the post it answers was stored in another: the
    reply saw no post (so it joined nothing) and the post saw no reply (so it adopted none)."""
    ws = _workspace(runtime)
    question = post("is the app down?", id="Q")
    answer = post("Looking into it", id="A", author="AcmeCares", reply_to="Q", minutes=1)
    _store_at_once(runtime, ws, answer, question)
    assert _split_threads(runtime) == 1  # the answer is in no conversation, its post in one
    store(runtime, ws, [answer])  # the join after commit (or the batch's redelivery)
    assert _split_threads(runtime) == 0
    [(_, conversation), (_, same)] = _messages(runtime)
    assert conversation is not None and conversation == same
    with runtime.uow() as uow:
        conv = uow.conversations.get(ws, conversation)
    assert conv is not None and conv.message_count == 2 and conv.waiting_since is None


def test_a_post_stored_while_a_reply_to_it_opened_a_thread_joins_it(runtime: Runtime) -> None:
    ws = _workspace(runtime)
    announcement = post("New plans from Monday", id="N", author="AcmeCares")
    reply = post("@AcmeCares what about mine?", id="R", reply_to="N", minutes=1)
    _store_at_once(runtime, ws, announcement, reply)
    assert _split_threads(runtime) == 1  # the reply opened a thread, the announcement is in none
    store(runtime, ws, [reply])
    assert _split_threads(runtime) == 0


def test_a_brand_reply_committed_after_its_answer_was_joined_ends_in_the_answer_thread(
    runtime: Runtime,
) -> None:
    """What the kill test found at 50,000 posts. The customer's post is in a killed worker's batch
    (redelivered last); the brand's reply to it and the customer's answer to that reply are stored
    side by side by two workers. The answer sees no reply, so it opens a thread; its join runs before
    the reply is committed, and the reply, whose post is unknown, is left in no conversation. The
    reply's own join must bring it into its answer's thread: else the customer's post, arriving
    last, takes the reply into a new thread of its own and the answer stays split from it."""
    ws = _workspace(runtime)
    question = post("is the app down?", id="Q")
    answer = post("Looking into it, DM us", id="A", author="AcmeCares", reply_to="Q", minutes=20)
    again = post("still down", id="F", reply_to="A", minutes=22)
    with runtime.uow() as first, runtime.uow() as second:
        do_ingest_posts(first, ws, [answer], T0)
        do_ingest_posts(second, ws, [again], T0)
        second.commit()
        with runtime.uow() as join:  # the answer's worker joins its threads: the reply is not committed
            do_rejoin_threads(join, ws, [again], T0)
            join.commit()
        first.commit()
    with runtime.uow() as join:  # the reply's worker joins its threads
        do_rejoin_threads(join, ws, [answer], T0)
        join.commit()
    store(runtime, ws, [question])  # the killed worker's batch, redelivered
    assert _split_threads(runtime) == 0
    conversations = {conversation for _, conversation in _messages(runtime)}
    assert len(conversations) == 1 and None not in conversations
    [conversation] = conversations
    with runtime.uow() as uow:
        conv = uow.conversations.get(ws, conversation)
        cases = uow.cases.list_for_conversation(ws, conversation)
    assert conv is not None and conv.message_count == 3 and len(cases) == 1


def test_a_failed_join_leaves_the_batch_unacked_and_its_redelivery_mends_the_thread(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(runtime)
    store(runtime, ws, [ROOT])
    _store_at_once(runtime, ws)
    assert _split_threads(runtime) == 1  # the fault: the reply is in a thread apart from its parent

    tries: list[int] = []

    def deadlocked(*args: object) -> int:
        tries.append(1)
        raise OperationalError("UPDATE messages ...", {}, Exception("deadlock detected"))

    monkeypatch.setattr(ingest_stage, "do_rejoin_threads", deadlocked)
    with pytest.raises(OperationalError):  # not acked: the stage naks it for redelivery
        store(runtime, ws, [CHILD])
    assert len(tries) == REJOIN_TRIES
    assert _split_threads(runtime) == 1

    monkeypatch.undo()
    store(runtime, ws, [CHILD])  # the redelivery: the post is stored already, the join runs again
    assert _split_threads(runtime) == 0
