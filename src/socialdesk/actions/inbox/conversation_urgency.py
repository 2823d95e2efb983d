"""A waiting conversation's urgency over time: its messages' own score plus the waiting-time part.

Triage scores each post as it arrives (with no waiting time). While a customer waits on an open case,
the care checks recompute each waiting conversation's urgency as the highest score of its waiting
messages plus the waiting-time part (`triage.urgency.aged_urgency`), so the longest-waiting ordinary
customers rise in the inbox and the team queues. An agent's triage correction re-scores the message
(actions/listening/rules.py) and the conversation at once; a "needs_reply" correction also says whether the
case
needs a reply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from socialdesk.actions.care.needs_reply import do_set_needs_reply
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork
from socialdesk.triage.urgency import aged_urgency


def do_rescore_waiting(
    uow: UnitOfWork, workspace_id: int, now: datetime, conversation_ids: Iterable[int] | None = None
) -> list[int]:
    """Recompute the urgency of waiting conversations (all, or those given). Returns those changed."""
    changes = []
    for row in uow.conversations.waiting_urgency(workspace_id, conversation_ids):
        urgency = aged_urgency(row.base, (now - row.waiting_since).total_seconds())
        if urgency != row.urgency:
            changes.append((row.conversation_id, row.waiting_since, urgency))
    if not changes:
        return []
    uow.conversations.set_urgency(workspace_id, changes)
    changed = [conversation_id for conversation_id, _, _ in changes]
    for conversation_id in changed:
        uow.emit(Event(workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": conversation_id}))
    return changed


def do_age_urgency(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> int:
    """One pass of the care checks over every workspace (one transaction each). Returns how many
    conversations changed."""
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    count = 0
    for ws in workspaces:
        with uow_factory() as uow:
            count += len(do_rescore_waiting(uow, ws, clock.now()))
    return count


def do_follow_triage_correction(
    uow: UnitOfWork, user: User, conversation_id: int, field: str, triage: dict[str, Any], now: datetime
) -> None:
    """What a corrected label changes beyond its message: the conversation's urgency and, for
    needs_reply, whether the conversation's open case needs a reply (its SLA clocks)."""
    if field == "needs_reply":
        conv = uow.conversations.get(user.workspace_id, conversation_id)
        case = (
            uow.cases.get(user.workspace_id, conv.current_case_id) if conv and conv.current_case_id else None
        )
        if case is not None and case.is_active:
            do_set_needs_reply(uow, case, bool(triage["needs_reply"]), now, user.id, "triage correction")
    do_rescore_waiting(uow, user.workspace_id, now, [conversation_id])
