"""Request and response bodies of the REST API (pydantic models; OpenAPI is generated from them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from socialdesk.actions.care_sla import sla_view
from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.post import Message
from socialdesk.ports_care import CaseCare, Note
from socialdesk.web.inputs import Id, InputModel


class CaseOut(BaseModel):
    id: int
    status: str
    assignee_id: int | None
    team_id: int | None = None
    priority: str
    tags: list[str] = Field(default_factory=list)
    sla: dict[str, Any] | None = Field(
        None, description="SLA summary (`state`: breached, warning = at risk, ok, paused, done) and clocks."
    )
    merged_into_id: int | None = None
    problem_id: int | None = None
    opened_at: datetime
    first_response_at: datetime | None
    first_response_seconds: float | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, case: Case, care: CaseCare | None = None, now: datetime | None = None) -> CaseOut:
        return cls(
            id=case.id,
            status=case.status.value,
            assignee_id=case.assignee_id,
            team_id=case.team_id,
            priority=case.priority,
            tags=list(care.tags) if care else [],
            sla=sla_view(care, now) if now is not None else None,
            merged_into_id=care.merged_into_id if care else None,
            problem_id=care.problem_id if care else None,
            opened_at=case.opened_at,
            first_response_at=case.first_response_at,
            first_response_seconds=case.first_response_seconds,
            resolved_at=case.resolved_at,
        )


class ConversationOut(BaseModel):
    id: int
    channel: str
    subject: str
    author_handle: str
    author_name: str
    author_followers: int | None
    last_text: str
    created_at: datetime
    last_message_at: datetime
    waiting_since: datetime | None
    message_count: int
    case: CaseOut | None

    @classmethod
    def of(
        cls, conv: Conversation, case: Case | None, care: CaseCare | None = None, now: datetime | None = None
    ) -> ConversationOut:
        return cls(
            id=conv.id,
            channel=conv.channel,
            subject=conv.subject,
            author_handle=conv.author_handle,
            author_name=conv.author_name,
            author_followers=conv.author_followers,
            last_text=conv.last_text,
            created_at=conv.created_at,
            last_message_at=conv.last_message_at,
            waiting_since=conv.waiting_since,
            message_count=conv.message_count,
            case=CaseOut.of(case, care, now) if case else None,
        )


class MessageOut(BaseModel):
    id: int
    external_id: str | None
    channel: str
    direction: str
    visibility: str
    text: str
    created_at: datetime
    author_handle: str
    author_name: str
    in_reply_to: str | None
    sent_by_user_id: int | None
    delivery: str
    monitors: list[str]
    triage: dict[str, Any] | None

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        return cls(
            id=m.id,
            external_id=m.external_id,
            channel=m.channel,
            direction=m.direction.value,
            visibility=m.visibility.value,
            text=m.text,
            created_at=m.created_at,
            author_handle=m.author_handle,
            author_name=m.author_name,
            in_reply_to=m.in_reply_to,
            sent_by_user_id=m.sent_by_user_id,
            delivery=m.delivery,
            monitors=list(m.monitors),
            triage=m.triage,
        )


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class NoteOut(BaseModel):
    id: int
    case_id: int | None
    author_id: int
    text: str
    mentions: list[int]
    created_at: datetime

    @classmethod
    def of(cls, n: Note) -> NoteOut:
        return cls(
            id=n.id,
            case_id=n.case_id,
            author_id=n.author_id,
            text=n.text,
            mentions=list(n.mentions),
            created_at=n.created_at,
        )


class ConversationDetailOut(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]
    cases: list[CaseOut]
    notes: list[NoteOut] = Field(default_factory=list, description="Internal notes; never sent.")


class FollowUpIn(InputModel):
    due_at: datetime = Field(description="When the promised follow-up is due (with a time zone).")
    note: str = Field(default="", max_length=2000)


class ReplyIn(InputModel):
    text: str = Field(min_length=1, max_length=10_000)
    visibility: Literal["public", "private"] = "public"
    seen_message_id: Id | None = Field(
        default=None, description="The newest message you saw: newer ones make the reply a 409."
    )
    confirm_stale: bool = Field(default=False, description="Send even though newer messages arrived.")
    follow_up: FollowUpIn | None = Field(default=None, description="Schedule a follow-up you own.")


class ProposedFollowUpOut(BaseModel):
    due_at: datetime
    phrase: str = Field(description="The promise found in the reply, e.g. `we'll get back to you by Friday`.")


class ReplyOut(MessageOut):
    approval_id: int | None = Field(default=None, description="Set when the reply waits for an approver.")
    proposed_follow_up: ProposedFollowUpOut | None = Field(
        default=None, description="A promise in the text: confirm it with POST /follow-ups."
    )
    follow_up_id: int | None = None


class CaseStatusIn(InputModel):
    status: Literal["new", "open", "pending_customer", "pending_internal", "resolved", "closed"]


class CasePriorityIn(InputModel):
    priority: Literal["low", "normal", "high", "urgent"]


class PostErrorOut(BaseModel):
    index: int = Field(description="Position of the post in the request (0-based).")
    field: str
    message: str


class IngestOut(BaseModel):
    received: int
    added: int
    duplicates: int
    conversations_created: int
    errors: list[PostErrorOut]
    queued: int = Field(default=0, description="Scale-out mode: posts queued for the ingest workers.")


class IngestIn(BaseModel):
    posts: list[dict[str, Any]] = Field(
        max_length=5000, description="Normalized posts (see post.schema.json)."
    )


class PostFateOut(BaseModel):
    """What became of a post fed in through `POST /api/v1/posts` (or a channel)."""

    channel: str
    id: str
    status: Literal["stored", "rejected", "unknown"] = Field(
        description="stored; rejected (scale-out: an ingest worker gave up on it, `reason` says why); "
        "unknown: not stored and not rejected: still queued (scale-out), or never received."
    )
    message_id: int | None = Field(default=None, description="The stored message (status stored).")
    conversation_id: int | None = Field(
        default=None, description="Its conversation (status stored; null when kept for listening only)."
    )
    reason: str | None = Field(default=None, description="Why it was rejected (status rejected).")
