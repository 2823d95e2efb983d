"""Hide, show again or delete a customer's public comment from its conversation page (forms, no script
needed): the same check, network call and audit as ``POST /api/v1/conversations/{id}/messages/{id}/
moderate`` (web/api/moderation.py). Deleting is for admins and team leads (checked in the action)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.inbox.moderation import MODERATION, check_moderate_comment, do_record_moderation
from socialdesk.channels.framework import ChannelError
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.web.api.moderation import comment_moderator, moderate_on_network
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import conversation_response
from socialdesk.web.ui.responses import forbidden, not_found, see_other

router = APIRouter()


@router.post("/conversations/{conversation_id}/messages/{message_id}/moderate")
def moderate_comment_page(
    request: Request,
    conversation_id: Id,
    message_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    action: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)

    def refused(why: str, code: int) -> Response:
        text = f"Not done: {why}."
        return conversation_response(request, runtime, user, session, conversation_id, text, code)

    try:
        with runtime.read_uow() as uow:
            message = check_moderate_comment(uow, user, conversation_id, message_id, action)
    except NotFound:
        return not_found(user, session, "message")
    except (PermissionDenied, ValidationFailed) as exc:
        code = status.HTTP_403_FORBIDDEN if isinstance(exc, PermissionDenied) else 422
        return refused(f"{exc} (one of {', '.join(MODERATION)})", code)
    moderator = comment_moderator(runtime, message.channel, user.workspace_id)
    if moderator is None:
        reason = f"comments on {message.channel} cannot be hidden or deleted from socialdesk"
        return refused(f"{reason} (no connected account there that can)", status.HTTP_409_CONFLICT)
    try:
        moderate_on_network(moderator, str(message.external_id), action)
    except ChannelError as exc:
        return refused(f"{message.channel} refused: {exc}", status.HTTP_502_BAD_GATEWAY)
    with runtime.uow() as uow:
        do_record_moderation(uow, user, message, action, runtime.clock.now())
    return see_other(f"/conversations/{conversation_id}#message-{message_id}")
