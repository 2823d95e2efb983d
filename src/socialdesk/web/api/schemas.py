"""Request and response bodies of the REST API (pydantic models; OpenAPI is generated from them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.post import Message


class CaseOut(BaseModel):
    id: int
    status: str
    assignee_id: int | None
    priority: str
    opened_at: datetime
    first_response_at: datetime | None
    first_response_seconds: float | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls(
            id=case.id,
            status=case.status.value,
            assignee_id=case.assignee_id,
            priority=case.priority,
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
    def of(cls, conv: Conversation, case: Case | None) -> ConversationOut:
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
            case=CaseOut.of(case) if case else None,
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


class ConversationDetailOut(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]
    cases: list[CaseOut]


class ReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    visibility: Literal["public", "private"] = "public"


class CaseStatusIn(BaseModel):
    status: Literal["new", "open", "pending_customer", "pending_internal", "resolved", "closed"]


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


class IngestIn(BaseModel):
    posts: list[dict[str, Any]] = Field(
        max_length=5000, description="Normalized posts (see post.schema.json)."
    )
