"""The composer's assistance records give the same answers on SQLite and PostgreSQL: suggestions shown
once per conversation, article and agent (a repeat adds nothing), inserted, sent, their acceptance by
article; public reply checks by brand and time, and their shares per day and agent; workspaces apart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from socialdesk.actions.ingest import do_ingest_posts
from socialdesk.domain.knowledge import ArticleContent, ArticleState
from socialdesk.domain.people import Role
from socialdesk.domain.post import Author, Post
from socialdesk.ports import UnitOfWork

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def _post(ident: str) -> Post:
    return Post(
        id=ident, channel="x", text="where is my refund", created_at=NOW, author=Author(id="c", handle="c")
    )


def test_suggestions_shown_inserted_sent_and_acceptance(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("other", "Other").id
        agent = uow.users.add(ws, "a@x.io", "Ann", Role.AGENT, "x", "")
        [cid] = do_ingest_posts(uow, ws, [_post("1")], NOW).conversation_ids
        message = uow.messages.list_for_conversation(ws, cid)[0]
        content = ArticleContent("Refunds", "Five days.")
        a1 = uow.articles.add(ws, None, content, ArticleState.PUBLISHED, None, NOW).id
        a2 = uow.articles.add(ws, None, content, ArticleState.PUBLISHED, None, NOW).id
        uow.kb_suggestions.record_shown(ws, cid, agent.id, [(a1, 1, 0.8), (a2, 2, 0.5)], NOW)
        uow.kb_suggestions.record_shown(ws, cid, agent.id, [(a1, 3, 0.1)], NOW + timedelta(hours=1))
        uow.commit()
        shown = uow.kb_suggestions.shown(ws, cid, agent.id)
        assert set(shown) == {a1, a2}
        assert (shown[a1].rank, shown[a1].score, shown[a1].shown_at) == (1, 0.8, NOW)  # the first showing
        assert uow.kb_suggestions.shown(ws, cid, agent.id + 1) == {}
        first = shown[a1].id
        uow.kb_suggestions.mark_inserted(ws, first, "Five days.", NOW + timedelta(minutes=1))
        uow.kb_suggestions.mark_sent(ws, first, message.id, NOW + timedelta(minutes=2))
        uow.kb_suggestions.mark_sent(ws, first, message.id, NOW + timedelta(minutes=9))  # once only
        got = uow.kb_suggestions.get(ws, first)
        assert got is not None and got.inserted_text == "Five days."
        assert (got.inserted_at, got.sent_at, got.message_id) == (
            NOW + timedelta(minutes=1),
            NOW + timedelta(minutes=2),
            message.id,
        )
        rows = uow.kb_suggestions.acceptance(ws, NOW, NOW + timedelta(days=1))
        assert [(r.article_id, r.shown, r.inserted, r.sent) for r in rows] == [(a1, 1, 1, 1), (a2, 1, 0, 0)]
        assert uow.kb_suggestions.acceptance(ws, NOW + timedelta(seconds=1), NOW + timedelta(days=1)) == []
        assert uow.kb_suggestions.get(other, first) is None
        assert uow.kb_suggestions.acceptance(other, NOW, NOW + timedelta(days=1)) == []


def test_reply_checks_by_brand_and_window_and_shares(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("other", "Other").id
        ann = uow.users.add(ws, "a@x.io", "Ann", Role.AGENT, "x", "")
        [cid] = do_ingest_posts(uow, ws, [_post("1")], NOW).conversation_ids
        mid = uow.messages.list_for_conversation(ws, cid)[0].id
        checks = uow.reply_checks
        checks.add(ws, mid, ann.id, "acme", "old", 0.0, near_identical=False, confirmed=False, now=NOW)
        later = NOW + timedelta(hours=23)
        checks.add(ws, mid, ann.id, "acme", "new", 0.95, near_identical=True, confirmed=True, now=later)
        checks.add(ws, mid, None, "rival", "theirs", 0.0, near_identical=False, confirmed=False, now=later)
        next_day = NOW + timedelta(days=1)
        checks.add(ws, mid, ann.id, "acme", "next", 0.2, near_identical=False, confirmed=False, now=next_day)
        uow.commit()
        recent = checks.recent(ws, "acme", NOW + timedelta(hours=1), 10)
        assert [r.body for r in recent] == ["next", "new"]  # newest first, the old one out of the window
        assert [r.body for r in checks.recent(ws, "acme", NOW, 1)] == ["next"]
        assert checks.recent(other, "acme", NOW, 10) == []
        shares = checks.shares(ws, NOW, NOW + timedelta(days=2))
        assert [(s.day.isoformat(), s.user_id, s.replies, s.near_identical) for s in shares] == [
            ("2026-12-07", ann.id, 1, 0),
            ("2026-12-08", None, 1, 0),
            ("2026-12-08", ann.id, 2, 1),
        ]
        assert checks.shares(other, NOW, NOW + timedelta(days=2)) == []
