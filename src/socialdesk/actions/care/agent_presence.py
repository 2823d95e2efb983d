"""Whether an agent is at the desk: online from login, away at logout and after a spell of idleness.

The routing status (online, away, offline) lives on the user row; beside it each agent has a "seen"
record in the workspace settings (key ``agent_seen:<user id>``): when the browser last reported the
agent active, whether the status came from the browser (login, the header switch, activity) or from the
API, and whether the agent was set away for being idle. Only browser statuses go away when idle: an
agent (or a script) that set its status through the API keeps it until it changes it again. An agent
set away for idleness comes back online by itself on its next activity; one who chose "away" stays away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from socialdesk.actions.care.audit import record
from socialdesk.domain.assignment import AgentStatus
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork

BROWSER = "browser"
API = "api"


def seen_key(user_id: int) -> str:
    return f"agent_seen:{user_id}"


def _seen(uow: UnitOfWork, user: User) -> dict[str, Any]:
    value = uow.settings.get(user.workspace_id, seen_key(user.id))
    return dict(value) if isinstance(value, dict) else {}


def _put_seen(uow: UnitOfWork, user: User, now: datetime, via: str, *, idle_away: bool = False) -> None:
    value = {"at": now.isoformat(), "via": via, "idle_away": idle_away}
    uow.settings.put(user.workspace_id, seen_key(user.id), value, now)


def do_set_agent_status(
    uow: UnitOfWork, user: User, status: AgentStatus, now: datetime, reason: str, actor_id: int | None
) -> User:
    """Change one agent's routing status and audit it with before and after (nothing when unchanged)."""
    if user.status is status:
        return user
    changed = replace(user, status=status)
    uow.agents.save(changed)
    record(
        uow, user.workspace_id, now, actor_id, "agent_status_changed", user_id=user.id,
        before={"status": user.status.value}, after={"status": status.value}, reason=reason,
    )  # fmt: skip
    return changed


def do_sign_in(uow: UnitOfWork, user: User, now: datetime) -> User:
    """A browser login: the agent is online from now on (its status came from the browser)."""
    _put_seen(uow, user, now, BROWSER)
    return do_set_agent_status(uow, user, AgentStatus.ONLINE, now, "login", user.id)


def do_sign_out(uow: UnitOfWork, user: User, now: datetime) -> User:
    """A logout: the agent is away (no new cases) until the next login."""
    _put_seen(uow, user, now, BROWSER)
    if user.status is AgentStatus.OFFLINE:
        return user
    return do_set_agent_status(uow, user, AgentStatus.AWAY, now, "logout", user.id)


def check_set_own_status(uow: UnitOfWork, user: User, status: str, now: datetime) -> User:
    """The header's online/away switch: an agent sets its own status from the browser."""
    try:
        chosen = AgentStatus(status)
    except ValueError:
        raise ValidationFailed("status: online or away") from None
    if chosen is AgentStatus.OFFLINE:
        raise ValidationFailed("status: online or away (log out to go offline)")
    _put_seen(uow, user, now, BROWSER)
    return do_set_agent_status(uow, user, chosen, now, "switch", user.id)


def do_note_status_from_api(uow: UnitOfWork, user: User, now: datetime) -> None:
    """The agent's status was set through the API: idleness in the browser no longer changes it."""
    _put_seen(uow, user, now, API)


def do_note_activity(uow: UnitOfWork, user: User, now: datetime) -> User:
    """The browser saw the agent act (a key, a click, a page): note it; back online if idle set it away."""
    seen = _seen(uow, user)
    came_back = bool(seen.get("idle_away")) and user.status is AgentStatus.AWAY
    if seen.get("via") == API and not came_back:
        return user  # an API status stays as the API set it
    _put_seen(uow, user, now, BROWSER)
    if came_back:
        return do_set_agent_status(uow, user, AgentStatus.ONLINE, now, "active again", user.id)
    return user


def do_mark_idle_agents(uow: UnitOfWork, workspace_id: int, now: datetime, idle: timedelta) -> list[int]:
    """Online agents whose browser reported no activity for ``idle`` become away. Returns their ids."""
    out = []
    for user in uow.users.list(workspace_id):
        if user.status is not AgentStatus.ONLINE:
            continue
        seen = _seen(uow, user)
        if seen.get("via") != BROWSER:
            continue
        try:
            at = datetime.fromisoformat(str(seen["at"]))
        except (KeyError, ValueError):
            continue
        if at.tzinfo is None or now - at < idle:
            continue
        _put_seen(uow, user, at, BROWSER, idle_away=True)
        do_set_agent_status(
            uow, user, AgentStatus.AWAY, now, f"idle {int(idle.total_seconds() // 60)} min", None
        )
        out.append(user.id)
    return out


def do_check_idle_agents(uow_factory: Callable[[], UnitOfWork], clock: Clock, idle_minutes: float) -> int:
    """One pass of the care checks: idle agents of every workspace set away (one transaction each)."""
    idle = timedelta(minutes=idle_minutes)
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    count = 0
    for ws in workspaces:
        with uow_factory() as uow:
            count += len(do_mark_idle_agents(uow, ws, clock.now(), idle))
    return count
