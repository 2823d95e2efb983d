"""What ingest does for the care workflow once a batch is written: route and assign the cases it
opened, start their SLA clocks, and feed the clocks of the cases it touched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from socialdesk.actions.care.needs_reply import do_cases_want_reply
from socialdesk.actions.care.routing import Intake, do_route_new_cases
from socialdesk.actions.care.sla import do_apply_sla_events, do_start_slas
from socialdesk.domain.case import Case
from socialdesk.domain.routing import CaseFacts
from socialdesk.domain.sla import SlaEvent
from socialdesk.ports.inbox import NewCase
from socialdesk.ports.uow import UnitOfWork

if TYPE_CHECKING:
    from socialdesk.actions.inbox.annotate import PostAnnotation
    from socialdesk.domain.post import Post


@dataclass(frozen=True, slots=True)
class NewCaseIntake:
    case_id: int
    new_case: NewCase
    opening: tuple[Post, PostAnnotation] | None  # the customer post that opened it, with its triage
    contact_id: int | None
    waiting_since: datetime | None
    sla_events: Sequence[SlaEvent]  # what happened to it later in the same batch


def facts_of(channel: str, opening: tuple[Post, PostAnnotation] | None) -> CaseFacts:
    """Routing's view of a case: its first message's channel, text, monitors and triage."""
    if opening is None:
        return CaseFacts(channel=channel)
    post, note = opening
    triage = note.triage
    return CaseFacts(
        channel=post.channel,
        text=post.text,
        monitors=frozenset(note.monitor_names),
        category=None if triage is None else triage.category,
        language=(None if triage is None else triage.language) or post.lang,
        urgency=0.0 if triage is None else float(triage.urgency),
    )


def do_care_after_ingest(
    uow: UnitOfWork,
    workspace_id: int,
    opened: Sequence[NewCaseIntake],
    touched: Sequence[tuple[int, SlaEvent]],
    now: datetime,
    wants_reply: Sequence[tuple[int, datetime]] = (),
) -> None:
    """Route and assign the cases a batch opened and start their SLA clocks (only for those that
    need a reply); feed the clocks of the cases it touched; an open case that needed no reply
    and got a message that does now needs one (``wants_reply``: case id and when)."""
    intakes = []
    channels: dict[int, str] = {}
    for item in opened:
        nc = item.new_case
        case = Case(
            id=item.case_id,
            workspace_id=workspace_id,
            conversation_id=nc.conversation_id,
            status=nc.status,
            opened_at=nc.opened_at,
            first_response_at=nc.first_response_at,
            updated_at=nc.opened_at,
        )
        channel = item.opening[0].channel if item.opening else ""
        channels[case.id] = channel
        facts = facts_of(channel, item.opening)
        since = item.waiting_since or nc.opened_at
        intakes.append(Intake(case, facts, item.contact_id, since, nc.needs_reply))
    routed = do_route_new_cases(uow, workspace_id, intakes, now)
    do_start_slas(uow, workspace_id, [(c, channels[c.id]) for c in routed], now)
    later = [(item.case_id, e) for item in opened for e in item.sla_events]
    do_apply_sla_events(uow, workspace_id, [*later, *touched], now)
    do_cases_want_reply(uow, workspace_id, wants_reply, now)
