"""Whether a case needs a reply: triage says so for its opening post, an agent may say otherwise.

Only cases that need a reply have SLA clocks: praise, spam and other posts that need none never breach
or escalate. The answer lives in the case's facts (``needs_reply``; missing means yes, as for posts
that were never triaged). An agent saying "needs a reply" starts the clocks from the oldest
unanswered customer message (the customer has waited that long); "no reply needed" stops them. A
customer message that needs a reply, in a case that needed none, does what "needs a reply" does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from socialdesk.actions.care.audit import record
from socialdesk.actions.care.sla import do_start_slas, needs_reply_of
from socialdesk.actions.inbox.conversations import access_case_by_id
from socialdesk.domain.case import Case
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.care import CaseCare
from socialdesk.ports.uow import UnitOfWork


def check_set_needs_reply(uow: UnitOfWork, user: User, case_id: int, needs: bool, now: datetime) -> Case:
    """An agent says a case needs a reply, or that it needs none (any agent who may see the case)."""
    case = access_case_by_id(uow, user, case_id)
    do_set_needs_reply(uow, case, needs, now, user.id, "agent")
    return case


def do_set_needs_reply(
    uow: UnitOfWork, case: Case, needs: bool, now: datetime, actor_id: int | None, reason: str
) -> bool:
    """Set whether ``case`` needs a reply, start or stop its SLA clocks, audit it. False: unchanged."""
    ws = case.workspace_id
    care = uow.care.get_many(ws, [case.id]).get(case.id, CaseCare(case.id))
    before = needs_reply_of(care)
    facts = dict(care.facts or {})
    if before is needs and facts.get("needs_reply") is needs:
        return False
    facts["needs_reply"] = needs
    care = replace(care, facts=facts)
    if not needs:
        care = replace(care, sla=None, sla_state=None, sla_next_check_at=None)
    uow.care.save(ws, care)
    if needs and care.sla is None and case.is_active:
        conv = uow.conversations.get(ws, case.conversation_id)
        since = (conv.waiting_since if conv else None) or case.opened_at  # the customer waited since
        do_start_slas(uow, ws, [(replace(case, opened_at=since), conv.channel if conv else "")], now)
    record(
        uow, ws, now, actor_id, "needs_reply_changed", case_id=case.id,
        conversation_id=case.conversation_id, before={"needs_reply": before},
        after={"needs_reply": needs}, reason=reason,
    )  # fmt: skip
    data = {"case_id": case.id, "conversation_id": case.conversation_id}
    uow.emit(Event(ws, EventKind.CASE_SLA_CHANGED, {**data, "sla_state": care.sla_state}))
    uow.emit(Event(ws, EventKind.CONVERSATION_UPDATED, {"conversation_id": case.conversation_id}))
    return True


def do_cases_want_reply(
    uow: UnitOfWork, workspace_id: int, wanted: Sequence[tuple[int, datetime]], now: datetime
) -> None:
    """Ingest: open cases that needed no reply got a customer message that needs one."""
    if not wanted:
        return
    cares = uow.care.get_many(workspace_id, [case_id for case_id, _ in wanted])
    for case_id, _at in wanted:
        if needs_reply_of(cares.get(case_id)):
            continue
        case = uow.cases.get(workspace_id, case_id)
        if case is not None:
            do_set_needs_reply(uow, case, True, now, None, "customer message needs a reply")
