"""The unit of work: one transaction and every repository actions reach through it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from socialdesk.domain.events import Event
from socialdesk.ports_accounts import (
    BrandAccountRepo,
    ContactRepo,
    SessionRepo,
    TokenRepo,
    UserRepo,
    WorkspaceRepo,
)
from socialdesk.ports_analytics import AnalyticsRepo
from socialdesk.ports_assist import ReplyCheckRepo, SuggestionRepo
from socialdesk.ports_care import (
    AgentRepo,
    ApprovalRepo,
    AuditRepo,
    CaseCareRepo,
    FollowUpRepo,
    IncidentRepo,
    NoteRepo,
    NotificationRepo,
    ProblemRepo,
    ResponseTimeRepo,
    RoutingRuleRepo,
    SavedReplyRepo,
    SettingsRepo,
    TeamRepo,
)
from socialdesk.ports_channels import ChannelAccountRepo
from socialdesk.ports_desk import InboxViewRepo, MacroRepo, PreferenceRepo
from socialdesk.ports_inbox import CaseRepo, ConversationRepo, MessageRepo, OutboxRepo
from socialdesk.ports_knowledge import ArticleRepo
from socialdesk.ports_listening import MonitorRepo, RuleRepo


class UnitOfWork(Protocol):
    """One transaction: `with uow_factory() as uow:` commits when the block ends cleanly and rolls back
    when it raises (the exception goes on); the events emitted in it are published only after the
    commit succeeds. A block is one step: a use case that must make a step durable before the next
    (claim, then send, then record) opens one block per step. The read-only unit of work never commits.
    """

    workspaces: WorkspaceRepo
    users: UserRepo
    tokens: TokenRepo
    sessions: SessionRepo
    brands: BrandAccountRepo
    contacts: ContactRepo
    messages: MessageRepo
    conversations: ConversationRepo
    cases: CaseRepo
    outbox: OutboxRepo
    monitors: MonitorRepo
    rules: RuleRepo
    teams: TeamRepo
    agents: AgentRepo
    routing: RoutingRuleRepo
    settings: SettingsRepo
    care: CaseCareRepo
    notes: NoteRepo
    notifications: NotificationRepo
    saved_replies: SavedReplyRepo
    approvals: ApprovalRepo
    follow_ups: FollowUpRepo
    audit: AuditRepo
    problems: ProblemRepo
    incidents: IncidentRepo
    response_times: ResponseTimeRepo
    channels: ChannelAccountRepo
    analytics: AnalyticsRepo
    articles: ArticleRepo
    preferences: PreferenceRepo
    inbox_views: InboxViewRepo
    macros: MacroRepo
    kb_suggestions: SuggestionRepo
    reply_checks: ReplyCheckRepo

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None:
        """Commit now and go on in a new transaction: only where a block must, allow-listed in
        tests/test_transactions.py; everywhere else the end of the `with` block commits."""
        ...

    def rollback(self) -> None:
        """Discard the changes and events so far and go on in a new transaction."""
        ...

    def emit(self, event: Event) -> None:
        """Publish `event` once this unit of work commits (never if it rolls back)."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
