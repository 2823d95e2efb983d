"""The audit trail: every change of the care workflow records who did what to which case, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
