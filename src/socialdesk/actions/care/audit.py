"""The audit trail: every change of the care workflow records who did what to which case, and when; every
change of the workspace's configuration records who changed what, from what, to what. Read back here
too: a case's entries and the workspace's CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.domain.care import csv_cell
from socialdesk.domain.people import User
from socialdesk.ports.care import AuditEntry
from socialdesk.ports.uow import UnitOfWork


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


def case_audit(uow: UnitOfWork, user: User, case_id: int) -> list[AuditEntry]:
    case = access_case_by_id(uow, user, case_id)
    return uow.audit.for_case(user.workspace_id, case.id)


# The first six columns are the original export's; actor, before and after were added for configuration
# changes (before/after: the changed fields as compact JSON, empty for case work).
AUDIT_COLUMNS = ("at", "actor_id", "action", "case_id", "conversation_id", "data", "actor", "before", "after")


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def audit_csv(uow: UnitOfWork, user: User, start: datetime | None, end: datetime | None) -> str:
    """The workspace's audit trail as CSV (admins): case work and configuration changes alike (those
    have no case). ``actor`` is the user's email, ``system`` for the workflow's own steps, or what acted
    for the CLI. Cells a spreadsheet would run as formulas are quoted with a leading apostrophe."""
    require_admin(user, "export the audit trail")
    emails = {u.id: u.email for u in uow.users.list(user.workspace_id)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for e in uow.audit.between(user.workspace_id, start, end):
        data = {k: v for k, v in e.data.items() if k not in ("before", "after")}
        if e.actor_id is not None:
            actor = emails.get(e.actor_id, f"user {e.actor_id}")
        else:
            actor = str(data.get("via") or "system")
        row = (
            e.at.isoformat(),
            e.actor_id,
            e.action,
            e.case_id,
            e.conversation_id,
            json.dumps(data, sort_keys=True, ensure_ascii=False),
            actor,
            _compact(e.data["before"]) if "before" in e.data else "",
            _compact(e.data["after"]) if "after" in e.data else "",
        )
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
