"""The audit trail: every change of the care workflow records who did what to which case, and when;
every change of the workspace's configuration records who changed what, from what, to what."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork


def record(
    uow: UnitOfWork,
    workspace_id: int,
    now: datetime,
    actor_id: int | None,
    action: str,
    *,
    case_id: int | None = None,
    conversation_id: int | None = None,
    **data: Any,
) -> None:
    """Add one audit entry (``actor_id`` None: the system). Called by do_* actions, inside their change."""
    uow.audit.add(workspace_id, now, actor_id, action, case_id, conversation_id, data)


def changed_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The fields that differ between two states (all of them when one side is None: added, removed)."""
    if before is None or after is None:
        return (dict(before) if before is not None else None, dict(after) if after is not None else None)
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return ({k: before.get(k) for k in keys}, {k: after.get(k) for k in keys})


def record_config_change(
    uow: UnitOfWork,
    actor: User,
    now: datetime,
    action: str,
    *,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    **subject: Any,
) -> None:
    """Audit one change of configuration (no case): ``subject`` names what changed (``monitor_id=3``),
    ``before`` and ``after`` are its states (None: it did not exist / no longer does); only the fields
    that differ are kept. Never pass secrets: say that credentials changed, not what they are."""
    old, new = changed_fields(before, after)
    if actor.id <= 0:  # the CLI acts as a stand-in admin with no row of its own: say so in the data
        record(uow, actor.workspace_id, now, None, action, **subject, via=actor.email, before=old, after=new)
        return
    record(uow, actor.workspace_id, now, actor.id, action, **subject, before=old, after=new)
