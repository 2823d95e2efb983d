"""SQL repository for channel accounts, their cursors and hourly traffic."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from socialdesk.ports.channels import (
    AccountConfig,
    ChannelAccount,
    ChannelHealthRow,
    MonthSpend,
    NewChannelAccount,
    ReadBudget,
)
from socialdesk.storage.schema import channels as sc


def hour_of(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _account(row: Any) -> ChannelAccount:
    return ChannelAccount(
        id=row.id,
        workspace_id=row.workspace_id,
        network=row.network,
        handle=row.handle,
        settings=dict(row.settings or {}),
        sealed_credentials=row.credentials,
        is_active=row.is_active,
        created_at=row.created_at,
        health=ChannelHealthRow(
            state=row.health_state,
            reason=row.health_reason,
            until=row.health_until,
            last_error=row.health_error,
            changed_at=row.health_changed_at,
        ),
        last_post_at=row.last_post_at,
        budget=ReadBudget(
            reads=row.budget_reads,
            window_seconds=row.budget_window_seconds,
            spent=row.reads_spent,
            window_started_at=row.window_started_at,
        ),
    )


class SqlChannelAccounts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, account: NewChannelAccount, now: datetime) -> ChannelAccount:
        values = {
            "workspace_id": workspace_id,
            "network": account.network,
            "handle": account.handle,
            "settings": dict(account.settings),
            "credentials": account.sealed_credentials,
            "is_active": True,
            "created_at": now,
            "health_state": "starting",
            "health_reason": "",
            "health_error": "",
            "budget_reads": account.budget_reads,
            "budget_window_seconds": account.budget_window_seconds,
            "reads_spent": 0,
        }
        t = sc.channel_accounts
        return _account(self.conn.execute(insert(t).values(**values).returning(*t.c)).one())

    def get(self, workspace_id: int, account_id: int) -> ChannelAccount | None:
        t = sc.channel_accounts
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == account_id)
        ).first()
        return _account(row) if row else None

    def find(self, account_id: int) -> ChannelAccount | None:
        t = sc.channel_accounts
        row = self.conn.execute(select(t).where(t.c.id == account_id)).first()
        return _account(row) if row else None

    def list(self, workspace_id: int) -> builtins.list[ChannelAccount]:
        t = sc.channel_accounts
        rows = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id))
        return [_account(r) for r in rows]

    def list_active(self) -> builtins.list[ChannelAccount]:
        t = sc.channel_accounts
        return [
            _account(r) for r in self.conn.execute(select(t).where(t.c.is_active.is_(True)).order_by(t.c.id))
        ]

    def _update(self, workspace_id: int, account_id: int, **values: Any) -> None:
        t = sc.channel_accounts
        self.conn.execute(
            update(t).where(t.c.workspace_id == workspace_id, t.c.id == account_id).values(**values)
        )

    def set_health(self, workspace_id: int, account_id: int, health: ChannelHealthRow) -> None:
        self._update(
            workspace_id,
            account_id,
            health_state=health.state,
            health_reason=health.reason[:500],
            health_until=health.until,
            health_error=health.last_error[:500],
            health_changed_at=health.changed_at,
        )

    def configure(self, workspace_id: int, account_id: int, config: AccountConfig) -> None:
        self._update(
            workspace_id,
            account_id,
            settings=dict(config.settings),
            credentials=config.sealed_credentials,
            is_active=config.is_active,
            budget_reads=config.budget_reads,
            budget_window_seconds=config.budget_window_seconds,
        )

    def remove(self, workspace_id: int, account_id: int) -> None:
        for table in (sc.channel_cursors, sc.channel_traffic, sc.channel_spend):
            self.conn.execute(
                delete(table).where(table.c.workspace_id == workspace_id, table.c.account_id == account_id)
            )
        t = sc.channel_accounts
        self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == account_id))

    def set_budget(self, workspace_id: int, account_id: int, budget: ReadBudget) -> None:
        self._update(
            workspace_id,
            account_id,
            budget_reads=budget.reads,
            budget_window_seconds=budget.window_seconds,
            reads_spent=budget.spent,
            window_started_at=budget.window_started_at,
        )

    def record_posts(self, workspace_id: int, account_id: int, count: int, at: datetime) -> None:
        t, tr = sc.channel_accounts, sc.channel_traffic
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == account_id)
            .where((t.c.last_post_at.is_(None)) | (t.c.last_post_at < at))
            .values(last_post_at=at)
        )
        if count <= 0:
            return
        hour = hour_of(at)
        done = self.conn.execute(
            update(tr)
            .where(tr.c.account_id == account_id, tr.c.hour == hour)
            .values(posts=tr.c.posts + count)
        )
        if done.rowcount == 0:
            row = {"workspace_id": workspace_id, "account_id": account_id, "hour": hour, "posts": count}
            self.conn.execute(insert(tr).values(**row))

    def posts_since(self, workspace_id: int, account_id: int, since: datetime) -> int:
        tr = sc.channel_traffic
        q = select(func.coalesce(func.sum(tr.c.posts), 0)).where(
            tr.c.workspace_id == workspace_id, tr.c.account_id == account_id, tr.c.hour >= since
        )
        return int(self.conn.execute(q).scalar_one())

    def add_spend(self, workspace_id: int, account_id: int, spend: MonthSpend) -> None:
        sp = sc.channel_spend
        done = self.conn.execute(
            update(sp)
            .where(sp.c.account_id == account_id, sp.c.month == spend.month)
            .values(
                reads=sp.c.reads + spend.reads,
                writes=sp.c.writes + spend.writes,
                usd_micros=sp.c.usd_micros + spend.usd_micros,
            )
        )
        if done.rowcount == 0:
            row = {"workspace_id": workspace_id, "account_id": account_id, "month": spend.month}
            counts = {"reads": spend.reads, "writes": spend.writes, "usd_micros": spend.usd_micros}
            self.conn.execute(insert(sp).values(**row, **counts))

    def month_spend(
        self, workspace_id: int, account_ids: builtins.list[int], month: str
    ) -> dict[int, MonthSpend]:
        if not account_ids:
            return {}
        sp = sc.channel_spend
        q = select(sp.c.account_id, sp.c.reads, sp.c.writes, sp.c.usd_micros).where(
            sp.c.workspace_id == workspace_id, sp.c.account_id.in_(account_ids), sp.c.month == month
        )
        return {
            r.account_id: MonthSpend(month, int(r.reads), int(r.writes), int(r.usd_micros))
            for r in self.conn.execute(q)
        }

    def get_cursor(self, workspace_id: int, account_id: int, key: str) -> str | None:
        c = sc.channel_cursors
        q = select(c.c.value).where(
            c.c.workspace_id == workspace_id, c.c.account_id == account_id, c.c.key == key
        )
        value = self.conn.execute(q).scalar_one_or_none()
        return None if value is None else str(value)

    def set_cursor(self, workspace_id: int, account_id: int, key: str, value: str, now: datetime) -> None:
        c = sc.channel_cursors
        done = self.conn.execute(
            update(c)
            .where(c.c.workspace_id == workspace_id, c.c.account_id == account_id, c.c.key == key)
            .values(value=value, updated_at=now)
        )
        if done.rowcount == 0:
            row = {"workspace_id": workspace_id, "account_id": account_id, "key": key, "value": value}
            self.conn.execute(insert(c).values(**row, updated_at=now))
