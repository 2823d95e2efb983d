"""Ingest: idempotence, threading, direction, first response and case reopening, on every back-end."""

from __future__ import annotations

from collections.abc import Callable

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.post import Direction, Post
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]


def _setup(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "@AcmeCares")
        uow.commit()
    return ws.id


def _ingest(uow_factory: Factory, ws: int, posts: list[Post]) -> None:
    with uow_factory() as uow:
        do_ingest_posts(uow, ws, posts, T0)
        uow.commit()


def test_same_posts_twice_adds_nothing(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    posts = [
        post(id="1"),
        post(id="2", author="dan"),
        post(id="3", reply_to="1", author="AcmeCares", minutes=5),
    ]
    with uow_factory() as uow:
        first = do_ingest_posts(uow, ws, posts, T0)
        uow.commit()
    with uow_factory() as uow:
        second = do_ingest_posts(uow, ws, posts + posts, T0)
        uow.commit()
        assert (first.added, first.conversations_created, first.cases_opened) == (3, 2, 2)
        assert (second.added, second.duplicates, second.conversations_created) == (0, 6, 0)
        assert uow.conversations.count(ws) == 2
        assert uow.messages.count(ws) == 3


def test_brand_reply_threads_and_records_first_response(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [post("my router is dead", id="10")])
    _ingest(uow_factory, ws, [post("Sorry! DM us", id="11", author="acmecares", reply_to="10", minutes=7)])
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", "10"), ("x", "11")])
        conv_id = refs[("x", "10")].conversation_id
        assert refs[("x", "11")].conversation_id == conv_id
        messages = uow.messages.list_for_conversation(ws, conv_id)
        assert [m.direction for m in messages] == [Direction.INBOUND, Direction.OUTBOUND]
        case = uow.cases.current_for(ws, [conv_id])[conv_id]
        assert case.first_response_seconds == 7 * 60
        assert case.status is CaseStatus.OPEN
        conv = uow.conversations.get(ws, conv_id)
        assert conv is not None
        assert conv.waiting_since is None
        assert conv.message_count == 2


def test_customer_follow_up_reopens_resolved_case(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [post(id="1"), post(id="2", author="AcmeCares", reply_to="1", minutes=1)])
    with uow_factory() as uow:
        conv_id = uow.messages.find_by_keys(ws, [("x", "1")])[("x", "1")].conversation_id
        case = uow.cases.current_for(ws, [conv_id])[conv_id]
        from dataclasses import replace

        uow.cases.save_many([replace(case, status=CaseStatus.RESOLVED)])
        uow.commit()
    _ingest(uow_factory, ws, [post("still broken", id="3", reply_to="2", minutes=60)])
    with uow_factory() as uow:
        case = uow.cases.current_for(ws, [conv_id])[conv_id]
        assert case.status is CaseStatus.OPEN
        conv = uow.conversations.get(ws, conv_id)
        assert conv is not None
        assert conv.waiting_since == post(minutes=60).created_at


def test_reply_arriving_before_its_parent_joins_one_conversation(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [post("me too", id="child", reply_to="root", author="dan", minutes=3)])
    _ingest(uow_factory, ws, [post("outage?", id="root")])
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", "child"), ("x", "root")])
        assert refs[("x", "child")].conversation_id == refs[("x", "root")].conversation_id
        assert uow.conversations.count(ws) == 1


def test_same_ids_on_other_channels_or_workspaces_are_different_posts(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    with uow_factory() as uow:
        other = ensure_workspace(uow, "beta").id
        uow.commit()
    _ingest(uow_factory, ws, [post(id="1"), post(id="1", channel="mastodon")])
    _ingest(uow_factory, other, [post(id="1")])
    with uow_factory() as uow:
        assert uow.messages.count(ws) == 2
        assert uow.messages.count(other) == 1


def test_events_are_published_after_commit_only(uow_factory: Factory, bus: object) -> None:
    ws = _setup(uow_factory)
    events = bus.events  # type: ignore[attr-defined]
    before = len(events)
    with uow_factory() as uow:
        do_ingest_posts(uow, ws, [post(id="9")], T0)
        assert len(events) == before  # not yet committed
        uow.rollback()
    assert len(events) == before
    _ingest(uow_factory, ws, [post(id="9")])
    assert [e.kind for e in events[before:]] == ["conversation.updated", "posts.ingested"]
    assert events[-1].data == {"posts": ["9"]}


def test_a_parent_arriving_after_its_replies_merges_their_conversation_into_its_thread(
    uow_factory: Factory,
) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, [post("outage?", id="root")])
    # "mid" (a reply to root) is delayed; its own reply "leaf" arrives first and opens a conversation.
    _ingest(uow_factory, ws, [post("same here", id="leaf", reply_to="mid", author="dan", minutes=5)])
    _ingest(uow_factory, ws, [post("me too", id="mid", reply_to="root", author="eve", minutes=2)])
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", "root"), ("x", "mid"), ("x", "leaf")])
        assert len({ref.conversation_id for ref in refs.values()}) == 1
        root_conv = refs[("x", "root")].conversation_id
        assert root_conv is not None
        conv = uow.conversations.get(ws, root_conv)
        assert conv is not None
        assert conv.message_count == 3
