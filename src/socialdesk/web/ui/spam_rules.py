"""Spam rules on the monitors settings page: add and delete (admins only, CSRF-checked).

HTMX gets the spam-rule section back; a plain form gets a redirect, or the page with the error.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.listening.rules import check_add_spam_rule, check_delete_spam_rule
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.noise import SpamRuleKind
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.monitors import SETTINGS_URL, SpamForm, settings_page, spam_context
from socialdesk.web.ui.responses import forbidden, is_htmx, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.templating import render

SPAM_RULES_URL = "/settings/spam-rules"

router = APIRouter()


def _answer(
    request: Request,
    runtime: Runtime,
    user: User,
    session: WebSession,
    form: SpamForm | None = None,
    error: str | None = None,
) -> Response:
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if error else status.HTTP_200_OK
    if is_htmx(request):
        context = page_context(user, session, **spam_context(runtime, user, form, error))
        return render("_spam_rules.html", code, **context)
    if error:
        return settings_page(runtime, user, session, code, spam_form=form, spam_error=error)
    return see_other(f"{SETTINGS_URL}#spam-rules")


@router.post(SPAM_RULES_URL)
def add_spam_rule(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    kind: Annotated[str, Form()] = SpamRuleKind.TERM.value,
    value: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_add_spam_rule(uow, user, kind, value, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        return _answer(request, runtime, user, session, SpamForm(kind, value), f"Not added: {exc}.")
    return _answer(request, runtime, user, session)


@router.post(SPAM_RULES_URL + "/{rule_id}/delete")
def delete_spam_rule(
    request: Request,
    rule_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_spam_rule(uow, user, rule_id, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "spam rule")
    return _answer(request, runtime, user, session)
