"""Delivery reports (bounces, automatic replies) land on the brand's sent message, never as customer
posts, never on a customer's message, and a later automatic reply never hides a bounce."""

from __future__ import annotations

from socialdesk.actions.channels.accounts import accept_channel_posts
from socialdesk.actions.inbox.delivery_reports import do_record_delivery_reports
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.domain.post import Author, Direction, Post, Visibility
from socialdesk.ports.inbox import NewMessage
from socialdesk.runtime import Runtime
from tests.channels.integration.conftest import add_account, sqlite_runtime

__all__ = ["sqlite_runtime"]


def _world(rt: Runtime) -> tuple[int, int]:
    account = add_account(rt, "email", "help@acme.test", {"imap_host": "imap.acme.test"}, {"password": "p"})
    ws, now = account.workspace_id, rt.clock.now()
    customer = Post(
        "c1@x.test", "email", "hi", now, Author("c@x.test", "c@x.test"), visibility=Visibility.PRIVATE
    )
    with rt.uow() as uow:
        do_ingest_posts(uow, ws, [customer], now)
        [inbound] = uow.messages.recent(ws, 1)
        [sent_id] = uow.messages.add_many(
            ws,
            [
                NewMessage(
                    inbound.conversation_id,
                    "email",
                    "socialdesk.k1@acme.test",
                    Direction.OUTBOUND,
                    Visibility.PRIVATE,
                    "we are on it",
                    now,
                    "help@acme.test",
                    "Ada",
                    delivery="sent",
                )
            ],
        )
    return ws, sent_id


def _delivery(rt: Runtime, ws: int, message_id: int) -> str:
    with rt.uow() as uow:
        found = uow.messages.get(ws, message_id)
    assert found is not None
    return found.delivery


def test_reports_mark_the_sent_message_and_a_bounce_stays(sqlite_runtime: Runtime) -> None:
    rt = sqlite_runtime
    ws, sent = _world(rt)
    now = rt.clock.now()

    def report(kind: str, of: str = "socialdesk.k1@acme.test") -> int:
        with rt.uow() as uow:
            return do_record_delivery_reports(
                uow, ws, "email", [{"of": of, "kind": kind, "reason": kind}], now
            )

    assert report("auto_replied") == 1
    assert _delivery(rt, ws, sent) == "auto_replied"
    assert report("bounced") == 1
    assert report("auto_replied") == 1  # recorded in the audit trail, but the bounce is what shows
    assert _delivery(rt, ws, sent) == "bounced"
    assert report("bounced", of="c1@x.test") == 0  # a customer's own mail is never marked
    assert report("exploded") == 0
    assert report("bounced", of="nobody@x.test") == 0


def test_a_report_in_a_channel_batch_is_no_customer_post(sqlite_runtime: Runtime) -> None:
    rt = sqlite_runtime
    ws, sent = _world(rt)
    with rt.uow() as uow:
        [account] = uow.channels.list(ws)
        before = uow.messages.count(ws)
    batch = [{"delivery_report": {"of": "socialdesk.k1@acme.test", "kind": "bounced", "reason": "550"}}]
    accepted = accept_channel_posts(rt.post_sink(), rt.uow, account, batch, rt.clock.now())
    assert accepted.errors == []
    with rt.uow() as uow:
        assert uow.messages.count(ws) == before
    assert _delivery(rt, ws, sent) == "bounced"
