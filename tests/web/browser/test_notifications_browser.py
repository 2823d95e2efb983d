"""In Chromium: the header's badge and approvals count change live when a trainee's reply is held, the
opted-in desktop notification names who acted, and the notifications page marks it read.
Saves docs/screenshots/notifications.png."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from itertools import islice
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.inbox.replies import check_reply
from socialdesk.demo.traffic import generate_posts
from socialdesk.domain.people import Role
from socialdesk.domain.post import Visibility
from socialdesk.ports.inbox import ConversationQuery
from tests.web.browser.accessibility import axe_violations, describe
from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest, _login

# The browser's Notification API, recorded: headless Chromium shows nothing, so the test looks at what
# the page asked for. Installed before any page script runs (an init script is not subject to the CSP).
FAKE_NOTIFICATION = """
window.__shown = [];
window.Notification = class {
  constructor(title, options) { window.__shown.push({title: title, body: options.body}); }
  static get permission() { return "granted"; }
  static requestPermission() { return Promise.resolve("granted"); }
  addEventListener() {}
};
"""


def test_held_reply_rings_the_admins_badge_live(browser: Any, served: Served) -> None:
    runtime = served.runtime
    now = runtime.clock.now()
    _ingest(served, list(islice(generate_posts(50, seed=3, start=now - timedelta(minutes=20)), 4)))
    with runtime.uow() as uow:
        ws = served.workspace_id
        tara = check_create_user(uow, ws, "tara@demo.test", "Tara Trainee", PASSWORD, Role.AGENT)
        tara = replace(tara, in_training=True)
        uow.agents.save(tara)
        conv = uow.conversations.query(served.workspace_id, ConversationQuery())[0].conversation
        brand = next(b.id for b in uow.brands.list(served.workspace_id) if b.channel == conv.channel)

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(FAKE_NOTIFICATION)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    page.goto(served.url + "/notifications")
    expect(page.locator("#notification-count")).to_be_hidden()
    page.locator("#notify-desktop").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#notify-desktop")).to_be_checked()
    page.goto(served.url + "/")
    expect(page.locator("#live-status")).to_have_text("Live")

    with runtime.uow() as uow:  # the trainee replies elsewhere: the reply waits for an approver
        text = "Could you restart the modem?"
        check_reply(uow, tara, conv.id, text, Visibility.PUBLIC, runtime.clock.now(), confirm_stale=True,
                    brand_account_id=brand)  # fmt: skip
    badge = page.locator("#notification-count")
    expect(badge).to_have_attribute("data-count", "1")
    expect(badge).to_have_text("1 unread")
    expect(page.locator("#approvals-count")).to_have_text("1 waiting")
    expect(page.locator("body")).to_have_attribute("data-last-alert", re.compile(r"^\d+$"))
    shown = page.evaluate("window.__shown")
    assert shown == [{"title": "socialdesk", "body": "Tara Trainee holds a reply for approval"}]

    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("li.notification.unread")).to_contain_text("Tara Trainee holds a reply for approval")
    assert axe_violations(page) == [], describe(axe_violations(page))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notifications.png"))
    page.get_by_role(
        "button", name=re.compile(r"^Mark read\W+Tara Trainee holds a reply for approval$")
    ).click()
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(badge).to_be_hidden()
    expect(page.locator("#approvals-count")).to_have_text("1 waiting")  # still waiting to be reviewed
    assert errors == []
    context.close()
