"""The composer's assistance: inserting a knowledge-base suggestion (one click with HTMX; without
JavaScript the page comes back with the composer filled) and the unscripted guard's check while the
agent writes (on input and on leaving the text box)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.knowledge_composer import check_insert_suggestion
from socialdesk.actions.replies import MAX_REPLY_CHARS
from socialdesk.actions.reply_brand import brand_choices, current_brand
from socialdesk.actions.unscripted import check_script, hints_for
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id, id_from_text
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import conversation_response
from socialdesk.web.ui.responses import flash, forbidden, is_htmx, not_found
from socialdesk.web.ui.suggestions_view import Draft, parse_inserts
from socialdesk.web.ui.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]


@router.post("/conversations/{conversation_id}/suggestions/{article_id}/insert")
def insert_suggestion(
    request: Request,
    conversation_id: Id,
    article_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Form(max_length=MAX_REPLY_CHARS)] = "",
    visibility: FormText = "",
    kb_inserts: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Put the article's answer in the composer after what the agent wrote (the short version with its
    link when the whole would be over the network's limit); the reply form then carries the insert's
    id, so the send is counted."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            inserted = check_insert_suggestion(
                uow,
                user,
                conversation_id,
                article_id,
                text,
                public=visibility != "private",
                now=runtime.clock.now(),
            )
    except NotFound:
        return not_found(user, session, "conversation or article")
    except ValidationFailed as exc:
        message = f"Not inserted: {exc}."
        if is_htmx(request):
            return flash(message, status.HTTP_422_UNPROCESSABLE_CONTENT)
        return conversation_response(
            request, runtime, user, session, conversation_id, message, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    ids = list(dict.fromkeys([*parse_inserts(kb_inserts), inserted.suggestion_id]))
    draft = Draft(inserted.text, ",".join(map(str, ids)), inserted.short)
    if is_htmx(request):
        return render(
            "_composer_insert.html",
            c={"id": conversation_id},
            draft=draft,
            max_reply=MAX_REPLY_CHARS,
            inserted_article=article_id,
        )
    return conversation_response(request, runtime, user, session, conversation_id, draft=draft)


@router.get("/conversations/{conversation_id}/unscripted")
def unscripted_check(
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Query(max_length=MAX_REPLY_CHARS)] = "",
    visibility: Annotated[str, Query(max_length=16)] = "public",
    brand_account_id: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The guard's warning while the agent writes a public reply: near-identical to a reply the brand
    sent in the last 24 hours, with how to make it personal (empty when it is not)."""
    user, session = found
    if visibility == "private" or not text.strip():
        return render("_unscripted.html", check=None, hints=[])
    try:
        with runtime.read_uow() as uow:
            conv = access_conversation_by_id(uow, user, conversation_id)
            chosen = id_from_text(brand_account_id)
            picked = [b for b in brand_choices(uow, user.workspace_id, conv.channel) if b.id == chosen]
            brand = picked[0] if picked else current_brand(uow, conv)
            threshold = runtime.settings.unscripted_similarity
            check = check_script(
                uow, user, brand.handle if brand else "", text, runtime.clock.now(), threshold
            )
            hints = hints_for(uow, user, conversation_id, text) if check.near_identical else []
    except NotFound:
        return not_found(user, session, "conversation")
    return render("_unscripted.html", check=check, hints=hints)
