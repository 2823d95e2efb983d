"""The article repository gives the same answers on SQLite and PostgreSQL: keys, versions, states,
the revision counter that tells the search index to rebuild, and workspace isolation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from socialdesk.domain.knowledge import ArticleContent, ArticleState
from socialdesk.ports import UnitOfWork

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def test_articles_versions_states_and_revision(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("other", "Other").id
        content = ArticleContent(
            "Título", "Cuerpo", ("a",), ("¿dónde está?",), ("https://x.test",), "es", "Acme"
        )
        assert uow.articles.revision(ws) == (0, 0)
        imported = uow.articles.add(ws, "ext-1", content, ArticleState.PUBLISHED, None, NOW)
        written = uow.articles.add(ws, None, content, ArticleState.DRAFT, None, NOW)
        uow.commit()
        assert imported.key == "ext-1" and written.key == f"kb-{written.id}"
        assert imported.content == content and imported.version == 1
        before = uow.articles.revision(ws)
        edited = ArticleContent("Title", "Body")
        updated = uow.articles.update_content(ws, imported.id, edited, None, NOW + timedelta(minutes=1))
        assert updated.version == 2 and updated.content == edited and updated.state is ArticleState.PUBLISHED
        after_edit = uow.articles.revision(ws)
        assert after_edit > before
        uow.articles.set_state(ws, written.id, ArticleState.IN_REVIEW, NOW)
        assert uow.articles.revision(ws) > after_edit
        assert [v.content for v in uow.articles.versions(ws, imported.id)] == [content, edited]
        assert [a.key for a in uow.articles.find(ws, ArticleState.PUBLISHED)] == ["ext-1"]
        assert set(uow.articles.by_keys(ws, ["ext-1", written.key, "nope"])) == {"ext-1", written.key}
        assert uow.articles.get(other, imported.id) is None
        assert uow.articles.by_key(other, "ext-1") is None
        assert uow.articles.versions(other, imported.id) == []
        assert uow.articles.revision(other) == (0, 0)


def test_article_search_is_full_text_ranked_and_current(uow_factory: Callable[[], UnitOfWork]) -> None:
    """Title, body and example questions are searched with case and accents folded, best first; an
    edit is searchable in its own transaction; another workspace's articles never show."""
    from socialdesk.domain.search_query import parse_search

    def keys(uow: UnitOfWork, ws: int, typed: str, state: ArticleState | None = None) -> list[str]:
        return [a.key for a, _score in uow.articles.search(ws, parse_search(typed), state)]

    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("other", "Other").id
        add = uow.articles.add
        add(
            ws,
            "many",
            ArticleContent("PANNE ÉCHEC", "échec échec: la panne du réseau"),
            ArticleState.PUBLISHED,
            None,
            NOW,
        )
        add(
            ws,
            "once",
            ArticleContent("Refunds", "A long body about refunds and one échec."),
            ArticleState.PUBLISHED,
            None,
            NOW,
        )
        add(
            ws,
            "asked",
            ArticleContent("Billing", "Invoices.", questions=("Où est ma facture?",)),
            ArticleState.DRAFT,
            None,
            NOW,
        )
        add(other, "theirs", ArticleContent("Échec", "échec"), ArticleState.PUBLISHED, None, NOW)
    with uow_factory() as uow:
        assert keys(uow, ws, "echec") == ["many", "once"]  # the article saying it most comes first
        scores = [score for _a, score in uow.articles.search(ws, parse_search("échec"))]
        assert scores[0] > scores[1]
        assert keys(uow, ws, "FACTURE") == ["asked"]  # an example question
        assert keys(uow, ws, "facture", ArticleState.PUBLISHED) == []
        assert keys(uow, ws, '"panne du reseau"') == ["many"]
        assert keys(uow, ws, "refu*") == ["once"]
        assert keys(uow, ws, '"NEAR(') == []
        assert keys(uow, ws, "%") == []
    with uow_factory() as uow:
        once = uow.articles.by_key(ws, "once")
        assert once is not None
        uow.articles.update_content(ws, once.id, ArticleContent("Refunds", "Money back."), None, NOW)
        assert keys(uow, ws, "échec") == ["many"]
        assert keys(uow, ws, "money") == ["once"]
