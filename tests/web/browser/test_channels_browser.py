"""In Chromium: an admin pauses a channel account and removes it, answering the confirmation dialog."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.channels.registry import REGISTRY
from tests.web.browser.conftest import Served
from tests.web.browser.test_inbox_flow import _login


def test_pause_then_remove_with_confirmation(browser: Any, served: Served) -> None:
    runtime = served.runtime
    with runtime.uow() as uow:
        [ada] = [u for u in uow.users.list(served.workspace_id) if u.email == served.email]
        settings = {"feed_url": "https://status.example/feed.xml"}
        urls = runtime.channel_connector().url_policy
        check_add_channel_account(
            uow,
            ada,
            "rss",
            "status-page",
            settings,
            {},
            None,
            runtime.clock.now(),
            urls=urls,
            networks=REGISTRY,
        )
        uow.commit()

    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    page.goto(served.url + "/settings/channels")
    row = page.locator("tr", has_text="status-page")
    row.get_by_role("button", name="Pause").click()
    expect(row).to_contain_text("paused by an admin")

    dialogs: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    row.get_by_role("button", name="Remove").click()
    expect(row.get_by_role("button", name="Resume")).to_be_visible()  # still there: the admin said no
    page.once("dialog", lambda d: answer(d, True))
    row.get_by_role("button", name="Remove").click()
    expect(page.locator("main")).to_contain_text("No channel accounts yet")
    assert len(dialogs) == 2 and "Remove rss:status-page?" in dialogs[0]
    assert errors == []
    with runtime.uow() as uow:
        assert uow.channels.list(served.workspace_id) == []
