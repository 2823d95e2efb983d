"""In Chromium: log in, watch posts arrive live, open a conversation, reply, change status; no script runs
from post text. (The README's screenshots are taken in test_care_flow.py.)"""

from __future__ import annotations

from itertools import islice
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.demo.traffic import generate_posts
from socialdesk.ingest.validate import PostError, post_from_dict
from tests.web.browser.conftest import PASSWORD, Served

XSS = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned = 1">',
    "<svg onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
]


def _ingest(served: Served, dicts: list[dict[str, Any]]) -> None:
    posts = []
    for data in dicts:
        post = post_from_dict(data)
        assert not isinstance(post, PostError), post
        posts.append(post)
    with served.runtime.uow() as uow:
        do_ingest_posts(uow, served.workspace_id, posts, served.runtime.clock.now(), served.runtime.annotator)
        uow.commit()


def _login(page: Any, served: Served) -> None:
    page.goto(served.url + "/")
    page.fill("input[name=email]", served.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")


def test_live_inbox_reply_and_status(browser: Any, served: Served) -> None:
    generated = [p for p in islice(generate_posts(400, seed=3), 400) if "in_reply_to" not in p]
    _ingest(served, generated[:25])
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    rows = page.locator("tbody tr")
    before = rows.count()
    assert before > 0
    expect(page.locator("#live-status")).to_have_text("Live")

    # Live: new posts (some carrying script payloads) appear without a reload.
    hostile = []
    for i, payload in enumerate(XSS):
        hostile.append({
            "id": f"xss{i}", "channel": "x", "text": f"@NimbusCares help {payload}",
            "created_at": "2026-01-05T07:00:00+00:00",
            "author": {"id": f"x{i}", "handle": f"h{i}", "name": payload, "followers": 3},
        })  # fmt: skip
    _ingest(served, hostile)
    expect(rows.nth(before)).to_be_attached()
    assert page.locator("tbody").inner_text().count("help") >= len(XSS)
    assert page.evaluate("window.__pwned") is None

    # Open a conversation, reply, and see the reply leave through the outbox.
    page.locator("tbody tr a").first.click()
    page.wait_for_selector("textarea")
    page.fill("textarea", "Sorry about that! We're on it.")
    page.locator("form button[type=submit]", has_text="Send").first.click()
    expect(page.locator("main")).to_contain_text("We're on it")
    expect(page.locator("main")).to_contain_text("sent", ignore_case=True)
    assert page.evaluate("window.__pwned") is None
    assert errors == []
    page.close()
