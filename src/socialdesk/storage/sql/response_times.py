"""SQL repository for the public response time: first responses of the last hour and the live queue,
for one brand account on one channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from socialdesk.domain.case import CaseStatus
from socialdesk.ports.care import ResponseFigures
from socialdesk.storage import schema as s

_WAITING = (CaseStatus.NEW.value, CaseStatus.OPEN.value)


class SqlResponseTimes:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def figures(
        self, workspace_id: int, brand_account_id: int, channel: str, since: datetime
    ) -> ResponseFigures:
        k, c = s.cases, s.conversations
        mine = (
            select(k.c.opened_at, k.c.first_response_at, k.c.status)
            .join(c, c.c.id == k.c.conversation_id)
            .where(
                k.c.workspace_id == workspace_id,
                c.c.workspace_id == workspace_id,
                c.c.brand_account_id == brand_account_id,
                c.c.channel == channel,
            )
        )
        answered = self.conn.execute(mine.where(k.c.first_response_at >= since)).all()
        waiting = self.conn.execute(
            select(func.count(), func.min(k.c.opened_at))
            .select_from(k.join(c, c.c.id == k.c.conversation_id))
            .where(
                k.c.workspace_id == workspace_id,
                c.c.brand_account_id == brand_account_id,
                c.c.channel == channel,
                k.c.first_response_at.is_(None),
                k.c.status.in_(_WAITING),
            )
        ).one()
        seconds = tuple(
            sorted(max(0.0, (r.first_response_at - r.opened_at).total_seconds()) for r in answered)
        )
        return ResponseFigures(seconds, int(waiting[0] or 0), waiting[1])
