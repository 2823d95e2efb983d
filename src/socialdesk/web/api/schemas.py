"""Request and response bodies of the REST API (pydantic models; OpenAPI is generated from them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from socialdesk.actions.care.sla import needs_reply_of, sla_view
from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.networks import can_reply
from socialdesk.domain.post import Message
from socialdesk.ports.care import CaseCare, Note
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
    needs_reply: bool | None = Field(
        None,
        description="Whether the case needs a reply (triage or an agent); only such cases have SLA clocks.",
    )
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
            needs_reply=needs_reply_of(care) if care else None,
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
    urgency: int = Field(0, description="0-100: the waiting messages' triage score plus the time waited.")
    case: CaseOut | None
    brand_account_id: Id | None = Field(
        default=None, description="The brand account the customer addressed; replies go out as it."
    )
    brand_handle: str | None = Field(default=None, description="That brand account's handle.")
    can_reply: bool = Field(
        default=True,
        description="Whether a reply can be sent on this channel; if not (RSS, generic webhooks), answer "
        "elsewhere and record it with POST /conversations/{id}/answered-elsewhere.",
    )
    private: bool = Field(
        default=False,
        description="The customer's newest message is private (a direct message): replies default to "
        "private, and a public reply needs `confirm_public`.",
    )

    @classmethod
    def of(
        cls,
        conv: Conversation,
        case: Case | None,
        care: CaseCare | None = None,
        now: datetime | None = None,
        brands: Mapping[int, str] | None = None,
        private: bool = False,
    ) -> ConversationOut:
        brand = conv.brand_account_id
        return cls(
            id=conv.id,
            private=private,
            brand_account_id=brand,
            brand_handle=(brands or {}).get(brand) if brand is not None else None,
            can_reply=can_reply(conv.channel),
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
            urgency=conv.urgency,
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
    total: int = Field(
        0,
        description="How many conversations match the filters, all pages together: exact up to 1,000 "
        "(or to the end of the page asked); beyond, `total_capped` is true and this is a lower bound.",
    )
    total_capped: bool = Field(
        False, description="True when more conversations match than `total` says (counting stopped)."
    )
    offset: int | None = Field(
        None, description="The offset of this page's first row (null when paged by cursor)."
    )
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page; null on the last")
    prev_offset: int | None = Field(
        None, description="Pass as `offset` for the previous page; null on the first."
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
    visibility: Literal["public", "private"] | None = Field(
        default=None,
        description="`private` sends a private message (an X DM, a Mastodon direct status, a Bluesky chat "
        "message). Default: private when the customer's newest message in the conversation is private, "
        "else public.",
    )
    confirm_public: bool = Field(
        default=False,
        description="Send a public reply even though the customer's newest message is private (else 409, "
        "`detail.confirm` = `confirm_public`).",
    )
    seen_message_id: Id | None = Field(
        default=None, description="The newest message you saw: newer ones make the reply a 409."
    )
    confirm_stale: bool = Field(default=False, description="Send even though newer messages arrived.")
    follow_up: FollowUpIn | None = Field(default=None, description="Schedule a follow-up you own.")
    brand_account_id: int | None = Field(
        default=None,
        description="Send as this brand account (one of the workspace's on the conversation's network); "
        "it becomes the conversation's brand. Default: the conversation's brand.",
    )
    thread: bool = Field(
        default=False,
        description="Over the network's limit, send a public reply as a numbered thread (each part within "
        "the limit, each answering the one before, the signature on the last) instead of a 422.",
    )


class AnsweredElsewhereIn(InputModel):
    via: Literal["channel", "email", "phone"] = Field(
        description="How the customer was answered: on another channel, by e-mail or by phone."
    )
    reference: str = Field(
        min_length=1,
        max_length=2000,
        description="The link to the answer (required for `channel`), or a reference (ticket, call time).",
    )


class ProposedFollowUpOut(BaseModel):
    due_at: datetime
    phrase: str = Field(description="The promise found in the reply, e.g. `we'll get back to you by Friday`.")


class ReplyOut(MessageOut):
    approval_id: int | None = Field(default=None, description="Set when the reply waits for an approver.")
    proposed_follow_up: ProposedFollowUpOut | None = Field(
        default=None, description="A promise in the text: confirm it with POST /follow-ups."
    )
    follow_up_id: int | None = None
    thread: list[MessageOut] = Field(
        default_factory=list, description="Every part, in order, when the reply went out as a thread."
    )


class CaseStatusIn(InputModel):
    status: Literal["new", "open", "pending_customer", "pending_internal", "resolved", "closed"]


class CasePriorityIn(InputModel):
    priority: Literal["low", "normal", "high", "urgent"]


class CaseNeedsReplyIn(InputModel):
    needs_reply: bool = Field(
        description="true: the case needs a reply (SLA clocks run); false: it needs none."
    )


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
    cases_opened: int = Field(
        default=0, description="Cases these posts opened (still waiting for the brand)."
    )
    cases_resolved: int = Field(default=0, description="History import: cases stored resolved, answered.")


class IngestIn(BaseModel):
    posts: list[dict[str, Any]] = Field(
        max_length=5000, description="Normalized posts (see post.schema.json)."
    )
    history: bool = Field(
        False,
        description="Past conversations: one whose newest message is the brand's is stored resolved "
        "(with its first-response time) instead of opening a case; only unanswered ones open.",
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
