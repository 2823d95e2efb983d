"""Knowledge-base articles: their content, their moderation states and the transitions between them.

An article is written by an agent (draft), submitted (in review), approved by a reviewer (an admin
or a knowledge editor: published) and eventually archived. Only published articles are suggested.
Every change of content is a new version; the history keeps them all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from socialdesk.domain.errors import ValidationFailed


class ArticleState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Transition(enum.StrEnum):
    """What a user does to an article's state; each has its own audit action (`kb.article.<name>`)."""

    SUBMIT = "submit"  # draft -> in review (the author asks for review)
    APPROVE = "approve"  # in review -> published (a reviewer approves)
    REJECT = "reject"  # in review -> draft (a reviewer sends it back)
    PUBLISH = "publish"  # draft or archived -> published (a reviewer, without the review step)
    ARCHIVE = "archive"  # any state but archived -> archived (a reviewer)


TRANSITIONS: dict[Transition, tuple[frozenset[ArticleState], ArticleState]] = {
    Transition.SUBMIT: (frozenset({ArticleState.DRAFT}), ArticleState.IN_REVIEW),
    Transition.APPROVE: (frozenset({ArticleState.IN_REVIEW}), ArticleState.PUBLISHED),
    Transition.REJECT: (frozenset({ArticleState.IN_REVIEW}), ArticleState.DRAFT),
    Transition.PUBLISH: (frozenset({ArticleState.DRAFT, ArticleState.ARCHIVED}), ArticleState.PUBLISHED),
    Transition.ARCHIVE: (
        frozenset({ArticleState.DRAFT, ArticleState.IN_REVIEW, ArticleState.PUBLISHED}),
        ArticleState.ARCHIVED,
    ),
}
# Transitions only a reviewer may make; anyone who may write articles may submit.
REVIEWER_TRANSITIONS = frozenset(
    {Transition.APPROVE, Transition.REJECT, Transition.PUBLISH, Transition.ARCHIVE}
)


class InvalidArticleTransition(ValidationFailed):
    """The transition is not allowed from the article's current state."""


def next_state(current: ArticleState, transition: Transition) -> ArticleState:
    """The state after `transition`, or `InvalidArticleTransition` saying why not."""
    sources, target = TRANSITIONS[transition]
    if current not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise InvalidArticleTransition(
            f"cannot {transition.value} an article that is {current.value} (only from: {allowed})"
        )
    return target


TITLE_MAX = 300
BODY_MAX = 50_000
KEY_MAX = 200
LIST_MAX = 100  # tags, questions, links
ITEM_MAX = 1_000  # one tag, question or link
LANGUAGE_MAX = 16
BRAND_MAX = 200


@dataclass(frozen=True, slots=True)
class ArticleContent:
    """What an author writes; every change of it is a new version."""

    title: str
    body: str
    tags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()  # example questions customers ask that this article answers
    links: tuple[str, ...] = ()
    language: str | None = None  # ISO 639-1, e.g. "en"
    brand: str | None = None  # the brand or product it is about

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "body": self.body,
            "tags": list(self.tags),
            "questions": list(self.questions),
            "links": list(self.links),
            "language": self.language,
            "brand": self.brand,
        }


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    workspace_id: int
    key: str  # the id it was imported with, or "kb-<id>" for articles written in socialdesk
    content: ArticleContent
    state: ArticleState
    version: int
    author_id: int | None
    created_at: datetime
    updated_at: datetime
    # Where it came from, besides written by hand or imported (None): "reply" (a sent brand reply
    # saved as an answer) or "community" (a public answer by someone else in a customer's thread);
    # with the conversation it came from.
    source: str | None = None
    source_conversation_id: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    article_id: int
    version: int
    content: ArticleContent
    editor_id: int | None
    created_at: datetime


def _text(value: object, where: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(f"{where}: expected a string")
    text = value.strip()
    if required and not text:
        raise ValidationFailed(f"{where}: must not be empty")
    if len(text) > limit:
        raise ValidationFailed(f"{where}: longer than {limit} characters")
    if "\x00" in text:
        raise ValidationFailed(f"{where}: contains a NUL character")
    return text


def _texts(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValidationFailed(f"{where}: expected a list of strings")
    if len(value) > LIST_MAX:
        raise ValidationFailed(f"{where}: more than {LIST_MAX} items")
    items = [_text(v, f"{where}[{i}]", ITEM_MAX, required=True) for i, v in enumerate(value)]
    return tuple(dict.fromkeys(items))


def validate_content(
    *,
    title: object,
    body: object,
    tags: object = None,
    questions: object = None,
    links: object = None,
    language: object = None,
    brand: object = None,
) -> ArticleContent:
    """Checked, trimmed content, or `ValidationFailed` naming the field and what is wrong."""
    lang = None if language is None else _text(language, "language", LANGUAGE_MAX, required=False).lower()
    return ArticleContent(
        title=_text(title, "title", TITLE_MAX, required=True),
        body=_text(body, "body", BODY_MAX, required=False),
        tags=_texts(tags, "tags"),
        questions=_texts(questions, "questions"),
        links=_texts(links, "links"),
        language=lang or None,
        brand=(None if brand is None else _text(brand, "brand", BRAND_MAX, required=False)) or None,
    )


def validate_key(value: object) -> str:
    return _text(value, "id", KEY_MAX, required=True)
