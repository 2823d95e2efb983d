"""Knowledge-base articles: write, edit, move through review, import. Every change is audited.

Who may do what (actions/roles.py, docs/security.md): any agent writes drafts, edits drafts and
submits them; admins and knowledge editors (reviewers) also approve, reject, publish, archive, edit
articles in review or published, and import. Every change of content is a new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialdesk.actions.care_audit import record_config_change
from socialdesk.actions.roles import check_kb_review_allowed
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.knowledge import (
    REVIEWER_TRANSITIONS,
    Article,
    ArticleContent,
    ArticleState,
    Transition,
    next_state,
)
from socialdesk.domain.people import User
from socialdesk.domain.search_query import parse_search
from socialdesk.knowledge.records import ArticleRecord, RecordError
from socialdesk.ports import UnitOfWork


def _actor_id(user: User) -> int | None:
    return user.id if user.id > 0 else None  # the CLI's stand-in admin has no row


def _state(article: Article) -> dict[str, Any]:
    return {**article.content.as_dict(), "state": article.state.value, "version": article.version}


def access_article_by_id(uow: UnitOfWork, user: User, article_id: int) -> Article:
    """The article, if it is in the user's workspace (else NotFound, the same for every other reason)."""
    article = uow.articles.get(user.workspace_id, article_id)
    if article is None:
        raise NotFound(f"article {article_id}")
    return article


def search_articles(
    uow: UnitOfWork, user: User, text: str, state: ArticleState | None = None, limit: int = 50
) -> list[tuple[Article, float]]:
    """The user's workspace's articles matching the search text (every word, in the title, body or
    example questions; "phrases" and prefix* as in the inbox), best first with their score."""
    if "\x00" in text:
        raise ValidationFailed("q: the search text contains a NUL character (\\x00)")
    return uow.articles.search(user.workspace_id, parse_search(text), state, limit=limit)


# -- create and edit ------------------------------------------------------------------------------


def check_create_article(uow: UnitOfWork, user: User, content: ArticleContent, now: datetime) -> Article:
    """Any agent writes a draft; it is suggested only once a reviewer has approved it."""
    if not user.is_active:
        raise PermissionDenied("a disabled user cannot write articles")
    return do_create_article(uow, user, None, content, ArticleState.DRAFT, now)


def do_create_article(
    uow: UnitOfWork, user: User, key: str | None, content: ArticleContent, state: ArticleState, now: datetime
) -> Article:
    article = uow.articles.add(user.workspace_id, key, content, state, _actor_id(user), now)
    record_config_change(
        uow,
        user,
        now,
        "kb.article.created",
        article_id=article.id,
        key=article.key,
        before=None,
        after=_state(article),
    )
    return article


def check_update_article(
    uow: UnitOfWork, user: User, article_id: int, content: ArticleContent, now: datetime
) -> Article:
    """A new version. Agents edit drafts; articles in review or published only reviewers edit (an
    edit of a published article is live at once, so it is itself a reviewer's act)."""
    article = access_article_by_id(uow, user, article_id)
    if article.state is ArticleState.ARCHIVED:
        raise ValidationFailed(f"article {article_id} is archived: publish it again before editing")
    if article.state is not ArticleState.DRAFT:
        check_kb_review_allowed(user, f"edit an article that is {article.state.value}")
    if content == article.content:
        return article
    return do_update_article(uow, user, article, content, now)


def do_update_article(
    uow: UnitOfWork, user: User, article: Article, content: ArticleContent, now: datetime
) -> Article:
    updated = uow.articles.update_content(user.workspace_id, article.id, content, _actor_id(user), now)
    record_config_change(
        uow,
        user,
        now,
        "kb.article.updated",
        article_id=article.id,
        key=article.key,
        before=_state(article),
        after=_state(updated),
    )
    return updated


# -- moderation -----------------------------------------------------------------------------------


NOTE_MAX = 2_000


def check_transition_article(
    uow: UnitOfWork, user: User, article_id: int, transition: Transition, now: datetime, note: str = ""
) -> Article:
    """Submit (any agent), approve, reject, publish, archive (reviewers). Each is audited with the
    version it applies to, so "who approved what text" is always answerable; a reviewer's `note`
    (why it was sent back) is audited with it."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"note: longer than {NOTE_MAX} characters")
    article = access_article_by_id(uow, user, article_id)
    if transition in REVIEWER_TRANSITIONS:
        check_kb_review_allowed(user, f"{transition.value} an article")
    elif not user.is_active:
        raise PermissionDenied("a disabled user cannot submit articles")
    target = next_state(article.state, transition)
    return do_transition_article(uow, user, article, transition, target, now, note)


def do_transition_article(
    uow: UnitOfWork,
    user: User,
    article: Article,
    transition: Transition,
    target: ArticleState,
    now: datetime,
    note: str = "",
) -> Article:
    moved = uow.articles.set_state(user.workspace_id, article.id, target, now)
    extra = {"note": note} if note else {}
    record_config_change(
        uow,
        user,
        now,
        f"kb.article.{transition.value}",
        article_id=article.id,
        key=article.key,
        version=article.version,
        before={"state": article.state.value},
        after={"state": target.value},
        **extra,
    )
    return moved


# -- import ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "read": self.created + self.updated + self.unchanged + len(self.errors),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad": len(self.errors),
        }


IMPORT_STATES = (ArticleState.PUBLISHED, ArticleState.DRAFT)


def check_import_articles(
    uow: UnitOfWork,
    user: User,
    items: Iterable[ArticleRecord | RecordError],
    state: ArticleState,
    now: datetime,
    *,
    batch_size: int = 500,
) -> ImportReport:
    """Import parsed lines: idempotent by id. A new id is added in `state` (published by default: an
    import is a reviewer's act); a known id with other content gets a new version and keeps its
    state (an archived article stays archived); the same content changes nothing. Bad lines are
    reported by line number; every good line is kept. Commits every `batch_size` articles."""
    check_kb_review_allowed(user, "import articles")
    if state not in IMPORT_STATES:
        raise ValidationFailed(
            f"import state {state.value!r}: one of {', '.join(s.value for s in IMPORT_STATES)}"
        )
    report = ImportReport()
    batch: list[ArticleRecord] = []
    for item in items:
        if isinstance(item, RecordError):
            report.errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            do_import_batch(uow, user, batch, state, now, report)
            uow.commit()
            batch = []
    if batch:
        do_import_batch(uow, user, batch, state, now, report)
        uow.commit()
    return report


def do_import_batch(
    uow: UnitOfWork,
    user: User,
    batch: list[ArticleRecord],
    state: ArticleState,
    now: datetime,
    report: ImportReport,
) -> None:
    known = uow.articles.by_keys(user.workspace_id, [r.key for r in batch])
    for record in batch:
        article = known.get(record.key)
        if article is None:
            created = uow.articles.add(
                user.workspace_id, record.key, record.content, state, _actor_id(user), now
            )
            record_config_change(
                uow,
                user,
                now,
                "kb.article.imported",
                article_id=created.id,
                key=created.key,
                before=None,
                after=_state(created),
            )
            report.created += 1
        elif article.content == record.content:
            report.unchanged += 1
        else:
            do_update_article(uow, user, article, record.content, now)
            report.updated += 1
