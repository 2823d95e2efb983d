"""The outbox dispatcher: sends queued replies once each, and records what the network answered."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.networks import can_reply, why_no_reply
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import ChannelSender, Clock, SendResult, SendUnconfirmed
from socialdesk.ports.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# How long a relay may go without a heartbeat before its claims pass to another relay (the setting
# SOCIALDESK_OUTBOX_LEASE_SECONDS in the long-running relays; this default serves one-off passes).
DEFAULT_LEASE = timedelta(seconds=5)
NEEDS_A_CHECK = "needs a check"


@dataclass(frozen=True)
class Relay:
    """One outbox relay (dispatcher) process: its fencing token and how long its lease lasts."""

    token: str
    lease: timedelta = DEFAULT_LEASE

    @classmethod
    def new(cls, lease: timedelta = DEFAULT_LEASE) -> Relay:
        return cls(secrets.token_hex(16), lease)


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    recovered: int = 0
    failed: int = 0
    lost_claims: int = 0  # items another relay took over while this one held them: left to that one


def do_join_relay(
    uow_factory: Callable[[], UnitOfWork], relay: Relay, clock: Clock, host: str, pid: int
) -> None:
    with uow_factory() as uow:
        uow.outbox.join_relay(relay.token, host, pid, clock.now())


def do_relay_heartbeat(
    uow_factory: Callable[[], UnitOfWork], relay: Relay, clock: Clock, host: str, pid: int
) -> None:
    """Renew the relay's lease (joining again if it was forgotten after a long silence)."""
    with uow_factory() as uow:
        if not uow.outbox.beat(relay.token, clock.now()):
            uow.outbox.join_relay(relay.token, host, pid, clock.now())


def do_leave_relay(uow_factory: Callable[[], UnitOfWork], relay: Relay) -> int:
    """A relay that stops hands its unfinished claims back at once (no wait for its lease)."""
    with uow_factory() as uow:
        return uow.outbox.leave_relay(relay.token)


def do_dispatch_outbox(
    uow_factory: Callable[[], UnitOfWork],
    senders: Mapping[str, ChannelSender],
    clock: Clock,
    *,
    default: ChannelSender | None = None,
    limit: int = 100,
    relay: Relay | None = None,
) -> DispatchReport:
    """One pass over pending replies. Each reply is sent, then committed as sent, one at a time.

    Never twice: before the first network call for an item, its attempt is committed
    (`attempted_at`); an item with an attempt may already be out, so the relay asks the network
    (`find_sent`, which looks back to the attempt) before sending it again, and an item it cannot
    check is failed for an agent ("needs a check") rather than risk a second post. Claims belong to a
    relay with a lease (`relay`; without one, this pass joins as a relay of its own and leaves after):
    a dead relay's claims pass to another once its heartbeat is older than the lease, and only the
    holder of a claim may attempt or record it.
    """
    if relay is None:
        relay = Relay.new()
        do_join_relay(uow_factory, relay, clock, "one-off pass", 0)
        try:
            return do_dispatch_outbox(uow_factory, senders, clock, default=default, limit=limit, relay=relay)
        finally:
            do_leave_relay(uow_factory, relay)
    report = DispatchReport()
    now = clock.now()
    with uow_factory() as uow:
        items = uow.outbox.claim(relay.token, limit, now, now - relay.lease)
    report.claimed = len(items)
    for item in items:
        _dispatch_one(uow_factory, senders.get(item.channel, default), clock, relay, item, report)
    return report


