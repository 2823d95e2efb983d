"""Reading conversations and cases: the one permission-checked way to reach them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from socialdesk.domain.case import Case
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import Message
from socialdesk.ports.care import CaseCare, Note
from socialdesk.ports.inbox import ConversationQuery, ConversationRow
from socialdesk.ports.uow import UnitOfWork


@dataclass(frozen=True)
class ConversationDetail:
    conversation: Conversation
    case: Case | None
    messages: list[Message]
    cases: list[Case]
    care: dict[int, CaseCare] = field(default_factory=dict)  # by case id: tags, SLA, merge, problem
    notes: list[Note] = field(default_factory=list)  # internal notes: never sent anywhere


def access_conversation_by_id(uow: UnitOfWork, user: User, conversation_id: int) -> Conversation:
    """The conversation, if it is in the user's workspace; otherwise NotFound (never a hint it exists)."""
    conv = uow.conversations.get(user.workspace_id, conversation_id)
    if conv is None:
        raise NotFound(f"conversation {conversation_id}")
    return conv


def access_case_by_id(uow: UnitOfWork, user: User, case_id: int) -> Case:
    case = uow.cases.get(user.workspace_id, case_id)
    if case is None:
        raise NotFound(f"case {case_id}")
    return case


def get_conversation_detail(uow: UnitOfWork, user: User, conversation_id: int) -> ConversationDetail:
    conv = access_conversation_by_id(uow, user, conversation_id)
    cases = uow.cases.list_for_conversation(user.workspace_id, conv.id)
    current = next((c for c in cases if c.id == conv.current_case_id), None)
    messages = uow.messages.list_for_conversation(user.workspace_id, conv.id)
    care = uow.care.get_many(user.workspace_id, [c.id for c in cases])
    notes = uow.notes.list_for_conversation(user.workspace_id, conv.id)
    return ConversationDetail(conv, current, messages, cases, care, notes)


def list_conversations(uow: UnitOfWork, user: User, query: ConversationQuery) -> list[ConversationRow]:
    """The user's workspace's conversations the query selects. Search text holding a NUL is refused:
    SQLite's LIKE stops at it (so it matched everything) and PostgreSQL cannot take it at all."""
    if query.text is not None and "\x00" in query.text:
        raise ValidationFailed("q: the search text contains a NUL character (\\x00)")
    return uow.conversations.query(user.workspace_id, query)


def count_conversations(uow: UnitOfWork, user: User, query: ConversationQuery, cap: int | None = None) -> int:
    """How many conversations of the user's workspace the query finds, on all its pages; with `cap`, at
    most `cap` (cheap whatever the number of matches)."""
    return uow.conversations.count_matching(user.workspace_id, query, cap)


def customer_history(
    uow: UnitOfWork, user: User, conversation: Conversation, limit: int = 50
) -> list[ConversationRow]:
    """The same customer's other conversations, on every channel of their handles (inbox order)."""
    if conversation.contact_id is None or conversation.workspace_id != user.workspace_id:
        return []
    query = ConversationQuery(contact_id=conversation.contact_id, limit=limit + 1)
    rows = uow.conversations.query(user.workspace_id, query)
    return [r for r in rows if r.conversation.id != conversation.id][:limit]


def private_conversations(uow: UnitOfWork, user: User, conversation_ids: list[int]) -> set[int]:
    """The conversations whose newest customer message is private (a DM): the inbox's "private" marker,
    and where a reply defaults to a private message."""
    return uow.messages.private_conversations(user.workspace_id, conversation_ids)


def review_ratings(uow: UnitOfWork, user: User, conversation_ids: list[int]) -> dict[int, int]:
    """Per conversation, the stars of its review (the newest rated customer message): the inbox row."""
    return uow.messages.ratings(user.workspace_id, conversation_ids)


def latest_triage(uow: UnitOfWork, user: User, conversation_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per conversation, the triage of its newest customer message: the inbox row badges."""
    return uow.messages.latest_inbound_triage(user.workspace_id, conversation_ids)
