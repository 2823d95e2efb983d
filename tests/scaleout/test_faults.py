"""Fault tests for scale-out mode, bounded in time: a worker killed with SIGKILL mid-stream, NATS and
PostgreSQL restarted under load, a poison message, a slow consumer. Nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import nats
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.bus.nats_server import LocalNats
from socialdesk.bus.streams import POSTS_STREAM
from socialdesk.config import Settings
from socialdesk.demo.traffic import BRANDS, generate_posts
from socialdesk.domain.noise import is_spam
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.storage.embedded_pg import embedded_postgres_server
from socialdesk.storage.migrate import upgrade
from socialdesk.web.app import create_app
from socialdesk.workers import ingest_stage
from socialdesk.workers.ingest_stage import DURABLE
from tests.scaleout.conftest import StageThread, wait_until
from tests.support.waiting import PATIENCE

FAULT_POSTS = int(os.environ.get("SOCIALDESK_FAULT_POSTS", "50000"))


def _workspace(runtime: Runtime) -> int:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
        uow.commit()
    return ws.id


def _count(runtime: Runtime, ws: int) -> int:
    with runtime.uow() as uow:
        return uow.messages.count(ws)


def _integrity(runtime: Runtime, ws: int) -> dict[str, int]:
    """Facts that must hold after any crash: every reply is in its parent's conversation (both in
    the same one, or both in none: a reply in a thread apart from its parent, or threaded while its
    parent is left in none, is a split thread), and every conversation with a customer message has
    exactly one case."""
    with runtime.engine.connect() as conn:
        split_threads = conn.execute(
            text(
                "SELECT count(*) FROM messages m JOIN messages p ON p.workspace_id = m.workspace_id"
                " AND p.channel = m.channel AND p.external_id = m.in_reply_to"
                " WHERE m.workspace_id = :ws AND m.conversation_id IS DISTINCT FROM p.conversation_id"
            ),
            {"ws": ws},
        ).scalar_one()
        case_counts = conn.execute(
            text(
                "SELECT c.id, (SELECT count(*) FROM cases k WHERE k.conversation_id = c.id)"
                " FROM conversations c WHERE c.workspace_id = :ws AND EXISTS"
                " (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound')"
            ),
            {"ws": ws},
        ).all()
        duplicates = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT channel, external_id FROM messages WHERE workspace_id = :ws "
                "GROUP BY channel, external_id HAVING count(*) > 1) d"
            ),
            {"ws": ws},
        ).scalar_one()
    return {
        "split_threads": int(split_threads),
        "conversations_without_one_case": sum(1 for _, n in case_counts if n != 1),
        "duplicate_posts": int(duplicates),
    }


def _split_rows(runtime: Runtime, ws: int) -> list[dict[str, Any]]:
    """The replies in a conversation other than their parent's, each with its parent: printed when
    the integrity check fails, so the post pattern that ended split is visible."""
    with runtime.uow() as uow:
        spam_rules = uow.rules.spam_rules(ws)
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.external_id, m.direction, m.conversation_id, m.author_handle, m.created_at,"
                " m.is_repost, p.external_id, p.direction, p.conversation_id, p.author_handle,"
                " p.created_at, p.is_repost, p.text, p.in_reply_to"
                " FROM messages m JOIN messages p ON p.workspace_id = m.workspace_id"
                " AND p.channel = m.channel AND p.external_id = m.in_reply_to"
                " WHERE m.workspace_id = :ws AND m.conversation_id IS DISTINCT FROM p.conversation_id"
                " ORDER BY m.created_at LIMIT 20"
            ),
            {"ws": ws},
        ).all()
    return [
        {
            "reply": {"id": r[0], "direction": r[1], "conversation": r[2], "author": r[3], "at": str(r[4])},
            "parent": {
                "id": r[6],
                "direction": r[7],
                "conversation": r[8],
                "author": r[9],
                "at": str(r[10]),
                "repost": r[11],
                "spam": is_spam(spam_rules, r[12], r[9]) is not None,
                "in_reply_to": r[13],
            },
        }
        for r in rows
    ]


def _consumer_pending(url: str) -> tuple[int, int]:
    async def read() -> tuple[int, int]:
        nc = await nats.connect(url)
        info = await nc.jetstream().consumer_info(POSTS_STREAM, DURABLE)
        await nc.close()
        return info.num_pending, info.num_ack_pending

    return asyncio.run(read())


def _worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SOCIALDESK_DATABASE_URL": settings.database_url,
        "SOCIALDESK_NATS_URL": settings.nats_url or "",
        "SOCIALDESK_TRIAGE": "false",
    }
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "worker", "--stage", "ingest", "--batch", "500"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_worker_killed_mid_stream_loses_and_duplicates_nothing(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
) -> None:
    """Two ingest workers store the stream side by side (a reply and its parent can be in two
    batches in flight at once); one is killed with SIGKILL mid-stream and a new one takes its place.
    Nothing is lost or stored twice, and no thread is split: every reply ends in its parent's
    conversation, whichever batch each was in and whatever order redelivery brought them in."""
    web, _ = scaleout
    ws = _workspace(web)
    posts = list(generate_posts(FAULT_POSTS, seed=44))
    assert web.nats is not None
    assert web.nats.publish_posts(ws, posts) == len(posts)
    first, other = _worker(web.settings), _worker(web.settings)
    started = [first, other]
    try:
        wait_until(lambda: _count(web, ws) >= FAULT_POSTS // 4, 600, "a quarter of the stream to be stored")
        first.send_signal(signal.SIGKILL)  # no goodbye: in-flight batches are neither acked nor finished
        first.wait(timeout=10)
        stored_at_kill = _count(web, ws)
        assert stored_at_kill < FAULT_POSTS
        started.append(_worker(web.settings))
        wait_until(lambda: _count(web, ws) == FAULT_POSTS, 900, "every post to be stored after the restart")
        wait_until(
            lambda: _consumer_pending(web.settings.nats_url or "") == (0, 0), 120, "the stream to drain"
        )
    finally:
        for worker in started[1:]:
            worker.terminate()
        for worker in started:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=20)
    assert _count(web, ws) == FAULT_POSTS
    integrity = _integrity(web, ws)
    assert integrity == {
        "split_threads": 0,
        "conversations_without_one_case": 0,
        "duplicate_posts": 0,
    }, f"{integrity}; split replies and their parents: {_split_rows(web, ws)}"


@pytest.mark.slow
def test_nats_and_postgres_restarts_under_load_lose_nothing() -> None:
    nats_server = LocalNats().start()
    try:
        with embedded_postgres_server() as pg:
            upgrade(pg.url)
            settings = Settings(database_url=pg.url, nats_url=nats_server.url, triage=False)
            web = build_runtime(settings, migrate=False)
            ws = _workspace(web)
            posts = list(generate_posts(4000, seed=45))
            assert web.nats is not None
            web.nats.publish_posts(ws, posts)
            stage = StageThread(build_runtime(settings, migrate=False), nats_server.url, batch=100).start()
            try:
                wait_until(lambda: _count(web, ws) >= 500, 120, "the stage to be under way")
                nats_server.restart()  # same port and data folder: JetStream keeps the stream on disk
                wait_until(lambda: _count(web, ws) >= 1500, 180, "progress after the NATS restart")
                pg.restart()
                wait_until(
                    lambda: _count(web, ws) == len(posts), 300, "every post after the PostgreSQL restart"
                )
            finally:
                stage.stop()
                stage.runtime.close()
            assert _integrity(web, ws)["duplicate_posts"] == 0
            web.close()
    finally:
        nats_server.cleanup()


def test_poison_message_goes_to_dead_letters_and_blocks_nothing(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
) -> None:
    web, stage = scaleout
    ws = _workspace(web)
    with web.uow() as uow:
        admin = check_create_user(uow, ws, "root@acme.io", "Root", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, admin, "t", web.clock.now())
        uow.commit()
    good = list(generate_posts(200, seed=46))
    poison = {**good[0], "id": "poison-1", "text": "PostgreSQL cannot store this \x00 byte"}
    assert web.nats is not None
    web.nats.publish_posts(ws, [*good[:100], poison, *good[100:]])
    stage(batch=50)
    wait_until(lambda: _count(web, ws) == len(good), 60, "every good post despite the poison one")
    wait_until(lambda: len(web.nats.dead_letters()) == 1, 60, "the poison message in the dead-letter stream")
    [dead] = web.nats.dead_letters()
    assert "NUL" in dead["error"] or "0x00" in dead["error"]
    # A NUL is refused when the post is validated (as on SQLite), so the message is dead-lettered on
    # its first delivery with the reason, instead of failing its batch's write MAX_DELIVER times.
    assert dead["attempts"] == "1"
    with TestClient(create_app(web), base_url="https://testserver") as client:
        page = client.get("/api/v1/admin/dead-letters", headers={"Authorization": f"Bearer {token}"}).json()
    assert [item["error"] for item in page["items"]] == [dead["error"]]


def test_slow_consumer_keeps_bounded_work_in_flight(
    scaleout: tuple[Runtime, Callable[..., StageThread]], monkeypatch: pytest.MonkeyPatch
) -> None:
    web, stage = scaleout
    ws = _workspace(web)
    real_store = ingest_stage.store

    def slow_store(*args: Any) -> None:
        time.sleep(0.2)  # not a wait: the slow consumer this test is about
        real_store(*args)

    monkeypatch.setattr(ingest_stage, "store", slow_store)
    assert web.nats is not None
    web.nats.publish_posts(ws, list(generate_posts(1500, seed=47)))
    s = stage(batch=10)
    wait_until(lambda: s.stats.batches > 0, 30, "the stage's first batch")
    limit = 10 * 4  # max_ack_pending = batch x 4 x concurrency
    peaks: list[int] = []

    def looked_long_enough() -> bool:
        pending, in_flight = _consumer_pending(web.settings.nats_url or "")
        peaks.append(in_flight)
        assert in_flight <= limit
        return pending == 0 or (len(peaks) >= 15 and max(peaks) > 0)

    wait_until(looked_long_enough, PATIENCE, "the consumer seen consuming, or the stream drained")
    assert max(peaks) > 0  # it was really consuming while we looked
    wait_until(lambda: s.stats.acked > 0, 30, "acks after commits")
