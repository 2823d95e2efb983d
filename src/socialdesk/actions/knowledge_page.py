"""What the knowledge page reads: articles by state and words (a plain scan of titles, bodies, tags and
example questions, folded for case and accents, until full-text search replaces it), the counts per
state, the reviewer's note on an article sent back, and the difference between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from socialdesk.domain.knowledge import Article, ArticleContent, ArticleState, ArticleVersion
from socialdesk.domain.people import User
from socialdesk.knowledge.text import fold
from socialdesk.ports import UnitOfWork

SHOWN_MAX = 500


@dataclass(frozen=True, slots=True)
class ArticleList:
    articles: list[Article]  # newest change first, at most SHOWN_MAX
    counts: dict[ArticleState, int]  # every article of the workspace by state
    more: bool  # more matched than shown


def _haystack(content: ArticleContent) -> str:
    return fold(" ".join((content.title, content.body, *content.tags, *content.questions)))


def list_articles(uow: UnitOfWork, user: User, state: ArticleState | None, q: str) -> ArticleList:
    everything = uow.articles.find(user.workspace_id)
    counts = dict.fromkeys(ArticleState, 0)
    for article in everything:
        counts[article.state] += 1
    terms = fold(q).split()
    found = [
        a
        for a in everything
        if (state is None or a.state is state) and all(t in _haystack(a.content) for t in terms)
    ]
    found.sort(key=lambda a: (a.updated_at, a.id), reverse=True)
    return ArticleList(found[:SHOWN_MAX], counts, len(found) > SHOWN_MAX)


def review_note(uow: UnitOfWork, user: User, article: Article) -> str | None:
    """The note of the reviewer who last sent this draft back, if that was its last change."""
    if article.state is not ArticleState.DRAFT:
        return None
    for entry in reversed(uow.audit.between(user.workspace_id, article.updated_at, None)):
        if entry.action == "kb.article.reject" and entry.data.get("article_id") == article.id:
            note = entry.data.get("note")
            return str(note) if note else None
    return None


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "add", "del", "same", "hunk"
    text: str


@dataclass(frozen=True, slots=True)
class VersionDiff:
    old: ArticleVersion
    new: ArticleVersion
    fields: list[tuple[str, str, str]]  # (field, before, after) for every field but the body
    body: list[DiffLine]


def version_diff(old: ArticleVersion, new: ArticleVersion) -> VersionDiff:
    before, after = old.content.as_dict(), new.content.as_dict()
    fields = [
        (name, _shown(before[name]), _shown(after[name]))
        for name in ("title", "tags", "questions", "links", "language", "brand")
        if before[name] != after[name]
    ]
    lines: list[DiffLine] = []
    raw = difflib.unified_diff(old.content.body.splitlines(), new.content.body.splitlines(), lineterm="", n=2)
    for line in list(raw)[2:]:  # past the ---/+++ header
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("del", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return VersionDiff(old, new, fields, lines)


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
