"""Knowledge-base articles in the REST API: list, read (with the version history), write, move through
review, and suggest articles for texts. Who may do what is decided by the actions (docs/knowledge.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialdesk.actions.knowledge import (
    NOTE_MAX,
    access_article_by_id,
    check_create_article,
    check_transition_article,
    check_update_article,
    search_articles,
)
from socialdesk.actions.knowledge_sources import check_save_reply_as_answer
from socialdesk.actions.knowledge_suggest import TOP_MAX
from socialdesk.actions.knowledge_suggest import Query as SuggestQuery
from socialdesk.actions.knowledge_suggest import suggest as run_suggest
from socialdesk.domain.knowledge import (
    BODY_MAX,
    BRAND_MAX,
    LANGUAGE_MAX,
    LIST_MAX,
    TITLE_MAX,
    Article,
    ArticleContent,
    ArticleState,
    Transition,
    validate_content,
)
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(prefix="/kb", tags=["knowledge base"])


class ArticleIn(InputModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(default="", max_length=BODY_MAX)
    tags: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    questions: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    links: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    language: str | None = Field(default=None, max_length=LANGUAGE_MAX)
    brand: str | None = Field(default=None, max_length=BRAND_MAX)

    def content(self) -> ArticleContent:
        return validate_content(
            title=self.title,
            body=self.body,
            tags=self.tags,
            questions=self.questions,
            links=self.links,
            language=self.language,
            brand=self.brand,
        )


class TransitionIn(InputModel):
    transition: Literal["submit", "approve", "reject", "publish", "archive"]
    note: str = Field(default="", max_length=NOTE_MAX)  # why it is sent back (audited)


class ArticleOut(BaseModel):
    id: int
    key: str
    state: str
    version: int
    title: str
    body: str
    tags: list[str]
    questions: list[str]
    links: list[str]
    language: str | None
    brand: str | None
    author_id: int | None
    created_at: datetime
    updated_at: datetime
    source: str | None = Field(
        default=None,
        description="reply (a sent reply saved as an answer), community; null: written or imported.",
    )
    source_conversation_id: int | None = None
    score: float | None = Field(
        default=None, description="With `q`: the search relevance (higher is better; within one answer)."
    )


class VersionOut(BaseModel):
    version: int
    title: str
    body: str
    editor_id: int | None
    created_at: datetime


class ArticleDetailOut(ArticleOut):
    versions: list[VersionOut]


class SuggestPostIn(InputModel):
    text: str = Field(min_length=1, max_length=10_000)
    lang: str | None = Field(default=None, max_length=LANGUAGE_MAX)


class SuggestIn(InputModel):
    posts: list[SuggestPostIn] = Field(min_length=1, max_length=100)
    top: int = Field(default=3, ge=1, le=TOP_MAX)


class SuggestionOut(BaseModel):
    article: str
    score: float
    title: str


def _out(a: Article) -> ArticleOut:
    c = a.content
    return ArticleOut(
        id=a.id,
        key=a.key,
        state=a.state.value,
        version=a.version,
        title=c.title,
        body=c.body,
        tags=list(c.tags),
        questions=list(c.questions),
        links=list(c.links),
        language=c.language,
        brand=c.brand,
        author_id=a.author_id,
        created_at=a.created_at,
        updated_at=a.updated_at,
        source=a.source,
        source_conversation_id=a.source_conversation_id,
    )


@router.get("/articles")
def list_articles(
    user: ApiUserDep,
    runtime: RuntimeDep,
    state: Literal["draft", "in_review", "published", "archived"] | None = None,
    q: str | None = Query(
        default=None,
        max_length=500,
        description='Full-text search of title, body and example questions: every word, "a phrase", '
        "prefix*; any case and accents. The answer is then ranked, best first.",
    ),
    limit: int = Query(default=500, ge=1, le=5000),
) -> list[ArticleOut]:
    """The workspace's articles in id order (with `q`: those matching it, best first), only those in
    `state` when given."""
    wanted = ArticleState(state) if state else None
    with runtime.read_uow() as uow:
        if q is not None and q.strip():
            found = search_articles(uow, user, q, wanted, limit=limit)
            return [_out(a).model_copy(update={"score": score}) for a, score in found]
        articles = uow.articles.find(user.workspace_id, wanted, limit=limit)
    return [_out(a) for a in articles]


@router.get("/articles/{article_id}")
def get_article(article_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> ArticleDetailOut:
    """One article with every version of its content, oldest first."""
    with runtime.read_uow() as uow:
        article = access_article_by_id(uow, user, article_id)
        versions = uow.articles.versions(user.workspace_id, article_id)
    return ArticleDetailOut(
        **_out(article).model_dump(),
        versions=[
            VersionOut(
                version=v.version,
                title=v.content.title,
                body=v.content.body,
                editor_id=v.editor_id,
                created_at=v.created_at,
            )
            for v in versions
        ],
    )


@router.post("/articles", status_code=201)
def create_article(body: ArticleIn, user: ApiUserDep, runtime: RuntimeDep) -> ArticleOut:
    """A new draft (any agent); it is suggested once a reviewer approves or publishes it."""
    with runtime.uow() as uow:
        article = check_create_article(uow, user, body.content(), runtime.clock.now())
    return _out(article)


class SavedAnswerIn(InputModel):
    message_id: int = Field(ge=1, le=2**63 - 1, description="A sent brand reply of the workspace.")


@router.post("/saved-answers", status_code=201)
def save_reply_as_answer(body: SavedAnswerIn, user: ApiUserDep, runtime: RuntimeDep) -> ArticleOut:
    """Save a sent brand reply as an answer (any agent): an article in review with the reply and the
    customer's question, personal data stripped, linked to the conversation. A reviewer publishes it."""
    with runtime.uow() as uow:
        article = check_save_reply_as_answer(uow, user, body.message_id, runtime.clock.now())
    return _out(article)


@router.put("/articles/{article_id}")
def update_article(article_id: Id, body: ArticleIn, user: ApiUserDep, runtime: RuntimeDep) -> ArticleOut:
    """New content, a new version. Agents edit drafts; reviewers edit articles in review or published."""
    with runtime.uow() as uow:
        article = check_update_article(uow, user, article_id, body.content(), runtime.clock.now())
    return _out(article)


@router.post("/articles/{article_id}/transitions")
def transition_article(
    article_id: Id, body: TransitionIn, user: ApiUserDep, runtime: RuntimeDep
) -> ArticleOut:
    """submit (any agent), approve, reject, publish, archive (admins and knowledge editors)."""
    with runtime.uow() as uow:
        article = check_transition_article(
            uow, user, article_id, Transition(body.transition), runtime.clock.now(), body.note
        )
    return _out(article)


@router.post("/suggest")
def suggest_articles(body: SuggestIn, user: ApiUserDep, runtime: RuntimeDep) -> list[list[SuggestionOut]]:
    """For each text, the `top` best published articles, best first, in its language where there are
    articles in it (a read: nothing is stored)."""
    queries = [SuggestQuery(p.text, p.lang) for p in body.posts]
    with runtime.read_uow() as uow:
        rows = run_suggest(uow, runtime.article_indexes, user.workspace_id, queries, body.top)
    return [[SuggestionOut(article=s.key, score=s.score, title=s.title) for s in row] for row in rows]
