"""A network added through its descriptor alone (tests/channels/extra_network.py) is connected, run,
probed, backfilled and sent through, and documented by the CLI, without any other change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from socialdesk.actions.channels.accounts import check_test_channel_account
from socialdesk.channels.backfill import backfill
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore
from socialdesk.channels.probe import probe
from socialdesk.channels.registry import REGISTRY
from socialdesk.cli.main import app
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels import extra_network
from tests.channels.extra_network import DESCRIPTOR, SENT, fake_api
from tests.channels.integration.conftest import KEY, add_account, use_fake_network
from tests.channels.integration.test_runner import message_count, stored, wait_for

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(autouse=True)
def _registered() -> Iterator[None]:
    with REGISTRY.registered(DESCRIPTOR):
        yield
    SENT.clear()


def _account(runtime: Runtime) -> ChannelAccount:
    use_fake_network(runtime, fake_api)
    return add_account(runtime, "reddit", "AcmeHelp", {"subreddit": "acme"}, {"token": "reddit-token"})


def test_its_settings_are_checked_against_its_schema(sqlite_runtime: Runtime) -> None:
    use_fake_network(sqlite_runtime, fake_api)
    with pytest.raises(ValidationFailed, match="reddit: the setting subreddit is required"):
        add_account(sqlite_runtime, "reddit", "AcmeHelp", {}, {"token": "reddit-token"})
    with pytest.raises(
        ValidationFailed, match="reddit: unknown setting user_id; expected interval, subreddit"
    ):
        add_account(sqlite_runtime, "reddit", "AcmeHelp", {"subreddit": "a", "user_id": "1"}, {"token": "t"})
    with pytest.raises(ValidationFailed, match="reddit: the credential token is required"):
        add_account(sqlite_runtime, "reddit", "AcmeHelp", {"subreddit": "acme"})


def test_unregistered_it_is_refused_naming_the_known_networks(sqlite_runtime: Runtime) -> None:
    REGISTRY.unregister("reddit")
    with pytest.raises(ValidationFailed, match="network 'reddit': expected one of x, mastodon, bluesky"):
        add_account(sqlite_runtime, "reddit", "AcmeHelp", {"subreddit": "acme"}, {"token": "t"})


def test_the_runner_runs_its_client_and_ingests_its_posts(sqlite_runtime: Runtime) -> None:
    account = _account(sqlite_runtime)
    runner = ChannelRunner(sqlite_runtime, interval=0.05)
    runner.start()
    try:
        wait_for(lambda: message_count(sqlite_runtime, account) == 2)
        wait_for(lambda: stored(sqlite_runtime, account).health.state == "connected")
    finally:
        runner.stop()
    after = stored(sqlite_runtime, account)
    assert after.budget.spent == 1  # its HTTP client is metered like every other network's


def test_connect_probe_and_backfill_go_through_its_descriptor(sqlite_runtime: Runtime) -> None:
    account = _account(sqlite_runtime)
    connector = sqlite_runtime.channel_connector()
    health = ChannelHealth("reddit")
    client = connector.inbound(account, lambda posts: None, health, MemoryCursorStore())
    assert isinstance(client, extra_network.Poller)

    with sqlite_runtime.uow() as uow:
        user = User(id=0, workspace_id=account.workspace_id, email="a@acme.io", name="A", role=Role.ADMIN)
        found = check_test_channel_account(uow, user, account.id)
    result = probe(connector, found)
    assert (result.ok, result.message) == (True, "connected as u/AcmeHelp")

    got: list[list[dict[str, object]]] = []
    since = datetime.fromisoformat("2026-01-05T00:00:00+00:00")
    count = backfill(
        connector, found, since, since + timedelta(days=1), got.append, now=sqlite_runtime.clock.now
    )
    assert count == 2 and [p["id"] for p in got[0]] == ["c1", "c2"]  # c7 is before the range


def test_replies_leave_through_its_sender_as_the_brand(sqlite_runtime: Runtime) -> None:
    account = _account(sqlite_runtime)
    sqlite_runtime.use_channel_senders()
    sender = sqlite_runtime.senders["reddit"]
    item = OutboxItem(
        id=41,
        workspace_id=account.workspace_id,
        message_id=1,
        channel="reddit",
        idempotency_key="k41",
        payload={"text": "Sorry, we are on it", "account": "AcmeHelp"},
        status="pending",
        attempts=0,
        created_at=sqlite_runtime.clock.now(),
    )
    assert sender.send(item).external_id == "AcmeHelp-41"
    assert [i.id for i in SENT] == [41]


def test_the_cli_documents_and_adds_it(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_SECRET_KEY", KEY)
    monkeypatch.setenv("SOCIALDESK_TRIAGE", "false")
    monkeypatch.setenv("REDDIT_TOKEN", "reddit-token")
    runner = CliRunner()
    listed = runner.invoke(app, ["channels", "networks"])
    assert listed.exit_code == 0, listed.output
    networks = {line["network"]: line for line in map(json.loads, listed.output.splitlines())}
    assert networks["reddit"]["settings"] == {
        "subreddit": "the subreddit to read, without r/",
        "interval": "",
    }
    assert networks["reddit"]["required_secrets"] == ["token"] and networks["reddit"]["sends"] is True
    added = runner.invoke(
        app,
        [
            *("channels", "add", "reddit", "AcmeHelp", "--setting", "subreddit=acme"),
            *("--token-env", "REDDIT_TOKEN", "--db", sqlite_url),
        ],
    )
    assert added.exit_code == 0, added.output
    assert "reddit:AcmeHelp added" in added.output
    missing = runner.invoke(app, ["channels", "add", "reddit", "Other", "--db", sqlite_url], input="tok\n")
    assert missing.exit_code == 1 and "reddit: the setting subreddit is required" in missing.output
