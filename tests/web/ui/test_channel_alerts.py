"""A channel account that needs new credentials (a revoked token): admins are notified, and mission
control says so until someone gives new ones."""

from __future__ import annotations

from socialdesk.actions.channels.accounts import do_mark_needs_credentials
from socialdesk.ports.channels import NewChannelAccount
from tests.web.ui.conftest import UiWorld, login_client


def test_a_channel_that_needs_new_credentials_alerts_the_admins(ui_world: UiWorld) -> None:
    ws = ui_world.ada.workspace_id
    now = ui_world.runtime.clock.now()
    with ui_world.runtime.uow() as uow:
        account = uow.channels.add(
            ws, NewChannelAccount("facebook", "104912345678901", {"page_id": "1"}, None), now
        )
        reason = "needs re-authorisation: the Page token no longer works (Graph error 190: <expired>)"
        do_mark_needs_credentials(uow, account.id, reason, now)
        uow.commit()
    ada, _ = login_client(ui_world.app, "a@x.io")
    page = ada.get("/notifications").text
    assert "a channel account needs re-authorisation" in page
    assert "facebook:104912345678901" in page
    assert "Graph error 190: &lt;expired&gt;" in page
    assert 'href="/settings/channels"' in page
    carl, _ = login_client(ui_world.app, "c@x.io")
    assert "needs re-authorisation" not in carl.get("/notifications").text  # an agent cannot fix it


def test_mission_control_shows_a_channel_that_needs_a_person(ui_world: UiWorld) -> None:
    ws = ui_world.ada.workspace_id
    now = ui_world.runtime.clock.now()
    ada, _ = login_client(ui_world.app, "a@x.io")
    assert "Channels that need a person" not in ada.get("/mission/panels").text
    with ui_world.runtime.uow() as uow:
        account = uow.channels.add(
            ws, NewChannelAccount("instagram", "nimbuscares", {"ig_user_id": "1"}, None), now
        )
        do_mark_needs_credentials(uow, account.id, "needs re-authorisation: <b>Graph error 190</b>", now)
        uow.commit()
    panels = ada.get("/mission/panels").text
    assert "Channels that need a person" in panels
    assert "instagram:nimbuscares: needs re-authorisation: &lt;b&gt;Graph error 190&lt;/b&gt;" in panels
