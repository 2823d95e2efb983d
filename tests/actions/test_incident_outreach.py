"""Answering everyone an incident affects, and following up when it is fixed (SQLite and PostgreSQL):
one personal reply per customer through the outbox, never twice (re-run, relay killed mid-send,
resolved twice, reopened and resolved again), paced per network, private where they wrote privately,
held for approval when the incident says so, and only by admins and team leads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.incidents.outreach import check_answer_everyone, incident_drafts, reply_progress
from socialdesk.actions.incidents.workflow import check_update_incident
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.care import ApprovalStatus, FollowUpStatus
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.incidents.outreach import ReplyPace
from socialdesk.domain.people import Role, Team, User
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports.care import IncidentRecord
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult
from socialdesk.ports.uow import UnitOfWork
from socialdesk.storage.engine import make_engine
from socialdesk.storage.sql.uow import SqlUnitOfWork
from tests.conftest import T0
from tests.factories import post
from tests.support.waiting import PATIENCE, wait_until

Factory = Callable[[], UnitOfWork]
NOW = T0 + timedelta(hours=1)
FAST = ReplyPace(default=10_000)


class Network:
    """Records every post; `find_sent` finds an earlier post by its outbox key (the text would do too)."""

    def __init__(self) -> None:
        self.posts: list[OutboxItem] = []

    def send(self, item: OutboxItem) -> SendResult:
        self.posts.append(item)
        return SendResult(f"net-{len(self.posts)}")

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        found = [n for n, p in enumerate(self.posts, 1) if p.idempotency_key == item.idempotency_key]
        return SendResult(f"net-{found[0]}") if found else None


class Killed(BaseException):
    """kill -9 of the relay, right after the network took the post."""


class DiesAfterPosting(Network):
    def send(self, item: OutboxItem) -> SendResult:
        super().send(item)
        raise Killed


def _world(uow_factory: Factory, customers: int, *, private: int = 0) -> tuple[int, User, User, int]:
    """A workspace with a lead, an agent, and one incident of `customers` conversations on x and
    mastodon (the first `private` of them direct messages)."""
    posts = []
    for i in range(customers):
        p = post(f"@AcmeCares wifi down in Leeds, day {i}", id=f"p{i}", author=f"cust{i}", minutes=i,
                 channel=("x", "mastodon")[i % 2])  # fmt: skip
        posts.append(replace(p, visibility=Visibility.PRIVATE) if i < private else p)
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme").id
        check_add_brand_account(uow, ws, "x", "@AcmeCares")
        check_add_brand_account(uow, ws, "mastodon", "@AcmeCares")
        lead = check_create_user(uow, ws, "lead@acme.test", "Lee Dale", "pw-123456789", Role.LEAD)
        agent = check_create_user(uow, ws, "agent@acme.test", "Ann Bee", "pw-123456789")
        do_ingest_posts(uow, ws, posts, NOW)
        convs = sorted(c.id for c in uow.conversations.get_many(ws, range(1, 10_000)).values())
        incident = uow.incidents.open(
            IncidentRecord(0, ws, "Leeds", NOW, "confirmed", summary="wifi in Leeds")
        )
        uow.incidents.add_members(ws, incident.id, [(c, None) for c in convs], NOW, None)
    return ws, lead, agent, incident.id


def _answer(uow_factory: Factory, user: User, incident_id: int, pace: ReplyPace = FAST) -> tuple[int, int]:
    with uow_factory() as uow:
        report = check_answer_everyone(uow, user, incident_id, NOW, pace)
    return report.queued, report.already


def _outbox(uow_factory: Factory, ws: int) -> list[OutboxItem]:
    with uow_factory() as uow:
        convs = uow.conversations.get_many(ws, range(1, 10_000)).values()
        messages = [m for c in convs for m in uow.messages.list_for_conversation(ws, c.id)]
        ids = [m.id for m in messages if m.direction is Direction.OUTBOUND]
        items = [uow.outbox.get(i) for i in range(1, 1000)]
    return [i for i in items if i is not None and i.message_id in ids]


def test_answering_everyone_twice_queues_one_personal_reply_per_customer(uow_factory: Factory) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 6)
    assert _answer(uow_factory, lead, incident_id) == (6, 0)
    assert _answer(uow_factory, lead, incident_id) == (0, 6)  # re-run: nothing queued again
    items = _outbox(uow_factory, ws)
    assert len(items) == 6
    assert {i.idempotency_key for i in items} == {
        f"incident-{incident_id}-{i.payload['conversation_id']}-answer" for i in items
    }
    texts = [str(i.payload["text"]) for i in items]
    assert len(set(texts)) == 6 and all(t.endswith(lead.signature) for t in texts)
    assert all("wifi down in Leeds" in t for t in texts)
    with uow_factory() as uow:
        assert reply_progress(uow, lead, incident_id) == {"pending": 6}


def test_a_relay_killed_after_posting_never_sends_an_incident_reply_twice(uow_factory: Factory) -> None:
    _ws, lead, _, incident_id = _world(uow_factory, 4)
    _answer(uow_factory, lead, incident_id)
    dying = DiesAfterPosting()
    with pytest.raises(Killed):
        do_dispatch_outbox(uow_factory, {"x": dying, "mastodon": dying}, FixedClock(NOW))
    again = Network()
    again.posts = dying.posts  # the same network, seen by the restarted relay
    later = FixedClock(NOW + timedelta(seconds=10))
    do_dispatch_outbox(uow_factory, {"x": again, "mastodon": again}, later)
    _answer(uow_factory, lead, incident_id)  # and the agent presses "send all" again
    do_dispatch_outbox(uow_factory, {"x": again, "mastodon": again}, later)
    keys = [p.idempotency_key for p in again.posts]
    assert len(keys) == 4 and len(set(keys)) == 4
    with uow_factory() as uow:
        assert reply_progress(uow, lead, incident_id) == {"sent": 4}


def test_replies_are_spaced_out_at_each_networks_pace(uow_factory: Factory) -> None:
    _ws, lead, _, incident_id = _world(uow_factory, 8)  # 4 on x, 4 on mastodon
    _answer(uow_factory, lead, incident_id, ReplyPace(default=2.0, per_network=(("mastodon", 60.0),)))
    network = Network()
    senders = {"x": network, "mastodon": network}
    do_dispatch_outbox(uow_factory, senders, FixedClock(NOW + timedelta(seconds=5)))
    assert sorted(p.channel for p in network.posts) == ["mastodon"] * 4 + ["x"]  # x: one now, 2 a minute
    do_dispatch_outbox(uow_factory, senders, FixedClock(NOW + timedelta(seconds=61)))
    assert [p.channel for p in network.posts].count("x") == 3
    do_dispatch_outbox(uow_factory, senders, FixedClock(NOW + timedelta(seconds=91)))
    assert [p.channel for p in network.posts].count("x") == 4


def test_a_private_conversation_is_answered_privately_and_unsigned(uow_factory: Factory) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 3, private=1)
    with uow_factory() as uow:
        drafts = incident_drafts(uow, lead, incident_id)
    assert [d.private for d in drafts] == [True, False, False]
    _answer(uow_factory, lead, incident_id)
    items = sorted(_outbox(uow_factory, ws), key=lambda i: i.id)
    assert items[0].payload["visibility"] == "private" and not str(items[0].payload["text"]).endswith(
        lead.signature
    )
    assert {i.payload["visibility"] for i in items[1:]} == {"public"}


def test_an_incident_whose_replies_need_approval_holds_every_draft_for_an_approver(
    uow_factory: Factory,
) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 3)
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, replies_need_approval=True)
    with uow_factory() as uow:
        report = check_answer_everyone(uow, lead, incident_id, NOW, FAST)
    assert (report.queued, report.held) == (0, 3)
    assert _outbox(uow_factory, ws) == []
    with uow_factory() as uow:
        assert len(uow.approvals.list(ws, ApprovalStatus.PENDING)) == 3
        assert reply_progress(uow, lead, incident_id) == {"awaiting_approval": 3}


def test_only_admins_and_leads_run_an_incident_agents_note_it(uow_factory: Factory) -> None:
    _ws, lead, agent, incident_id = _world(uow_factory, 2)
    with uow_factory() as uow, pytest.raises(PermissionDenied, match="only admins and team leads"):
        check_answer_everyone(uow, agent, incident_id, NOW, FAST)
    for change in ({"status": "resolved"}, {"owner_id": agent.id}, {"replies_need_approval": True}):
        with uow_factory() as uow, pytest.raises(PermissionDenied):
            check_update_incident(uow, agent, incident_id, NOW, **change)  # type: ignore[arg-type]
    with uow_factory() as uow:
        assert check_update_incident(uow, agent, incident_id, NOW, note="NOC 42").note == "NOC 42"
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="suspected")
    with uow_factory() as uow, pytest.raises(ValidationFailed, match="confirm it before"):
        check_answer_everyone(uow, lead, incident_id, NOW, FAST)


def test_confirming_notifies_the_chosen_team(uow_factory: Factory) -> None:
    ws, lead, agent, incident_id = _world(uow_factory, 1)
    with uow_factory() as uow:
        team = uow.teams.add(ws, Team(0, ws, "Network"))
        uow.teams.add_member(ws, team.id, agent.id)
        uow.teams.add_member(ws, team.id, lead.id)
        check_update_incident(uow, lead, incident_id, NOW, status="suspected")
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="confirmed", notify_team_id=team.id)
    with uow_factory() as uow:
        told = uow.notifications.list(ws, agent.id)
        assert [(n.kind, n.data["incident_id"]) for n in told] == [("incident_confirmed", incident_id)]
        assert uow.notifications.list(ws, lead.id) == []  # not whoever confirmed


def _follow_ups(uow_factory: Factory, ws: int) -> list[tuple[int, FollowUpStatus]]:
    with uow_factory() as uow:
        return sorted((f.conversation_id, f.status) for f in uow.follow_ups.list(ws))


def test_resolving_queues_one_follow_up_per_customer_even_after_reopening(uow_factory: Factory) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 3)
    for status in ("resolved", "confirmed", "resolved"):
        with uow_factory() as uow:
            check_update_incident(uow, lead, incident_id, NOW, status=status, follow_up="queue")
    follow = _follow_ups(uow_factory, ws)
    assert len(follow) == 3 and {s for _, s in follow} == {FollowUpStatus.OPEN}
    with uow_factory() as uow:
        notes = [f.note for f in uow.follow_ups.list(ws)]
    assert all(n.startswith(f"Incident #{incident_id} is fixed") and "Draft: " in n for n in notes)
    assert _outbox(uow_factory, ws) == []  # queued for agents: nothing sent
    with uow_factory() as uow:  # the owner (nobody is assigned: whoever resolved) hears once
        told = [(n.kind, n.data["text"]) for n in uow.notifications.list(ws, lead.id)]
    assert told == [("incident_follow_ups", "3 customer(s) to ask whether it works now")]


def test_resolving_with_send_writes_each_customer_once_keeps_the_promise_and_waits_on_them(
    uow_factory: Factory,
) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 4)
    for status in ("resolved", "confirmed", "resolved"):
        with uow_factory() as uow:
            check_update_incident(uow, lead, incident_id, NOW, status=status, follow_up="send", pace=FAST)
    items = _outbox(uow_factory, ws)
    assert len(items) == 4
    assert all(i.idempotency_key.endswith("-fixed") for i in items)
    assert all("?" in str(i.payload["text"]) for i in items)
    assert {s for _, s in _follow_ups(uow_factory, ws)} == {FollowUpStatus.KEPT}
    with uow_factory() as uow:
        cases = uow.cases.current_for(ws, [int(i.payload["conversation_id"]) for i in items])
        assert {c.status for c in cases.values()} == {CaseStatus.PENDING_CUSTOMER}


def test_dismissing_a_suspected_incident_writes_to_nobody_and_a_later_member_is_followed_up_once(
    uow_factory: Factory,
) -> None:
    ws, lead, _, incident_id = _world(uow_factory, 2)
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="suspected")
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="resolved", follow_up="queue")
    assert _follow_ups(uow_factory, ws) == []  # a false alarm: nobody hears "it's fixed"
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="confirmed")
    with uow_factory() as uow:
        check_update_incident(uow, lead, incident_id, NOW, status="resolved", follow_up="queue")
    first = _follow_ups(uow_factory, ws)
    assert len(first) == 2
    [late] = _world_post(uow_factory, ws, incident_id)
    for status in ("confirmed", "resolved"):
        with uow_factory() as uow:
            check_update_incident(uow, lead, incident_id, NOW, status=status, follow_up="queue")
    assert sorted(c for c, _ in _follow_ups(uow_factory, ws)) == sorted([c for c, _ in first] + [late])


def _world_post(uow_factory: Factory, ws: int, incident_id: int) -> list[int]:
    """One more customer's conversation, added to the incident."""
    with uow_factory() as uow:
        report = do_ingest_posts(uow, ws, [post("still no wifi in Leeds", id="late", author="late")], NOW)
        [cid] = report.conversation_ids
        uow.incidents.add_members(ws, incident_id, [(cid, None)], NOW, None)
    return [cid]


@pytest.mark.postgres
def test_two_agents_answering_at_once_on_postgresql_queue_each_reply_once(postgres_url: str) -> None:
    """The second run waits for the first's transaction (the incident's row lock), then finds every
    customer answered; without the lock it read no replies and failed on the unique key after the
    first committed."""
    engine = make_engine(postgres_url)
    factory: Factory = lambda: SqlUnitOfWork(engine, RecordingBus())  # noqa: E731 (a factory)
    _, lead, _, incident_id = _world(factory, 4)
    second: list[object] = []

    def answer_too() -> None:
        try:
            second.append(_answer(factory, lead, incident_id))
        except Exception as exc:  # noqa: BLE001 (kept for the assertion below)
            second.append(exc)

    def waiting_on_a_lock() -> bool:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            return bool(conn.execute(text(query)).scalar())

    with factory() as uow:
        first = check_answer_everyone(uow, lead, incident_id, NOW, FAST)
        thread = threading.Thread(target=answer_too)
        thread.start()
        wait_until(waiting_on_a_lock, "the second agent's run to wait for the first")
    thread.join(PATIENCE)
    engine.dispose()
    assert (first.queued, second) == (4, [(0, 4)])
