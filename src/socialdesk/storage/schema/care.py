"""Tables of the care workflow: teams, routing, settings, SLA escalations, collaboration, audit."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from socialdesk.storage.schema.base import Id, _ws, metadata
from socialdesk.storage.types import UTCDateTime

__all__ = [
    "approvals",
    "audit_log",
    "follow_ups",
    "incident_replies",
    "notes",
    "notifications",
    "problem_members",
    "problems",
    "routing_rules",
    "saved_replies",
    "sla_escalations",
    "team_members",
    "teams",
    "workspace_settings",
]

teams = Table(
    "teams",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("strategy", String(16), nullable=False),
    Column("fallback", String(16), nullable=False),
    Column("hours", JSON),  # {"timezone", "schedule", "holidays"}; NULL: 24/7 UTC
    Column("rr_last_agent_id", Id),
    UniqueConstraint("workspace_id", "name", name="uq_teams_name"),
)

team_members = Table(
    "team_members",
    metadata,
    Column("id", Id, primary_key=True),  # roster order
    _ws(),
    Column("team_id", Id, ForeignKey("teams.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    UniqueConstraint("team_id", "user_id", name="uq_team_members_member"),
)

routing_rules = Table(
    "routing_rules",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("conditions", JSON, nullable=False),
    Column("team_id", Id, ForeignKey("teams.id")),
    Column("priority", String(16)),
    Column("tags", JSON, nullable=False),
    Column("auto_resolve", Boolean, nullable=False, default=False),
    Column("stop", Boolean, nullable=False, default=True),
    Index("ix_routing_rules_order", "workspace_id", "position", "id"),
)

workspace_settings = Table(
    "workspace_settings",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("key", String(64), nullable=False),  # sla_policy, approval_rules
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace_id", "key", name="uq_workspace_settings_key"),
)

sla_escalations = Table(
    "sla_escalations",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("key", String(200), nullable=False),  # (rule, clock run): fires once
    Column("rule_id", String(100), nullable=False),
    Column("actions", JSON, nullable=False),
    Column("fired_at", UTCDateTime, nullable=False),
    UniqueConstraint("case_id", "key", name="uq_sla_escalations_key"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("conversation_id", Id, ForeignKey("conversations.id"), nullable=False),
    Column("case_id", Id, ForeignKey("cases.id")),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("mentions", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_notes_conversation", "workspace_id", "conversation_id", "id"),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime),
    Index("ix_notifications_user", "workspace_id", "user_id", "id"),
)

saved_replies = Table(
    "saved_replies",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("owner_id", Id, ForeignKey("users.id")),
    Column("team_id", Id, ForeignKey("teams.id")),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("message_id", Id, ForeignKey("messages.id"), nullable=False),
    Column("conversation_id", Id, ForeignKey("conversations.id"), nullable=False),
    Column("requested_by", Id, ForeignKey("users.id"), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_by", Id, ForeignKey("users.id")),
    Column("decided_at", UTCDateTime),
    Column("comment", Text, nullable=False, default=""),
    Index("ix_approvals_status", "workspace_id", "status", "id"),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("conversation_id", Id, ForeignKey("conversations.id"), nullable=False),
    Column("case_id", Id, ForeignKey("cases.id")),
    Column("owner_id", Id, ForeignKey("users.id"), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Index("ix_follow_ups_due", "workspace_id", "status", "due_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Id, ForeignKey("users.id")),
    Column("action", String(40), nullable=False),
    Column("case_id", Id),
    Column("conversation_id", Id),
    Column("data", JSON, nullable=False),
    Index("ix_audit_log_case", "workspace_id", "case_id", "id"),
    Index("ix_audit_log_at", "workspace_id", "at"),
)

# A problem is an incident (docs/incidents.md): the detector opens one as `suspected`; agents create
# them too. Migration 0009 added every column after created_at (a problem from before is `confirmed`).
problems = Table(
    "problems",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("title", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, server_default="confirmed"),
    Column("owner_id", Id, ForeignKey("users.id")),
    Column("note", Text, nullable=False, server_default=""),
    Column("status_text", String(280), nullable=False, server_default=""),
    Column("detected_at", UTCDateTime),
    Column("summary", String(500), nullable=False, server_default=""),
    Column("keywords", JSON),
    Column("detector_key", String(200)),
    Column("resolved_at", UTCDateTime),
    # Migration 0014: the incident's replies to its customers wait for an approver.
    Column("replies_need_approval", Boolean, nullable=False, server_default=false()),
    Index("ix_problems_status", "workspace_id", "status"),
)

# The conversations (and, when the detector took it, the post) of an incident. A member an agent
# removed keeps its row with `removed_at`, so the detector does not add it again.
problem_members = Table(
    "problem_members",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("problem_id", Id, ForeignKey("problems.id"), nullable=False),
    Column("conversation_id", Id),
    Column("message_id", Id),
    Column("added_at", UTCDateTime, nullable=False),
    Column("added_by", Id, ForeignKey("users.id")),  # None: the detector
    Column("removed_at", UTCDateTime),
    Index("ix_problem_members_problem", "workspace_id", "problem_id"),
    Index("ix_problem_members_conversation", "workspace_id", "conversation_id"),
)

# What an incident sent (or queued) to each of its customers, once per kind (migration 0014): `answer`
# (answer everyone affected) and `fixed` (the follow-up on resolving). The unique key is what makes
# re-running either, resolving twice or reopening and resolving again never write to anyone twice.
incident_replies = Table(
    "incident_replies",
    metadata,
    Column("id", Id, primary_key=True),
    _ws(),
    Column("problem_id", Id, ForeignKey("problems.id"), nullable=False),
    Column("conversation_id", Id, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("message_id", Id),  # the reply, when one was written (not for a follow-up queued for an agent)
    Column("follow_up_id", Id),  # the promise-ledger entry (kind `fixed`)
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("workspace_id", "problem_id", "conversation_id", "kind", name="uq_incident_replies"),
)
