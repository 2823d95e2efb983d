"""`/approvals`: replies held for an approver (trainees' replies, replies matching approval rules).

Admins approve (optionally after editing the text, which is then signed with the agent's signature and
sent) or return a reply with a comment for its agent. Agents see a held reply's state on its
conversation; this page is admins' only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.approvals import check_approve, check_return, list_approvals
from socialdesk.domain.care import ApprovalStatus
from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import Message
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.care import Approval
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import (
    flash,
    forbidden,
    is_htmx,
    not_allowed,
    not_found,
    page_context,
    see_other,
)
from socialdesk.web.ui.templating import render

APPROVALS_URL = "/approvals"
MAX_COMMENT_CHARS = 2000

router = APIRouter()


@dataclass(frozen=True, slots=True)
class HeldReply:
    approval: Approval
    message: Message
    conversation: Conversation
    agent: User | None


def held_replies(runtime: Runtime, user: User) -> list[HeldReply]:
    out = []
    with runtime.read_uow() as uow:
        pending = list_approvals(uow, user, ApprovalStatus.PENDING)
        ws = user.workspace_id
        people = {u.id: u for u in uow.users.list(ws)}
        convs = uow.conversations.get_many(ws, {a.conversation_id for a in pending})
        for a in pending:
            message = uow.messages.get(ws, a.message_id)
            conv = convs.get(a.conversation_id)
            if message is not None and conv is not None:
                out.append(HeldReply(a, message, conv, people.get(a.requested_by)))
    return out


def _page(
    runtime: Runtime, user: User, session: WebSession, error: str | None = None, code: int = 200
) -> Response:
    context = page_context(
        user, session, nav="approvals", held=held_replies(runtime, user), error=error, now=runtime.clock.now()
    )
    return render("approvals.html", code, **context)


@router.get(APPROVALS_URL)
def approvals_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    try:
        return _page(runtime, user, session)
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)


def _decided(request: Request, user: User, session: WebSession, approval: Approval) -> Response:
    if is_htmx(request):
        return render("_approval_done.html", **page_context(user, session, approval=approval))
    return see_other(APPROVALS_URL)


def _refused(
    request: Request, runtime: Runtime, user: User, session: WebSession, approval_id: Id, error: str
) -> Response:
    code = status.HTTP_422_UNPROCESSABLE_CONTENT
    if is_htmx(request):
        return flash(error, code)
    return _page(runtime, user, session, f"Approval {approval_id}: {error}", code)


@router.post(APPROVALS_URL + "/{approval_id}/approve")
def approve(
    request: Request,
    approval_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Form()] = "",
    original: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Approve and send; if the approver changed the text, the changed text goes out."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    edited = text if text.strip() and text.strip() != original.strip() else None
    try:
        with runtime.uow() as uow:
            decided = check_approve(uow, user, approval_id, edited, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "approval")
    except ValidationFailed as exc:
        return _refused(request, runtime, user, session, approval_id, f"Not approved: {exc}.")
    return _decided(request, user, session, decided)


@router.post(APPROVALS_URL + "/{approval_id}/return")
def return_reply(
    request: Request,
    approval_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    comment: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Send a held reply back to its agent with a comment; nothing reaches the customer."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    if not comment.strip() or len(comment) > MAX_COMMENT_CHARS:
        error = f"Not returned: say why, in 1 to {MAX_COMMENT_CHARS} characters."
        return _refused(request, runtime, user, session, approval_id, error)
    try:
        with runtime.uow() as uow:
            decided = check_return(uow, user, approval_id, comment, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "approval")
    except ValidationFailed as exc:
        return _refused(request, runtime, user, session, approval_id, f"Not returned: {exc}.")
    return _decided(request, user, session, decided)
