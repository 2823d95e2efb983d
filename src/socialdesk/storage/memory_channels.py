"""The in-memory twin of storage/sql_channels.py."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from socialdesk.ports_channels import (
    AccountConfig,
    ChannelAccount,
    ChannelHealthRow,
    NewChannelAccount,
    ReadBudget,
)
from socialdesk.storage.memory_errors import IntegrityError
from socialdesk.storage.sql_channels import hour_of

if TYPE_CHECKING:
    from socialdesk.storage.memory import MemoryUnitOfWork
    from socialdesk.storage.memory_tables import _Tables


class MemChannelAccounts:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def t(self) -> _Tables:
        return self.uow.t

    def add(self, workspace_id: int, account: NewChannelAccount, now: datetime) -> ChannelAccount:
        for other in self.t.channel_accounts.values():
            same = (other.workspace_id, other.network, other.handle)
            if same == (workspace_id, account.network, account.handle):
                raise IntegrityError(f"channel account {account.network}:{account.handle} exists")
        found = ChannelAccount(
            id=self.t.new_id("channel_accounts"),
            workspace_id=workspace_id,
            network=account.network,
            handle=account.handle,
            settings=dict(account.settings),
            sealed_credentials=account.sealed_credentials,
            is_active=True,
            created_at=now,
            budget=ReadBudget(reads=account.budget_reads, window_seconds=account.budget_window_seconds),
        )
        self.t.channel_accounts[found.id] = found
        return found

    def get(self, workspace_id: int, account_id: int) -> ChannelAccount | None:
        found = self.t.channel_accounts.get(account_id)
        return found if found is not None and found.workspace_id == workspace_id else None

    def find(self, account_id: int) -> ChannelAccount | None:
        return self.t.channel_accounts.get(account_id)

    def list(self, workspace_id: int) -> builtins.list[ChannelAccount]:
        return sorted(
            (a for a in self.t.channel_accounts.values() if a.workspace_id == workspace_id),
            key=lambda a: a.id,
        )

    def list_active(self) -> builtins.list[ChannelAccount]:
        return sorted((a for a in self.t.channel_accounts.values() if a.is_active), key=lambda a: a.id)

    def _replace(self, workspace_id: int, account_id: int, **changes: object) -> None:
        found = self.get(workspace_id, account_id)
        if found is not None:
            self.t.channel_accounts[account_id] = replace(found, **changes)  # type: ignore[arg-type]

    def set_health(self, workspace_id: int, account_id: int, health: ChannelHealthRow) -> None:
        trimmed = replace(health, reason=health.reason[:500], last_error=health.last_error[:500])
        self._replace(workspace_id, account_id, health=trimmed)

    def configure(self, workspace_id: int, account_id: int, config: AccountConfig) -> None:
        found = self.get(workspace_id, account_id)
        if found is None:
            return
        budget = replace(found.budget, reads=config.budget_reads, window_seconds=config.budget_window_seconds)
        self.t.channel_accounts[account_id] = replace(
            found,
            settings=dict(config.settings),
            sealed_credentials=config.sealed_credentials,
            is_active=config.is_active,
            budget=budget,
        )

    def remove(self, workspace_id: int, account_id: int) -> None:
        if self.get(workspace_id, account_id) is None:
            return
        del self.t.channel_accounts[account_id]
        for cursor in [key for key in self.t.channel_cursors if key[0] == account_id]:
            del self.t.channel_cursors[cursor]
        for hour in [key for key in self.t.channel_traffic if key[0] == account_id]:
            del self.t.channel_traffic[hour]

    def set_budget(self, workspace_id: int, account_id: int, budget: ReadBudget) -> None:
        self._replace(workspace_id, account_id, budget=budget)

    def record_posts(self, workspace_id: int, account_id: int, count: int, at: datetime) -> None:
        found = self.get(workspace_id, account_id)
        if found is None:
            return
        if found.last_post_at is None or found.last_post_at < at:
            self._replace(workspace_id, account_id, last_post_at=at)
        if count > 0:
            key = (account_id, hour_of(at))
            self.t.channel_traffic[key] = self.t.channel_traffic.get(key, 0) + count

    def posts_since(self, workspace_id: int, account_id: int, since: datetime) -> int:
        if self.get(workspace_id, account_id) is None:
            return 0
        return sum(
            n for (acc, hour), n in self.t.channel_traffic.items() if acc == account_id and hour >= since
        )

    def get_cursor(self, workspace_id: int, account_id: int, key: str) -> str | None:
        if self.get(workspace_id, account_id) is None:
            return None
        return self.t.channel_cursors.get((account_id, key))

    def set_cursor(self, workspace_id: int, account_id: int, key: str, value: str, now: datetime) -> None:
        if self.get(workspace_id, account_id) is not None:
            self.t.channel_cursors[(account_id, key)] = value
