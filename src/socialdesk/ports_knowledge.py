"""The knowledge base's port: articles, their states and their version history."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from socialdesk.domain.knowledge import Article, ArticleContent, ArticleState, ArticleVersion
from socialdesk.domain.search_query import SearchQuery


class ArticleRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        key: str | None,
        content: ArticleContent,
        state: ArticleState,
        author_id: int | None,
        now: datetime,
        *,
        source: str | None = None,
        source_conversation_id: int | None = None,
    ) -> Article:
        """A new article at version 1 (its first version recorded); key None: ``kb-<id>``; `source`
        and `source_conversation_id` say where it came from (domain.knowledge.Article)."""
        ...

    def get(self, workspace_id: int, article_id: int) -> Article | None: ...
    def by_key(self, workspace_id: int, key: str) -> Article | None: ...
    def by_keys(self, workspace_id: int, keys: list[str]) -> dict[str, Article]: ...

    def find(
        self, workspace_id: int, state: ArticleState | None = None, *, limit: int | None = None
    ) -> list[Article]:
        """Articles in id order, only those in `state` when given."""
        ...

    def search(
        self, workspace_id: int, query: SearchQuery, state: ArticleState | None = None, *, limit: int = 50
    ) -> list[tuple[Article, float]]:
        """Articles whose title, body or example questions hold every term of `query` (full-text
        index), best first, with their score (BM25 on SQLite, ts_rank on PostgreSQL: higher is better,
        comparable within one answer only); only those in `state` when given."""
        ...

    def update_content(
        self,
        workspace_id: int,
        article_id: int,
        content: ArticleContent,
        editor_id: int | None,
        now: datetime,
    ) -> Article:
        """New content: the version goes up by one and is recorded in the history."""
        ...

    def set_state(
        self, workspace_id: int, article_id: int, state: ArticleState, now: datetime
    ) -> Article: ...
    def versions(self, workspace_id: int, article_id: int) -> list[ArticleVersion]:
        """Every version of the article, oldest first."""
        ...

    def revision(self, workspace_id: int) -> tuple[int, int]:
        """Changes on a workspace's articles so far: goes up with every change (the index's version)."""
        ...
