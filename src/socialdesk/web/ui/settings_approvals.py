"""`/settings/approvals`: the approval rules (terms, patterns, any money amount) that make a reply wait
for an approver. Adding or deleting one stores the whole list through `check_set_approval_rules`,
which checks the values and the role. Each team's approvers (who approve its held replies; admins always
may) are chosen here too, through `check_set_team_approvers`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.approvals import RULE_KINDS, check_set_approval_rules
from socialdesk.actions.care.approvers import check_set_team_approvers, team_approvers
from socialdesk.actions.inbox.replies import APPROVAL_RULES
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page

PAGE = "/settings/approvals"
FormText = Annotated[str, Form()]
FormList = Annotated[list[str], Form()]
router = APIRouter()


def approvals_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    with runtime.read_uow() as uow:
        rules = uow.settings.get(user.workspace_id, APPROVAL_RULES) or []
        people = [u for u in uow.users.list(user.workspace_id) if u.is_active]
        trainees = [u for u in people if u.in_training]
        teams = sorted(uow.teams.list(user.workspace_id), key=lambda t: t.name.casefold())
        approvers = team_approvers(uow, user.workspace_id)
    return settings_page(
        "settings/approvals.html",
        PAGE,
        user,
        session,
        status_code,
        rules=rules,
        trainees=trainees,
        teams=teams,
        people=sorted(people, key=lambda u: u.name.casefold()),
        approvers=approvers,
        kinds=RULE_KINDS,
        form=form or {"kind": RULE_KINDS[0], "value": ""},
        errors=errors or {},
    )


@router.get(PAGE)
def approvals_view(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return refusal(user, session, PAGE) or approvals_page(runtime, user, session)


def _store(
    request: Request,
    runtime: Runtime,
    found: tuple[User, WebSession],
    csrf_token: str,
    change: Any,
    form: dict[str, str] | None = None,
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    refused = refusal(user, session, PAGE)  # before the change reads the list: the role decides first
    if refused:
        return refused
    try:
        with runtime.uow() as uow:
            rules = list(uow.settings.get(user.workspace_id, APPROVAL_RULES) or [])
            check_set_approval_rules(uow, user, change(rules), runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return approvals_page(runtime, user, session, code, form=form, errors={"rule": f"Not saved: {exc}."})
    return see_other(PAGE)


@router.post(PAGE)
def add_rule(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    kind: FormText = "",
    value: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    def change(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [*rules, {"kind": kind, "value": value}]

    return _store(request, runtime, found, csrf_token, change, {"kind": kind, "value": value})


@router.post(PAGE + "/delete")
def delete_rule(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    number: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Delete the rule at ``number`` (1 for the first) of the list as the page showed it."""

    def change(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not number.isdigit() or not 1 <= int(number) <= len(rules):
            raise ValidationFailed(f"no approval rule number {number[:20]!r}: reload the page")
        return [r for i, r in enumerate(rules, start=1) if i != int(number)]

    return _store(request, runtime, found, csrf_token, change)


@router.post(PAGE + "/teams/{team_id}")
def set_team_approvers(
    request: Request,
    team_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    approver: FormList = [],  # noqa: B006 (FastAPI copies the default)
    csrf_token: FormText = "",
) -> Response:
    """The checked people become the team's approvers (none checked: only admins approve for it)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        if not all(a.isdigit() for a in approver):
            raise ValidationFailed("approvers: choose people from the list")
        with runtime.uow() as uow:
            check_set_team_approvers(uow, user, team_id, [int(a) for a in approver], runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "such team")
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return approvals_page(runtime, user, session, code, errors={"approvers": f"Not saved: {exc}."})
    return see_other(PAGE + "#approvers")
