"""The ingest stage in scale-out mode: pull posts from JetStream, store them, commit, then ack.

The same `do_ingest_posts` as the embedded mode does the work. A message is acknowledged only after
its effects are committed; a redelivered message is harmless (posts are unique by channel and id).
A message that keeps failing goes to the dead-letter stream after MAX_DELIVER attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig

from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.inbox.ingest_threads import do_rejoin_threads
from socialdesk.bus.nats_bus import ConnectionLog, connect
from socialdesk.bus.streams import (
    DEAD_SUBJECT,
    POSTS_STREAM,
    POSTS_SUBJECT,
    dead_post_subject,
    ensure_streams,
)
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.runtime import Runtime

log = logging.getLogger(__name__)
MAX_DELIVER = 5
REJOIN_TRIES = 3  # tries of the after-commit join of split threads before the batch is left unacked
DURABLE = "ingest"


@dataclass
class StageStats:
    batches: int = 0
    acked: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def _workspace_of(subject: str) -> int:
    return int(subject.rsplit(".", 1)[1])


def _parse(msg: Msg) -> Post | str:
    try:
        post = post_from_dict(json.loads(msg.data), 0)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"not JSON: {exc}"
    return str(post) if isinstance(post, PostError) else post


def store(runtime: Runtime, workspace_id: int, posts: list[Post]) -> None:
    """One transaction for one workspace's posts of a batch; then, in a second, the threads another
    worker split by storing a reply and its parent at the same moment are joined again.

    The join runs for every post of the batch, stored now or before: a batch redelivered because its
    worker died between the two transactions finds its posts stored and still joins their threads.
    A join that keeps failing (two workers merging the same threads can deadlock) raises after
    REJOIN_TRIES, so the batch is not acked: its redelivery tries the join again."""
    with runtime.uow() as uow:
        do_ingest_posts(uow, workspace_id, posts, runtime.clock.now(), runtime.annotator)
    for attempt in range(1, REJOIN_TRIES + 1):
        try:
            with runtime.uow() as uow:
                do_rejoin_threads(uow, workspace_id, posts, runtime.clock.now())
            return
        except Exception:
            if attempt == REJOIN_TRIES:
                raise
            log.debug("joining split threads failed (try %d); trying again", attempt, exc_info=True)


def _dead_subject(msg: Msg) -> str:
    """The post's own dead-letter subject (GET /api/v1/posts/{channel}/{id} looks it up), or the
    stage's when the message names no post."""
    try:
        data = json.loads(msg.data)
        channel, external_id = data["channel"], data["id"]
        if isinstance(channel, str) and isinstance(external_id, str):
            return dead_post_subject(_workspace_of(msg.subject), channel, external_id)
    except (ValueError, TypeError, KeyError, RecursionError):
        pass
    return f"{DEAD_SUBJECT}.ingest"


async def _dead(msg: Msg, reason: str, stats: StageStats) -> None:
    js = msg._client.jetstream()  # noqa: SLF001 (nats-py keeps the delivering connection private)
    attempts = str(msg.metadata.num_delivered) if msg.metadata else "?"
    await js.publish(
        _dead_subject(msg),
        msg.data,
        headers={"Sd-Error": reason[:500], "Sd-Attempts": attempts, "Sd-Subject": msg.subject},
    )
    await msg.term()
    stats.dead += 1


async def handle_batch(runtime: Runtime, msgs: list[Msg], stats: StageStats) -> None:
    stats.batches += 1
    by_workspace: dict[int, list[tuple[Msg, Post]]] = defaultdict(list)
    # Validation is CPU work (JSON Schema): off the event loop, which keeps fetching and acking.
    posts = await asyncio.to_thread(lambda: [_parse(msg) for msg in msgs])
    for msg, parsed in zip(msgs, posts, strict=True):
        if isinstance(parsed, str):
            await _dead(msg, parsed, stats)  # a malformed post never gets better
        else:
            by_workspace[_workspace_of(msg.subject)].append((msg, parsed))
    for workspace_id, items in by_workspace.items():
        try:
            await asyncio.to_thread(store, runtime, workspace_id, [p for _, p in items])
        except Exception as exc:
            if not runtime.database_away(exc):
                log.warning("ingest batch of %d failed (%s); storing one by one", len(items), exc)
                await _one_by_one(runtime, workspace_id, items, stats)
                continue
            # The database is away: leave the messages for redelivery and slow down.
            stats.errors.append(str(exc)[:200])
            for msg, _ in items:
                await msg.nak(delay=1.0)
                stats.retried += 1
            raise
        for msg, _ in items:
            await msg.ack()
            stats.acked += 1


