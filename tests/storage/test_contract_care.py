"""The care workflow's repositories: one contract for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from socialdesk.domain.assignment import AgentStatus, Skills, Strategy
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.people import Role, Team
from socialdesk.domain.post import Author, Direction, Visibility
from socialdesk.ports.care import CaseCare, NewRoutingRule
from socialdesk.ports.inbox import ConversationQuery, NewCase, NewConversation, NewMessage
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def _case(uow: UnitOfWork, ws: int, contact_id: int | None = None) -> tuple[int, int]:
    [cid] = uow.conversations.add_many(ws, [NewConversation("x", contact_id, "s", T0, T0, T0, 1)])
    [kid] = uow.cases.add_many(ws, [NewCase(cid, CaseStatus.NEW, T0)])
    return cid, kid


def test_teams_agents_routing_and_settings(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        ada = uow.users.add(ws, "ada@x.io", "Ada", Role.AGENT, "h", "^A")
        bob = uow.users.add(ws, "bob@x.io", "Bob", Role.AGENT, "h", "^B")
        team = uow.teams.add(ws, Team(0, ws, "billing", Strategy.ROUND_ROBIN, hours={"timezone": "UTC"}))
        uow.teams.add_member(ws, team.id, bob.id)
        uow.teams.add_member(ws, team.id, ada.id)
        skills = Skills(languages=frozenset({"en"}), products=frozenset({"router"}))
        uow.agents.save(replace(ada, status=AgentStatus.ONLINE, capacity=3, in_training=True, skills=skills))
        rule = uow.routing.add(ws, NewRoutingRule("r", 2, {"categories": ["spam"]}, None, None, ("a",), True))
        uow.routing.add(ws, NewRoutingRule("first", 1, {}, team.id, "high"))
        uow.settings.put(ws, "approval_rules", [{"kind": "term", "value": "refund"}], T0)
        uow.settings.put(ws, "approval_rules", [{"kind": "money"}], T0)
        uow.commit()
    with uow_factory() as uow:
        assert uow.teams.get(ws, team.id) == team
        assert uow.teams.get(other, team.id) is None
        assert uow.teams.members(ws) == {team.id: [bob.id, ada.id]}  # roster order
        assert uow.teams.members(other) == {}
        uow.teams.save(replace(team, rr_last_agent_id=ada.id))
        assert uow.teams.remove_member(ws, team.id, bob.id)
        assert not uow.teams.remove_member(other, team.id, ada.id)
        uow.commit()
        assert uow.teams.members(ws) == {team.id: [ada.id]}
        assert [t.rr_last_agent_id for t in uow.teams.list(ws)] == [ada.id]
        found = uow.users.get(ws, ada.id)
        assert found is not None
        assert (found.status, found.capacity, found.in_training, found.skills) == (
            AgentStatus.ONLINE, 3, True, skills,
        )  # fmt: skip
        assert [r.name for r in uow.routing.list(ws)] == ["first", "r"]
        assert uow.routing.list(ws)[1] == rule
        assert uow.routing.list(other) == []
        assert not uow.routing.delete(other, rule.id)
        assert uow.routing.delete(ws, rule.id)
        assert uow.settings.get(ws, "approval_rules") == [{"kind": "money"}]
        assert uow.settings.get(other, "approval_rules") is None


def test_case_care_queue_loads_and_escalations(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        ada = uow.users.add(ws, "ada@x.io", "Ada", Role.AGENT, "h", "")
        contact = uow.contacts.ensure_handles(ws, [("x", Author("1", "c"))], T0)
        contact_id = next(iter(contact.values())).contact_id
        c1, k1 = _case(uow, ws, contact_id)
        _, k2 = _case(uow, ws)
        _, k3 = _case(uow, ws)
        case1, case2, case3 = (uow.cases.get(ws, k) for k in (k1, k2, k3))
        assert case1 and case2 and case3
        uow.cases.save_many(
            [replace(case1, assignee_id=ada.id, team_id=7), replace(case2, team_id=7),
             replace(case3, team_id=7, status=CaseStatus.RESOLVED)]
        )  # fmt: skip
        sla = {"phase": "open"}
        care = CaseCare(
            k1, ("vip",), {"language": "en"}, sla, "warning", T0 + timedelta(minutes=5), None, None
        )
        uow.care.save(ws, care)
        uow.care.save(ws, CaseCare(k2, sla_state="breached", sla_next_check_at=T0))
        uow.care.record_escalation(ws, k1, "r:first_response:t", "r", ["reassign"], T0)
        uow.commit()
    with uow_factory() as uow:
        assert uow.care.get_many(ws, [k1, k3]) == {k1: care, k3: CaseCare(k3)}
        assert uow.care.get_many(other, [k1]) == {}
        assert uow.care.due_sla(ws, T0, 10) == [k2]
        assert uow.care.due_sla(ws, T0 + timedelta(hours=1), 10) == [k2, k1]
        assert uow.care.due_sla(other, T0 + timedelta(hours=1), 10) == []
        assert [c.id for c in uow.care.waiting(ws, [7])] == [k2]
        assert uow.care.waiting(other, [7]) == []
        assert uow.care.loads(ws) == {ada.id: 1}
        assert uow.care.last_assignee_for_contact(ws, contact_id) == ada.id
        assert uow.care.fired_escalations(ws, k1) == {"r:first_response:t"}
        with pytest.raises(Exception, match=r"(?i)unique|exists"):
            uow.care.record_escalation(ws, k1, "r:first_response:t", "r", ["reassign"], T0)
        uow.rollback()
        rows = uow.conversations.query(ws, ConversationQuery(sla_state="warning"))
        assert [r.conversation.id for r in rows] == [c1]
        assert rows[0].care == care
        assert len(uow.conversations.query(ws, ConversationQuery(team_ids=(7,)))) == 3
        assert uow.conversations.query(ws, ConversationQuery(team_ids=(8,))) == []
        problem = uow.problems.add(ws, "Outage", T0)
        uow.care.save(ws, replace(care, problem_id=problem.id))
        assert uow.care.in_problem(ws, problem.id) == [k1]
        assert uow.problems.get(other, problem.id) is None
        assert uow.problems.list(ws) == [problem]


def test_collaboration_records(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        ada = uow.users.add(ws, "ada@x.io", "Ada", Role.AGENT, "h", "")
        c1, k1 = _case(uow, ws)
        c2, _ = _case(uow, ws)
        note = uow.notes.add(ws, c1, k1, ada.id, "hi @bob", [ada.id], T0)
        uow.notes.move(ws, c1, c2)
        uow.notifications.add(ws, ada.id, "mention", {"note_id": note.id}, T0)
        uow.notifications.add(ws, ada.id, "other", {}, T0)
        saved = uow.saved_replies.add(ws, None, None, "Hello", "Hi {{customer.name}}")
        [mid] = uow.messages.add_many(ws, [_outbound(c1)])
        approval = uow.approvals.add(ws, mid, c1, ada.id, ["refund"], T0)
        fu = uow.follow_ups.add(ws, c1, k1, ada.id, T0 + timedelta(hours=2), "call back", T0)
        uow.follow_ups.add(ws, c1, k1, ada.id, T0 + timedelta(hours=1), "earlier", T0)
        uow.audit.add(ws, T0, ada.id, "assigned", k1, c1, {"to": ada.id})
        uow.audit.add(ws, T0 + timedelta(hours=1), None, "sla", k1, c1, {})
        uow.commit()
    with uow_factory() as uow:
        assert uow.notes.list_for_conversation(ws, c1) == []
        assert [n.text for n in uow.notes.list_for_conversation(ws, c2)] == ["hi @bob"]
        assert uow.notes.list_for_conversation(other, c2) == []
        found = uow.notifications.list(ws, ada.id)
        assert [n.kind for n in found] == ["other", "mention"]
        uow.notifications.mark_read(ws, ada.id, [found[0].id], T0)
        assert [n.kind for n in uow.notifications.list(ws, ada.id, unread_only=True)] == ["mention"]
        assert uow.notifications.list(other, ada.id) == []
        assert uow.saved_replies.get(ws, saved.id) == saved
        assert uow.saved_replies.get(other, saved.id) is None
        assert uow.saved_replies.list(ws) == [saved]
        assert uow.approvals.list(ws, "pending") == [approval]
        decided = uow.approvals.decide(ws, approval.id, "returned", ada.id, "tone", T0)
        assert (decided.status, decided.comment, decided.decided_by) == ("returned", "tone", ada.id)
        assert uow.approvals.list(ws, "pending") == []
        assert uow.approvals.get(other, approval.id) is None
        uow.messages.set_outbound(ws, mid, "edited", "pending")
        m = uow.messages.get(ws, mid)
        assert m is not None and (m.text, m.delivery) == ("edited", "pending")
        uow.messages.move(ws, [mid], c2)
        assert [x.id for x in uow.messages.list_for_conversation(ws, c2)] == [mid]
        due = uow.follow_ups.list(ws, owner_id=ada.id, status="open", due_before=T0 + timedelta(hours=1))
        assert [f.note for f in due] == ["earlier"]
        uow.follow_ups.close(ws, fu.id, "breached", T0)
        assert [f.status for f in uow.follow_ups.list(ws, conversation_id=c1)] == ["open", "breached"]
        assert uow.follow_ups.list(other) == []
        assert [e.action for e in uow.audit.for_case(ws, k1)] == ["assigned", "sla"]
        assert [e.action for e in uow.audit.between(ws, T0, T0 + timedelta(minutes=30))] == ["assigned"]
        assert uow.audit.between(other, None, None) == []


def _outbound(conversation_id: int) -> NewMessage:
    return NewMessage(
        conversation_id, "x", None, Direction.OUTBOUND, Visibility.PUBLIC, "refund?", T0, "acme", "Ada",
        delivery="awaiting_approval",
    )  # fmt: skip
