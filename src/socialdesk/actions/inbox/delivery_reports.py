"""Delivery reports: what a network says afterwards about a message the brand sent (a bounce, an
automatic reply), recorded on that message instead of being taken for a customer's post.

A channel client hands a report among its posts as ``{"delivery_report": {"of": <the sent message's
external id>, "kind": ..., "reason": ..., "from": ..., "id": ...}}`` (the e-mail channel's bounces and
out-of-office replies). ``kind`` is one of :data:`REPORT_KINDS`; the sent message's delivery becomes
that kind (``bounced``: the mail did not arrive; ``delayed``: still being tried; ``auto_replied``: an
automatic answer came back), its conversation is updated and the report is in the audit trail. A report
about nothing socialdesk sent is logged and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from socialdesk.actions.care.audit import record
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.post import Direction
from socialdesk.ports.uow import UnitOfWork

log = logging.getLogger(__name__)
REPORT_KINDS = ("bounced", "delayed", "auto_replied")
REPORT_KEY = "delivery_report"


def split_reports(items: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the delivery reports, the posts) of a channel's batch."""
    reports = [
        dict(i[REPORT_KEY]) for i in items if isinstance(i, dict) and isinstance(i.get(REPORT_KEY), dict)
    ]
    posts = [i for i in items if not (isinstance(i, dict) and REPORT_KEY in i)]
    return reports, posts


def do_record_delivery_reports(
    uow: UnitOfWork, workspace_id: int, channel: str, reports: Sequence[Mapping[str, Any]], now: datetime
) -> int:
    """Mark each report's sent message; returns how many were about a message socialdesk sent."""
    recorded = 0
    for report in reports:
        about, kind = report.get("of"), str(report.get("kind") or "")
        if not about or kind not in REPORT_KINDS:
            log.info("%s delivery report %s names no sent message; dropped", channel, report.get("id"))
            continue
        links = [
            link
            for link in uow.messages.find_thread_links(workspace_id, [(channel, str(about))])
            if link.key == (channel, str(about))
        ]
        message = uow.messages.get(workspace_id, links[0].id) if links else None
        if message is None or message.direction is not Direction.OUTBOUND:
            log.info("%s delivery report about %s: no message socialdesk sent; dropped", channel, about)
            continue
        if message.delivery != "bounced":  # a later auto-reply never hides a bounce
            uow.messages.mark_delivered(workspace_id, message.id, message.external_id, kind)
        record(
            uow,
            workspace_id,
            now,
            None,
            "delivery_report",
            conversation_id=message.conversation_id,
            message_id=message.id,
            kind=kind,
            reason=str(report.get("reason") or "")[:500],
            reported_by=str(report.get("from") or "")[:320],
        )
        if message.conversation_id is not None:
            changed = {"conversation_id": message.conversation_id}
            uow.emit(Event(workspace_id, EventKind.CONVERSATION_UPDATED, changed))
        recorded += 1
    return recorded
