"""`/settings/teams`: teams, their members, assignment strategy and business hours.

Plain forms with the session's CSRF token; the actions of `actions/care/teams.py` check the role and
the values, and a refused change comes back on the page with the message at the form that sent it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.care.teams import (
    check_add_member,
    check_create_team,
    check_remove_member,
    check_update_team,
)
from socialdesk.domain.assignment import Strategy
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page

PAGE = "/settings/teams"
FormText = Annotated[str, Form()]
router = APIRouter()


@dataclass(frozen=True)
class TeamForm:
    name: str = ""
    strategy: str = Strategy.LEAST_LOADED.value
    fallback: str = Strategy.LEAST_LOADED.value
    timezone: str = "UTC"
    schedule: str = ""
    holidays: str = ""


def hours_of(form: TeamForm) -> dict[str, Any] | None:
    """Business hours from the form: schedule lines `mon-fri 09:00-17:00`, holidays `2026-12-25, ...`.

    Empty schedule and holidays: open around the clock (None). The action validates what comes out."""
    schedule: dict[str, str] = {}
    for line in form.schedule.splitlines():
        days, _, hours = line.strip().partition(" ")
        if days:
            schedule[days] = hours.strip()
    holidays = [d.strip() for d in form.holidays.replace("\n", ",").split(",") if d.strip()]
    if not schedule and not holidays and form.timezone.strip() in ("", "UTC"):
        return None
    return {"timezone": form.timezone.strip() or "UTC", "schedule": schedule or None, "holidays": holidays}


def form_of_hours(name: str, strategy: str, fallback: str, hours: dict[str, Any] | None) -> TeamForm:
    hours = hours or {}
    schedule = hours.get("schedule") or {}
    return TeamForm(
        name,
        strategy,
        fallback,
        str(hours.get("timezone", "UTC")),
        "\n".join(f"{days} {spec}" for days, spec in schedule.items()),
        ", ".join(str(d) for d in hours.get("holidays", ())),
    )


def teams_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    new: TeamForm | None = None,
    edits: dict[int, TeamForm] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    with runtime.read_uow() as uow:
        teams = uow.teams.list(user.workspace_id)
        members = uow.teams.members(user.workspace_id)
        users = [u for u in uow.users.list(user.workspace_id) if u.is_active]
    edits = dict(edits or {})
    for team in teams:
        edits.setdefault(
            team.id, form_of_hours(team.name, team.strategy.value, team.fallback.value, team.hours)
        )
    return settings_page(
        "settings/teams.html",
        PAGE,
        user,
        session,
        status_code,
        teams=teams,
        members=members,
        users={u.id: u for u in users},
        new=new or TeamForm(),
        edits=edits,
        errors=errors or {},
        strategies=[s.value for s in Strategy],
        fallbacks=[s.value for s in Strategy if s is not Strategy.STICKY],
    )


@router.get(PAGE)
def teams_view(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return refusal(user, session, PAGE) or teams_page(runtime, user, session)


def _refused(runtime: Runtime, user: User, session: WebSession, exc: Exception, **form: Any) -> Response:
    if isinstance(exc, PermissionDenied):
        return not_allowed(user, session, exc)
    if isinstance(exc, NotFound):
        return not_found(user, session, "such team or user")
    return teams_page(runtime, user, session, status.HTTP_422_UNPROCESSABLE_CONTENT, **form)


@router.post(PAGE)
def create_team(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: FormText = "",
    strategy: FormText = Strategy.LEAST_LOADED.value,
    fallback: FormText = Strategy.LEAST_LOADED.value,
    timezone: FormText = "UTC",
    schedule: FormText = "",
    holidays: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = TeamForm(name, strategy, fallback, timezone, schedule, holidays)
    try:
        with runtime.uow() as uow:
            team = check_create_team(uow, user, name, strategy, fallback, hours_of(form), runtime.clock.now())
    except (PermissionDenied, ValidationFailed) as exc:
        errors = {"new": f"Team not created: {exc}."}
        return _refused(runtime, user, session, exc, new=form, errors=errors)
    return see_other(f"{PAGE}#team-{team.id}")


@router.post(PAGE + "/{team_id}")
def update_team(
    request: Request,
    team_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    strategy: FormText = Strategy.LEAST_LOADED.value,
    fallback: FormText = Strategy.LEAST_LOADED.value,
    timezone: FormText = "UTC",
    schedule: FormText = "",
    holidays: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """The team's strategy, fallback and business hours."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = TeamForm("", strategy, fallback, timezone, schedule, holidays)
    changes = {"strategy": strategy, "fallback": fallback, "hours": hours_of(form)}
    try:
        with runtime.uow() as uow:
            check_update_team(uow, user, team_id, changes, runtime.clock.now())
    except (NotFound, PermissionDenied, ValidationFailed) as exc:
        errors = {f"team-{team_id}": f"Team not changed: {exc}."}
        return _refused(runtime, user, session, exc, edits={team_id: form}, errors=errors)
    return see_other(f"{PAGE}#team-{team_id}")


@router.post(PAGE + "/{team_id}/members")
def add_member(
    request: Request,
    team_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    user_id: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    refused = refusal(user, session, PAGE)  # before reading the form: the role decides first
    if refused:
        return refused
    try:
        if not user_id.isdigit():
            raise ValidationFailed(f"choose a user to add, not {user_id[:40]!r}")
        with runtime.uow() as uow:
            check_add_member(uow, user, team_id, int(user_id), runtime.clock.now())
    except (NotFound, PermissionDenied, ValidationFailed) as exc:
        errors = {f"members-{team_id}": f"Member not added: {exc}."}
        return _refused(runtime, user, session, exc, errors=errors)
    return see_other(f"{PAGE}#team-{team_id}")


@router.post(PAGE + "/{team_id}/members/{user_id}/delete")
def remove_member(
    request: Request,
    team_id: Id,
    user_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_remove_member(uow, user, team_id, user_id, runtime.clock.now())
    except (NotFound, PermissionDenied) as exc:
        return _refused(runtime, user, session, exc)
    return see_other(f"{PAGE}#team-{team_id}")
