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
