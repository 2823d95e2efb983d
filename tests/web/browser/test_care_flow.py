"""In Chromium: the care workflow of the agent UI. A saved reply is inserted and sent signed; a trainee's
reply waits until an admin approves it, then it is sent; j, o and e resolve a case from the keyboard.
Saves the README's screenshots of the inbox and a conversation to docs/screenshots."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from itertools import islice
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.care.notes import check_add_note
from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.care.sla import check_set_sla_policy
from socialdesk.demo.traffic import generate_posts
from socialdesk.domain.people import Role
from tests.support.waiting import PATIENCE
from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest

TIMEOUT = int(PATIENCE * 1000)  # ms: waits for a condition, generous for a busy machine
TRAINEE = "tara@demo.test"


def _set_up(served: Served) -> None:
    """An SLA policy, a saved reply and a trainee; then 12 posts of the last 40 minutes."""
    runtime = served.runtime
    now = runtime.clock.now()
    with runtime.uow() as uow:
        [ada] = [u for u in uow.users.list(served.workspace_id) if u.email == served.email]
        target = {"first_response_s": 1800, "next_response_s": 1800, "resolution_s": 86400}
        check_set_sla_policy(uow, ada, {"targets": [target], "warn_fraction": 0.5}, now)
        body = "Hi {{customer.name}}, sorry about this! We're looking into it right now."
        check_add_saved_reply(uow, ada, "Looking into it", body, "workspace", None, now)
        tara = check_create_user(uow, served.workspace_id, TRAINEE, "Tara Trainee", PASSWORD, Role.AGENT)
        uow.agents.save(replace(tara, in_training=True))
        uow.commit()
    start = now - timedelta(minutes=40)
    posts = generate_posts(200, seed=11, start=start, posts_per_minute=0.3, include_brand_replies=False)
    _ingest(served, list(islice(posts, 12)))


def _login(page: Any, served: Served, email: str) -> None:
    page.goto(served.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")


def _choose_brand(page: Any) -> None:
    """A post that names no brand, on a network where the demo has four: the agent picks one."""
    if page.locator("#reply-brand").input_value() == "":
        page.select_option("#reply-brand", index=1)


def test_saved_reply_approval_and_keyboard(browser: Any, served: Served) -> None:
    _set_up(served)
    ada_context = browser.new_context(viewport={"width": 1280, "height": 720})
    ada = ada_context.new_page()
    errors: list[str] = []
    ada.on("pageerror", lambda e: errors.append(str(e)))
    _login(ada, served, served.email)
    expect(ada.locator(".views")).to_contain_text("All open")
    expect(ada.locator("tbody .sla").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada.screenshot(path=str(SCREENSHOTS / "inbox.png"))

    # Open the first conversation; insert the saved reply; the count shows the signed text.
    ada.locator("tbody tr .cell-message a").first.click()
    ada.wait_for_selector("#reply-text")
    ada.locator(".saved-replies summary").click()
    ada.get_by_role("button", name="Insert “Looking into it”").click()
    expect(ada.locator("#reply-text")).to_have_value(re.compile(r"^Hi .*right now\.$"), timeout=TIMEOUT)
    expect(ada.locator("#compose-count")).to_contain_text("^AB", timeout=TIMEOUT)
    cid = int(ada.locator("#live-region").get_attribute("data-conversation-id") or 0)
    with served.runtime.uow() as uow:  # a colleague's note, so the screenshot shows one
        [admin] = [u for u in uow.users.list(served.workspace_id) if u.email == served.email]
        note = "Second report from this area today; @tara please watch this one."
        check_add_note(uow, admin, cid, note, served.runtime.clock.now())
        uow.commit()
    _choose_brand(ada)
    ada.get_by_role("button", name="Send").click()
    expect(ada.locator(".thread")).to_contain_text("right now. ^AB", timeout=TIMEOUT)
    expect(ada.locator(".thread .msg-outbound").last).to_contain_text("Sent", timeout=TIMEOUT)
    expect(ada.locator(".notes")).to_contain_text("please watch this one", timeout=TIMEOUT)
    # The side panel's case list follows the case panel (the reply opened the case).
    expect(ada.locator(".case-panel .badge-open")).to_be_visible(timeout=TIMEOUT)
    expect(ada.locator("#case-history .badge-open")).to_be_visible(timeout=TIMEOUT)
    expect(ada.locator("[id='case-history']")).to_have_count(1)
    ada.screenshot(path=str(SCREENSHOTS / "conversation.png"), full_page=True)

    # A trainee's reply waits for approval; the admin approves it and it is sent.
    tara_context = browser.new_context(viewport={"width": 1280, "height": 720})
    tara = tara_context.new_page()
    tara.on("pageerror", lambda e: errors.append(str(e)))
    _login(tara, served, TRAINEE)
    tara.locator("tbody tr .cell-message a").nth(1).click()
    tara.fill("#reply-text", "Could you restart the modem?")
    _choose_brand(tara)
    tara.get_by_role("button", name="Send").click()
    expect(tara.locator("#composer-notice")).to_contain_text("Awaiting approval", timeout=TIMEOUT)
    expect(tara.locator(".thread")).to_contain_text("Waiting for an approver", timeout=TIMEOUT)
    ada.goto(served.url + "/approvals")
    expect(ada.locator(".approval")).to_contain_text("Could you restart the modem?")
    ada.get_by_role("button", name="Approve and send").click()
    expect(ada.locator(".approval")).to_contain_text("Approved", timeout=TIMEOUT)
    expect(tara.locator(".thread .msg-outbound").last).to_contain_text("Sent", timeout=TIMEOUT)

    # Keyboard: j selects the first row, o opens it, e resolves its case; ? shows the help.
    ada.goto(served.url + "/")
    ada.keyboard.press("j")
    expect(ada.locator("tbody tr.row-selected")).to_have_count(1)
    ada.keyboard.press("o")
    ada.wait_for_url("**/conversations/*")
    ada.locator("main").click(position={"x": 5, "y": 5})  # focus the page, not a field
    ada.keyboard.press("e")
    expect(ada.locator(".case-panel .badge-resolved")).to_be_visible(timeout=TIMEOUT)
    ada.keyboard.press("?")
    expect(ada.locator("#shortcuts-help")).to_be_visible()
    assert errors == []
    tara_context.close()
    ada_context.close()
