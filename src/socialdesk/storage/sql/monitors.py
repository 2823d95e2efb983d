"""SQL repository for monitors (deleted softly: their matches stay) and their matches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.ports.listening import NewMonitor
from socialdesk.storage import schema as s


def _monitor(row: Any) -> Monitor:
    return Monitor(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        query=row.query,
        kind=MonitorKind(row.kind),
        mode=MonitorMode(row.mode),
        exclude_authors=tuple(row.exclude_authors),
        exclude_terms=tuple(row.exclude_terms),
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        brand_account_ids=tuple(row.brand_account_ids or ()),
        deleted_at=row.deleted_at,
    )


class SqlMonitors:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, monitor: NewMonitor, now: datetime) -> Monitor:
        values = {
            "workspace_id": workspace_id,
            "name": monitor.name,
            "query": monitor.query,
            "kind": monitor.kind.value,
            "mode": monitor.mode.value,
            "exclude_authors": list(monitor.exclude_authors),
            "exclude_terms": list(monitor.exclude_terms),
            "brand_account_ids": list(monitor.brand_account_ids),
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        row = self.conn.execute(insert(s.monitors).values(**values).returning(*s.monitors.c)).one()
        return _monitor(row)

    def list(self, workspace_id: int, *, active_only: bool = False) -> list[Monitor]:
        t = s.monitors
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.deleted_at.is_(None)).order_by(t.c.name)
        if active_only:
            q = q.where(t.c.is_active.is_(True))
        return [_monitor(r) for r in self.conn.execute(q)]

    def get_by_name(self, workspace_id: int, name: str) -> Monitor | None:
        t = s.monitors
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.name == name, t.c.deleted_at.is_(None))
        ).first()
        return _monitor(row) if row else None

    def get(self, workspace_id: int, monitor_id: int) -> Monitor | None:
        t = s.monitors
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == monitor_id, t.c.deleted_at.is_(None))
        ).first()
        return _monitor(row) if row else None

    def update(self, monitor: Monitor, now: datetime) -> Monitor:
        t = s.monitors
        values = {
            "name": monitor.name,
            "query": monitor.query,
            "kind": monitor.kind.value,
            "mode": monitor.mode.value,
            "exclude_authors": list(monitor.exclude_authors),
            "exclude_terms": list(monitor.exclude_terms),
            "brand_account_ids": list(monitor.brand_account_ids),
            "is_active": monitor.is_active,
            "updated_at": now,
        }
        row = self.conn.execute(
            update(t)
            .where(t.c.workspace_id == monitor.workspace_id, t.c.id == monitor.id)
            .values(**values)
            .returning(*t.c)
        ).one()
        return _monitor(row)

    def delete(self, workspace_id: int, monitor_id: int, now: datetime) -> None:
        t = s.monitors
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == monitor_id, t.c.deleted_at.is_(None))
            .values(deleted_at=now)
        )

    def record_matches(self, workspace_id: int, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        if pairs:
            rows = [
                {"workspace_id": workspace_id, "monitor_id": m, "message_id": msg, "matched_at": now}
                for m, msg in pairs
            ]
            self.conn.execute(insert(s.monitor_matches), rows)

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        t = s.monitor_matches
        q = (
            select(t.c.monitor_id, func.count())
            .where(t.c.workspace_id == workspace_id)
            .group_by(t.c.monitor_id)
        )
        return {int(m): int(n) for m, n in self.conn.execute(q)}
