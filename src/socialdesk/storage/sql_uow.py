"""A unit of work over one SQL transaction: `with uow:` commits on a clean exit and rolls back when the
block raises; the events it collected go to the bus only after the commit succeeds."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from socialdesk.domain.events import Event
from socialdesk.ports import (
    BrandAccountRepo,
    Bus,
    CaseRepo,
    ContactRepo,
    ConversationRepo,
    MessageRepo,
    MonitorRepo,
    OutboxRepo,
    RuleRepo,
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
from socialdesk.ports_knowledge import ArticleRepo
from socialdesk.storage import write_lock
from socialdesk.storage.sql_analytics import SqlAnalytics
from socialdesk.storage.sql_assist import SqlReplyChecks, SqlSuggestions
from socialdesk.storage.sql_care_cases import SqlCaseCare
from socialdesk.storage.sql_care_collab import (
    SqlApprovals,
    SqlAudit,
    SqlFollowUps,
    SqlNotes,
    SqlNotifications,
    SqlProblems,
    SqlSavedReplies,
)
from socialdesk.storage.sql_care_teams import SqlAgents, SqlRouting, SqlSettings, SqlTeams
from socialdesk.storage.sql_channels import SqlChannelAccounts
from socialdesk.storage.sql_desk import SqlInboxViews, SqlMacros, SqlPreferences
from socialdesk.storage.sql_incidents import SqlIncidents
from socialdesk.storage.sql_knowledge import SqlArticles
from socialdesk.storage.sql_messages import SqlMessages
from socialdesk.storage.sql_monitors import SqlMonitors
from socialdesk.storage.sql_outbox import SqlOutbox
from socialdesk.storage.sql_people import (
    SqlBrands,
    SqlContacts,
    SqlSessions,
    SqlTokens,
    SqlUsers,
    SqlWorkspaces,
)
from socialdesk.storage.sql_response_times import SqlResponseTimes
from socialdesk.storage.sql_rules import SqlRules
from socialdesk.storage.sql_threads import SqlCases, SqlConversations

# As long as SQLite's own busy timeout (storage/engine.py): a writer waits no longer than it did.
WRITE_QUEUE_TIMEOUT_S = 30.0


class SqlUnitOfWork:
    commits_on_exit = True  # the read-only subclass rolls back instead

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

    def __init__(self, engine: Engine, bus: Bus | None = None) -> None:
        self._engine = engine
        self._bus = bus
        self._conn: Connection | None = None
        self._events: list[Event] = []
        self._queued: write_lock.FairLock | None = None

    def __enter__(self) -> Self:
        queue = write_lock.for_engine(self._engine)
        # In arrival order behind the process's other writers; past SQLite's own busy timeout, on to
        # BEGIN IMMEDIATE anyway, which then fails as it always did ("database is locked").
        self._queued = queue if queue is not None and queue.acquire(timeout=WRITE_QUEUE_TIMEOUT_S) else None
        try:
            conn = self._engine.connect()
            conn.begin()
        except BaseException:
            self._leave_queue()
            raise
        self._conn = conn
        self._events = []
        self.workspaces = SqlWorkspaces(conn)
        self.users = SqlUsers(conn)
        self.tokens = SqlTokens(conn)
        self.sessions = SqlSessions(conn)
        self.brands = SqlBrands(conn)
        self.contacts = SqlContacts(conn)
        self.messages = SqlMessages(conn)
        self.conversations = SqlConversations(conn)
        self.cases = SqlCases(conn)
        self.outbox = SqlOutbox(conn)
        self.monitors = SqlMonitors(conn)
        self.rules = SqlRules(conn)
        self.teams = SqlTeams(conn)
        self.agents = SqlAgents(conn)
        self.routing = SqlRouting(conn)
        self.settings = SqlSettings(conn)
        self.care = SqlCaseCare(conn)
        self.notes = SqlNotes(conn)
        self.notifications = SqlNotifications(conn)
        self.saved_replies = SqlSavedReplies(conn)
        self.approvals = SqlApprovals(conn)
        self.follow_ups = SqlFollowUps(conn)
        self.audit = SqlAudit(conn)
        self.problems = SqlProblems(conn)
        self.incidents = SqlIncidents(conn)
        self.response_times = SqlResponseTimes(conn)
        self.analytics = SqlAnalytics(conn)
        self.channels = SqlChannelAccounts(conn)
        self.articles = SqlArticles(conn)
        self.preferences = SqlPreferences(conn)
        self.inbox_views = SqlInboxViews(conn)
        self.macros = SqlMacros(conn)
        self.kb_suggestions = SqlSuggestions(conn)
        self.reply_checks = SqlReplyChecks(conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Commit if the block ended cleanly, else roll back (the exception goes on); publish the
        block's events only once the commit has succeeded."""
        conn = self._conn
        self._conn = None
        if conn is None:
            return
        events, self._events = self._events, []
        committed = False
        try:
            if exc_type is None and self.commits_on_exit:
                try:
                    conn.commit()
                except BaseException:
                    # A failed COMMIT (SQLite: a deferred constraint) can leave the driver's transaction
                    # open while SQLAlchemy thinks it ended: never hand that connection back to the pool.
                    conn.invalidate()
                    raise
                committed = True
        finally:
            try:
                if conn.in_transaction():
                    conn.rollback()  # the block raised, or the commit itself failed
            finally:
                try:
                    conn.close()
                finally:
                    self._leave_queue()
        if committed and self._bus is not None and events:
            self._bus.publish(events)

    def _leave_queue(self) -> None:
        queued, self._queued = self._queued, None
        if queued is not None:
            queued.release()

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use `with uow:`")
        return self._conn

    def commit(self) -> None:
        """Commit now and go on in a new transaction. Only for a block that must make a step durable
        before its next one (see tests/test_transactions.py's allow-list); `with` commits at its end."""
        self.connection.commit()
        events, self._events = self._events, []
        if self._bus is not None and events:
            self._bus.publish(events)
        self.connection.begin()

    def rollback(self) -> None:
        self.connection.rollback()
        self._events = []
        self.connection.begin()

    def emit(self, event: Event) -> None:
        self._events.append(event)
