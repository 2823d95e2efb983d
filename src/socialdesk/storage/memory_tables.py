"""The in-memory tables every in-memory repository reads and writes, and the repositories' base."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.monitor import Monitor
from socialdesk.domain.noise import SpamRule
from socialdesk.domain.people import (
    BrandAccount,
    Contact,
    ContactHandle,
    Team,
    User,
    Workspace,
)
from socialdesk.domain.post import Message
from socialdesk.ports import (
    ApiToken,
    OutboxItem,
    WebSession,
)
from socialdesk.ports_care import (
    Approval,
    AuditEntry,
    CaseCare,
    FollowUp,
    Note,
    Notification,
    Problem,
    RoutingRuleRow,
    SavedReply,
)
from socialdesk.ports_channels import ChannelAccount

if TYPE_CHECKING:
    from socialdesk.storage.memory import MemoryUnitOfWork


@dataclass
class _Tables:
    workspaces: dict[int, Workspace] = field(default_factory=dict)
    users: dict[int, tuple[User, str]] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    brands: dict[int, BrandAccount] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    handles: dict[tuple[int, str, str], ContactHandle] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    message_keys: dict[tuple[int, str, str], int] = field(default_factory=dict)
    conversations: dict[int, Conversation] = field(default_factory=dict)
    cases: dict[int, Case] = field(default_factory=dict)
    outbox: dict[int, OutboxItem] = field(default_factory=dict)
    claims: dict[int, datetime] = field(default_factory=dict)  # outbox id -> claimed at
    claimed_by: dict[int, str] = field(default_factory=dict)  # outbox id -> relay token
    relays: dict[str, datetime] = field(default_factory=dict)  # relay token -> last heartbeat
    monitors: dict[int, Monitor] = field(default_factory=dict)
    matches: dict[tuple[int, int], int] = field(default_factory=dict)
    dedupe: dict[int, str] = field(default_factory=dict)  # message id -> dedupe key
    spam_rules: dict[int, SpamRule] = field(default_factory=dict)
    feedback: dict[int, tuple[int, int, str, str, datetime]] = field(default_factory=dict)
    # The care workflow (see memory_care.py).
    teams: dict[int, Team] = field(default_factory=dict)
    team_members: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> (ws, team, user)
    routing_rules: dict[int, RoutingRuleRow] = field(default_factory=dict)
    settings: dict[tuple[int, str], Any] = field(default_factory=dict)
    care: dict[int, CaseCare] = field(default_factory=dict)
    escalations: dict[tuple[int, str], int] = field(default_factory=dict)  # (case, key) -> ws
    notes: dict[int, Note] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    saved_replies: dict[int, SavedReply] = field(default_factory=dict)
    approvals: dict[int, Approval] = field(default_factory=dict)
    follow_ups: dict[int, FollowUp] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    problems: dict[int, Problem] = field(default_factory=dict)
    # Channel accounts (see memory_channels.py).
    channel_accounts: dict[int, ChannelAccount] = field(default_factory=dict)
    channel_cursors: dict[tuple[int, str], str] = field(default_factory=dict)
    channel_traffic: dict[tuple[int, datetime], int] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)

    def copy(self) -> _Tables:
        return _Tables(**{name: dict(value) for name, value in self.__dict__.items()})

    def new_id(self, table: str) -> int:
        value = self.next_id.get(table, 0) + 1
        self.next_id[table] = value
        return value


class _Repo:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def t(self) -> _Tables:
        return self.uow.t
