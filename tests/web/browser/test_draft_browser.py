"""In Chromium (issue #15, item 10): a reply draft survives the end of the session. The agent types, the
session ends, Send brings the login form as a whole page; after logging in the agent is back on the
conversation (not a fragment) with the draft in the box; sending it clears the kept draft."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts.credentials import do_end_session
from tests.support.waiting import PATIENCE
from tests.web.browser.conftest import PASSWORD, Served
from tests.web.browser.test_inbox_flow import _ingest

TIMEOUT = int(PATIENCE * 1000)  # ms: waits for a condition, generous for a busy machine
DRAFT = "Hi Jo, we have refunded the charge; it shows on your statement in 3 days."


def test_a_draft_survives_an_expired_session_and_is_cleared_when_sent(browser: Any, served: Served) -> None:
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    text = "@NimbusCares I was charged twice for my bill, can you refund me?"
    post = {"id": "d1", "channel": "x", "text": text, "created_at": at,
            "author": {"id": "jo", "handle": "jo_customer", "name": "Jo"}}  # fmt: skip
    _ingest(served, [post])
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.url + "/")
    page.fill("input[name=email]", served.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")
    with served.runtime.uow() as uow:
        [ref] = uow.messages.find_by_keys(served.workspace_id, [("x", "d1")]).values()
    page.goto(f"{served.url}/conversations/{ref.conversation_id}")
    page.wait_for_selector("#reply-text")
    conversation_url = page.url
    assert re.fullmatch(re.escape(served.url) + r"/conversations/\d+", conversation_url)
    page.fill("#reply-text", DRAFT)
    key = f"socialdesk:draft:{served.workspace_id}:{conversation_url.rsplit('/', 1)[1]}"
    expect(page.locator("#compose-count")).to_contain_text("^AB", timeout=TIMEOUT)  # typed, counted
    assert page.evaluate("k => window.localStorage.getItem(k)", key) == DRAFT

    # The session ends on the server while the page stays open; the agent presses Send.
    [cookie] = [c for c in context.cookies() if c["name"] == "sd_session"]
    with served.runtime.uow() as uow:
        do_end_session(uow, cookie["value"])
        uow.commit()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/login\?next="), timeout=TIMEOUT)
    expect(page.locator("input[name=next]")).to_have_value(conversation_url.removeprefix(served.url))
    page.fill("input[name=email]", served.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(conversation_url, timeout=TIMEOUT)
    expect(page.locator("header.topbar")).to_be_visible()  # a whole page, not a fragment
    expect(page.locator("#reply-text")).to_have_value(DRAFT)
    expect(page.locator(".draft-restored")).to_contain_text("draft was restored")

    page.get_by_role("button", name="Send").click()
    expect(page.locator(".thread")).to_contain_text("in 3 days. ^AB", timeout=TIMEOUT)
    expect(page.locator("#reply-text")).to_have_value("")
    assert page.evaluate("k => window.localStorage.getItem(k)", key) is None
    page.reload()
    expect(page.locator("#reply-text")).to_have_value("")
    assert errors == []
    context.close()
