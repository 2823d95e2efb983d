"""Channel accounts change and go away the same way on every back-end: SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from socialdesk.ports.channels import AccountConfig, NewChannelAccount
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def test_configure_and_remove(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other_ws = uow.workspaces.add("beta", "Beta").id
        new = NewChannelAccount(
            "mastodon", "acme@social.example", {"instance_url": "https://a"}, "sealed-1", 10, 900
        )
        account = uow.channels.add(ws, new, T0)
        kept = uow.channels.add(
            ws, NewChannelAccount("rss", "status", {"feed_url": "https://f"}, None, None, 900), T0
        )
        uow.channels.set_cursor(ws, account.id, "k", "v", T0)
        uow.channels.set_cursor(ws, kept.id, "k", "kept", T0)
        uow.channels.record_posts(ws, account.id, 5, T0)
        uow.channels.record_posts(ws, kept.id, 3, T0)
        uow.commit()

    with uow_factory() as uow:
        config = AccountConfig({"instance_url": "https://b", "interval": 30.0}, "sealed-2", False, None, 60)
        before = uow.channels.get(ws, account.id)
        uow.channels.configure(other_ws, account.id, config)  # another workspace's: no effect
        assert uow.channels.get(ws, account.id) == before
        uow.channels.configure(ws, account.id, config)
        uow.commit()

    with uow_factory() as uow:
        changed = uow.channels.get(ws, account.id)
        assert changed is not None
        assert changed.settings == {"instance_url": "https://b", "interval": 30.0}
        assert (changed.sealed_credentials, changed.is_active) == ("sealed-2", False)
        assert (changed.budget.reads, changed.budget.window_seconds) == (None, 60)
        assert (changed.handle, changed.network, changed.created_at) == (account.handle, "mastodon", T0)
        assert [a.id for a in uow.channels.list_active()] == [kept.id]

        uow.channels.remove(other_ws, account.id)  # another workspace's: no effect
        assert uow.channels.get(ws, account.id) is not None
        uow.channels.remove(ws, account.id)
        uow.commit()

    with uow_factory() as uow:
        assert uow.channels.get(ws, account.id) is None
        assert [a.id for a in uow.channels.list(ws)] == [kept.id]
        assert uow.channels.get_cursor(ws, kept.id, "k") == "kept"
        assert uow.channels.posts_since(ws, kept.id, T0) == 3
        again = uow.channels.add(ws, new, T0)  # the handle is free again, with no old cursor or traffic
        assert uow.channels.get_cursor(ws, again.id, "k") is None
        assert uow.channels.posts_since(ws, again.id, T0) == 0
        uow.commit()
