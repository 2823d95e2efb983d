"""Monitors and noise control in the ingest pipeline, on every storage back-end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.listening.monitors import check_create_monitor, list_monitors
from socialdesk.actions.listening.rules import check_add_spam_rule
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Post
from socialdesk.ports.inbox import ConversationQuery
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]


def _setup(uow_factory: Factory, monitors: list[tuple[str, str, str]]) -> User:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "AcmeCares")
        admin = check_create_user(uow, ws.id, "a@acme.io", "A", "correct-horse-1", Role.ADMIN)
        for name, query, mode in monitors:
            check_create_monitor(uow, admin, name=name, query=query, mode=mode, now=T0)
        uow.commit()
    return admin


def _ingest(uow_factory: Factory, user: User, posts: list[Post], annotator: Annotator) -> None:
    with uow_factory() as uow:
        do_ingest_posts(uow, user.workspace_id, posts, T0, annotator)
        uow.commit()


def _conversation_of(uow_factory: Factory, user: User, ext: str) -> int | None:
    with uow_factory() as uow:
        return uow.messages.find_by_keys(user.workspace_id, [("x", ext)])[("x", ext)].conversation_id


def test_care_monitors_open_conversations_and_listening_ones_only_count(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [("acme", "acme OR #acmedown", "care"), ("rival", "globex", "listening")])
    annotator = Annotator()
    _ingest(
        uow_factory,
        user,
        [
            post("is acme down in my area?", id="1"),  # names the brand, no @-mention
            post("globex is great", id="2", author="dan"),  # competitor: counted only
            post("@AcmeCares help", id="3", author="eve"),  # a mention always reaches care
            post("lovely weather", id="4", author="fay"),  # nothing: stored for listening only
        ],
        annotator,
    )
    assert _conversation_of(uow_factory, user, "1") is not None
    assert _conversation_of(uow_factory, user, "2") is None
    assert _conversation_of(uow_factory, user, "3") is not None
    assert _conversation_of(uow_factory, user, "4") is None
    with uow_factory() as uow:
        counts = {m.monitor.name: m.matches for m in list_monitors(uow, user)}
        assert counts == {"acme": 1, "rival": 1}
        msgs = uow.messages.recent(user.workspace_id, 10)
        assert {m.external_id: m.monitors for m in msgs}["2"] == ("rival",)


def test_exclusions_brand_posts_reposts_and_repeats(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [])
    with uow_factory() as uow:
        check_create_monitor(
            uow,
            user,
            name="acme",
            query="acme",
            exclude_authors=["botty"],
            exclude_terms=["giveaway"],
            now=T0,
        )
        uow.commit()
    annotator = Annotator()
    repost = replace(post("RT acme is down", id="5", author="gus"), repost_of="1", is_repost=True)
    _ingest(
        uow_factory,
        user,
        [
            post("acme is down", id="1"),
            post("acme giveaway!!", id="2", author="hal"),
            post("acme acme", id="3", author="botty"),
            post("New acme plans are here", id="4", author="AcmeCares"),  # the brand's own post
            repost,
            post("acme is down", id="6", minutes=5),  # the same author repeating within the window
            post("acme is down", id="7", minutes=60),  # ... and again, an hour later: a new conversation
        ],
        annotator,
    )
    first = _conversation_of(uow_factory, user, "1")
    assert first is not None
    assert _conversation_of(uow_factory, user, "2") is None
    assert _conversation_of(uow_factory, user, "3") is None
    assert _conversation_of(uow_factory, user, "4") is None
    assert _conversation_of(uow_factory, user, "5") == first
    assert _conversation_of(uow_factory, user, "6") == first
    later = _conversation_of(uow_factory, user, "7")
    assert later is not None and later != first


def test_a_repeat_in_a_later_batch_joins_the_stored_conversation(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [])
    _ingest(uow_factory, user, [post("@AcmeCares router dead", id="1")], Annotator())
    _ingest(uow_factory, user, [post("@AcmeCares  ROUTER dead", id="2", minutes=3)], Annotator())
    first = _conversation_of(uow_factory, user, "1")
    assert first is not None
    assert _conversation_of(uow_factory, user, "2") == first
    with uow_factory() as uow:
        conv = uow.conversations.get(user.workspace_id, first)
        assert conv is not None
        assert conv.message_count == 2


def test_spam_rules_keep_posts_out_of_the_inbox(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [])
    with uow_factory() as uow:
        check_add_spam_rule(uow, user, "term", "free crypto", T0)
        check_add_spam_rule(uow, user, "link", "promo.example", T0)
        check_add_spam_rule(uow, user, "author", "@spammy", T0)
        with pytest.raises(ValidationFailed, match="already exists"):
            check_add_spam_rule(uow, user, "term", "FREE crypto", T0)
        uow.commit()
    _ingest(
        uow_factory,
        user,
        [
            post("@AcmeCares FREE Crypto here", id="1"),
            post("@AcmeCares see https://www.promo.example/x", id="2", author="dan"),
            post("@AcmeCares hi", id="3", author="spammy"),
            post("@AcmeCares my bill is wrong", id="4", author="eve"),
        ],
        Annotator(),
    )
    assert [_conversation_of(uow_factory, user, i) is None for i in "1234"] == [True, True, True, False]


def test_invalid_monitor_queries_are_refused_with_their_column(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [])
    with uow_factory() as uow:
        with pytest.raises(ValidationFailed, match=r"unbalanced parenthesis at column \d+"):
            check_create_monitor(uow, user, name="bad", query="(acme OR comcast", now=T0)
        with pytest.raises(ValidationFailed, match="matches everything"):
            check_create_monitor(uow, user, name="all", query="NOT acme", now=T0)
        with pytest.raises(ValidationFailed, match="kind"):
            check_create_monitor(uow, user, name="k", query="acme", kind="planet", now=T0)


def test_triage_is_stored_and_orders_the_inbox(uow_factory: Factory) -> None:
    from socialdesk.ports.inbox import ConversationQuery
    from socialdesk.triage import Triager

    user = _setup(uow_factory, [])
    annotator = Annotator(Triager())
    _ingest(
        uow_factory,
        user,
        [
            post("@AcmeCares love the new app, thanks!", id="1", author="amy"),
            post(
                "@AcmeCares no internet since 9am, I work from home and I'm losing money. 3rd time!",
                id="2",
                author="bob",
                minutes=30,
            ),
        ],
        annotator,
    )
    with uow_factory() as uow:
        rows = uow.conversations.query(user.workspace_id, ConversationQuery())
        assert [r.conversation.author_handle for r in rows] == ["bob", "amy"]  # urgency before waiting time
        assert rows[0].conversation.urgency > rows[1].conversation.urgency
        messages = uow.messages.list_for_conversation(user.workspace_id, rows[0].conversation.id)
        triage = messages[0].triage
        assert triage is not None and triage["needs_reply"] is True
        assert triage["sentiment"] == "negative"


def test_inbox_filters_by_monitor_and_by_customer(uow_factory: Factory) -> None:
    user = _setup(uow_factory, [("outage", "down", "care"), ("billing", "bill", "care")])
    _ingest(
        uow_factory,
        user,
        [
            post("@AcmeCares wifi down", id="1"),
            post("@AcmeCares my bill is wrong", id="2", author="dan"),
            post("@AcmeCares and the bill too", id="3", minutes=60),  # carol again, a new conversation
        ],
        Annotator(),
    )
    with uow_factory() as uow:
        ws = user.workspace_id

        def ids(**kw: object) -> set[str]:
            rows = uow.conversations.query(ws, ConversationQuery(**kw))  # type: ignore[arg-type]
            convs = [r.conversation.id for r in rows]
            return {m.external_id or "" for c in convs for m in uow.messages.list_for_conversation(ws, c)}

        assert ids(monitor="outage") == {"1"}
        assert ids(monitor="billing") == {"2", "3"}
        assert ids(monitor="nope") == set()
        first = uow.messages.find_by_keys(ws, [("x", "1")])[("x", "1")].conversation_id
        conv = uow.conversations.get(ws, first or 0)
        assert conv is not None
        assert ids(contact_id=conv.contact_id) == {"1", "3"}
