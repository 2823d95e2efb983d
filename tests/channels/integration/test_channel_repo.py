"""The channel-account repository contract, on every back-end (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from socialdesk.ports.channels import ChannelHealthRow, NewChannelAccount, ReadBudget
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def _new(handle: str = "acme", network: str = "mastodon") -> NewChannelAccount:
    settings = {"instance_url": "https://social.example"} if network == "mastodon" else {}
    return NewChannelAccount(
        network, handle, settings, "sealed-blob", budget_reads=300, budget_window_seconds=300
    )


def _two_workspaces(uow: UnitOfWork) -> tuple[int, int]:
    return uow.workspaces.add("acme", "Acme").id, uow.workspaces.add("beta", "Beta").id


def test_accounts_are_per_workspace(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        acme, beta = _two_workspaces(uow)
        first = uow.channels.add(acme, _new(), T0)
        second = uow.channels.add(beta, _new("beta", "rss"), T0)
        uow.commit()
    with uow_factory() as uow:
        assert [a.handle for a in uow.channels.list(acme)] == ["acme"]
        assert uow.channels.get(beta, first.id) is None  # never across workspaces
        found = uow.channels.get(acme, first.id)
        assert found is not None
        assert found.settings == {"instance_url": "https://social.example"}
        assert found.sealed_credentials == "sealed-blob"
        assert found.health == ChannelHealthRow()
        assert found.budget == ReadBudget(reads=300, window_seconds=300)
        assert found.created_at == T0
        assert uow.channels.find(second.id) is not None
        assert [a.id for a in uow.channels.list_active()] == [first.id, second.id]


def test_same_handle_twice_is_refused(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        acme, _ = _two_workspaces(uow)
        uow.channels.add(acme, _new(), T0)
        with pytest.raises(Exception, match=r"(?i)unique|exists"):
            uow.channels.add(acme, _new(), T0)


def test_health_budget_and_rollback(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        acme, _ = _two_workspaces(uow)
        account = uow.channels.add(acme, _new(), T0)
        uow.commit()
    health = ChannelHealthRow("degraded", "HTTP 503", T0 + timedelta(seconds=5), "HTTP 503", T0)
    budget = ReadBudget(300, 300, 12, T0)
    with uow_factory() as uow:
        uow.channels.set_health(acme, account.id, health)
        uow.channels.set_budget(acme, account.id, budget)
        uow.commit()
    with uow_factory() as uow:
        uow.channels.set_health(acme, account.id, ChannelHealthRow("broken"))
        uow.rollback()  # rolled back: the block's end commits nothing of it
    with uow_factory() as uow:
        found = uow.channels.get(acme, account.id)
        assert found is not None
        assert found.health == health
        assert found.budget == budget
        assert found.budget.remaining == 288


def test_cursors_and_traffic(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        acme, beta = _two_workspaces(uow)
        account = uow.channels.add(acme, _new(), T0)
        other = uow.channels.add(acme, _new("other"), T0)
        uow.channels.set_cursor(acme, account.id, "mastodon:notifications", "100", T0)
        uow.channels.set_cursor(acme, account.id, "mastodon:notifications", "120", T0)
        uow.channels.record_posts(acme, account.id, 3, T0 + timedelta(minutes=5))
        uow.channels.record_posts(acme, account.id, 2, T0 + timedelta(minutes=50))
        uow.channels.record_posts(acme, account.id, 4, T0 + timedelta(hours=2))
        uow.channels.record_posts(acme, account.id, 0, T0 + timedelta(minutes=1))  # older: last post stays
        uow.channels.record_posts(acme, other.id, 7, T0)
        uow.commit()
    with uow_factory() as uow:
        assert uow.channels.get_cursor(acme, account.id, "mastodon:notifications") == "120"
        assert uow.channels.get_cursor(acme, other.id, "mastodon:notifications") is None
        assert uow.channels.get_cursor(beta, account.id, "mastodon:notifications") is None
        assert uow.channels.posts_since(acme, account.id, T0) == 9
        assert uow.channels.posts_since(acme, account.id, T0 + timedelta(hours=1)) == 4
        assert uow.channels.posts_since(beta, account.id, T0) == 0
        found = uow.channels.get(acme, account.id)
        assert found is not None
        assert found.last_post_at == T0 + timedelta(hours=2)
