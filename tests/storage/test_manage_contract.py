"""Monitors and saved replies changed and removed; conversations found by the customer's handle or
name: the same answers from every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.ports import ConversationQuery, NewConversation, NewMonitor, UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def test_monitors_are_updated_and_deleted_with_their_matches(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        new = NewMonitor("outage", "down", MonitorKind.BRAND, MonitorMode.CARE)
        m = uow.monitors.add(ws, new, T0)
        kept = uow.monitors.add(ws, replace(new, name="kept"), T0)
        [cid] = uow.conversations.add_many(
            ws, [NewConversation("x", None, "s", T0, T0, T0, 1, "carol", "Carol", 1, "hi", 0)]
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.monitors.get(ws, m.id) == m
        assert uow.monitors.get(other, m.id) is None
        changed = replace(m, name="outages", query="down OR outage", is_active=False, exclude_terms=("ok",))
        later = T0.replace(hour=T0.hour + 1)
        stored = uow.monitors.update(changed, later)
        assert stored == replace(changed, updated_at=later)
        assert uow.monitors.get(ws, m.id) == stored
        assert [x.name for x in uow.monitors.list(ws, active_only=True)] == ["kept"]
        uow.commit()
    with uow_factory() as uow:
        uow.monitors.delete(other, m.id)  # another workspace's id: nothing happens
        assert uow.monitors.get(ws, m.id) is not None
        uow.monitors.delete(ws, m.id)
        uow.commit()
    with uow_factory() as uow:
        assert uow.monitors.get(ws, m.id) is None
        assert [x.id for x in uow.monitors.list(ws)] == [kept.id]
        assert cid > 0


def test_saved_replies_are_updated_and_deleted(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        saved = uow.saved_replies.add(ws, None, None, "Hello", "Hi")
        uow.commit()
    with uow_factory() as uow:
        uow.saved_replies.update(replace(saved, title="Hey", body="Hey there"))
        uow.saved_replies.update(replace(saved, workspace_id=other, title="x"))  # not theirs: no change
        uow.saved_replies.delete(other, saved.id)
        uow.commit()
    with uow_factory() as uow:
        assert uow.saved_replies.get(ws, saved.id) == replace(saved, title="Hey", body="Hey there")
        uow.saved_replies.delete(ws, saved.id)
        uow.commit()
    with uow_factory() as uow:
        assert uow.saved_replies.list(ws) == []


def test_conversations_are_found_by_the_customers_handle_or_name(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        jane, joe = uow.conversations.add_many(
            ws,
            [
                NewConversation("x", None, "s", T0, T0, T0, 1, "JaneDoe77", "Jane Public", 1, "hi", 0),
                NewConversation("x", None, "s", T0, T0, T0, 1, "joe_b", "Joe Bloggs", 1, "hi", 0),
            ],
        )
        uow.commit()

        def ids(text: str) -> list[int]:
            return [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery(text=text))]

        assert ids("@janedoe77") == ids("JANEDOE") == ids("jane pub") == [jane]
        assert ids("joe_b") == ids("bloggs") == [joe]
        assert ids("e_b") == [joe]  # "_" is a character, not a LIKE wildcard
        assert ids("nobody") == []
