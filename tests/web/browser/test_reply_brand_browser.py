"""In Chromium (issue 15, item 1): the inbox shows and filters by brand, the composer says "sending as"
the brand the customer addressed, and an unknown brand must be chosen before sending."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.browser.conftest import Served
from tests.web.browser.test_inbox_flow import _ingest, _login


def _post(i: int, text: str) -> dict[str, Any]:
    return {
        "id": f"b{i}", "channel": "x", "text": text, "created_at": f"2026-01-05T08:0{i}:00+00:00",
        "author": {"id": f"c{i}", "handle": f"traveller{i}", "name": f"Traveller {i}"},
    }  # fmt: skip


def test_airline_complaint_is_answered_as_the_airline(browser: Any, served: Served) -> None:
    # The demo holds an internet provider (@NimbusCares, added first) and an airline on X.
    _ingest(served, [_post(1, "@SkylarkHelp my flight was cancelled"), _post(2, "anyone there? waiting")])
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _login(page, served)
    airline_row = page.locator("tbody tr", has_text="traveller1")
    expect(airline_row.locator(".cell-brand")).to_have_text("@SkylarkHelp")
    page.select_option("#brand", label="@SkylarkHelp (x)")
    expect(page.locator("tbody tr")).to_have_count(1)  # only the airline's conversation
    airline_row.locator("a").first.click()
    expect(page.locator("#reply-brand")).to_have_value(str(_brand_id(served, "SkylarkHelp")))
    page.fill("textarea", "So sorry, we are rebooking you now")
    page.locator("#reply-form button[type=submit]").click()
    sent = page.locator(".msg", has_text="rebooking you now")
    expect(sent).to_contain_text("@SkylarkHelp")
    expect(sent).to_contain_text("sent", ignore_case=True)

    # No mention among several brands: the composer asks which brand answers.
    page.goto(served.url + "/")
    page.locator("tbody tr", has_text="traveller2").locator("a").first.click()
    expect(page.locator("#reply-brand")).to_have_value("")
    page.fill("textarea", "Hello, how can we help?")
    page.locator("#reply-form button[type=submit]").click()
    assert page.evaluate("document.querySelector('#reply-brand').validity.valueMissing")
    page.select_option("#reply-brand", label="@SkylarkHelp")
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator(".msg", has_text="how can we help")).to_contain_text("@SkylarkHelp")
    page.close()


def _brand_id(served: Served, handle: str) -> int:
    with served.runtime.uow() as uow:
        return next(b.id for b in uow.brands.list(served.workspace_id) if b.handle == handle)
