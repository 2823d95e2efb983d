"""`/settings/users`: add a user (with a password the admin sets), and per user: role, enabled or
disabled, training flag, capacity, skills (languages, products, channels) and teams.

One form per user; its changes are made by the actions of `actions/accounts/lifecycle.py` and `care_teams.py`
in one unit of work, so a refused value changes nothing and comes back at that user's form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.accounts.invites import INVITE_HOURS, check_invite_user
from socialdesk.actions.accounts.lifecycle import check_add_user, check_set_active, check_set_role
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.actions.care.teams import check_add_member, check_remove_member, check_update_agent
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page
from socialdesk.web.ui.settings_routing import words

PAGE = "/settings/users"
FormText = Annotated[str, Form()]
router = APIRouter()
ROLE_LABELS = {
    Role.ADMIN.value: "Admin",
    Role.LEAD.value: "Team lead",
    Role.AGENT.value: "Agent",
    Role.KNOWLEDGE_EDITOR.value: "Knowledge editor",
}


@dataclass(frozen=True)
class NewUserForm:
    email: str = ""
    name: str = ""
    role: str = Role.AGENT.value
    how: str = "link"  # link: a one-time link; password: the admin sets it


@dataclass(frozen=True)
class UserForm:
    role: str
    active: bool
    in_training: bool
    capacity: str
    languages: str
    products: str
    channels: str
    teams: frozenset[int]


def form_of(user: User, teams: frozenset[int]) -> UserForm:
    return UserForm(
        user.role.value,
        user.is_active,
        user.in_training,
        str(user.capacity),
        ", ".join(sorted(user.skills.languages)),
        ", ".join(sorted(user.skills.products)),
        ", ".join(sorted(user.skills.channels)),
        teams,
    )


def users_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    new: NewUserForm | None = None,
    edits: dict[int, UserForm] | None = None,
    errors: dict[str, str] | None = None,
    invite_link: str = "",
) -> Response:
    with runtime.read_uow() as uow:
        users = uow.users.list(user.workspace_id)
        teams = uow.teams.list(user.workspace_id)
        members = uow.teams.members(user.workspace_id)
    edits = dict(edits or {})
    for u in users:
        mine = frozenset(t for t, ids in members.items() if u.id in ids)
        edits.setdefault(u.id, form_of(u, mine))
    return settings_page(
        "settings/users.html",
        PAGE,
        user,
        session,
        status_code,
        users=users,
        teams=teams,
        edits=edits,
        new=new or NewUserForm(),
        errors=errors or {},
        roles=[r.value for r in Role],
        role_labels=ROLE_LABELS,
        invite_link=invite_link,
        invite_hours=INVITE_HOURS,
    )


@router.get(PAGE)
def users_view(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return refusal(user, session, PAGE) or users_page(runtime, user, session)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationFailed(f"role: {' or '.join(r.value for r in Role)}, not {value[:40]!r}") from None


@router.post(PAGE)
def add_user(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    email: FormText = "",
    name: FormText = "",
    role: FormText = Role.AGENT.value,
    password: FormText = "",
    how: FormText = "link",
    csrf_token: FormText = "",
) -> Response:
    """Invite a user by a one-time link (shown once, here), or add them with the password the admin
    typed (they change it at /settings/password)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = NewUserForm(email, name, role, how)
    try:
        with runtime.uow() as uow:
            if how == "link":
                invitation = check_invite_user(uow, user, email, name, _role(role), runtime.clock.now())
                added = None
            else:
                invitation = None
                added = check_add_user(uow, user, email, name, password, _role(role), runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except (ValidationFailed, HashingBusy) as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        errors = {"new": f"User not added: {exc}."}
        return users_page(runtime, user, session, code, new=form, errors=errors)
    if invitation is not None:  # (stored: the page shows the link once)
        link = str(request.base_url).rstrip("/") + f"/invite/{user.workspace_id}/{invitation.token}"
        return users_page(runtime, user, session, invite_link=link)
    assert added is not None
    return see_other(f"{PAGE}#user-{added.id}")


@router.post(PAGE + "/{user_id}")
def change_user(
    request: Request,
    user_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    role: FormText = Role.AGENT.value,
    active: FormText = "",
    in_training: FormText = "",
    capacity: FormText = "",
    languages: FormText = "",
    products: FormText = "",
    channels: FormText = "",
    teams: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies the default)
    csrf_token: FormText = "",
) -> Response:
    """Role, enabled, training, capacity, skills and teams of one user: all of it or nothing."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    refused = refusal(user, session, PAGE)  # before reading the form: the role decides first
    if refused:
        return refused
    chosen = frozenset(int(t) for t in teams if t.isdigit() and len(t) <= 12)
    flags = active == "on", in_training == "on"
    form = UserForm(role, *flags, capacity, languages, products, channels, chosen)
    now = runtime.clock.now()
    try:
        if not capacity.strip().isdigit() or len(capacity.strip()) > 6:
            raise ValidationFailed(f"capacity: a number of open cases from 0 to 1000, not {capacity[:40]!r}")
        skills = {"languages": words(languages), "products": words(products), "channels": words(channels)}
        with runtime.uow() as uow:
            ws = user.workspace_id
            target = uow.users.get(ws, user_id)
            if target is None:
                raise NotFound(f"user {user_id}")
            if _role(role) is not target.role:  # only what changed: a team lead may not change roles
                check_set_role(uow, user, ws, user_id, _role(role), now)
            if form.active is not target.is_active:
                check_set_active(uow, user, ws, user_id, form.active, now)
            changes = {"in_training": form.in_training, "capacity": int(capacity), "skills": skills}
            check_update_agent(uow, user, user_id, changes, now)
            members = uow.teams.members(ws)
            current = frozenset(t for t, ids in members.items() if user_id in ids)
            for team_id in sorted(chosen - current):
                check_add_member(uow, user, team_id, user_id, now)
            for team_id in sorted(current - chosen):
                check_remove_member(uow, user, team_id, user_id, now)
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "such user or team")
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        errors = {f"user-{user_id}": f"Not saved: {exc}."}
        return users_page(runtime, user, session, code, edits={user_id: form}, errors=errors)
    return see_other(f"{PAGE}#user-{user_id}")
