"""The case state machine."""

from __future__ import annotations

import pytest

from socialdesk.domain.case import (
    TRANSITIONS,
    CaseStatus,
    after_agent_reply,
    after_customer_message,
    transition,
)
from socialdesk.domain.errors import InvalidTransition

S = CaseStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.NEW, S.OPEN), (S.OPEN, S.PENDING_CUSTOMER), (S.PENDING_CUSTOMER, S.RESOLVED), (S.RESOLVED, S.OPEN),
     (S.RESOLVED, S.CLOSED), (S.PENDING_INTERNAL, S.OPEN)],
)  # fmt: skip
def test_allowed(current: CaseStatus, target: CaseStatus) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.CLOSED, S.OPEN),
        (S.CLOSED, S.RESOLVED),
        (S.RESOLVED, S.PENDING_CUSTOMER),
        (S.OPEN, S.NEW),
        (S.OPEN, S.OPEN),
    ],
)
def test_invalid_transitions_raise(current: CaseStatus, target: CaseStatus) -> None:
    with pytest.raises(InvalidTransition, match=f"from {current.value} to {target.value}"):
        transition(current, target)


def test_every_status_has_a_row_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    assert TRANSITIONS[S.CLOSED] == frozenset()
    assert all(S.NEW not in targets for targets in TRANSITIONS.values())


def test_customer_message_reopens_resolved_case() -> None:
    assert after_customer_message(S.RESOLVED) is S.OPEN
    assert after_customer_message(S.PENDING_CUSTOMER) is S.OPEN
    assert after_customer_message(S.PENDING_INTERNAL) is S.PENDING_INTERNAL
    assert after_customer_message(S.CLOSED) is S.CLOSED
    assert after_agent_reply(S.NEW) is S.OPEN
    assert after_agent_reply(S.PENDING_CUSTOMER) is S.PENDING_CUSTOMER
