"""Kill -9 the outbox relay mid-send, restart it, and count: nothing posted twice, nothing lost.

A real `socialdesk worker --stage deliver` process sends 300 queued Mastodon replies (some of them
two-part threads) to a fake network on 127.0.0.1 that records every status and ignores idempotency
keys. The test kills it with SIGKILL the moment the network has stored the k-th status (k random),
while that status's answer is still on its way (the fake answers late), restarts it and waits until
every item is sent or failed. SOCIALDESK_KILL_TRIALS sets the number of runs (default 3; 20 for the
reliability figures); SOCIALDESK_KILL_REPORT names a file that gets one JSON line per run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from socialdesk.actions.accounts import ensure_workspace
from socialdesk.actions.channels import check_add_channel_account
from socialdesk.actions.replies import queue_reply
from socialdesk.channels.crypto import new_key
from socialdesk.config import Settings
from socialdesk.domain.people import Role
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports import NewConversation, NewMessage
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.storage import schema as s
from tests.channels.mastodon.fake_network import FakeMastodonNetwork, fake_mastodon

REPLIES = 300
THREAD_EVERY = 15  # every 15th reply is a two-part thread: part 2 waits for part 1 and answers it
TRIALS = int(os.environ.get("SOCIALDESK_KILL_TRIALS", "3"))
LEASE_SECONDS = 2.0
KEY = new_key()


def _text(n: int, part: int = 0) -> str:
    return f"Reply {n}{'' if not part else f' part {part}'}: sorry about that, we're on it"


def _seed(runtime: Runtime, network: FakeMastodonNetwork) -> None:
    connector = runtime.channel_connector()
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        admin = uow.users.add(ws.id, "a@acme.io", "Ada", Role.ADMIN, "hash", "^A")
        now = runtime.clock.now()
        check_add_channel_account(
            uow, admin, "mastodon", "acme", {"instance_url": network.url}, {"token": "t"},
            connector.sealer(), now, urls=connector.url_policy,
        )  # fmt: skip
        queued = 0
        n = 0
        while queued < REPLIES:
            n += 1
            parts = 2 if n % THREAD_EVERY == 0 and queued + 2 <= REPLIES else 1
            [cid] = uow.conversations.add_many(
                ws.id,
                [NewConversation("mastodon", None, "s", now, now, now, 1, f"c{n}", "C", 1, "hi", 0)],
            )
            conv = uow.conversations.get(ws.id, cid)
            assert conv is not None
            previous: int | None = None
            for part in range(1, parts + 1):
                text = _text(n, part if parts > 1 else 0)
                message = NewMessage(
                    cid, "mastodon", None, Direction.OUTBOUND, Visibility.PUBLIC, text, now, "acme", "Acme",
                    in_reply_to=str(900_000 + n),
                )  # fmt: skip
                [mid] = uow.messages.add_many(ws.id, [message])
                stored = uow.messages.get(ws.id, mid)
                assert stored is not None
                queue_reply(uow, admin.id, conv, stored, now, thread_after=previous)
                previous = mid
                queued += 1
        uow.commit()


def _relay(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SOCIALDESK_DATABASE_URL": url,
        "SOCIALDESK_SECRET_KEY": KEY,
        "SOCIALDESK_ALLOW_PRIVATE_URLS": "true",
        "SOCIALDESK_TRIAGE": "false",
        "SOCIALDESK_DISPATCH_INTERVAL": "0.05",
        "SOCIALDESK_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    env.pop("SOCIALDESK_NATS_URL", None)
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "worker", "--stage", "deliver"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _outbox(runtime: Runtime) -> list[tuple[int, str, str | None, str | None, dict[str, object]]]:
    t = s.outbox
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.status, t.c.claimed_by, t.c.external_id, t.c.payload))
        return [(r.id, r.status, r.claimed_by, r.external_id, r.payload) for r in rows]


def _wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Runtime, FakeMastodonNetwork]]:
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    settings = Settings(database_url=url, secret_key=KEY, triage=False, allow_private_urls=True)  # type: ignore[arg-type]
    runtime = build_runtime(settings)
    with fake_mastodon(delay=0.02) as network:
        _seed(runtime, network)
        yield runtime, network
    runtime.close()


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_9_mid_send_posts_nothing_twice_and_loses_nothing(
    trial: int, world: tuple[Runtime, FakeMastodonNetwork]
) -> None:
    runtime, network = world
    kill_at = random.Random(trial).randint(5, REPLIES - 40)
    first = _relay(str(runtime.settings.database_url))
    try:
        assert network.wait_for(kill_at, 60), "the relay never reached the kill point"
        first.send_signal(signal.SIGKILL)  # the k-th status is stored; its answer is still on its way
        first.wait(10)
    finally:
        first.kill()
    at_kill = {i: holder for i, status, holder, _ext, _p in _outbox(runtime) if status == "sending"}
    assert at_kill, "the kill landed outside a send"
    restarted_at = time.monotonic()
    second = _relay(str(runtime.settings.database_url))
    try:

        def resumed() -> bool:
            rows = {i: (status, holder) for i, status, holder, _ext, _p in _outbox(runtime)}
            return any(rows[i] != ("sending", old) for i, old in at_kill.items())

        _wait(resumed, 60, "the dead relay's claims to resume")
        resume_seconds = time.monotonic() - restarted_at
        _wait(lambda: all(r[1] in ("sent", "failed") for r in _outbox(runtime)), 120, "every item to finish")
    finally:
        second.send_signal(signal.SIGTERM)
        _out, err = second.communicate(timeout=20)
    items = _outbox(runtime)
    statuses = {_own_text(status): status for status in network.statuses}
    posted = Counter(_own_text(status) for status in network.statuses)
    duplicated = [text for text, times in posted.items() if times > 1]
    lost = [p["text"] for _i, status, _h, _e, p in items if status != "sent" or not posted[str(p["text"])]]
    figures = {
        "trial": trial, "kill_at": kill_at, "acknowledged": len(items), "stored": len(network.statuses),
        "lost": len(lost), "duplicated": len(duplicated), "resume_seconds": round(resume_seconds, 2),
        "claims_at_kill": len(at_kill),
    }  # fmt: skip
    if os.environ.get("SOCIALDESK_KILL_REPORT"):
        with open(os.environ["SOCIALDESK_KILL_REPORT"], "a", encoding="utf-8") as out:
            out.write(json.dumps(figures) + "\n")
    assert duplicated == [], figures
    assert lost == [], (figures, err.decode()[-2000:])
    assert len(network.statuses) == REPLIES
    for _i, _status, _h, external_id, payload in items:  # each item records the status it became
        assert statuses[str(payload["text"])]["id"] == external_id
        if "thread_after" in payload:  # a thread's later part answers the part before it
            before = _text(int(str(payload["text"]).split()[1]), 1)
            assert statuses[str(payload["text"])]["in_reply_to_id"] == statuses[before]["id"]
    assert resume_seconds < LEASE_SECONDS + 5, figures


def _own_text(status: dict[str, object]) -> str:
    """The reply's text without the mention the sender puts first."""
    return str(status["text"]).split(" ", 1)[1]
