"""In Chromium (issue 15, item 3): a reply over X's limit shows the overflow in red, is refused with the
reason, and goes out as a numbered thread when the agent ticks "Send as a thread"."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.browser.conftest import Served
from tests.web.browser.test_inbox_flow import _ingest, _login

REPLY_320 = ("We are really sorry about the outage in your area today, we know how much it matters. " * 4)[
    :320
].strip()


def test_a_long_reply_is_refused_or_sent_as_a_thread(browser: Any, served: Served) -> None:
    post = {
        "id": "t1", "channel": "x", "text": "@NimbusCares internet down all day",
        "created_at": "2026-01-05T08:00:00+00:00",
        "author": {"id": "c1", "handle": "angry1", "name": "Angry One"},
    }  # fmt: skip
    _ingest(served, [post])
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _login(page, served)
    page.locator("tbody tr", has_text="angry1").locator("a").first.click()
    page.fill("textarea", REPLY_320)
    over = page.locator("#compose-count .over-limit")
    expect(over).to_contain_text("over the x limit of 280")
    assert over.locator(".count-over").evaluate("e => getComputedStyle(e).color") != "rgb(0, 0, 0)"
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("x allows 280")
    assert page.locator(".msg-outbound").count() == 0

    page.check("#compose-count input[name=thread]")
    page.locator("#reply-form button[type=submit]").click()
    parts = page.locator(".msg-outbound")
    expect(parts).to_have_count(2)
    expect(parts.nth(0)).to_contain_text("1/2 We are really sorry")
    expect(parts.nth(1)).to_contain_text("^AB")
    expect(parts.nth(1)).to_contain_text("sent", ignore_case=True)
    page.close()
