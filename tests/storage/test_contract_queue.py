"""The queue's storage contract, on every back-end: the needs-reply filter, counts and offsets, the
waiting conversations' own urgency, and urgency updates that yield to a newer state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialdesk.domain.case import CaseStatus
from socialdesk.ports.inbox import ConversationQuery, NewCase
from tests.conftest import T0
from tests.storage.test_contract import Factory, _conversation, _message


def test_needs_reply_counts_offsets_and_aging(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        convs = [_conversation(uow, ws, waiting_minutes=i) for i in range(5)]
        answered = _conversation(uow, ws, waiting_minutes=None)
        needs = [True, False, None, True, True]
        cases = uow.cases.add_many(
            ws,
            [NewCase(c, CaseStatus.NEW, T0, needs_reply=n) for c, n in zip(convs, needs, strict=True)]
            + [NewCase(answered, CaseStatus.OPEN, T0)],
        )
        scored = replace(
            _message(convs[0], "m0"), triage={"urgency": 30}, created_at=T0 + timedelta(minutes=1)
        )
        uow.messages.add_many(ws, [scored])
        uow.commit()
        query = ConversationQuery(needs_reply=True, limit=2)
        expect = [convs[0], convs[2], convs[3], convs[4]]  # not the one that needs none, nor the answered
        assert uow.conversations.count_matching(ws, query) == 4
        pages = [uow.conversations.query(ws, replace(query, offset=o)) for o in (0, 2, 4)]
        assert [[r.conversation.id for r in p] for p in pages] == [expect[:2], expect[2:], []]
        by_wait = uow.conversations.query(ws, replace(query, sort="waiting", limit=10))
        assert [r.conversation.id for r in by_wait] == expect

        # An agent's word in the case's facts moves it out of the view.
        care = uow.care.get_many(ws, [cases[3]])[cases[3]]
        uow.care.save(ws, replace(care, facts={**(care.facts or {}), "needs_reply": False}))
        assert uow.conversations.count_matching(ws, query) == 3

        [row] = uow.conversations.waiting_urgency(ws, [convs[0]])
        assert (row.base, row.urgency, row.waiting_since) == (30, 0, T0)
        uow.conversations.set_urgency(ws, [(convs[0], T0, 42), (convs[2], T0 - timedelta(hours=1), 99)])
        uow.commit()
    with uow_factory() as uow:
        got = uow.conversations.get_many(ws, [convs[0], convs[2]])
        assert got[convs[0]].urgency == 42
        assert got[convs[2]].urgency == 0  # it no longer waits since then: the stale update is skipped
