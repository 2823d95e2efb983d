"""The repositories of the care workflow (routing, SLA, collaboration, approvals, audit).

Part of the ports (see ports.py): each has a SQL implementation (storage/sql_care_*.py), checked by
one contract suite on SQLite and PostgreSQL. Every method takes the workspace.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Protocol

from socialdesk.domain.care import ApprovalStatus, FollowUpStatus
from socialdesk.domain.case import Case
from socialdesk.domain.people import Team, User


@dataclass(frozen=True, slots=True)
class CaseCare:
    """What the care workflow keeps on a case beside its status: tags, SLA clocks, merge and problem."""

    case_id: int
    tags: tuple[str, ...] = ()
    facts: dict[str, Any] | None = None  # what routing saw: language, products (monitors), urgency
    sla: dict[str, Any] | None = None  # sla_codec.sla_to_json(CaseSla)
    sla_state: str | None = None  # breached, warning (at risk), ok, paused, done; None: no SLA
    sla_next_check_at: datetime | None = None
    merged_into_id: int | None = None  # the case this one was merged into
    problem_id: int | None = None
    snoozed_until: datetime | None = None  # the inbox leaves the conversation out until then
    snoozed_at: datetime | None = None  # when it was snoozed: the customer writing after it wakes it


@dataclass(frozen=True, slots=True)
class RoutingRuleRow:
    id: int
    workspace_id: int
    name: str
    position: int
    conditions: dict[str, Any]
    team_id: int | None
    priority: str | None
    tags: tuple[str, ...]
    auto_resolve: bool
    stop: bool


@dataclass(frozen=True, slots=True)
class NewRoutingRule:
    name: str
    position: int
    conditions: dict[str, Any] = field(default_factory=dict)
    team_id: int | None = None
    priority: str | None = None
    tags: tuple[str, ...] = ()
    auto_resolve: bool = False
    stop: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    workspace_id: int
    conversation_id: int
    case_id: int | None
    author_id: int
    text: str
    mentions: tuple[int, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    workspace_id: int
    user_id: int
    kind: str  # one of actions/care_notifications.py KIND_LABELS (mention, assigned, approval_...)
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SavedReply:
    id: int
    workspace_id: int
    owner_id: int | None  # personal to this user; None: shared with the team (or everyone)
    team_id: int | None
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Approval:
    id: int
    workspace_id: int
    message_id: int
    conversation_id: int
    requested_by: int
    reasons: tuple[str, ...]
    status: ApprovalStatus
    created_at: datetime
    decided_by: int | None = None
    decided_at: datetime | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: int
    workspace_id: int
    conversation_id: int
    case_id: int | None
    owner_id: int
    due_at: datetime
    note: str
    status: FollowUpStatus
    created_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    workspace_id: int
    at: datetime
    actor_id: int | None  # None: the system (routing, SLA checks)
    action: str
    case_id: int | None
    conversation_id: int | None
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Problem:
    id: int
    workspace_id: int
    title: str
    created_at: datetime


class TeamRepo(Protocol):
    def add(self, workspace_id: int, team: Team) -> Team: ...
    def get(self, workspace_id: int, team_id: int) -> Team | None: ...
    def list(self, workspace_id: int) -> list[Team]: ...
    def save(self, team: Team) -> None: ...
    def add_member(self, workspace_id: int, team_id: int, user_id: int) -> None: ...
    def remove_member(self, workspace_id: int, team_id: int, user_id: int) -> bool: ...
    def members(self, workspace_id: int) -> dict[int, builtins.list[int]]:
        """Team id -> user ids in roster order (the order they joined)."""
        ...


class AgentRepo(Protocol):
    def save(self, user: User) -> None:
        """Store the agent fields of a user: status, capacity, in_training, skills, signature."""
        ...


class RoutingRuleRepo(Protocol):
    def add(self, workspace_id: int, rule: NewRoutingRule) -> RoutingRuleRow: ...
    def list(self, workspace_id: int) -> list[RoutingRuleRow]:
        """In evaluation order (position, then id)."""
        ...

    def delete(self, workspace_id: int, rule_id: int) -> bool: ...


class SettingsRepo(Protocol):
    """Workspace settings as JSON values (SLA policy, approval rules)."""

    def get(self, workspace_id: int, key: str) -> Any | None: ...
    def put(self, workspace_id: int, key: str, value: Any, now: datetime) -> None: ...


class CaseCareRepo(Protocol):
    def get_many(self, workspace_id: int, case_ids: Iterable[int]) -> dict[int, CaseCare]: ...
    def save(self, workspace_id: int, care: CaseCare) -> None: ...
    def due_sla(self, workspace_id: int, now: datetime, limit: int) -> list[int]:
        """Cases whose SLA needs a check (``sla_next_check_at <= now``), earliest first."""
        ...

    def waiting(self, workspace_id: int, team_ids: Iterable[int]) -> list[Case]:
        """Active unassigned cases in these teams' queues."""
        ...

    def loads(self, workspace_id: int) -> dict[int, int]:
        """Open (active) cases per assignee."""
        ...

    def last_assignee_for_contact(self, workspace_id: int, contact_id: int) -> int | None: ...
    def in_problem(self, workspace_id: int, problem_id: int) -> list[int]: ...
    def fired_escalations(self, workspace_id: int, case_id: int) -> set[str]: ...
    def record_escalation(
        self, workspace_id: int, case_id: int, key: str, rule_id: str, actions: Sequence[str], at: datetime
    ) -> None: ...


class NoteRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        conversation_id: int,
        case_id: int | None,
        author_id: int,
        text: str,
        mentions: Sequence[int],
        now: datetime,
    ) -> Note: ...
    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Note]: ...
    def move(self, workspace_id: int, from_conversation: int, to_conversation: int) -> None: ...


class NotificationRepo(Protocol):
    def add(
        self, workspace_id: int, user_id: int, kind: str, data: dict[str, Any], now: datetime
    ) -> None: ...
    def list(self, workspace_id: int, user_id: int, unread_only: bool = False) -> list[Notification]:
        """Newest first."""
        ...

    def mark_read(self, workspace_id: int, user_id: int, ids: Iterable[int], now: datetime) -> None: ...


class SavedReplyRepo(Protocol):
    def add(
        self, workspace_id: int, owner_id: int | None, team_id: int | None, title: str, body: str
    ) -> SavedReply: ...
    def get(self, workspace_id: int, reply_id: int) -> SavedReply | None: ...
    def list(self, workspace_id: int) -> list[SavedReply]: ...
    def update(self, reply: SavedReply) -> None:
        """Store the reply's title and body."""
        ...

    def delete(self, workspace_id: int, reply_id: int) -> None: ...


class ApprovalRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        message_id: int,
        conversation_id: int,
        requested_by: int,
        reasons: Sequence[str],
        now: datetime,
    ) -> Approval: ...
    def get(self, workspace_id: int, approval_id: int) -> Approval | None: ...
    def list(self, workspace_id: int, status: ApprovalStatus | None) -> list[Approval]: ...
    def decide(
        self,
        workspace_id: int,
        approval_id: int,
        status: ApprovalStatus,
        decided_by: int,
        comment: str,
        now: datetime,
    ) -> Approval: ...


class FollowUpRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        conversation_id: int,
        case_id: int | None,
        owner_id: int,
        due_at: datetime,
        note: str,
        now: datetime,
    ) -> FollowUp: ...
    def list(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        status: FollowUpStatus | None = None,
        due_before: datetime | None = None,
        conversation_id: int | None = None,
    ) -> list[FollowUp]:
        """By due time, earliest first."""
        ...

    def close(self, workspace_id: int, follow_up_id: int, status: FollowUpStatus, now: datetime) -> None: ...


class AuditRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        at: datetime,
        actor_id: int | None,
        action: str,
        case_id: int | None,
        conversation_id: int | None,
        data: dict[str, Any],
    ) -> None: ...
    def for_case(self, workspace_id: int, case_id: int) -> list[AuditEntry]: ...
    def between(self, workspace_id: int, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        """Entries with ``start <= at < end``, oldest first."""
        ...


class ProblemRepo(Protocol):
    def add(self, workspace_id: int, title: str, now: datetime) -> Problem: ...
    def get(self, workspace_id: int, problem_id: int) -> Problem | None: ...
    def list(self, workspace_id: int) -> list[Problem]: ...


@dataclass(frozen=True, slots=True)
class Presence:
    user_id: int
    state: str  # viewing, typing
    since: datetime


class PresenceHub(Protocol):
    """Who is viewing or typing in which conversation, forgotten after a short time without news.

    In memory for one process, shared over the bus between web processes when scaling out (web/presence.py).
    """

    def set(self, workspace_id: int, conversation_id: int, user_id: int, state: str, now: datetime) -> bool:
        """Record ``state`` (viewing, typing, or left to forget the user); True when it changed."""
        ...

    def who(self, workspace_id: int, conversation_id: int, now: datetime) -> list[Presence]: ...


INCIDENT_STATUSES: Final = ("suspected", "confirmed", "resolved")


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """A problem seen as an incident (docs/incidents.md): the detector opens one `suspected`."""

    id: int
    workspace_id: int
    title: str
    created_at: datetime
    status: str = "confirmed"
    owner_id: int | None = None
    note: str = ""
    status_text: str = ""
    detected_at: datetime | None = None
    summary: str = ""
    keywords: tuple[str, ...] = ()
    detector_key: str | None = None
    resolved_at: datetime | None = None
    replies_need_approval: bool = False  # its replies to customers wait for an approver


@dataclass(frozen=True, slots=True)
class IncidentMember:
    id: int
    problem_id: int
    conversation_id: int | None
    message_id: int | None
    added_at: datetime
    added_by: int | None  # None: the detector
    removed_at: datetime | None = None


class IncidentRepo(Protocol):
    def open(self, incident: IncidentRecord) -> IncidentRecord:
        """Store a new incident (its id is ignored) and return it with its id."""
        ...

    def get(self, workspace_id: int, incident_id: int) -> IncidentRecord | None: ...
    def list(
        self, workspace_id: int, status: str | None = None, limit: int = 100
    ) -> builtins.list[IncidentRecord]:
        """Newest first."""
        ...

    def save(self, incident: IncidentRecord) -> None: ...
    def add_members(
        self,
        workspace_id: int,
        incident_id: int,
        members: Sequence[tuple[int | None, int | None]],
        now: datetime,
        added_by: int | None,
    ) -> int:
        """Add (conversation id, message id) pairs; one already there (or removed by an agent) is
        skipped, except that an agent adding a removed conversation brings it back. Returns how many
        were added."""
        ...

    def remove_conversation(
        self, workspace_id: int, incident_id: int, conversation_id: int, now: datetime
    ) -> int:
        """Mark the conversation's members removed; returns how many rows were."""
        ...

    def members(self, workspace_id: int, incident_id: int) -> builtins.list[IncidentMember]:
        """Members not removed, in the order they joined."""
        ...

    def lock(self, workspace_id: int, incident_id: int) -> None:
        """Hold the incident's row until the transaction ends (`FOR UPDATE` on PostgreSQL; SQLite's one
        writer already serializes), so two agents answering at once run one after the other."""
        ...

    def replies(self, workspace_id: int, incident_id: int, kind: str) -> dict[int, IncidentReply]:
        """What the incident sent or queued to its conversations, of one kind, by conversation id."""
        ...

    def add_reply(self, reply: IncidentReply) -> None:
        """Record it (its id is ignored); a second one for the same incident, conversation and kind
        is refused by the database (the transaction fails: nothing goes out twice)."""
        ...

    def reply_progress(self, workspace_id: int, incident_id: int, kind: str) -> dict[str, int]:
        """How many of the incident's replies of this kind are in each delivery state (pending,
        awaiting_approval, sent, failed...)."""
        ...


INCIDENT_REPLY_KINDS: Final = ("answer", "fixed")


@dataclass(frozen=True, slots=True)
class IncidentReply:
    """One incident's message to one conversation: `answer` (answer everyone affected) or `fixed`
    (the follow-up when it is resolved)."""

    id: int
    workspace_id: int
    problem_id: int
    conversation_id: int
    kind: str
    created_at: datetime
    message_id: int | None = None
    follow_up_id: int | None = None


@dataclass(frozen=True, slots=True)
class ResponseFigures:
    """What a brand's customers on one channel wait for now (the public response-time endpoint)."""

    first_responses_s: tuple[float, ...]  # first-response times of the cases answered since `since`
    waiting: int  # cases open now without a first response
    oldest_waiting_since: datetime | None


class ResponseTimeRepo(Protocol):
    def figures(
        self, workspace_id: int, brand_account_id: int, channel: str, since: datetime
    ) -> ResponseFigures: ...
