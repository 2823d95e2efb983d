"""Saved inbox views: a name for a set of filters, columns and a sort, kept on the server for its owner
and, when shared, for a team the owner is in (admins and team leads may share with any team).

Only the owner (or an admin) deletes a view; shared views are audited as configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialdesk.actions.care_audit import record_config_change
from socialdesk.actions.desk_preferences import check_columns
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork
from socialdesk.ports_desk import InboxViewRecord

MAX_NAME = 80
MAX_VIEWS = 50  # per owner
# The filters a view keeps, each a short text (the inbox checks each against what exists when shown).
SPEC_FIELDS = {"view": 40, "q": 200, "channel": 32, "brand": 20, "monitor": 200, "tag": 40, "sort": 20}


def _teams_of(uow: UnitOfWork, user: User) -> list[int]:
    return sorted(t for t, members in uow.teams.members(user.workspace_id).items() if user.id in members)


def list_views(uow: UnitOfWork, user: User) -> list[InboxViewRecord]:
    return uow.inbox_views.visible_to(user.workspace_id, user.id, _teams_of(uow, user))


def access_view(uow: UnitOfWork, user: User, view_id: int) -> InboxViewRecord:
    """A view the user may open: their own or one shared with their team."""
    view = next((v for v in list_views(uow, user) if v.id == view_id), None)
    if view is None:
        raise NotFound(f"saved view {view_id}")
    return view


def check_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "columns":
            if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
                raise ValidationFailed("columns: expected a list of column names")
            out["columns"] = list(check_columns(value))
            continue
        size = SPEC_FIELDS.get(key)
        if size is None:
            raise ValidationFailed(f"{key[:40]!r}: not a filter a view keeps")
        if not isinstance(value, str) or len(value) > size:
            raise ValidationFailed(f"{key}: expected text of at most {size} characters")
        if value:
            out[key] = value
    return out


def check_save_view(
    uow: UnitOfWork, user: User, name: str, spec: Mapping[str, Any], team_id: int | None, now: datetime
) -> InboxViewRecord:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(f"name: 1 to {MAX_NAME} characters")
    if user.id <= 0:
        raise ValidationFailed("a saved view belongs to a user: the command line has none")
    clean = check_spec(spec)
    if team_id is not None:
        if uow.teams.get(user.workspace_id, team_id) is None:
            raise NotFound(f"team {team_id}")
        if team_id not in _teams_of(uow, user) and not user.configures_care:
            raise PermissionDenied("share a view only with a team you are in")
    own = [v for v in list_views(uow, user) if v.owner_id == user.id]
    if len(own) >= MAX_VIEWS:
        raise ValidationFailed(f"you have {len(own)} saved views, the most there may be: delete one first")
    view = uow.inbox_views.add(user.workspace_id, user.id, team_id, name, clean, now)
    if team_id is not None:
        after = {"name": name, "team_id": team_id, **clean}
        record_config_change(uow, user, now, "inbox_view.changed", before=None, after=after, view_id=view.id)
    return view


def check_delete_view(uow: UnitOfWork, user: User, view_id: int, now: datetime) -> InboxViewRecord:
    view = access_view(uow, user, view_id)
    if view.owner_id != user.id and not user.is_admin:
        raise PermissionDenied("only its owner (or an admin) deletes a saved view")
    uow.inbox_views.delete(user.workspace_id, view.id)
    if view.team_id is not None:
        before = {"name": view.name, "team_id": view.team_id}
        record_config_change(uow, user, now, "inbox_view.changed", before=before, after=None, view_id=view.id)
    return view