def _dispatch_one(
    uow_factory: Callable[[], UnitOfWork],
    sender: ChannelSender | None,
    clock: Clock,
    relay: Relay,
    item: OutboxItem,
    report: DispatchReport,
) -> None:
    def fail(error: str, give_up: bool) -> None:
        if _record_failure(uow_factory, item, error, give_up, relay):
            report.failed += 1
        else:
            report.lost_claims += 1

    if not can_reply(item.channel):  # queued before the network was known not to send: never fake it
        return fail(why_no_reply(item.channel), True)
    if sender is None:
        return fail(f"no sender for channel {item.channel!r}", True)
    if "thread_after" in item.payload:
        ready = _after_previous_part(uow_factory, item)
        if isinstance(ready, str):
            return fail(ready, ready.startswith(GAVE_UP))
        item = ready
    recovered = False
    try:
        result = sender.find_sent(item) if item.attempted_at is not None else None
        recovered = result is not None
        if result is None:
            with uow_factory() as uow:
                now = clock.now()
                attempted = uow.outbox.begin_attempt(item.id, relay.token, now, now - relay.lease)
            if attempted is None:  # the lease ran out: another relay holds the item (or will)
                log.warning("outbox item %s: claim lost before sending; left to its new holder", item.id)
                report.lost_claims += 1
                return None
            result = sender.send(replace(item, attempted_at=attempted))
    except SendUnconfirmed as exc:
        log.warning("outbox item %s: %s", item.id, exc)
        return fail(f"{NEEDS_A_CHECK}: {exc}; not sent again, to never post it twice", True)
    except Exception as exc:  # noqa: BLE001 (fails this attempt only; logged, kept on the item)
        log.warning("sending outbox item %s failed: %s", item.id, exc)
        return fail(str(exc), item.attempts + 1 >= MAX_ATTEMPTS)
    if not _record_sent(uow_factory, item, result, clock, relay):
        log.warning("outbox item %s: sent as %s, but another relay holds it now", item.id, result.external_id)
        report.lost_claims += 1
        return None
    report.recovered += int(recovered)
    report.sent += int(not recovered)
    return None


GAVE_UP = "not sent: the thread's previous part"


def _after_previous_part(uow_factory: Callable[[], UnitOfWork], item: OutboxItem) -> OutboxItem | str:
    """A thread's later part, answering the previous part once that is out; else why it waits."""
    with uow_factory() as uow:
        previous = uow.messages.get(item.workspace_id, int(item.payload["thread_after"]))
    if previous is not None and previous.external_id:
        return replace(item, payload={**item.payload, "in_reply_to": previous.external_id})
    if previous is None or previous.delivery == "failed":
        return f"{GAVE_UP} failed"
    return "waiting for the thread's previous part to be sent"


def _record_sent(
    uow_factory: Callable[[], UnitOfWork], item: OutboxItem, result: SendResult, clock: Clock, relay: Relay
) -> bool:
    with uow_factory() as uow:
        now = clock.now()
        if not uow.outbox.mark_sent(item.id, result.external_id, now, relay=relay.token):
            return False  # fenced: the claim passed to another relay, which looks before it sends
        uow.messages.mark_delivered(item.workspace_id, item.message_id, result.external_id, "sent")
        # A case's first response is a real delivery: the network confirmed the send.
        message = uow.messages.get(item.workspace_id, item.message_id)
        if message is not None and message.conversation_id is not None:
            case = uow.cases.current_for(item.workspace_id, [message.conversation_id]).get(
                message.conversation_id
            )
            if case is not None and case.first_response_at is None and message.created_at >= case.opened_at:
                uow.cases.save_many([replace(case, first_response_at=now)])
        uow.emit(
            Event(
                item.workspace_id,
                EventKind.CONVERSATION_UPDATED,
                {"conversation_id": item.payload["conversation_id"]},
            )
        )
    return True


def _record_failure(
    uow_factory: Callable[[], UnitOfWork], item: OutboxItem, error: str, give_up: bool, relay: Relay
) -> bool:
    with uow_factory() as uow:
        if not uow.outbox.mark_failed(item.id, error, give_up, relay=relay.token):
            return False
        if give_up:  # the agent's view changes: the reply did not go out (and may need a check)
            uow.messages.mark_delivered(item.workspace_id, item.message_id, None, "failed")
            if item.payload.get("conversation_id") is not None:
                changed = {"conversation_id": item.payload["conversation_id"]}
                uow.emit(Event(item.workspace_id, EventKind.CONVERSATION_UPDATED, changed))
    return True
