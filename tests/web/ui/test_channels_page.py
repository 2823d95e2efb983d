"""The channels page: health and read budget per account, per workspace, escaped, never a secret."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.channels.connect import FernetSealer
from socialdesk.channels.crypto import new_key
from socialdesk.channels.registry import REGISTRY
from socialdesk.domain.people import Role
from tests.web.ui.conftest import UiWorld, login_client


def _connect(world: UiWorld, handle: str, *, other: bool = False) -> None:
    user = world.bob if other else world.ada
    if other:  # bob is an agent; connect as an admin of his workspace
        user = replace(user, role=Role.ADMIN)
    with world.runtime.uow() as uow:
        check_add_channel_account(
            uow, user, "rss", handle, {"feed_url": "https://blog.example/feed.xml"}, {},
            FernetSealer(new_key()), world.runtime.clock.now(),
            urls=world.runtime.channel_connector().url_policy, networks=REGISTRY, budget_reads=100,
        )  # fmt: skip
        uow.commit()


def test_logged_out_users_are_sent_to_login(ui_client: TestClient) -> None:
    answer = ui_client.get("/settings/channels", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_accounts_show_health_and_budget_of_this_workspace_only(ui_world: UiWorld) -> None:
    _connect(ui_world, "<script>alert(1)</script>")
    _connect(ui_world, "beta-blog", other=True)
    client, _ = login_client(ui_world.app, "a@x.io")
    page = client.get("/settings/channels").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "beta-blog" not in page
    assert "0 of 100" in page
    assert "starting" in page


def _account_ids(world: UiWorld) -> dict[str, tuple[int, bool]]:
    with world.runtime.uow() as uow:
        return {a.handle: (a.id, a.is_active) for a in uow.channels.list(world.ada.workspace_id)}


def test_admins_pause_resume_and_remove_accounts(ui_world: UiWorld) -> None:
    _connect(ui_world, "status-blog")
    _connect(ui_world, "beta-blog", other=True)
    [(account_id, _)] = _account_ids(ui_world).values()
    client, token = login_client(ui_world.app, "a@x.io")
    url = f"/settings/channels/{account_id}"
    assert 'value="pause"' in client.get("/settings/channels").text

    assert client.post(url, data={"action": "pause"}).status_code == 403  # no CSRF token
    answer = client.post(url, data={"action": "pause", "csrf_token": token})
    assert (answer.status_code, answer.headers["location"]) == (303, "/settings/channels")
    assert _account_ids(ui_world)["status-blog"] == (account_id, False)
    page = client.get("/settings/channels").text
    assert "paused by an admin" in page and 'value="resume"' in page
    client.post(url, data={"action": "resume", "csrf_token": token})
    assert _account_ids(ui_world)["status-blog"] == (account_id, True)

    agent, agent_token = login_client(ui_world.app, ui_world.carl.email)
    assert 'value="remove"' not in agent.get("/settings/channels").text
    assert agent.post(url, data={"action": "remove", "csrf_token": agent_token}).status_code == 403
    with ui_world.runtime.uow() as uow:  # another workspace's account is "not found" here
        [beta] = uow.channels.list(ui_world.bob.workspace_id)
    assert (
        client.post(
            f"/settings/channels/{beta.id}", data={"action": "remove", "csrf_token": token}
        ).status_code
        == 404
    )

    assert client.post(url, data={"action": "remove", "csrf_token": token}).status_code == 303
    assert _account_ids(ui_world) == {}
    assert "No channel accounts yet" in client.get("/settings/channels").text


def test_a_network_registered_by_descriptor_alone_shows_with_its_settings(ui_world: UiWorld) -> None:
    from tests.channels.extra_network import DESCRIPTOR

    client, _ = login_client(ui_world.app, "a@x.io")
    assert "Reddit (test fake)" not in client.get("/settings/channels").text
    with REGISTRY.registered(DESCRIPTOR), ui_world.runtime.uow() as uow:
        check_add_channel_account(
            uow, ui_world.ada, "reddit", "AcmeHelp", {"subreddit": "acme"}, {"token": "t"},
            FernetSealer(new_key()), ui_world.runtime.clock.now(),
            urls=ui_world.runtime.channel_connector().url_policy, networks=REGISTRY,
        )  # fmt: skip
        uow.commit()
    with REGISTRY.registered(DESCRIPTOR):
        page = client.get("/settings/channels").text
    assert "Reddit (test fake)" in page and "the subreddit to read, without r/" in page
    assert '<span class="tag">reddit</span> AcmeHelp' in page


def test_an_email_account_shows_with_its_address_and_settings(ui_world: UiWorld) -> None:
    with ui_world.runtime.uow() as uow:
        check_add_channel_account(
            uow, ui_world.ada, "email", "help@acme.test", {"imap_host": "imap.acme.test", "mode": "poll"},
            {"password": "imap-secret"}, FernetSealer(new_key()), ui_world.runtime.clock.now(),
            urls=ui_world.runtime.channel_connector().url_policy, networks=REGISTRY,
        )  # fmt: skip
        uow.commit()
    client, _ = login_client(ui_world.app, "a@x.io")
    page = client.get("/settings/channels").text
    assert '<span class="tag">email</span> help@acme.test' in page
    assert "E-mail (IMAP + SMTP)" in page and "idle (default: IMAP IDLE" in page
    assert "imap-secret" not in page


def test_a_pay_per_use_account_shows_the_months_spend_against_its_cap(ui_world: UiWorld) -> None:
    """Issue 22 item 5: the month's API spend at the documented prices, beside the hard cap."""
    from socialdesk.actions.channels.spend import month_of
    from socialdesk.ports.channels import MonthSpend

    with ui_world.runtime.uow() as uow:
        account = check_add_channel_account(
            uow, ui_world.ada, "x", "AcmeCares", {"user_id": "42", "monthly_cap_usd": "50"}, {"token": "t"},
            FernetSealer(new_key()), ui_world.runtime.clock.now(),
            urls=ui_world.runtime.channel_connector().url_policy, networks=REGISTRY,
        )  # fmt: skip
        month = month_of(ui_world.runtime.clock.now())
        uow.channels.add_spend(account.workspace_id, account.id, MonthSpend(month, 1234, 3, 6_215_000))
    _connect(ui_world, "status-blog")
    client, _ = login_client(ui_world.app, "a@x.io")
    page = client.get("/settings/channels").text
    assert "$6.21" in page and "of $50.00 cap" in page
    assert "1234 reads, 3 writes" in page
    assert "not billed per use" in page  # the feed
    assert "post read $0.005" in page
    listed = client.get("/api/v1/channels").json()
    [x] = [a for a in listed if a["handle"] == "AcmeCares"]
    assert x["spend"] == {"month": month, "reads": 1234, "writes": 3, "usd": "6.215", "cap_usd": "50"}
    [feed] = [a for a in listed if a["handle"] == "status-blog"]
    assert feed["spend"] is None
