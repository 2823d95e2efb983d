"""The inbox's desk actions: tags, snooze (with a fake clock), bulk actions (bounded, per-conversation
refusals), saved views and preferences, macros (applied through the usual actions, audited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.actions.accounts import check_create_user
from socialdesk.actions.care_threads import check_create_problem
from socialdesk.actions.case_snooze import check_snooze
from socialdesk.actions.case_tags import check_change_tags, current_case
from socialdesk.actions.cases import check_change_case_status
from socialdesk.actions.conversations import list_conversations
from socialdesk.actions.desk_preferences import check_set_preferences, get_preferences
from socialdesk.actions.inbox_bulk import BULK_LIMIT, BulkOp, BulkRequest, check_bulk
from socialdesk.actions.inbox_views import check_delete_view, check_save_view, list_views
from socialdesk.actions.ingest import do_ingest_posts
from socialdesk.actions.macros import check_apply_macro, check_create_macro
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role, Team, User
from socialdesk.domain.post import Author, Post
from socialdesk.ports import ConversationQuery
from socialdesk.ports_desk import MacroFields
from tests.support.sqlite_copies import SqliteStore

NOW = datetime(2026, 1, 9, 16, 30, tzinfo=UTC)


def _world(store: SqliteStore, posts: int) -> tuple[User, User, list[int]]:
    with store.unit_of_work() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        lead = check_create_user(uow, ws, "l@x.io", "Lea", "correct-horse-1", Role.LEAD)
        agent = check_create_user(uow, ws, "c@x.io", "Carl", "correct-horse-1")
        batch = [
            Post(
                id=str(i),
                channel="mastodon",
                text=f"help {i}",
                created_at=NOW - timedelta(minutes=i + 1),
                author=Author(id=f"a{i}", handle=f"cust{i}", name=f"Cust {i}"),
            )
            for i in range(posts)
        ]
        ids = sorted(do_ingest_posts(uow, ws, batch, NOW).conversation_ids)
    return lead, agent, ids


def _listed(store: SqliteStore, user: User, query: ConversationQuery) -> list[int]:
    with store.unit_of_work() as uow:
        return sorted(r.conversation.id for r in list_conversations(uow, user, query))


def test_tags_are_checked_and_filter_the_inbox(sqlite_store: SqliteStore) -> None:
    _, agent, (a, b) = _world(sqlite_store, 2)
    with sqlite_store.unit_of_work() as uow:
        assert check_change_tags(uow, agent, a, NOW, add=("Billing", "vip", "billing")) == ("billing", "vip")
        with pytest.raises(ValidationFailed, match="tag '<b>x</b>'"):
            check_change_tags(uow, agent, b, NOW, add=("<b>x</b>",))
        with pytest.raises(ValidationFailed, match="at most 20"):
            check_change_tags(uow, agent, b, NOW, add=tuple(f"t{i}" for i in range(21)))
        check_change_tags(uow, agent, b, NOW, add=("bill",))  # a prefix of another tag is another tag
        actions = [e.action for e in uow.audit.between(agent.workspace_id, None, None)]
    assert actions.count("tags_changed") == 2
    assert _listed(sqlite_store, agent, ConversationQuery(tag="billing")) == [a]
    assert _listed(sqlite_store, agent, ConversationQuery(tag="bill")) == [b]


def test_a_snoozed_conversation_leaves_the_inbox_until_its_time(sqlite_store: SqliteStore) -> None:
    _, agent, (a, b) = _world(sqlite_store, 2)
    until = NOW + timedelta(hours=2)
    with sqlite_store.unit_of_work() as uow:
        check_snooze(uow, agent, a, until, NOW)
        with pytest.raises(ValidationFailed, match="has passed"):
            check_snooze(uow, agent, b, NOW - timedelta(minutes=1), NOW)
    before, after = NOW + timedelta(hours=1), until + timedelta(seconds=1)
    assert _listed(sqlite_store, agent, ConversationQuery(awake_at=before)) == [b]
    assert _listed(sqlite_store, agent, ConversationQuery(snoozed_at=before)) == [a]
    assert _listed(sqlite_store, agent, ConversationQuery(awake_at=after)) == [a, b]  # back by itself


def test_the_customer_writing_again_wakes_a_snoozed_conversation(sqlite_store: SqliteStore) -> None:
    _, agent, (a, b) = _world(sqlite_store, 2)
    with sqlite_store.unit_of_work() as uow:
        check_snooze(uow, agent, a, NOW + timedelta(days=7), NOW)
        check_snooze(uow, agent, b, NOW + timedelta(days=7), NOW)
    later = NOW + timedelta(minutes=5)
    again = Post(
        id="again",
        channel="mastodon",
        text="still nothing?",
        created_at=later,
        author=Author(id="a0", handle="cust0", name="Cust 0"),
        in_reply_to="0",
    )
    with sqlite_store.unit_of_work() as uow:
        [woken] = do_ingest_posts(uow, agent.workspace_id, [again], later).conversation_ids
    [asleep] = {a, b} - {woken}
    assert _listed(sqlite_store, agent, ConversationQuery(awake_at=later)) == [woken]
    assert _listed(sqlite_store, agent, ConversationQuery(snoozed_at=later)) == [asleep]


def test_bulk_resolve_reports_each_refusal_and_changes_the_rest(sqlite_store: SqliteStore) -> None:
    _, agent, ids = _world(sqlite_store, 4)
    with sqlite_store.unit_of_work() as uow:
        closed = current_case(uow, agent, ids[0])
        check_change_case_status(uow, agent, closed.id, CaseStatus.CLOSED, NOW)
    report = check_bulk(sqlite_store.unit_of_work, agent, [*ids, 999_999], BulkRequest(BulkOp.RESOLVE), NOW)
    assert report.done == ids[1:]
    assert report.summary().startswith("3 resolved, 2 refused: conversation ")
    assert (
        "cannot go from closed to resolved" in report.summary() and "conversation 999999" in report.summary()
    )
    with sqlite_store.unit_of_work() as uow:
        entries = [
            e for e in uow.audit.between(agent.workspace_id, None, None) if e.action == "status_changed"
        ]
    assert len(entries) == 4 and all(e.actor_id == agent.id for e in entries)  # one closed by hand + 3


def test_a_bulk_action_is_bounded_and_refused_whole_past_it(sqlite_store: SqliteStore) -> None:
    _, agent, ids = _world(sqlite_store, 1)
    many = list(range(1, 10_001))
    with pytest.raises(ValidationFailed, match=f"10,000 conversations selected; .* at most {BULK_LIMIT}"):
        check_bulk(sqlite_store.unit_of_work, agent, many, BulkRequest(BulkOp.RESOLVE), NOW)
    with sqlite_store.unit_of_work() as uow:
        assert current_case(uow, agent, ids[0]).status is not CaseStatus.RESOLVED


def test_bulk_tag_snooze_and_assign(sqlite_store: SqliteStore) -> None:
    lead, agent, ids = _world(sqlite_store, 3)
    add = BulkRequest(BulkOp.TAG, add_tags=("outage",))
    assert check_bulk(sqlite_store.unit_of_work, agent, ids, add, NOW).summary() == "3 tagged"
    snooze = BulkRequest(BulkOp.SNOOZE, until=NOW + timedelta(days=1))
    check_bulk(sqlite_store.unit_of_work, agent, ids[:2], snooze, NOW)
    assign = BulkRequest(BulkOp.ASSIGN, assignee_id=lead.id)
    assert check_bulk(sqlite_store.unit_of_work, agent, ids, assign, NOW).summary() == "3 assigned"
    assert _listed(sqlite_store, agent, ConversationQuery(tag="outage", awake_at=NOW)) == ids[2:]
    assert _listed(sqlite_store, agent, ConversationQuery(assignee_id=lead.id)) == ids


def test_bulk_add_to_an_incident_refuses_an_unknown_incident_before_any_change(
    sqlite_store: SqliteStore,
) -> None:
    lead, agent, ids = _world(sqlite_store, 2)
    with sqlite_store.unit_of_work() as uow:
        incident = check_create_problem(uow, lead, "Deliveries late", NOW)
    with pytest.raises(NotFound):
        check_bulk(sqlite_store.unit_of_work, agent, ids, BulkRequest(BulkOp.INCIDENT, incident_id=9999), NOW)
    request = BulkRequest(BulkOp.INCIDENT, incident_id=incident.id)
    assert (
        check_bulk(sqlite_store.unit_of_work, agent, ids, request, NOW).summary() == "2 added to the incident"
    )
    with sqlite_store.unit_of_work() as uow:
        members = uow.incidents.members(agent.workspace_id, incident.id)
        audited = [
            e
            for e in uow.audit.between(agent.workspace_id, None, None)
            if e.action == "incident_member_added"
        ]
    assert sorted(m.conversation_id or 0 for m in members) == ids
    assert [e.actor_id for e in audited] == [agent.id, agent.id]


def test_views_are_per_user_and_shared_with_a_team_and_preferences_kept(sqlite_store: SqliteStore) -> None:
    lead, agent, _ = _world(sqlite_store, 0)
    with sqlite_store.unit_of_work() as uow:
        mine = check_save_view(uow, agent, " Billing  VIP ", {"tag": "vip", "columns": ["tags"]}, None, NOW)
        with pytest.raises(ValidationFailed, match="not a filter a view keeps"):
            check_save_view(uow, agent, "x", {"evil": "1"}, None, NOW)
        assert [v.name for v in list_views(uow, agent)] == ["Billing VIP"]
        assert list_views(uow, lead) == []
        with pytest.raises(NotFound):  # another's personal view is not there for them
            check_delete_view(uow, lead, mine.id, NOW)
        team = uow.teams.add(agent.workspace_id, Team(0, agent.workspace_id, "Billing"))
        with pytest.raises(PermissionDenied, match="only with a team you are in"):
            check_save_view(uow, agent, "Shared", {"tag": "vip"}, team.id, NOW)
        shared = check_save_view(uow, lead, "Shared", {"tag": "vip"}, team.id, NOW)
        uow.teams.add_member(agent.workspace_id, team.id, agent.id)
        assert [v.name for v in list_views(uow, agent)] == ["Billing VIP", "Shared"]
        with pytest.raises(PermissionDenied, match="only its owner"):
            check_delete_view(uow, agent, shared.id, NOW)
        check_delete_view(uow, agent, mine.id, NOW)
        prefs = check_set_preferences(
            uow, agent, NOW, compact=True, columns=["tags", "sla"], time_zone="Europe/Paris"
        )
        with pytest.raises(ValidationFailed, match="unknown"):
            check_set_preferences(uow, agent, NOW, time_zone="Mars/Olympus")
        assert get_preferences(uow, agent) == prefs
    assert (prefs.compact, prefs.columns, prefs.time_zone) == (True, ("tags", "sla"), "Europe/Paris")


def test_a_macro_replies_tags_sets_status_assigns_and_follows_up(sqlite_store: SqliteStore) -> None:
    lead, agent, (a,) = _world(sqlite_store, 1)
    fields = MacroFields(
        "Refund sent",
        "Hi {{customer.name}}, refund is on its way.",
        ("refund",),
        "pending_customer",
        "me",
        24,
    )
    with sqlite_store.unit_of_work() as uow:
        with pytest.raises(PermissionDenied, match="only admins and team leads"):
            check_create_macro(uow, agent, fields, NOW)
        macro = check_create_macro(uow, lead, fields, NOW)
        applied = check_apply_macro(uow, agent, macro.id, a, NOW)
        case = current_case(uow, agent, a)
        actions = [e.action for e in uow.audit.between(agent.workspace_id, None, None)]
    assert applied.reply is not None and "Hi Cust 0, refund is on its way." in applied.reply.message.text
    assert applied.tags == ("refund",)
    assert (case.status, case.assignee_id) == (CaseStatus.PENDING_CUSTOMER, agent.id)
    assert applied.reply.follow_up is not None and applied.reply.follow_up.due_at == NOW + timedelta(hours=24)
    assert {"macro.changed", "tags_changed", "assigned", "status_changed", "macro_applied"} <= set(actions)
