"""Monitors and saved replies changed and removed; conversations found by the customer's handle or
name: the same answers from every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports.inbox import ConversationQuery, NewConversation, NewMessage
from socialdesk.ports.listening import NewMonitor
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def test_monitors_are_updated_and_deleted_softly_keeping_their_matches(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        brand = uow.brands.add(ws, "x", "AcmeAir", None).id
        new = NewMonitor("outage", "down", MonitorKind.BRAND, MonitorMode.CARE, brand_account_ids=(brand,))
        m = uow.monitors.add(ws, new, T0)
        assert m.brand_account_ids == (brand,) and m.deleted_at is None
        kept = uow.monitors.add(ws, replace(new, name="kept", brand_account_ids=()), T0)
        [cid] = uow.conversations.add_many(
            ws, [NewConversation("x", None, "s", T0, T0, T0, 1, "carol", "Carol", 1, "hi", 0)]
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.monitors.get(ws, m.id) == m
        assert uow.monitors.get(other, m.id) is None
        changed = replace(
            m,
            name="outages",
            query="down OR outage",
            is_active=False,
            exclude_terms=("ok",),
            brand_account_ids=(),
        )
        later = T0.replace(hour=T0.hour + 1)
        stored = uow.monitors.update(changed, later)
        assert stored == replace(changed, updated_at=later)
        assert uow.monitors.get(ws, m.id) == stored
        assert [x.name for x in uow.monitors.list(ws, active_only=True)] == ["kept"]
        uow.monitors.update(replace(stored, brand_account_ids=(brand,)), later)
        uow.commit()
    with uow_factory() as uow:
        assert uow.monitors.get(ws, m.id).brand_account_ids == (brand,)  # type: ignore[union-attr]
        message = _message(uow, ws, cid)
        uow.monitors.record_matches(ws, [(m.id, message), (kept.id, message)], T0)
        uow.monitors.delete(other, m.id, later)  # another workspace's id: nothing happens
        assert uow.monitors.get(ws, m.id) is not None
        uow.monitors.delete(ws, m.id, later)
        uow.commit()
    with uow_factory() as uow:
        assert uow.monitors.get(ws, m.id) is None
        assert uow.monitors.get_by_name(ws, "outages") is None
        assert [x.id for x in uow.monitors.list(ws)] == [kept.id]
        assert uow.monitors.match_counts(ws) == {m.id: 1, kept.id: 1}  # the deleted one's match stays
        # Its name is free again: a new monitor takes it, and both keep their own matches.
        again = uow.monitors.add(ws, replace(new, name="outages"), later)
        uow.monitors.record_matches(ws, [(again.id, message)], later)
        uow.monitors.delete(ws, m.id, later)  # deleted twice: nothing happens
        uow.commit()
    with uow_factory() as uow:
        assert [x.name for x in uow.monitors.list(ws)] == ["kept", "outages"]
        assert uow.monitors.get_by_name(ws, "outages") == again
        assert uow.monitors.match_counts(ws) == {m.id: 1, kept.id: 1, again.id: 1}
        # Share of voice over a period: the deleted monitor shows where it matched in the period, only.
        voice = uow.analytics.share_of_voice(ws, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
        assert sorted((v.name, v.matches) for v in voice) == [("kept", 1), ("outages", 1), ("outages", 1)]
        empty = uow.analytics.share_of_voice(ws, T0 + timedelta(hours=1), T0 + timedelta(hours=2))
        assert sorted((v.name, v.matches) for v in empty) == [("kept", 0), ("outages", 0)]
        # Names stay unique among the monitors not deleted.
        with pytest.raises(Exception):  # noqa: B017, PT011 - each store's own integrity error
            uow.monitors.add(ws, replace(new, name="kept"), later)


def _message(uow: UnitOfWork, ws: int, conversation_id: int) -> int:
    new = NewMessage(
        conversation_id, "x", "p1", Direction.INBOUND, Visibility.PUBLIC, "down again", T0, "carol", "Carol"
    )
    [found] = uow.messages.add_many(ws, [new])
    return found


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
        assert ids("e_b") == []  # whole words or their starts now, never the middle of one (full-text search)
        assert ids("nobody") == []
