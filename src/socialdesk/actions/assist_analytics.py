"""Analytics of the composer's assistance: knowledge-base suggestion acceptance (shown, inserted,
sent; per article and overall) and the share of near-identical public replies per agent and per day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Acceptance:
    shown: int
    inserted: int
    sent: int

    @property
    def insert_rate(self) -> float | None:
        return round(100 * self.inserted / self.shown, 1) if self.shown else None

    @property
    def send_rate(self) -> float | None:
        return round(100 * self.sent / self.shown, 1) if self.shown else None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    article_id: int
    key: str
    title: str
    figures: Acceptance


@dataclass(frozen=True, slots=True)
class KbAcceptance:
    since: datetime
    until: datetime
    overall: Acceptance
    articles: list[ArticleRow]  # most shown first (all, or as many as asked)


def get_kb_acceptance(
    uow: UnitOfWork, user: User, since: datetime, until: datetime, *, articles: int | None = None
) -> KbAcceptance:
    """Overall and per article, most shown first: every article, or the first `articles`."""
    rows = sorted(
        uow.kb_suggestions.acceptance(user.workspace_id, since, until),
        key=lambda r: (-r.shown, r.article_id),
    )
    out = []
    for r in rows[:articles]:
        article = uow.articles.get(user.workspace_id, r.article_id)
        key, title = (article.key, article.content.title) if article else (f"kb-{r.article_id}", "(gone)")
        out.append(ArticleRow(r.article_id, key, title, Acceptance(r.shown, r.inserted, r.sent)))
    overall = Acceptance(sum(r.shown for r in rows), sum(r.inserted for r in rows), sum(r.sent for r in rows))
    return KbAcceptance(since, until, overall, out)


@dataclass(frozen=True, slots=True)
class ScriptedRow:
    day: date
    user_id: int | None
    agent: str
    replies: int
    near_identical: int

    @property
    def share(self) -> float:
        return round(100 * self.near_identical / self.replies, 1) if self.replies else 0.0


@dataclass(frozen=True, slots=True)
class ScriptedShares:
    since: datetime
    until: datetime
    rows: list[ScriptedRow]  # per day (oldest first) and agent
    replies: int
    near_identical: int

    @property
    def share(self) -> float:
        return round(100 * self.near_identical / self.replies, 1) if self.replies else 0.0


def get_scripted_shares(uow: UnitOfWork, user: User, since: datetime, until: datetime) -> ScriptedShares:
    names = {u.id: u.name for u in uow.users.list(user.workspace_id)}
    rows = [
        ScriptedRow(
            s.day,
            s.user_id,
            names.get(s.user_id, "(removed)") if s.user_id else "(API or import)",
            s.replies,
            s.near_identical,
        )
        for s in uow.reply_checks.shares(user.workspace_id, since, until)
    ]
    return ScriptedShares(
        since, until, rows, sum(r.replies for r in rows), sum(r.near_identical for r in rows)
    )
