"""Statuses come back from every store as their StrEnum, not as bare strings, and are stored as the
same text as before (so no migration and the same API output)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from socialdesk.domain.care import ApprovalStatus, FollowUpStatus
from socialdesk.domain.people import Role
from socialdesk.domain.routing import Priority
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.storage.test_contract_care import _case, _outbound

Factory = Callable[[], UnitOfWork]


def test_statuses_and_priorities_come_back_as_their_enums(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        ada = uow.users.add(ws, "ada@x.io", "Ada", Role.AGENT, "h", "")
        conversation_id, case_id = _case(uow, ws)
        [mid] = uow.messages.add_many(ws, [_outbound(conversation_id)])
        approval = uow.approvals.add(ws, mid, conversation_id, ada.id, ["refund"], T0)
        follow = uow.follow_ups.add(ws, conversation_id, case_id, ada.id, T0 + timedelta(hours=1), "x", T0)
        case = uow.cases.get(ws, case_id)
        assert case is not None
        uow.cases.save_many([replace(case, priority=Priority.HIGH)])
        uow.commit()
    with uow_factory() as uow:
        [pending] = uow.approvals.list(ws, ApprovalStatus.PENDING)
        assert pending.status is ApprovalStatus.PENDING
        decided = uow.approvals.decide(ws, approval.id, ApprovalStatus.APPROVED, ada.id, "", T0)
        assert decided.status is ApprovalStatus.APPROVED
        [open_one] = uow.follow_ups.list(ws, status=FollowUpStatus.OPEN)
        assert open_one.status is FollowUpStatus.OPEN
        uow.follow_ups.close(ws, follow.id, FollowUpStatus.KEPT, T0)
        [kept] = uow.follow_ups.list(ws, conversation_id=conversation_id)
        assert kept.status is FollowUpStatus.KEPT
        stored = uow.cases.get(ws, case_id)
        assert stored is not None and stored.priority is Priority.HIGH
    # Same text as before the enums: JSON and comparisons see the plain value.
    assert json.dumps([kept.status, stored.priority]) == '["kept", "high"]'
