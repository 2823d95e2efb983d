"""The public expected response time of one brand account on one channel (docs/incidents.md, item 6).

Computed from what the desk did, never promised: the median first-response time of that brand's cases
on that channel first answered in the last hour (with fewer than `MIN_ANSWERED` of them, no figure:
"not enough replies in the last hour"), beside the live queue (cases waiting for a first answer now,
and how long the oldest has waited), and the public status text of the newest incident that is not
resolved and has one. Nothing private: no names, no texts, no ids.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.domain.errors import NotFound
from socialdesk.domain.people import normalize_handle
from socialdesk.ports.uow import UnitOfWork

WINDOW = timedelta(hours=1)
MIN_ANSWERED = 3
NOT_FOUND = "no such workspace, channel and brand account"


@dataclass(frozen=True, slots=True)
class PublicResponseTime:
    brand: str
    channel: str
    expected_minutes: float | None  # the median of the last hour; None: too few replies to say
    answered_last_hour: int
    waiting: int
    oldest_waiting_minutes: float | None
    status_text: str | None
    computed_at: datetime


def public_response_time(
    uow: UnitOfWork, slug: str, channel: str, handle: str, now: datetime
) -> PublicResponseTime:
    workspace = uow.workspaces.get_by_slug(slug)
    if workspace is None:
        raise NotFound(NOT_FOUND)
    key = normalize_handle(handle)
    brand = next(
        (
            b
            for b in uow.brands.list(workspace.id)
            if b.channel == channel and normalize_handle(b.handle) == key
        ),
        None,
    )
    if brand is None:
        raise NotFound(NOT_FOUND)
    figures = uow.response_times.figures(workspace.id, brand.id, channel, now - WINDOW)
    answered = figures.first_responses_s
    expected = round(statistics.median(answered) / 60.0, 1) if len(answered) >= MIN_ANSWERED else None
    oldest = figures.oldest_waiting_since
    status_text = next(
        (
            i.status_text
            for i in uow.incidents.list(workspace.id, None, 50)
            if i.status != "resolved" and i.status_text
        ),
        None,
    )
    return PublicResponseTime(
        brand=brand.handle.lstrip("@"),
        channel=channel,
        expected_minutes=expected,
        answered_last_hour=len(answered),
        waiting=figures.waiting,
        oldest_waiting_minutes=round(max(0.0, (now - oldest).total_seconds()) / 60.0, 1) if oldest else None,
        status_text=status_text,
        computed_at=now,
    )
