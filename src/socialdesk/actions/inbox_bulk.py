"""Bulk actions on the inbox's selected conversations: assign, tag, resolve, snooze, add to an incident.

Each conversation goes through the same `check_*` action as one done by hand, in its own unit of work,
so permissions and the audit trail hold per conversation and one refusal (a closed case, a
conversation gone) refuses that one only. The report says how many were done and why each refused one
was. A bulk action takes at most BULK_LIMIT conversations: more is refused whole, before any change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from socialdesk.actions.care_routing import check_assign_case
from socialdesk.actions.case_snooze import check_snooze
from socialdesk.actions.case_tags import check_change_tags, current_case
from socialdesk.actions.cases import check_change_case_status
from socialdesk.actions.incidents import access_incident, check_add_incident_conversations
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.errors import DomainError, NotFound, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork, UnitOfWorkFactory

BULK_LIMIT = 500


class BulkOp(StrEnum):
    ASSIGN = "assign"
    TAG = "tag"
    RESOLVE = "resolve"
    SNOOZE = "snooze"
    INCIDENT = "incident"


DONE_WORDS = {
    BulkOp.ASSIGN: "assigned",
    BulkOp.TAG: "tagged",
    BulkOp.RESOLVE: "resolved",
    BulkOp.SNOOZE: "snoozed",
    BulkOp.INCIDENT: "added to the incident",
}


@dataclass(frozen=True, slots=True)
class BulkRequest:
    op: BulkOp
    assignee_id: int | None = None  # ASSIGN: None unassigns
    add_tags: tuple[str, ...] = ()  # TAG
    remove_tags: tuple[str, ...] = ()
    until: datetime | None = None  # SNOOZE
    incident_id: int | None = None  # INCIDENT


@dataclass(slots=True)
class BulkReport:
    op: BulkOp
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (conversation id, why)

    def summary(self) -> str:
        """E.g. "12 resolved, 1 refused: conversation 7: a case cannot go from closed to resolved"."""
        text = f"{len(self.done)} {DONE_WORDS[self.op]}"
        if not self.refused:
            return text
        shown = "; ".join(f"conversation {cid}: {why}" for cid, why in self.refused[:5])
        more = f"; and {len(self.refused) - 5} more" if len(self.refused) > 5 else ""
        return f"{text}, {len(self.refused)} refused: {shown}{more}"


def check_bulk(
    uow_factory: UnitOfWorkFactory,
    user: User,
    conversation_ids: list[int],
    request: BulkRequest,
    now: datetime,
) -> BulkReport:
    """Apply ``request`` to each conversation, each in its own unit of work (see the module's doc)."""
    ids = list(dict.fromkeys(conversation_ids))
    if not ids:
        raise ValidationFailed("no conversations selected: tick at least one row")
    if len(ids) > BULK_LIMIT:
        raise ValidationFailed(
            f"{len(ids):,} conversations selected; a bulk action takes at most {BULK_LIMIT}: "
            "narrow the view or act in several steps"
        )
    _check_request(uow_factory, user, request)
    report = BulkReport(request.op)
    for cid in ids:
        try:
            with uow_factory() as uow:
                _apply(uow, user, cid, request, now)
        except DomainError as exc:  # a refusal of this conversation only: reported, the rest go on
            report.refused.append((cid, str(exc)))
        else:
            report.done.append(cid)
    return report


def _check_request(uow_factory: UnitOfWorkFactory, user: User, request: BulkRequest) -> None:
    """What is wrong with the request itself is refused once, before any conversation changes."""
    if request.op is BulkOp.TAG and not (request.add_tags or request.remove_tags):
        raise ValidationFailed("tag: give the tags to add or remove")
    if request.op is BulkOp.SNOOZE and request.until is None:
        raise ValidationFailed("snooze: give the time to snooze until")
    with uow_factory() as uow:
        if request.op is BulkOp.INCIDENT:
            if request.incident_id is None:
                raise ValidationFailed("incident: choose the incident to add the conversations to")
            access_incident(uow, user, request.incident_id)
        if request.op is BulkOp.ASSIGN and request.assignee_id is not None:
            assignee = uow.users.get(user.workspace_id, request.assignee_id)
            if assignee is None or not assignee.is_active:
                raise NotFound(f"user {request.assignee_id}")


def _apply(uow: UnitOfWork, user: User, conversation_id: int, request: BulkRequest, now: datetime) -> None:
    op = request.op
    if op is BulkOp.TAG:
        check_change_tags(uow, user, conversation_id, now, add=request.add_tags, remove=request.remove_tags)
    elif op is BulkOp.SNOOZE:
        check_snooze(uow, user, conversation_id, request.until, now)
    elif op is BulkOp.INCIDENT:
        assert request.incident_id is not None  # _check_request refused it
        check_add_incident_conversations(uow, user, request.incident_id, [conversation_id], now)
    else:
        case = current_case(uow, user, conversation_id)
        if op is BulkOp.RESOLVE:
            check_change_case_status(uow, user, case.id, CaseStatus.RESOLVED, now)
        else:
            check_assign_case(uow, user, case.id, request.assignee_id, now)
