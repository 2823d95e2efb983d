"""A Page token revoked while sending: the account needs re-authorisation (broken, with Graph's
reason, a ``channel.health`` event), sending stays blocked, and a new token resumes on the same account."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.channels.accounts import NEEDS_CREDENTIALS
from socialdesk.actions.channels.config import ChannelChanges, check_update_channel_account
from socialdesk.channels.meta.graph import NEEDS_REAUTHORISATION, TokenInvalid
from socialdesk.channels.registry import REGISTRY
from socialdesk.channels.senders import AccountSender
from socialdesk.domain.people import Role, User
from socialdesk.ports.inbox import OutboxItem
from socialdesk.runtime import Runtime
from tests.channels.integration.conftest import add_account
from tests.channels.integration.conftest import sqlite_runtime as sqlite_runtime
from tests.channels.meta.fake_graph import FakeGraph
from tests.channels.support import live_server

PAGE_ID = "104912345678901"
COMMENT = "889900112233_551122334455"
pytestmark = pytest.mark.timeout(60)


def secrets(token: str) -> dict[str, str]:
    return {"page_token": token, "app_secret": "app-secret", "verify_token": "verify"}


def test_a_revoked_token_marks_the_account_and_a_new_one_resumes(sqlite_runtime: Runtime) -> None:
    fake = FakeGraph(PAGE_ID, "first-token", sqlite_runtime.clock.now())
    with live_server(fake.app()) as url:
        account = add_account(
            sqlite_runtime, "facebook", PAGE_ID, {"page_id": PAGE_ID, "api_url": url}, secrets("first-token")
        )
        with sqlite_runtime.uow() as uow:
            ada = check_create_user(
                uow, account.workspace_id, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN
            )
            eve = check_create_user(
                uow, account.workspace_id, "eve@acme.io", "Eve", "correct-horse-3", Role.AGENT
            )
            uow.commit()
        sqlite_runtime.use_channel_senders()
        sender = sqlite_runtime.senders["facebook"]
        assert isinstance(sender, AccountSender)
        sender.refresh_seconds = 0  # read the accounts on every send (the runtime's: every 30 s)
        item = OutboxItem(
            41, account.workspace_id, 1, "facebook", "k41",
            {"text": "Sorry, we are on it", "in_reply_to": COMMENT, "account": PAGE_ID},
            "pending", 0, sqlite_runtime.clock.now() - timedelta(minutes=1),
        )  # fmt: skip
        fake.token = "second-token"  # the Page's admin changed their password: the first token is revoked
        with pytest.raises(TokenInvalid, match=NEEDS_REAUTHORISATION):
            sender.send(item)
        with sqlite_runtime.uow() as uow:
            broken = uow.channels.find(account.id)
        assert broken is not None and broken.health.state == "broken"
        assert broken.health.reason.startswith(f"{NEEDS_REAUTHORISATION}: the Page token no longer works")
        assert "Graph error 190" in broken.health.reason
        with pytest.raises(TokenInvalid):
            sender.send(item)  # still refused: one alert per breakage, not one per attempt
        with sqlite_runtime.uow() as uow:
            alerts = uow.notifications.list(account.workspace_id, ada.id)
            agents = uow.notifications.list(account.workspace_id, eve.id)
        assert [(n.kind, n.data["account_id"]) for n in alerts] == [(NEEDS_CREDENTIALS, account.id)]
        assert NEEDS_REAUTHORISATION in alerts[0].data["text"]
        assert agents == []  # admins give new credentials

        admin = User(id=0, workspace_id=account.workspace_id, email="a@acme.io", name="Ada", role=Role.ADMIN)
        connector = sqlite_runtime.channel_connector()
        with sqlite_runtime.uow() as uow:
            check_update_channel_account(
                uow, admin, account.id, ChannelChanges(credentials=secrets("second-token")),
                connector.sealer(), sqlite_runtime.clock.now(), urls=connector.url_policy, networks=REGISTRY,
            )  # fmt: skip
            uow.commit()
        assert sender.send(item).external_id == fake.comments[COMMENT][0]["id"]
        with sqlite_runtime.uow() as uow:
            resumed = uow.channels.find(account.id)
        assert resumed is not None and resumed.id == account.id
        assert resumed.health.state == "starting"  # reconfigured: no longer broken
