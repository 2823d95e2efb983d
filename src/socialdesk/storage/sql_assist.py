"""SQL repositories for the composer's assistance records: knowledge-base suggestions and the
unscripted guard's checks of public replies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from socialdesk.ports_assist import ArticleAcceptance, PriorReply, ScriptedShare, ShownSuggestion
from socialdesk.storage import schema as s


def _suggestion(row: Row[Any]) -> ShownSuggestion:
    return ShownSuggestion(
        id=row.id,
        workspace_id=row.workspace_id,
        conversation_id=row.conversation_id,
        article_id=row.article_id,
        user_id=row.user_id,
        rank=row.rank,
        score=row.score,
        shown_at=row.shown_at,
        inserted_at=row.inserted_at,
        inserted_text=row.inserted_text,
        sent_at=row.sent_at,
        message_id=row.message_id,
    )


class SqlSuggestions:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record_shown(
        self,
        workspace_id: int,
        conversation_id: int,
        user_id: int,
        shown: list[tuple[int, int, float]],
        now: datetime,
    ) -> None:
        if not shown:
            return
        rows = [
            {
                "workspace_id": workspace_id,
                "conversation_id": conversation_id,
                "article_id": article_id,
                "user_id": user_id,
                "rank": rank,
                "score": score,
                "shown_at": now,
            }
            for article_id, rank, score in shown
        ]
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        # Two requests showing the same suggestion at once: the second adds nothing.
        stmt = dialect.insert(s.kb_suggestions).on_conflict_do_nothing(
            index_elements=["conversation_id", "article_id", "user_id"]
        )
        self.conn.execute(stmt, rows)

    def shown(self, workspace_id: int, conversation_id: int, user_id: int) -> dict[int, ShownSuggestion]:
        t = s.kb_suggestions
        q = select(t).where(
            t.c.workspace_id == workspace_id, t.c.conversation_id == conversation_id, t.c.user_id == user_id
        )
        return {row.article_id: _suggestion(row) for row in self.conn.execute(q)}

    def get(self, workspace_id: int, suggestion_id: int) -> ShownSuggestion | None:
        t = s.kb_suggestions
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == suggestion_id)
        ).first()
        return _suggestion(row) if row is not None else None

    def mark_inserted(self, workspace_id: int, suggestion_id: int, text: str, now: datetime) -> None:
        t = s.kb_suggestions
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == suggestion_id)
            .values(inserted_at=func.coalesce(t.c.inserted_at, now), inserted_text=text)
        )

    def mark_sent(self, workspace_id: int, suggestion_id: int, message_id: int, now: datetime) -> None:
        t = s.kb_suggestions
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == suggestion_id, t.c.sent_at.is_(None))
            .values(sent_at=now, message_id=message_id)
        )

    def acceptance(self, workspace_id: int, since: datetime, until: datetime) -> list[ArticleAcceptance]:
        t = s.kb_suggestions
        q = (
            select(t.c.article_id, func.count(), func.count(t.c.inserted_at), func.count(t.c.sent_at))
            .where(t.c.workspace_id == workspace_id, t.c.shown_at >= since, t.c.shown_at < until)
            .group_by(t.c.article_id)
            .order_by(t.c.article_id)
        )
        return [
            ArticleAcceptance(int(a), int(n), int(i), int(sent)) for a, n, i, sent in self.conn.execute(q)
        ]


class SqlReplyChecks:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def recent(self, workspace_id: int, brand: str, since: datetime, limit: int) -> list[PriorReply]:
        t = s.public_reply_checks
        q = (
            select(t.c.message_id, t.c.body, t.c.created_at)
            .where(t.c.workspace_id == workspace_id, t.c.brand == brand, t.c.created_at >= since)
            .order_by(t.c.created_at.desc(), t.c.id.desc())
            .limit(limit)
        )
        return [PriorReply(int(m), b, at) for m, b, at in self.conn.execute(q)]

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
    ) -> None:
        self.conn.execute(
            insert(s.public_reply_checks).values(
                workspace_id=workspace_id,
                message_id=message_id,
                user_id=user_id,
                brand=brand,
                body=body,
                similarity=similarity,
                near_identical=near_identical,
                confirmed=confirmed,
                created_at=now,
            )
        )

    def shares(self, workspace_id: int, since: datetime, until: datetime) -> list[ScriptedShare]:
        t = s.public_reply_checks
        if self.conn.dialect.name == "postgresql":
            day = func.date(func.timezone("UTC", t.c.created_at))
        else:  # stored as UTC text, "YYYY-MM-DD HH:MM:SS..."
            day = func.date(t.c.created_at)
        near = func.sum(case((t.c.near_identical, 1), else_=0))
        q = (
            select(day.label("day"), t.c.user_id, func.count(), near)
            .where(t.c.workspace_id == workspace_id, t.c.created_at >= since, t.c.created_at < until)
            .group_by(day, t.c.user_id)
        )
        rows = [
            ScriptedShare(date.fromisoformat(str(d)), user_id, int(n), int(k or 0))
            for d, user_id, n, k in self.conn.execute(q)
        ]
        return sorted(rows, key=lambda r: (r.day, r.user_id or 0))
