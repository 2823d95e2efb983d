"""The composer's assistance records: knowledge-base suggestions (shown, inserted, sent) and the
unscripted guard's check of each public reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ShownSuggestion:
    """One article suggested to one agent in one conversation (recorded once, when first shown)."""

    id: int
    workspace_id: int
    conversation_id: int
    article_id: int
    user_id: int
    rank: int
    score: float
    shown_at: datetime
    inserted_at: datetime | None = None
    inserted_text: str | None = None
    sent_at: datetime | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleAcceptance:
    article_id: int
    shown: int
    inserted: int
    sent: int


@dataclass(frozen=True, slots=True)
class PriorReply:
    """A public reply the brand sent earlier, as the guard compares with."""

    message_id: int
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ScriptedShare:
    """Public replies checked and how many were near-identical, for one agent on one day (UTC)."""

    day: date
    user_id: int | None
    replies: int
    near_identical: int


class SuggestionRepo(Protocol):
    def record_shown(
        self,
        workspace_id: int,
        conversation_id: int,
        user_id: int,
        shown: list[tuple[int, int, float]],
        now: datetime,
    ) -> None:
        """Record (article id, rank, score) as shown, once per conversation, article and agent."""
        ...

    def shown(self, workspace_id: int, conversation_id: int, user_id: int) -> dict[int, ShownSuggestion]:
        """This agent's suggestions in this conversation, by article id."""
        ...

    def get(self, workspace_id: int, suggestion_id: int) -> ShownSuggestion | None: ...
    def mark_inserted(self, workspace_id: int, suggestion_id: int, text: str, now: datetime) -> None: ...
    def mark_sent(self, workspace_id: int, suggestion_id: int, message_id: int, now: datetime) -> None: ...
    def acceptance(self, workspace_id: int, since: datetime, until: datetime) -> list[ArticleAcceptance]:
        """Per article, suggestions first shown in [since, until): shown, inserted, sent."""
        ...


class ReplyCheckRepo(Protocol):
    def recent(self, workspace_id: int, brand: str, since: datetime, limit: int) -> list[PriorReply]:
        """The brand's public replies checked since `since`, newest first, at most `limit`."""
        ...

    def add(
        self,
        workspace_id: int,
        message_id: int,
        user_id: int | None,
        brand: str,
        body: str,
        similarity: float,
        *,
        near_identical: bool,
        confirmed: bool,
        now: datetime,
    ) -> None: ...

    def shares(self, workspace_id: int, since: datetime, until: datetime) -> list[ScriptedShare]:
        """Per UTC day and agent, the public replies checked in [since, until) and the near-identical."""
        ...
