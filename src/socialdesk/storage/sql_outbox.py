"""The transactional outbox: replies are written here in the same transaction as the message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from socialdesk.ports import OutboxItem
from socialdesk.storage import schema as s


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        workspace_id=row.workspace_id,
        message_id=row.message_id,
        channel=row.channel,
        idempotency_key=row.idempotency_key,
        payload=row.payload,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        external_id=row.external_id,
        last_error=row.last_error,
    )


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        message_id: int,
        channel: str,
        idempotency_key: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> OutboxItem:
        values = {
            "workspace_id": workspace_id,
            "message_id": message_id,
            "channel": channel,
            "idempotency_key": idempotency_key,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        row = self.conn.execute(insert(s.outbox).values(**values).returning(*s.outbox.c)).one()
        return _item(row)

    def pending(self, limit: int) -> list[OutboxItem]:
        t = s.outbox
        q = select(t).where(t.c.status == "pending").order_by(t.c.id).limit(limit)
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return [_item(r) for r in self.conn.execute(q)]

    def claim(self, limit: int, now: datetime, stale_before: datetime) -> list[OutboxItem]:
        t = s.outbox
        wanted = (
            select(t.c.id)
            .where(or_(t.c.status == "pending", and_(t.c.status == "sending", t.c.claimed_at < stale_before)))
            .order_by(t.c.id)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            wanted = wanted.with_for_update(skip_locked=True)
        stmt = update(t).where(t.c.id.in_(wanted)).values(status="sending", claimed_at=now).returning(*t.c)
        return sorted((_item(r) for r in self.conn.execute(stmt)), key=lambda item: item.id)

    def mark_sent(self, item_id: int, external_id: str, now: datetime) -> None:
        t = s.outbox
        self.conn.execute(
            update(t)
            .where(t.c.id == item_id)
            .values(status="sent", external_id=external_id, sent_at=now, attempts=t.c.attempts + 1)
        )

    def mark_failed(self, item_id: int, error: str, give_up: bool) -> None:
        t = s.outbox
        self.conn.execute(
            update(t)
            .where(t.c.id == item_id)
            .values(
                status="failed" if give_up else "pending", last_error=error[:2000], attempts=t.c.attempts + 1
            )
        )

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.conn.execute(select(s.outbox).where(s.outbox.c.id == item_id)).first()
        return _item(row) if row else None
