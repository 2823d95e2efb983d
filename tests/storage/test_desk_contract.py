"""The desk's repositories and inbox filters give the same answers on SQLite and PostgreSQL: each
user's preferences, saved views (own and a team's), macros, the tag filter and snoozing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from socialdesk.actions.accounts import check_create_user
from socialdesk.actions.case_snooze import check_snooze
from socialdesk.actions.case_tags import check_change_tags
from socialdesk.actions.ingest import do_ingest_posts
from socialdesk.domain.post import Author, Post
from socialdesk.ports import ConversationQuery, UnitOfWork
from socialdesk.ports_desk import MacroFields

NOW = datetime(2026, 1, 9, 16, 30, tzinfo=UTC)


def test_preferences_views_and_macros_round_trip(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("desk", "Desk").id
        ada = check_create_user(uow, ws, "a@x.io", "Ada", "correct-horse-1")
        bob = check_create_user(uow, ws, "b@x.io", "Bob", "correct-horse-1")
        uow.preferences.put(ws, ada.id, {"compact": True}, NOW)
        uow.preferences.put(ws, ada.id, {"compact": False, "columns": ["tags"]}, NOW)  # the update path
        own = uow.inbox_views.add(ws, ada.id, None, "Mine", {"view": "mine"}, NOW)
        macro = uow.macros.add(
            ws, MacroFields("Thanks", "Thank you!", ("thanks", "vip"), "resolved", "me", 4), ada.id, NOW
        )
        uow.macros.update(ws, macro.id, MacroFields("Thanks!", "Thanks.", (), None, None, None), NOW)
    with uow_factory() as uow:
        assert uow.preferences.get(ws, ada.id) == {"compact": False, "columns": ["tags"]}
        assert uow.preferences.get(ws, bob.id) == {}
        assert [v.name for v in uow.inbox_views.visible_to(ws, ada.id, [])] == ["Mine"]
        assert uow.inbox_views.visible_to(ws, bob.id, []) == []
        assert uow.inbox_views.get(ws, own.id) == own
        got = uow.macros.get(ws, macro.id)
        assert got is not None and got.fields == MacroFields("Thanks!", "Thanks.", (), None, None, None)
        assert uow.macros.get_by_name(ws, "Thanks!") == got
        uow.macros.delete(ws, macro.id)
        uow.inbox_views.delete(ws, own.id)
        assert uow.macros.list(ws) == [] and uow.inbox_views.get(ws, own.id) is None


def test_tag_filter_and_snooze_agree(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("desk", "Desk").id
        ada = check_create_user(uow, ws, "a@x.io", "Ada", "correct-horse-1")
        posts = [
            Post(id=str(i), channel="mastodon", text=f"help {i}", created_at=NOW - timedelta(minutes=i + 1),
                 author=Author(id=f"a{i}", handle=f"c{i}"))
            for i in range(3)
        ]  # fmt: skip
        a, b, c = sorted(do_ingest_posts(uow, ws, posts, NOW).conversation_ids)
        check_change_tags(uow, ada, a, NOW, add=("billing", "vip"))
        check_change_tags(uow, ada, b, NOW, add=("billing_2",))
        check_snooze(uow, ada, c, NOW + timedelta(hours=1), NOW)

    def ids(query: ConversationQuery) -> list[int]:
        with uow_factory() as uow:
            return sorted(r.conversation.id for r in uow.conversations.query(ws, query))

    assert ids(ConversationQuery(tag="billing")) == [a]  # "_" is not a wildcard, "billing_2" is another tag
    assert ids(ConversationQuery(tag="billing_2")) == [b]
    assert ids(ConversationQuery(awake_at=NOW)) == [a, b]
    assert ids(ConversationQuery(snoozed_at=NOW)) == [c]
    assert ids(ConversationQuery(awake_at=NOW + timedelta(hours=2))) == [a, b, c]
