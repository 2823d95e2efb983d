"""Suggestions through the action: only published articles, and the in-memory index follows every
change of an article (the revision counter), without a restart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from socialdesk.actions.knowledge.articles import (
    check_create_article,
    check_transition_article,
    check_update_article,
)
from socialdesk.actions.knowledge.suggest import ArticleIndexes, Query, suggest
from socialdesk.domain.knowledge import ArticleContent, Transition
from socialdesk.domain.people import Role
from socialdesk.ports.uow import UnitOfWork

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def test_the_index_follows_publish_edit_and_archive(uow_factory: Callable[[], UnitOfWork]) -> None:
    indexes = ArticleIndexes()
    query = [Query("my parcel never arrived")]
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme")
        admin = uow.users.add(ws.id, "a@acme.test", "Ada", Role.ADMIN, "x", "")
        article = check_create_article(uow, admin, ArticleContent("Lost parcels", "Tell us the order."), NOW)
        uow.commit()
        assert suggest(uow, indexes, ws.id, query, 3) == [[]]  # a draft is never suggested
        check_transition_article(uow, admin, article.id, Transition.PUBLISH, NOW)
        uow.commit()
        assert [s.key for s in suggest(uow, indexes, ws.id, query, 3)[0]] == [article.key]
        check_update_article(
            uow, admin, article.id, ArticleContent("Refund rules", "Money back in 14 days."), NOW
        )
        uow.commit()
        [[stale]] = suggest(uow, indexes, ws.id, query, 3)
        assert (
            stale.title == "Refund rules" and stale.score < 0.1
        )  # rebuilt: only a faint dense likeness left
        assert [s.title for s in suggest(uow, indexes, ws.id, [Query("money back")], 3)[0]] == [
            "Refund rules"
        ]
        check_transition_article(uow, admin, article.id, Transition.ARCHIVE, NOW)
        uow.commit()
        assert suggest(uow, indexes, ws.id, [Query("money back")], 3) == [[]]
