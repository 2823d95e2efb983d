"""The outbox dispatcher: sends queued replies once each, and records what the network answered."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from socialdesk.domain.events import Event
from socialdesk.domain.networks import can_reply, why_no_reply
from socialdesk.ports import ChannelSender, Clock, OutboxItem, SendResult, UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A claim older than this belongs to a relay that died between claiming and recording the result; the
# item is claimed again, and `find_sent` asks the network first, so it is still sent at most once.
STALE_CLAIM_SECONDS = 120


@dataclass
class DispatchReport:
    sent: int = 0
    recovered: int = 0
    failed: int = 0


def do_dispatch_outbox(
    uow_factory: Callable[[], UnitOfWork],
    senders: Mapping[str, ChannelSender],
    clock: Clock,
    *,
    default: ChannelSender | None = None,
    limit: int = 100,
) -> DispatchReport:
    """One pass over pending replies. Each reply is sent, then committed as sent, one at a time.

    If a crash comes between the network call and the commit, the next pass first asks the network
    (`find_sent`) whether the reply is already there, so a reply is never posted twice.
    """
    report = DispatchReport()
    now = clock.now()
    with uow_factory() as uow:
        items = uow.outbox.claim(limit, now, now - timedelta(seconds=STALE_CLAIM_SECONDS))
        uow.commit()
    for item in items:
        sender = senders.get(item.channel, default)
        if not can_reply(item.channel):  # queued before the network was known not to send: never fake it
            _record_failure(uow_factory, item, why_no_reply(item.channel), give_up=True)
            report.failed += 1
            continue
        if sender is None:
            _record_failure(uow_factory, item, f"no sender for channel {item.channel!r}", give_up=True)
            report.failed += 1
            continue
        if "thread_after" in item.payload:
            ready = _after_previous_part(uow_factory, item)
            if isinstance(ready, str):
                _record_failure(uow_factory, item, ready, give_up=ready.startswith(GAVE_UP))
                report.failed += 1
                continue
            item = ready
        try:
            result = sender.find_sent(item)
            recovered = result is not None
            if result is None:
                result = sender.send(item)
        except Exception as exc:
            log.warning("sending outbox item %s failed: %s", item.id, exc)
            _record_failure(uow_factory, item, str(exc), give_up=item.attempts + 1 >= MAX_ATTEMPTS)
            report.failed += 1
            continue
        _record_sent(uow_factory, item, result, clock)
        report.recovered += int(recovered)
        report.sent += int(not recovered)
    return report


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
    uow_factory: Callable[[], UnitOfWork], item: OutboxItem, result: SendResult, clock: Clock
) -> None:
    with uow_factory() as uow:
        now = clock.now()
        uow.outbox.mark_sent(item.id, result.external_id, now)
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
                "conversation.updated",
                {"conversation_id": item.payload["conversation_id"]},
            )
        )
        uow.commit()


def _record_failure(
    uow_factory: Callable[[], UnitOfWork], item: OutboxItem, error: str, give_up: bool
) -> None:
    with uow_factory() as uow:
        uow.outbox.mark_failed(item.id, error, give_up)
        if give_up:
            uow.messages.mark_delivered(item.workspace_id, item.message_id, None, "failed")
        uow.commit()
