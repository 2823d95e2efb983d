"""In Chromium: mission control renders with data (numbers, SVG charts, equity table), refreshes itself,
and runs no script from hostile monitor names or post text. Saves docs/screenshots/mission.png."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.demo.traffic import generate_posts
from tests.web.browser.conftest import SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest, _login

HOSTILE = '<img src=x onerror="window.__pwned = 1">'


def test_mission_control_renders_with_data(browser: Any, served: Served) -> None:
    runtime = served.runtime
    now = runtime.clock.now()
    with runtime.uow() as uow:
        [ada] = [u for u in uow.users.list(served.workspace_id) if u.email == served.email]
        check_create_monitor(
            uow, ada, name="Nimbus", query="nimbus OR nimbuscares", mode="listening", now=now
        )
        check_create_monitor(
            uow, ada, name=HOSTILE, query="skylark", kind="competitor", mode="listening", now=now
        )
        uow.commit()
    posts = list(generate_posts(150, seed=8, start=now - timedelta(minutes=50), posts_per_minute=3.0))
    _ingest(served, posts)

    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    page.goto(served.url + "/mission")
    main = page.locator("main")
    expect(main).to_contain_text("Mission control")
    expect(page.locator("svg").first).to_be_visible()
    assert page.locator("svg").count() >= 3
    expect(main).to_contain_text("Nimbus")
    expect(main).to_contain_text("<img src=x onerror=")  # shown as text (shortened), never as markup
    expect(main).to_contain_text("followers", ignore_case=True)  # the response-equity table
    assert page.evaluate("window.__pwned") is None
    assert page.locator("a[href*='format=csv']").count() >= 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "mission.png"), full_page=False)
    assert errors == []
    page.close()
