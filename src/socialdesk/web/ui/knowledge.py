"""`/knowledge`: the knowledge base's page. The list with a state filter and a search, the review queue
(articles in review), writing and editing (Markdown rendered safely, web/ui/markdown.py), the moves
through review (submit; approve, reject with a note, publish, archive) and the version history with
the changes between versions. Plain forms with CSRF tokens: everything works without JavaScript.
Who may do what is decided by the actions (actions/knowledge.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.knowledge import (
    NOTE_MAX,
    access_article_by_id,
    check_create_article,
    check_transition_article,
    check_update_article,
)
from socialdesk.actions.knowledge_page import list_articles, review_note, version_diff
from socialdesk.actions.roles import is_knowledge_reviewer
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.knowledge import (
    BODY_MAX,
    BRAND_MAX,
    LANGUAGE_MAX,
    TITLE_MAX,
    TRANSITIONS,
    Article,
    ArticleContent,
    ArticleState,
    Transition,
    validate_content,
)
from socialdesk.domain.people import User
from socialdesk.ports import WebSession
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.markdown import render_markdown
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]
LIST_FIELD_MAX = 120_000  # the questions or links of one form, one per line
STATE_LABELS = {
    ArticleState.DRAFT: "Draft",
    ArticleState.IN_REVIEW: "In review",
    ArticleState.PUBLISHED: "Published",
    ArticleState.ARCHIVED: "Archived",
}


@dataclass(frozen=True, slots=True)
class ArticleForm:
    """The fields as typed, to show again when refused."""

    title: str = ""
    body: str = ""
    tags: str = ""  # comma-separated
    questions: str = ""  # one per line
    links: str = ""  # one per line
    language: str = ""
    brand: str = ""

    @staticmethod
    def of(content: ArticleContent) -> ArticleForm:
        return ArticleForm(
            content.title,
            content.body,
            ", ".join(content.tags),
            "\n".join(content.questions),
            "\n".join(content.links),
            content.language or "",
            content.brand or "",
        )

    def content(self) -> ArticleContent:
        def lines(text: str) -> list[str]:
            return [line.strip() for line in text.splitlines() if line.strip()]

        return validate_content(
            title=self.title,
            body=self.body.replace("\r\n", "\n"),
            tags=[t.strip() for t in self.tags.split(",") if t.strip()],
            questions=lines(self.questions),
            links=lines(self.links),
            language=self.language or None,
            brand=self.brand or None,
        )


def _moves(user: User, article: Article) -> list[Transition]:
    """The moves to offer (the actions check them again): reviewers get theirs, others submit."""
    reviewer = is_knowledge_reviewer(user)
    return [
        t
        for t, (sources, _) in TRANSITIONS.items()
        if article.state in sources and (reviewer or t is Transition.SUBMIT)
    ]


def _edit_page(
    user: User, session: WebSession, form: ArticleForm, article: Article | None, error: str | None
) -> Response:
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if error else status.HTTP_200_OK
    limits = {"title": TITLE_MAX, "body": BODY_MAX, "language": LANGUAGE_MAX, "brand": BRAND_MAX}
    context = page_context(
        user, session, nav="knowledge", form=form, article=article, error=error, limits=limits
    )
    return render("knowledge_edit.html", code, **context)


@router.get("/knowledge")
def knowledge_list(
    runtime: RuntimeDep,
    found: UiSessionDep,
    state: Annotated[str, Query(max_length=16)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    user, session = found
    chosen = ArticleState(state) if state in {s.value for s in ArticleState} else None
    with runtime.read_uow() as uow:
        listed = list_articles(uow, user, chosen, q)
    context = page_context(
        user, session, nav="knowledge", listed=listed, state=chosen, q=q, labels=STATE_LABELS
    )
    waiting = listed.counts[ArticleState.IN_REVIEW]
    return render("knowledge.html", **context, reviewer=is_knowledge_reviewer(user), review_waiting=waiting)


@router.get("/knowledge/new")
def new_article(found: UiSessionDep) -> Response:
    user, session = found
    return _edit_page(user, session, ArticleForm(), None, None)


def _posted_form(
    title: str, body: str, tags: str, questions: str, links: str, language: str, brand: str
) -> ArticleForm:
    return ArticleForm(title, body, tags, questions, links, language, brand)


ArticleBody = Annotated[str, Form(max_length=BODY_MAX + 10_000)]  # \r\n counts twice in the form
ListField = Annotated[str, Form(max_length=LIST_FIELD_MAX)]


@router.post("/knowledge")
def create_article(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    title: FormText = "",
    body: ArticleBody = "",
    tags: ListField = "",
    questions: ListField = "",
    links: ListField = "",
    language: FormText = "",
    brand: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """A new draft; a reviewer then approves or publishes it."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = _posted_form(title, body, tags, questions, links, language, brand)
    try:
        content = form.content()
        with runtime.uow() as uow:
            article = check_create_article(uow, user, content, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        return _edit_page(user, session, form, None, f"Not saved: {exc}.")
    return see_other(f"/knowledge/{article.id}")


@router.get("/knowledge/{article_id}")
def article_page(
    article_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    diff: Annotated[int | None, Query(ge=2, le=1_000_000)] = None,
) -> Response:
    """The article as agents read it, its moves, the reviewer's note, and its history (with `diff`,
    what changed from the version before that one)."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            article = access_article_by_id(uow, user, article_id)
            versions = uow.articles.versions(user.workspace_id, article_id)
            note = review_note(uow, user, article)
            people = {u.id: u.name for u in uow.users.list(user.workspace_id)}
    except NotFound:
        return not_found(user, session, "article")
    by_number = {v.version: v for v in versions}
    shown_diff = None
    if diff is not None and diff in by_number and diff - 1 in by_number:
        shown_diff = version_diff(by_number[diff - 1], by_number[diff])
    context: dict[str, Any] = page_context(
        user,
        session,
        nav="knowledge",
        article=article,
        body_html=render_markdown(article.content.body),
        versions=list(reversed(versions)),
        diff=shown_diff,
        note=note,
        people=people,
        moves=_moves(user, article),
        labels=STATE_LABELS,
        note_max=NOTE_MAX,
        can_edit=article.state is ArticleState.DRAFT or is_knowledge_reviewer(user),
    )
    return render("knowledge_article.html", **context)


@router.get("/knowledge/{article_id}/edit")
def edit_article_page(article_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    try:
        with runtime.read_uow() as uow:
            article = access_article_by_id(uow, user, article_id)
    except NotFound:
        return not_found(user, session, "article")
    return _edit_page(user, session, ArticleForm.of(article.content), article, None)


@router.post("/knowledge/{article_id}")
def update_article(
    request: Request,
    article_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    title: FormText = "",
    body: ArticleBody = "",
    tags: ListField = "",
    questions: ListField = "",
    links: ListField = "",
    language: FormText = "",
    brand: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """A new version. Agents edit drafts; reviewers also articles in review or published."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = _posted_form(title, body, tags, questions, links, language, brand)
    try:
        with runtime.read_uow() as uow:
            current = access_article_by_id(uow, user, article_id)
        content = form.content()
        with runtime.uow() as uow:
            check_update_article(uow, user, article_id, content, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "article")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        return _edit_page(user, session, form, current, f"Not saved: {exc}.")
    return see_other(f"/knowledge/{article_id}")


@router.post("/knowledge/{article_id}/transition")
def transition_article(
    request: Request,
    article_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    transition: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=NOTE_MAX)] = "",
    csrf_token: FormText = "",
) -> Response:
    """Submit for review (the author); approve, reject with a note, publish, archive (reviewers)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        move = Transition(transition)
    except ValueError:
        moves = ", ".join(t.value for t in Transition)
        message = f"Not changed: {transition!r} is not a move (one of {moves})."
        context = page_context(user, session, title="Not changed", message=message)
        return render("error.html", status.HTTP_422_UNPROCESSABLE_CONTENT, **context)
    try:
        with runtime.uow() as uow:
            check_transition_article(uow, user, article_id, move, runtime.clock.now(), note)
    except NotFound:
        return not_found(user, session, "article")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        context = page_context(user, session, title="Not changed", message=f"Not changed: {exc}.")
        return render("error.html", status.HTTP_409_CONFLICT, **context)
    return see_other(f"/knowledge/{article_id}")
