"""The transactional outbox: replies are written here in the same transaction as the message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, or_, select, update

from socialdesk.ports.inbox import OutboxItem
from socialdesk.storage import schema as s

# A relay silent this long is forgotten when another joins (its claims were taken over long before).
FORGET_RELAYS_AFTER = timedelta(hours=1)


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
        attempted_at=row.attempted_at,
        not_before=row.not_before,
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
        not_before: datetime | None = None,
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
            "not_before": not_before,
        }
        row = self.conn.execute(insert(s.outbox).values(**values).returning(*s.outbox.c)).one()
        return _item(row)

    def pending(self, limit: int) -> list[OutboxItem]:
        t = s.outbox
        q = select(t).where(t.c.status == "pending").order_by(t.c.id).limit(limit)
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return [_item(r) for r in self.conn.execute(q)]

    def claim(self, relay: str, limit: int, now: datetime, dead_before: datetime) -> list[OutboxItem]:
        t, r = s.outbox, s.outbox_relays
        holder_alive = exists().where(r.c.token == t.c.claimed_by, r.c.heartbeat_at >= dead_before)
        due = or_(t.c.not_before.is_(None), t.c.not_before <= now)
        wanted = (
            select(t.c.id)
            .where(or_((t.c.status == "pending") & due, (t.c.status == "sending") & ~holder_alive))
            .order_by(t.c.id)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            # Lock the ids first, then update them: inside one UPDATE, PostgreSQL may rescan a
            # `LIMIT ... FOR UPDATE SKIP LOCKED` subquery per row, each rescan skipping the rows the
            # statement already changed and taking `limit` more (a relay of 20 was seen holding 246).
            ids = list(self.conn.execute(wanted.with_for_update(of=t, skip_locked=True)).scalars())
            if not ids:
                return []
            chosen: Any = ids
        else:  # SQLite: one statement, so no second writer comes between the read and the write
            chosen = wanted
        stmt = (
            update(t)
            .where(t.c.id.in_(chosen))
            .values(status="sending", claimed_at=now, claimed_by=relay)
            .returning(*t.c)
        )
        return sorted((_item(r) for r in self.conn.execute(stmt)), key=lambda item: item.id)

    def begin_attempt(
        self, item_id: int, relay: str, now: datetime, alive_after: datetime
    ) -> datetime | None:
        t, r = s.outbox, s.outbox_relays
        beat = self.conn.execute(
            update(r).where(r.c.token == relay, r.c.heartbeat_at >= alive_after).values(heartbeat_at=now)
        )
        if beat.rowcount != 1:
            return None  # the relay's lease ran out: another relay may hold its claims now
        row = self.conn.execute(
            update(t)
            .where(t.c.id == item_id, t.c.status == "sending", t.c.claimed_by == relay)
            .values(attempted_at=func.coalesce(t.c.attempted_at, now))
            .returning(t.c.attempted_at)
        ).first()
        return row.attempted_at if row else None

    def mark_sent(self, item_id: int, external_id: str, now: datetime, *, relay: str | None = None) -> bool:
        t = s.outbox
        stmt = update(t).where(t.c.id == item_id)
        if relay is not None:
            stmt = stmt.where(t.c.status == "sending", t.c.claimed_by == relay)
        done = self.conn.execute(
            stmt.values(
                status="sent",
                external_id=external_id,
                sent_at=now,
                attempts=t.c.attempts + 1,
                claimed_by=None,
            )
        )
        return done.rowcount == 1

    def mark_failed(self, item_id: int, error: str, give_up: bool, *, relay: str | None = None) -> bool:
        t = s.outbox
        stmt = update(t).where(t.c.id == item_id)
        if relay is not None:
            stmt = stmt.where(t.c.status == "sending", t.c.claimed_by == relay)
        done = self.conn.execute(
            stmt.values(
                status="failed" if give_up else "pending",
                last_error=error[:2000],
                attempts=t.c.attempts + 1,
                claimed_by=None,
            )
        )
        return done.rowcount == 1

    def join_relay(self, relay: str, host: str, pid: int, now: datetime) -> None:
        r = s.outbox_relays
        self.conn.execute(delete(r).where(r.c.heartbeat_at < now - FORGET_RELAYS_AFTER))
        self.conn.execute(
            insert(r).values(token=relay, host=host[:200], pid=pid, started_at=now, heartbeat_at=now)
        )

    def beat(self, relay: str, now: datetime) -> bool:
        r = s.outbox_relays
        return self.conn.execute(update(r).where(r.c.token == relay).values(heartbeat_at=now)).rowcount == 1

    def leave_relay(self, relay: str) -> int:
        t, r = s.outbox, s.outbox_relays
        released = self.conn.execute(
            update(t)
            .where(t.c.status == "sending", t.c.claimed_by == relay)
            .values(status="pending", claimed_by=None)
        ).rowcount
        self.conn.execute(delete(r).where(r.c.token == relay))
        return int(released)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.conn.execute(select(s.outbox).where(s.outbox.c.id == item_id)).first()
        return _item(row) if row else None
