"""SQL repository for knowledge-base articles and their versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from socialdesk.domain.knowledge import Article, ArticleContent, ArticleState, ArticleVersion
from socialdesk.domain.search_query import SearchQuery
from socialdesk.storage import schema as s
from socialdesk.storage import search_sql


def _content_values(content: ArticleContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "body": content.body,
        "tags": list(content.tags),
        "questions": list(content.questions),
        "links": list(content.links),
        "language": content.language,
        "brand": content.brand,
    }


def _content(row: Row[Any]) -> ArticleContent:
    return ArticleContent(
        title=row.title,
        body=row.body,
        tags=tuple(row.tags),
        questions=tuple(row.questions),
        links=tuple(row.links),
        language=row.language,
        brand=row.brand,
    )


def _article(row: Row[Any]) -> Article:
    return Article(
        id=row.id,
        workspace_id=row.workspace_id,
        key=row.key or f"kb-{row.id}",
        content=_content(row),
        state=ArticleState(row.state),
        version=row.version,
        author_id=row.author_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        source=row.source,
        source_conversation_id=row.source_conversation_id,
    )


class SqlArticles:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
        values = {
            "source": source,
            "source_conversation_id": source_conversation_id,
            "workspace_id": workspace_id,
            "key": key,
            **_content_values(content),
            "state": state.value,
            "version": 1,
            "revision": 1,
            "author_id": author_id,
            "created_at": now,
            "updated_at": now,
        }
        new_id = self.conn.execute(insert(s.kb_articles).values(**values)).inserted_primary_key
        assert new_id is not None
        article_id = int(new_id[0])
        if key is None:
            t = s.kb_articles
            self.conn.execute(update(t).where(t.c.id == article_id).values(key=f"kb-{article_id}"))
        self._add_version(workspace_id, article_id, 1, content, author_id, now)
        article = self.get(workspace_id, article_id)
        assert article is not None
        return article

    def _add_version(
        self,
        workspace_id: int,
        article_id: int,
        version: int,
        content: ArticleContent,
        editor_id: int | None,
        now: datetime,
    ) -> None:
        values = {
            "workspace_id": workspace_id,
            "article_id": article_id,
            "version": version,
            **_content_values(content),
            "editor_id": editor_id,
            "created_at": now,
        }
        self.conn.execute(insert(s.kb_article_versions).values(**values))

    def get(self, workspace_id: int, article_id: int) -> Article | None:
        t = s.kb_articles
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == article_id)
        ).first()
        return _article(row) if row is not None else None

    def by_key(self, workspace_id: int, key: str) -> Article | None:
        return self.by_keys(workspace_id, [key]).get(key)

    def by_keys(self, workspace_id: int, keys: list[str]) -> dict[str, Article]:
        t = s.kb_articles
        found: dict[str, Article] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            q = select(t).where(t.c.workspace_id == workspace_id, t.c.key.in_(chunk))
            for row in self.conn.execute(q):
                article = _article(row)
                found[article.key] = article
        return found

    def find(
        self, workspace_id: int, state: ArticleState | None = None, *, limit: int | None = None
    ) -> list[Article]:
        t = s.kb_articles
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id)
        if state is not None:
            q = q.where(t.c.state == state.value)
        if limit is not None:
            q = q.limit(limit)
        return [_article(r) for r in self.conn.execute(q)]

    def search(
        self, workspace_id: int, query: SearchQuery, state: ArticleState | None = None, *, limit: int = 50
    ) -> list[tuple[Article, float]]:
        if query.is_empty:
            return []
        t = s.kb_articles
        hits, score = search_sql.rank_order(self.conn.dialect.name, t, query, "search_articles")
        q = (
            select(t, score.label("search_score"))
            .select_from(t.join(hits, hits.c.id == t.c.id))
            .where(t.c.workspace_id == workspace_id)
            .order_by(score.desc(), t.c.id)
            .limit(limit)
        )
        if state is not None:
            q = q.where(t.c.state == state.value)
        return [(_article(r), float(r.search_score)) for r in self.conn.execute(q)]

    def update_content(
        self,
        workspace_id: int,
        article_id: int,
        content: ArticleContent,
        editor_id: int | None,
        now: datetime,
    ) -> Article:
        t = s.kb_articles
        where = (t.c.workspace_id == workspace_id, t.c.id == article_id)
        version = self.conn.execute(select(t.c.version).where(*where)).scalar_one() + 1
        changes = {
            **_content_values(content),
            "version": version,
            "revision": t.c.revision + 1,
            "updated_at": now,
        }
        self.conn.execute(update(t).where(*where).values(**changes))
        self._add_version(workspace_id, article_id, version, content, editor_id, now)
        article = self.get(workspace_id, article_id)
        assert article is not None
        return article

    def set_state(self, workspace_id: int, article_id: int, state: ArticleState, now: datetime) -> Article:
        t = s.kb_articles
        where = (t.c.workspace_id == workspace_id, t.c.id == article_id)
        self.conn.execute(
            update(t).where(*where).values(state=state.value, revision=t.c.revision + 1, updated_at=now)
        )
        article = self.get(workspace_id, article_id)
        assert article is not None
        return article

    def versions(self, workspace_id: int, article_id: int) -> list[ArticleVersion]:
        v = s.kb_article_versions
        q = (
            select(v)
            .where(v.c.workspace_id == workspace_id, v.c.article_id == article_id)
            .order_by(v.c.version)
        )
        return [
            ArticleVersion(r.article_id, r.version, _content(r), r.editor_id, r.created_at)
            for r in self.conn.execute(q)
        ]

    def revision(self, workspace_id: int) -> tuple[int, int]:
        t = s.kb_articles
        q = select(func.count(), func.coalesce(func.sum(t.c.revision), 0)).where(
            t.c.workspace_id == workspace_id
        )
        count, total = self.conn.execute(q).one()
        return int(count), int(total)
