"""One contract for every storage back-end: SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from socialdesk.domain.case import CaseStatus
from socialdesk.domain.conversation import inbox_sort_key
from socialdesk.domain.people import Role
from socialdesk.domain.post import Author, Direction, Visibility
from socialdesk.ports.inbox import ConversationQuery, NewCase, NewConversation, NewMessage
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def _conversation(
    uow: UnitOfWork, ws: int, waiting_minutes: float | None = 0, channel: str = "x", urgency: int = 0
) -> int:
    waiting = None if waiting_minutes is None else T0 + timedelta(minutes=waiting_minutes)
    [cid] = uow.conversations.add_many(
        ws,
        [NewConversation(channel, None, "subject", T0, T0, waiting, 1, "carol", "Carol", 10, "hi", urgency)],
    )
    return cid


def _message(
    conversation_id: int, ext: str | None, text: str = "hello", reply_to: str | None = None
) -> NewMessage:
    return NewMessage(
        conversation_id=conversation_id,
        channel="x",
        external_id=ext,
        direction=Direction.INBOUND,
        visibility=Visibility.PUBLIC,
        text=text,
        created_at=T0,
        author_handle="carol",
        author_name="Carol",
        in_reply_to=reply_to,
    )


def test_workspaces_and_users(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme")
        user = uow.users.add(ws.id, "Ada@Example.com", "Ada", Role.ADMIN, "hash", "^A")
        uow.commit()
    with uow_factory() as uow:
        assert uow.workspaces.get_by_slug("acme") == ws
        found = uow.users.get_by_email("ada@example.COM")
        assert found is not None
        assert found[0] == user
        assert found[1] == "hash"
        assert uow.users.get(ws.id, user.id) == user
        assert uow.users.get(ws.id + 999, user.id) is None  # never across workspaces


def test_rollback_leaves_nothing(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.workspaces.add("acme", "Acme")
        uow.rollback()

    def fail_after_adding() -> None:
        with uow_factory() as uow:
            uow.workspaces.add("beta", "Beta")
            raise LookupError("after the change")

    with pytest.raises(LookupError):  # an exception out of the block rolls it back
        fail_after_adding()
    with uow_factory() as uow:
        assert uow.workspaces.list() == []


def test_messages_unique_by_channel_and_id(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        cid = _conversation(uow, ws)
        [mid] = uow.messages.add_many(ws, [_message(cid, "1")])
        uow.commit()
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", "1"), ("x", "2"), ("mastodon", "1")])
        assert list(refs) == [("x", "1")]
        assert refs[("x", "1")].id == mid
        assert refs[("x", "1")].conversation_id == cid
        with pytest.raises(Exception, match=r"(?i)unique|exists"):
            uow.messages.add_many(ws, [_message(cid, "1")])


def test_reply_lookup_finds_children_stored_before_parents(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        cid = _conversation(uow, ws)
        uow.messages.add_many(ws, [_message(cid, "child", reply_to="parent")])
        uow.commit()
        assert uow.messages.find_reply_conversations(ws, [("x", "parent"), ("x", "other")]) == {
            ("x", "parent"): cid
        }


def test_contacts_are_found_or_created_and_refreshed(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        first = uow.contacts.ensure_handles(ws, [("x", Author("1", "carol", "Carol", 10))], T0)
        again = uow.contacts.ensure_handles(ws, [("x", Author("1", "carol_new", "Carol B", 20))], T0)
        uow.commit()
        assert first[("x", "1")].id == again[("x", "1")].id
        assert again[("x", "1")].handle == "carol_new"
        assert again[("x", "1")].followers == 20
        handles = uow.contacts.handles_of(ws, again[("x", "1")].contact_id)
        assert [(h.handle, h.followers) for h in handles] == [("carol_new", 20)]


def test_conversation_query_orders_oldest_waiting_first_and_pages(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        late = _conversation(uow, ws, waiting_minutes=30)
        answered = _conversation(uow, ws, waiting_minutes=None)
        early = _conversation(uow, ws, waiting_minutes=5)
        other_ws = uow.workspaces.add("beta", "Beta").id
        _conversation(uow, other_ws, waiting_minutes=1)
        uow.commit()
        rows = uow.conversations.query(ws, ConversationQuery(limit=10))
        assert [r.conversation.id for r in rows] == [early, late, answered]
        page1 = uow.conversations.query(ws, ConversationQuery(limit=2))
        page2 = uow.conversations.query(
            ws, ConversationQuery(limit=2, after=inbox_sort_key(page1[-1].conversation))
        )
        assert [r.conversation.id for r in page1 + page2] == [early, late, answered]


def test_inbox_order_is_urgency_then_waiting_and_pages_cleanly(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        calm_old = _conversation(uow, ws, waiting_minutes=1, urgency=10)
        urgent_new = _conversation(uow, ws, waiting_minutes=50, urgency=80)
        urgent_old = _conversation(uow, ws, waiting_minutes=20, urgency=80)
        calm_new = _conversation(uow, ws, waiting_minutes=40, urgency=10)
        answered = _conversation(uow, ws, waiting_minutes=None, urgency=0)
        uow.commit()
        expected = [urgent_old, urgent_new, calm_old, calm_new, answered]
        assert [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery())] == expected
        seen: list[int] = []
        after = None
        while True:
            page = uow.conversations.query(ws, ConversationQuery(limit=2, after=after))
            seen += [r.conversation.id for r in page]
            if len(page) < 2:
                break
            after = inbox_sort_key(page[-1].conversation)
        assert seen == expected


def test_conversation_query_filters(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        user = uow.users.add(ws, "a@x.io", "A", Role.AGENT, "h", "")
        c1 = _conversation(uow, ws, channel="x")
        c2 = _conversation(uow, ws, channel="mastodon")
        uow.messages.add_many(
            ws, [_message(c1, "m1", "Router 100% BROKEN"), _message(c2, "m2", "thanks_a lot")]
        )
        [k1, k2] = uow.cases.add_many(ws, [NewCase(c1, CaseStatus.NEW, T0), NewCase(c2, CaseStatus.NEW, T0)])
        case2 = uow.cases.get(ws, k2)
        assert case2 is not None
        uow.cases.save_many([replace(case2, status=CaseStatus.RESOLVED, assignee_id=user.id)])
        uow.commit()

        def ids(**kw: object) -> list[int]:
            return [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery(**kw))]  # type: ignore[arg-type]

        assert ids(channel="mastodon") == [c2]
        assert ids(status=CaseStatus.NEW) == [c1]
        assert ids(active_only=True) == [c1]
        assert ids(assignee_id=user.id) == [c2]
        assert ids(unassigned=True) == [c1]
        assert ids(text="100% broken") == [c1]
        assert ids(text="_a") == [c2]  # LIKE wildcards are escaped
        assert ids(text="%") == [c1]
        rows = uow.conversations.query(ws, ConversationQuery(status=CaseStatus.NEW))
        assert rows[0].case is not None
        assert rows[0].case.id == k1


def test_cases_current_and_saved(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        cid = _conversation(uow, ws)
        [k1] = uow.cases.add_many(ws, [NewCase(cid, CaseStatus.NEW, T0)])
        [k2] = uow.cases.add_many(ws, [NewCase(cid, CaseStatus.NEW, T0 + timedelta(hours=1))])
        uow.commit()
        current = uow.cases.current_for(ws, [cid])[cid]
        assert current.id == k2
        uow.cases.save_many(
            [replace(current, status=CaseStatus.OPEN, first_response_at=T0 + timedelta(hours=2))]
        )
        uow.commit()
        saved = uow.cases.get(ws, k2)
        assert saved is not None
        assert saved.status is CaseStatus.OPEN
        assert saved.first_response_seconds == 3600
        assert [c.id for c in uow.cases.list_for_conversation(ws, cid)] == [k1, k2]
        assert uow.cases.get(ws + 1, k2) is None


def test_outbox_lifecycle(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        cid = _conversation(uow, ws)
        [mid] = uow.messages.add_many(ws, [_message(cid, None)])
        item = uow.outbox.add(ws, mid, "x", "key-1", {"text": "hi"}, T0)
        uow.commit()
        assert [o.id for o in uow.outbox.pending(10)] == [item.id]
        assert uow.outbox.mark_failed(item.id, "timeout", give_up=False)
        uow.commit()
        retried = uow.outbox.get(item.id)
        assert retried is not None
        assert retried.status == "pending"
        assert retried.attempts == 1
        uow.outbox.mark_sent(item.id, "net-9", T0)
        uow.messages.mark_delivered(ws, mid, "net-9", "sent")
        uow.commit()
        assert uow.outbox.pending(10) == []
        sent = uow.outbox.get(item.id)
        assert sent is not None
        assert sent.external_id == "net-9"
        assert sent.attempts == 2
        assert uow.messages.find_by_keys(ws, [("x", "net-9")])[("x", "net-9")].id == mid


def test_tokens_and_sessions(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        user = uow.users.add(ws, "a@x.io", "A", Role.AGENT, "h", "")
        uow.tokens.add(ws, user.id, "cli", "tokhash", T0)
        uow.sessions.add(user.id, ws, "sesshash", "csrf", T0 + timedelta(hours=1))
        uow.commit()
        token = uow.tokens.get_by_hash("tokhash")
        assert token is not None
        assert token.user_id == user.id
        assert uow.tokens.get_by_hash("other") is None
        session = uow.sessions.get_by_hash("sesshash")
        assert session is not None
        assert session.csrf_token == "csrf"
        uow.sessions.delete("sesshash")
        uow.commit()
        assert uow.sessions.get_by_hash("sesshash") is None


def test_brand_accounts(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        uow.brands.add(ws, "x", "@AcmeCares", None)
        uow.commit()
        assert [(b.channel, b.handle) for b in uow.brands.list(ws)] == [("x", "AcmeCares")]
        with pytest.raises(Exception, match=r"(?i)unique|exists"):
            uow.brands.add(ws, "x", "acmecares", None)


def test_latest_inbound_triage_per_conversation(uow_factory: Factory) -> None:
    from dataclasses import replace as copy

    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        c1, c2 = _conversation(uow, ws), _conversation(uow, ws)
        old = copy(_message(c1, "a"), triage={"category": "question"})
        new = copy(_message(c1, "b"), triage={"category": "complaint"})
        reply = copy(_message(c1, "c"), direction=Direction.OUTBOUND, triage={"category": "other"})
        uow.messages.add_many(ws, [old, new, reply, _message(c2, "d")])
        uow.commit()
        assert uow.messages.latest_inbound_triage(ws, [c1, c2]) == {c1: {"category": "complaint"}}
        assert uow.messages.latest_inbound_triage(ws + 1, [c1]) == {}


def test_private_conversations_by_their_newest_customer_message(uow_factory: Factory) -> None:
    """Issue 15 item 2: a conversation is private while its newest customer message is private."""
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        dm, went_private, went_public, plain = (_conversation(uow, ws) for _ in range(4))
        private = Visibility.PRIVATE
        public_reply = replace(_message(dm, "r"), direction=Direction.OUTBOUND)
        uow.messages.add_many(
            ws,
            [
                replace(_message(dm, "a"), visibility=private),
                public_reply,  # the brand's public reply does not make the DM public
                _message(went_private, "b"),
                replace(_message(went_private, "c"), visibility=private),
                replace(_message(went_public, "d"), visibility=private),
                _message(went_public, "e"),
                _message(plain, "f"),
            ],
        )
        uow.commit()
        everything = [dm, went_private, went_public, plain]
        assert uow.messages.private_conversations(ws, everything) == {dm, went_private}
        assert uow.messages.private_conversations(ws, [plain, went_public]) == set()
        assert uow.messages.private_conversations(ws + 1, everything) == set()


def test_feedback_export_leaves_private_messages_out(uow_factory: Factory) -> None:
    """Issue 15 item 2: a correction on a DM (an account number) never leaves in a training file."""
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        user = uow.users.add(ws, "ada@acme.io", "Ada", Role.ADMIN, "hash", "")
        conv = _conversation(uow, ws)
        dm = replace(_message(conv, "dm", "my account number is 40112233"), visibility=Visibility.PRIVATE)
        public_id, dm_id = uow.messages.add_many(ws, [_message(conv, "p", "wifi down"), dm])
        for message_id in (public_id, dm_id):
            uow.rules.add_feedback(ws, message_id, user.id, "category", "complaint", T0)
        uow.commit()
        assert [f.text for f in uow.rules.feedback(ws)] == ["wifi down"]
        assert [f.text for f in uow.rules.feedback(None)] == ["wifi down"]
