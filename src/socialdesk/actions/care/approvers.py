"""Who approves held replies for which team: a team's approvers (admins always may).

Kept as the workspace setting ``team_approvers`` ({team id: [user ids]}). A held reply belongs to the
team of its conversation's current case; one with no team waits for an admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from socialdesk.actions.accounts.roles import require_care_configuration
from socialdesk.actions.care.audit import record_config_change
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.care import Approval
from socialdesk.ports.uow import UnitOfWork

TEAM_APPROVERS = "team_approvers"


def team_approvers(uow: UnitOfWork, workspace_id: int) -> dict[int, list[int]]:
    """Team id -> the user ids who approve its held replies (teams with none left out)."""
    stored = uow.settings.get(workspace_id, TEAM_APPROVERS) or {}
    return {int(team): [int(u) for u in users] for team, users in stored.items() if users}


def approver_teams(uow: UnitOfWork, user: User) -> set[int]:
    return {team for team, users in team_approvers(uow, user.workspace_id).items() if user.id in users}


def approval_teams(
    uow: UnitOfWork, workspace_id: int, approvals: Iterable[Approval]
) -> dict[int, int | None]:
    """Approval id -> the team of its conversation's current case (None: no team)."""
    approvals = list(approvals)
    cases = uow.cases.current_for(workspace_id, {a.conversation_id for a in approvals})
    return {a.id: (c.team_id if (c := cases.get(a.conversation_id)) else None) for a in approvals}


def require_approver(uow: UnitOfWork, user: User, approval: Approval | None = None) -> None:
    """Refuse anyone but admins and approvers (of ``approval``'s team, when given)."""
    if user.is_admin:
        return
    teams = approver_teams(uow, user)
    if not teams:
        raise PermissionDenied("only admins and a team's approvers review approvals")
    if approval is not None and approval_teams(uow, user.workspace_id, [approval])[approval.id] not in teams:
        raise PermissionDenied(f"only admins and the approvers of its team review approval {approval.id}")


def check_set_team_approvers(
    uow: UnitOfWork, user: User, team_id: int, user_ids: Iterable[int], now: datetime
) -> list[int]:
    """Set who approves held replies for one team (admins and team leads); active users of the workspace."""
    require_care_configuration(user, "choose approvers")
    ws = user.workspace_id
    team = uow.teams.get(ws, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    people = {u.id: u for u in uow.users.list(ws)}
    chosen = sorted(set(user_ids))
    for uid in chosen:
        if uid not in people or not people[uid].is_active:
            raise ValidationFailed(f"approvers of {team.name}: no active user {uid}")
    stored = {str(t): users for t, users in team_approvers(uow, ws).items()}
    before = stored.get(str(team_id), [])
    stored[str(team_id)] = chosen
    uow.settings.put(ws, TEAM_APPROVERS, {t: users for t, users in stored.items() if users}, now)
    record_config_change(
        uow,
        user,
        now,
        "team_approvers_changed",
        team_id=team_id,
        before={"approvers": before},
        after={"approvers": chosen},
    )
    return chosen
