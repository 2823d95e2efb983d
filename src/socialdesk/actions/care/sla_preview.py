"""When a case would be due: the stored SLA policy and a team's business hours, run on a chosen start
time without changing anything, for the SLA settings page's preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.accounts.roles import check_settings_allowed
from socialdesk.actions.care.routing import team_of
from socialdesk.actions.care.sla import SLA_POLICY, TEAM_SLA_POLICIES, hours_of_team
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.sla import SlaError, start_sla
from socialdesk.domain.sla_codec import policy_from_json
from socialdesk.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Deadlines:
    first_response: datetime | None
    resolution: datetime | None


def preview_sla_deadlines(
    uow: UnitOfWork, user: User, team_id: int | None, channel: str, priority: str, start: datetime
) -> Deadlines:
    """The first-response and resolution deadlines of a case a customer opens at ``start``."""
    check_settings_allowed(user, "manage the SLA policy", leads=True)
    if start.tzinfo is None:
        raise ValidationFailed("start: a time with its zone")
    data = uow.settings.get(user.workspace_id, SLA_POLICY)
    if team_id is not None:
        team_of(uow, user, team_id)
        data = (uow.settings.get(user.workspace_id, TEAM_SLA_POLICIES) or {}).get(str(team_id)) or data
    if not data:
        raise ValidationFailed("there is no SLA policy yet: save one first")
    hours = hours_of_team(uow, user.workspace_id, team_id)
    try:
        state = start_sla(policy_from_json(data, hours), channel, priority, start)
    except SlaError as exc:
        raise ValidationFailed(str(exc)) from None
    return Deadlines(state.first_response.deadline(hours), state.resolution.deadline(hours))
