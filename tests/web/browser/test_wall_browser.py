"""In Chromium: mission control's wall mode is dark whatever the system's scheme, has large type and no
controls, and its panels take turns while the figures stay. Saves docs/screenshots/mission-wall.png."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from socialdesk.demo.traffic import generate_posts
from tests.web.browser.accessibility import axe_violations, describe
from tests.web.browser.conftest import SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest, _login


def test_wall_mode_is_dark_large_and_cycles(browser: Any, served: Served) -> None:
    now = served.runtime.clock.now()
    _ingest(served, list(generate_posts(80, seed=9, start=now - timedelta(minutes=40), posts_per_minute=2.0)))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme="light")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    page.goto(served.url + "/mission/wall?every=3")
    expect(page.locator(".mission-numbers")).to_be_visible()
    # Dark although the system asks for light; large type; nothing to click or type in.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert max(channels) < 40, background
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.big-value')).fontSize)") >= 56
    assert page.locator("main a, main button, main input, main select, main textarea, main form").count() == 0
    assert page.locator("header.topbar, nav").count() == 0
    # The figures stay while the other panels take turns, one shown at a time.
    panels = page.locator("[data-wall-panel]")
    assert panels.count() == 3
    expect(page.locator("[data-wall-panel]:not([hidden])")).to_have_count(1)
    region = page.locator("#mission-panels")
    expect(region).to_have_attribute("data-wall-turn", "0")
    expect(page.locator("#wall-panel-name")).to_have_text("Cases and queues (1 of 3)")
    expect(region).to_have_attribute("data-wall-turn", "1")
    expect(page.locator("#wall-panel-name")).to_have_text("Charts (2 of 3)")
    expect(page.locator(".mission-numbers")).to_be_visible()
    assert axe_violations(page) == [], describe(axe_violations(page))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "mission-wall.png"))
    # A keyboard pauses the turns.
    page.keyboard.press("p")
    expect(page.locator("#wall-panel-name")).to_contain_text("paused")
    assert errors == []
    context.close()
