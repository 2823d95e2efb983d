"""Registering channel accounts: validation, credentials encrypted at rest, the brand handle."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.registry import REGISTRY
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.runtime import Runtime
from tests.channels.integration.conftest import add_account

TOKEN = "mastodon-token-6f1c0c3e9a"


def test_credentials_are_encrypted_at_rest_and_open_with_the_key(sqlite_runtime: Runtime) -> None:
    account = add_account(
        sqlite_runtime,
        "mastodon",
        "@acme@social.example",
        {"instance_url": "https://social.example"},
        {"token": TOKEN},
    )
    with sqlite_runtime.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text("SELECT * FROM channel_accounts"))]
        cursors = [tuple(r) for r in conn.execute(text("SELECT * FROM channel_cursors"))]
    assert rows
    assert TOKEN not in repr(rows + cursors)  # the database holds no plaintext
    assert account.sealed_credentials and TOKEN not in account.sealed_credentials
    opened = sqlite_runtime.channel_connector().credentials(account)
    assert opened["token"].reveal() == TOKEN
    assert TOKEN not in repr(opened)
    with sqlite_runtime.uow() as uow:  # the brand handle is registered: its posts are outbound
        brands = uow.brands.list(account.workspace_id)
    assert [(b.channel, b.handle) for b in brands] == [("mastodon", "acme@social.example")]


def test_a_missing_key_is_a_clear_error(sqlite_runtime: Runtime) -> None:
    sqlite_runtime.settings = sqlite_runtime.settings.model_copy(update={"secret_key": None})
    with pytest.raises(ValidationFailed, match="SOCIALDESK_SECRET_KEY is not set"):
        add_account(sqlite_runtime, "x", "acme", {"user_id": "42"}, {"token": "t"})
    # Accounts without credentials need no key.
    add_account(sqlite_runtime, "rss", "status page", {"feed_url": "https://status.example/feed"})


def test_a_wrong_key_cannot_open_credentials(sqlite_runtime: Runtime) -> None:
    account = add_account(sqlite_runtime, "x", "acme", {"user_id": "42"}, {"token": TOKEN})
    from socialdesk.channels.connect import Connector
    from socialdesk.channels.crypto import new_key

    with pytest.raises(CredentialError) as caught:
        Connector(new_key()).credentials(account)
    assert TOKEN not in str(caught.value)
    with pytest.raises(CredentialError, match="SOCIALDESK_SECRET_KEY is not set"):
        Connector(None).credentials(account)


@pytest.mark.parametrize(
    ("network", "settings", "secrets", "message"),
    [
        ("myspace", {}, {}, "network 'myspace'"),
        ("x", {}, {"token": "t"}, "user_id is required"),
        ("x", {"user_id": "@acme"}, {"token": "t"}, "numeric id"),
        ("x", {"user_id": "42"}, {}, "token is required"),
        ("mastodon", {"instance_url": "social.example"}, {"token": "t"}, "http"),
        ("mastodon", {"instance_url": "https://s.example", "mode": "firehose"}, {"token": "t"}, "mode"),
        ("rss", {"feed_url": "https://f.example", "colour": "red"}, {}, "unknown setting colour"),
        ("webhook", {}, {"secret": "s", "token": "t"}, "unknown credential token"),
    ],
)
def test_bad_input_is_explained(
    sqlite_runtime: Runtime, network: str, settings: dict[str, str], secrets: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        add_account(sqlite_runtime, network, "acme", settings, secrets)


def test_only_admins_add_accounts_and_handles_are_unique(sqlite_runtime: Runtime) -> None:
    add_account(sqlite_runtime, "rss", "news", {"feed_url": "https://f.example/rss"})
    with pytest.raises(ValidationFailed, match="already exists"):
        add_account(sqlite_runtime, "rss", "NEWS", {"feed_url": "https://f.example/rss"})
    with sqlite_runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        agent = User(id=0, workspace_id=ws.id, email="b@acme.io", name="Bo", role=Role.AGENT)
        with pytest.raises(PermissionDenied):
            check_add_channel_account(
                uow,
                agent,
                "rss",
                "other",
                {"feed_url": "https://f.example/2"},
                {},
                None,
                sqlite_runtime.clock.now(),
                urls=sqlite_runtime.channel_connector().url_policy,
                networks=REGISTRY,
            )
