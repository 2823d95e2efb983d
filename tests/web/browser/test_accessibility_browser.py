"""In Chromium: axe-core (vendored, pinned) finds no serious or critical violation on any page, in the
light theme and in the dark one (the system's colour scheme emulated); at 390x844 no page scrolls
sideways, the menu collapses behind a button, and a conversation shows the customer's message before
the case controls. Saves the phone and dark screenshots to docs/screenshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import islice
from typing import Any

import pytest
from playwright.sync_api import expect

from socialdesk.actions.accounts import check_create_user
from socialdesk.actions.knowledge import check_create_article, check_transition_article
from socialdesk.actions.monitors import check_create_monitor
from socialdesk.actions.replies import check_reply
from socialdesk.demo.traffic import generate_posts
from socialdesk.domain.knowledge import ArticleContent, Transition
from socialdesk.domain.people import Role
from socialdesk.domain.post import Visibility
from socialdesk.ports import ConversationQuery
from socialdesk.ports_care import IncidentRecord
from tests.web.browser.accessibility import axe_violations, describe, horizontal_overflow
from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest

TRAINEE = "tara@demo.test"

# Every page of the desk, as an admin sees it ({conversation}, {monitor} and {incident} are filled in).
# Mission control holds the analytics; {article} is a published knowledge-base article.
PAGES = [
    "/",
    "/conversations/{conversation}",
    "/mission",
    "/mission/wall",
    "/settings/monitors",
    "/settings/monitors/{monitor}",
    "/settings/channels",
    "/settings/saved-replies",
    "/notifications",
    "/approvals",
    "/settings/users",
    "/settings/teams",
    "/settings/routing",
    "/settings/sla",
    "/settings/approvals",
    "/settings/brands",
    "/settings/macros",
    "/settings/password",
    "/admin/dead-letters",
    "/incidents",
    "/incidents/{incident}",
    "/knowledge",
    "/knowledge/new",
    "/knowledge/{article}",
]


def _set_up(served: Served) -> dict[str, int]:
    """Posts, a monitor, and a trainee's reply held for approval (so Ada has a notification)."""
    runtime = served.runtime
    now = runtime.clock.now()
    posts = generate_posts(200, seed=5, start=now - timedelta(minutes=40), posts_per_minute=0.3)
    _ingest(served, list(islice(posts, 10)))
    with runtime.uow() as uow:
        ws = served.workspace_id
        [ada] = [u for u in uow.users.list(ws) if u.email == served.email]
        monitor = check_create_monitor(uow, ada, name="Nimbus", query="nimbus OR wifi", mode="care", now=now)
        tara = check_create_user(uow, ws, TRAINEE, "Tara Trainee", PASSWORD, Role.AGENT)
        tara = replace(tara, in_training=True)
        uow.agents.save(tara)
        conv = uow.conversations.query(ws, ConversationQuery())[0].conversation
        brand = next(b.id for b in uow.brands.list(ws) if b.channel == conv.channel)
        text = "Could you restart the modem?"
        check_reply(uow, tara, conv.id, text, Visibility.PUBLIC, now, confirm_stale=True,
                    brand_account_id=brand)  # fmt: skip
        members = [
            (row.conversation.id, None) for row in uow.conversations.query(ws, ConversationQuery())[:3]
        ]
        incident = uow.incidents.open(
            IncidentRecord(0, ws, "Wifi", now, "suspected", detected_at=now, summary="wifi down in Leeds")
        )
        uow.incidents.add_members(ws, incident.id, members, now, None)
        content = ArticleContent(
            "Restart the modem", "Unplug it for **ten seconds**.", questions=("wifi down",)
        )
        article = check_create_article(uow, ada, content, now)
        check_transition_article(uow, ada, article.id, Transition.PUBLISH, now)
    return {"conversation": conv.id, "monitor": monitor.id, "incident": incident.id, "article": article.id}


def _login(page: Any, served: Served, email: str | None = None) -> None:
    page.goto(served.url + "/login")
    page.fill("input[name=email]", email or served.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page(browser: Any, served: Served, scheme: str) -> None:
    ids = _set_up(served)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _visit(page, served.url + "/login")
    found = {"/login": axe_violations(page)}
    # The checker can fail: a button with no name is a critical violation.
    page.evaluate("() => document.querySelector('main').appendChild(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in axe_violations(page)}
    _login(page, served)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
    for path in PAGES:
        _visit(page, served.url + path.format(**ids))
        found[path] = axe_violations(page)
    failing = {path: describe(v) for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}:\n{text}" for path, text in failing.items())
    if scheme == "dark":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        _visit(page, served.url + "/")
        page.screenshot(path=str(SCREENSHOTS / "inbox-dark.png"))
    assert errors == []
    context.close()


def test_phone_layout_fits_and_the_menu_collapses(browser: Any, served: Served) -> None:
    ids = _set_up(served)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _visit(page, served.url + "/login")
    wide = {"/login": horizontal_overflow(page)}
    found = {"/login": axe_violations(page)}
    _login(page, served)
    for path in PAGES:
        _visit(page, served.url + path.format(**ids))
        wide[path] = horizontal_overflow(page)
        found[path] = axe_violations(page)  # the phone layout too: the folded menu, the stacked forms
    too_wide = {path: found for path, found in wide.items() if found is not None}
    assert not too_wide, f"pages wider than 390 px: {too_wide}"
    failing = {path: describe(v) for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}:\n{text}" for path, text in failing.items())

    # The menu: collapsed behind its button, opened and closed by it (and by Escape).
    _visit(page, served.url + "/")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    inbox_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")
    expect(inbox_link).to_be_hidden()
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()  # the bell stays in sight
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-inbox.png"))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(inbox_link).to_be_visible()
    assert horizontal_overflow(page) is None
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "phone-menu.png"))
    inbox_link.focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()

    # A conversation: the customer's message comes before the case controls, in the DOM and on screen.
    _visit(page, served.url + "/conversations/{conversation}".format(**ids))
    order = page.evaluate(
        """() => {
      const message = document.querySelector(".thread .msg-inbound");
      const controls = document.querySelector(".case-panel");
      return {
        before: Boolean(message.compareDocumentPosition(controls) & Node.DOCUMENT_POSITION_FOLLOWING),
        messageTop: message.getBoundingClientRect().top,
        controlsTop: controls.getBoundingClientRect().top,
      };
    }"""
    )
    assert order["before"], "the case controls come before the customer's message in the DOM"
    assert order["messageTop"] < order["controlsTop"], order
    page.screenshot(path=str(SCREENSHOTS / "phone-conversation.png"))
    assert errors == []
    context.close()
