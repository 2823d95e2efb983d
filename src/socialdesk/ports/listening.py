"""The ports of listening: monitors and their matches, spam rules and agents' triage corrections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.domain.noise import SpamRule, SpamRuleKind


@dataclass(frozen=True, slots=True)
class NewMonitor:
    name: str
    query: str
    kind: MonitorKind
    mode: MonitorMode
    exclude_authors: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    brand_account_ids: tuple[int, ...] = ()


class MonitorRepo(Protocol):
    """Monitors not deleted: a deleted monitor (``deleted_at`` set) is left out of ``list``, ``get`` and
    ``get_by_name`` (its name is free again), while its match rows stay for the history."""

    def add(self, workspace_id: int, monitor: NewMonitor, now: datetime) -> Monitor: ...
    def list(self, workspace_id: int, *, active_only: bool = False) -> list[Monitor]: ...
    def get_by_name(self, workspace_id: int, name: str) -> Monitor | None: ...
    def get(self, workspace_id: int, monitor_id: int) -> Monitor | None: ...
    def update(self, monitor: Monitor, now: datetime) -> Monitor:
        """Store the monitor's name, query, kind, mode, exclusions, brand accounts and is_active;
        updated_at = now."""
        ...

    def delete(self, workspace_id: int, monitor_id: int, now: datetime) -> None:
        """Soft delete: set deleted_at = now; the monitor's match rows stay (another workspace's id or a
        deleted monitor: nothing happens)."""
        ...

    def record_matches(self, workspace_id: int, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        """Store (monitor id, message id) matches."""
        ...

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        """Matches per monitor id, deleted monitors' included."""
        ...


@dataclass(frozen=True, slots=True)
class Feedback:
    message_id: int
    text: str
    field: str
    label: str
    created_at: datetime


class RuleRepo(Protocol):
    """Workspace-wide spam rules and agents' triage corrections."""

    def add_spam_rule(self, workspace_id: int, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule: ...
    def spam_rules(self, workspace_id: int) -> list[SpamRule]: ...
    def delete_spam_rule(self, workspace_id: int, rule_id: int) -> bool: ...
    def add_feedback(
        self, workspace_id: int, message_id: int, user_id: int, field: str, label: str, now: datetime
    ) -> None: ...
    def feedback(self, workspace_id: int | None) -> list[Feedback]:
        """Corrections with their post text, oldest first (all workspaces when None); never those on
        private messages (a DM's text must not leave in a training file)."""
        ...
