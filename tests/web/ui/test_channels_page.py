"""The channels page: health and read budget per account, per workspace, escaped, never a secret."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from socialdesk.actions.channels import check_add_channel_account
from socialdesk.channels.connect import FernetSealer
from socialdesk.channels.crypto import new_key
from socialdesk.domain.people import Role
from tests.web.ui.conftest import UiWorld, login_client


def _connect(world: UiWorld, handle: str, *, other: bool = False) -> None:
    user = world.bob if other else world.ada
    if other:  # bob is an agent; connect as an admin of his workspace
        user = replace(user, role=Role.ADMIN)
    with world.runtime.uow() as uow:
        check_add_channel_account(
            uow, user, "rss", handle, {"feed_url": "https://blog.example/feed.xml"}, {},
            FernetSealer(new_key()), world.runtime.clock.now(), budget_reads=100,
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