class BatchFailures:
    """Logs failing batches once per change of state, not once per retry: the first failure of a
    kind (database away, NATS away, anything else) is one line; repeats are debug lines; the first
    batch stored after failures says so."""

    def __init__(self, database_away: Callable[[BaseException], bool]) -> None:
        self.database_away = database_away
        self.kind: str | None = None

    def failed(self, exc: BaseException, backoff: float, *, nats_down: bool) -> None:
        kind = "database" if self.database_away(exc) else "nats" if nats_down else type(exc).__name__
        if kind == self.kind:
            log.debug("ingest batch failed again (%s); retrying after %.1f s", kind, backoff)
            return
        self.kind = kind
        if kind == "database":
            first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
            log.warning("ingest: database unreachable (%s): retrying", first_line[:200])
        elif kind == "nats":
            log.warning("ingest: batch left for redelivery while NATS is unreachable: retrying")
        else:  # unexpected: keep the traceback, once
            log.warning("ingest batch failed; retrying after %.1f s", backoff, exc_info=exc)

    def cleared(self) -> None:
        if self.kind is not None:
            log.warning("ingest: batches stored again (after %s failures)", self.kind)
            self.kind = None


async def _one_by_one(
    runtime: Runtime, workspace_id: int, items: list[tuple[Msg, Post]], stats: StageStats
) -> None:
    """A batch failed for a reason other than the database being away: find the poison message."""
    for msg, post in items:
        try:
            await asyncio.to_thread(store, runtime, workspace_id, [post])
        except Exception as exc:  # noqa: BLE001 (retried, then dead-lettered with the reason)
            if runtime.database_away(exc):
                await msg.nak(delay=1.0)
                stats.retried += 1
                continue
            delivered = msg.metadata.num_delivered if msg.metadata else MAX_DELIVER
            if delivered >= MAX_DELIVER:
                await _dead(msg, f"{type(exc).__name__}: {exc}", stats)
            else:
                await msg.nak(delay=0.5 * delivered)
                stats.retried += 1
            continue
        await msg.ack()
        stats.acked += 1


async def run_ingest_stage(
    runtime: Runtime,
    url: str,
    stop: asyncio.Event,
    *,
    batch: int = 500,
    concurrency: int = 1,
    stats: StageStats | None = None,
) -> StageStats:
    """Consume until `stop` is set. Reconnects to NATS by itself; waits out a database that is away."""
    stats = stats or StageStats()
    state = ConnectionLog(url, "ingest stage")
    nc = await connect(url, "socialdesk-ingest", state)
    js = nc.jetstream()
    await ensure_streams(js)
    config = ConsumerConfig(
        durable_name=DURABLE,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=60,
        max_ack_pending=batch * 4 * concurrency,  # bounds what is in flight: back-pressure, not buffering
    )
    sub = await js.pull_subscribe(f"{POSTS_SUBJECT}.>", durable=DURABLE, stream=POSTS_STREAM, config=config)
    failing = BatchFailures(runtime.database_away)

    async def loop() -> None:
        backoff = 0.1
        while not stop.is_set():
            try:
                msgs = await sub.fetch(batch, timeout=1.0)
            except (TimeoutError, NatsTimeout):
                continue
            except Exception as exc:  # noqa: BLE001 (NATS away: the client reconnects and logs it; try again)
                stats.errors.append(str(exc)[:200])
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            try:
                await handle_batch(runtime, msgs, stats)
                backoff = 0.1
                failing.cleared()
            except Exception as exc:  # noqa: BLE001 (logged once per kind by BatchFailures; retried)
                failing.failed(exc, backoff, nats_down=state.down)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    try:
        await asyncio.gather(*(loop() for _ in range(concurrency)))
    finally:
        # Everything processed is acked; whatever was fetched and not finished is redelivered.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(nc.close(), 5)
    return stats
