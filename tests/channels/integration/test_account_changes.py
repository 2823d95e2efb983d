"""Changing and removing channel accounts: validation, the runner restarting a fixed account, removal."""

from __future__ import annotations

import httpx
import pytest

from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.actions.channels.config import (
    KEEP,
    ChannelChanges,
    check_remove_channel_account,
    check_update_channel_account,
)
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.channels.registry import REGISTRY
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.ports.channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.integration.conftest import use_fake_network
from tests.channels.integration.test_runner import (
    FakeMastodon,
    mastodon_account,
    message_count,
    stored,
    wait_for,
)

pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)


def admin_of(account: ChannelAccount, role: Role = Role.ADMIN) -> User:
    return User(id=0, workspace_id=account.workspace_id, email="a@acme.io", name="Ada", role=role)


def update(
    runtime: Runtime, account: ChannelAccount, changes: ChannelChanges, user: User | None = None
) -> ChannelAccount:
    with runtime.uow() as uow:
        sealer = runtime.channel_connector().sealer()
        found = check_update_channel_account(
            uow,
            user or admin_of(account),
            account.id,
            changes,
            sealer,
            runtime.clock.now(),
            urls=runtime.channel_connector().url_policy,
            networks=REGISTRY,
        )
        uow.commit()
    return found


def test_fixing_a_revoked_token_brings_the_channel_back(sqlite_runtime: Runtime) -> None:
    fake = FakeMastodon()
    fake.add(1)
    tokens: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers["authorization"])
        if request.headers["authorization"] != "Bearer masto-token":
            return httpx.Response(401, json={"error": "The access token was revoked"})
        return fake(request)

    use_fake_network(sqlite_runtime, network)
    account = mastodon_account(sqlite_runtime)
    update(sqlite_runtime, account, ChannelChanges(credentials={"token": "old-token"}))
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_for(lambda: stored(sqlite_runtime, account).health.state == "broken")
        assert message_count(sqlite_runtime, account) == 0
        fixed = update(sqlite_runtime, account, ChannelChanges(credentials={"token": "masto-token"}))
        assert fixed.health.reason == "reconfigured"
        # No restart of the process: the runner replaces the broken client on its next pass.
        wait_for(lambda: message_count(sqlite_runtime, account) == 1)
        wait_for(lambda: stored(sqlite_runtime, account).health.state == "connected")
    finally:
        runner.stop()
    assert "Bearer old-token" in tokens and tokens[-1] == "Bearer masto-token"


def test_pausing_and_removing_stop_the_client(sqlite_runtime: Runtime, bus: RecordingBus) -> None:
    fake = FakeMastodon()
    use_fake_network(sqlite_runtime, fake)
    account = mastodon_account(sqlite_runtime)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_for(lambda: len(fake.since_ids) >= 1)
        paused = update(sqlite_runtime, account, ChannelChanges(is_active=False))
        assert (paused.is_active, paused.health.reason) == (False, "paused by an admin")
        wait_for(lambda: account.id not in runner.workers)
        update(sqlite_runtime, account, ChannelChanges(is_active=True))
        wait_for(lambda: account.id in runner.workers)
        with sqlite_runtime.uow() as uow:
            check_remove_channel_account(uow, admin_of(account), account.id, sqlite_runtime.clock.now())
            uow.commit()
        wait_for(lambda: account.id not in runner.workers)
    finally:
        runner.stop()
    with sqlite_runtime.uow() as uow:
        assert uow.channels.get(account.workspace_id, account.id) is None
        assert uow.channels.get_cursor(account.workspace_id, account.id, "mastodon:notifications") is None
        # The same handle can be connected again.
        again = check_add_channel_account(
            uow,
            admin_of(account),
            "mastodon",
            account.handle,
            account.settings,
            {"token": "masto-token"},
            sqlite_runtime.channel_connector().sealer(),
            sqlite_runtime.clock.now(),
            urls=sqlite_runtime.channel_connector().url_policy,
            networks=REGISTRY,
        )
        uow.commit()
    assert again.is_active and again.health.state == "starting"
    kinds = [e.kind for e in bus.events if e.kind.startswith("channel.")]
    assert kinds.count("channel.updated") == 2 and "channel.removed" in kinds


def test_changes_are_checked_and_reserved_to_admins(sqlite_runtime: Runtime) -> None:
    account = mastodon_account(sqlite_runtime, budget_reads=100)
    with pytest.raises(ValidationFailed, match="unknown setting colour"):
        update(sqlite_runtime, account, ChannelChanges(settings={"colour": "red"}))
    with pytest.raises(ValidationFailed, match="the setting instance_url is required"):
        update(sqlite_runtime, account, ChannelChanges(settings={"instance_url": ""}))
    with pytest.raises(ValidationFailed, match="the credential token is required"):
        update(sqlite_runtime, account, ChannelChanges(credentials={}))
    with pytest.raises(ValidationFailed, match="budget_reads"):
        update(sqlite_runtime, account, ChannelChanges(budget_reads=0))
    with pytest.raises(PermissionDenied):
        update(sqlite_runtime, account, ChannelChanges(is_active=False), admin_of(account, Role.AGENT))
    stranger = User(id=0, workspace_id=account.workspace_id + 99, email="x@y.io", name="X", role=Role.ADMIN)
    with pytest.raises(NotFound):
        update(sqlite_runtime, account, ChannelChanges(is_active=False), stranger)

    changed = update(sqlite_runtime, account, ChannelChanges(settings={"interval": "30", "mode": None}))
    assert changed.settings == {"instance_url": "https://social.example", "interval": 30.0}
    assert changed.sealed_credentials == account.sealed_credentials  # credentials untouched
    assert changed.budget.reads == 100  # KEEP by default
    unlimited = update(sqlite_runtime, account, ChannelChanges(budget_reads=None, budget_window_seconds=60))
    assert (unlimited.budget.reads, unlimited.budget.window_seconds) == (None, 60)
    assert repr(KEEP) == "KEEP"
