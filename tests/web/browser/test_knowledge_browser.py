"""In Chromium (issue 19, items 3, 5 and 7): a knowledge editor writes and publishes an article on
/knowledge; an agent opens a conversation whose customer asks about it, sees the suggestion with why,
inserts it with one click and sends it; mission control counts 1 shown, 1 inserted, 1 sent; the same
reply to another customer brings the unscripted guard's warning, and sending needs a confirmation."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts import check_create_user
from socialdesk.domain.people import Role
from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served
from tests.web.browser.test_inbox_flow import _ingest

ANSWER = "Refunds for a cancelled flight go back to the card you paid with, within seven days."


def _post(i: int, text: str, handle: str, name: str) -> dict[str, Any]:
    return {
        "id": f"k{i}", "channel": "x", "text": text, "created_at": f"2026-01-05T08:0{i}:00+00:00",
        "author": {"id": f"c{i}", "handle": handle, "name": name},
    }  # fmt: skip


def _login(browser: Any, served: Served, email: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(served.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")
    return page


def test_publish_suggest_insert_send_count_and_guard(browser: Any, served: Served) -> None:
    with served.runtime.uow() as uow:
        check_create_user(
            uow, served.workspace_id, "kim@demo.test", "Kim Editor", PASSWORD, Role.KNOWLEDGE_EDITOR
        )
        check_create_user(uow, served.workspace_id, "carl@demo.test", "Carl Agent", PASSWORD, Role.AGENT)
    errors: list[str] = []

    editor = _login(browser, served, "kim@demo.test")
    editor.on("pageerror", lambda e: errors.append(str(e)))
    editor.click("nav >> text=Knowledge")
    editor.click("text=Write an article")
    editor.fill("#kb-title", "Refunds for cancelled flights")
    editor.fill("#kb-body", f"**{ANSWER}**")
    editor.fill("#kb-questions", "where is my refund\nhow long does a refund take")
    editor.fill("#kb-links", "https://help.skylark.test/refunds")
    editor.click("text=Save the draft")
    expect(editor.locator(".page-head .tag")).to_have_text("Draft")
    expect(editor.locator(".kb-body strong")).to_have_text(ANSWER)
    editor.click("button:has-text('Publish')")
    expect(editor.locator(".page-head .tag")).to_have_text("Published")
    editor.goto(served.url + "/knowledge")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=str(SCREENSHOTS / "knowledge.png"))

    _ingest(served, [
        _post(1, "@SkylarkHelp where is my refund for the cancelled flight??", "traveller1", "Tina Flyer"),
        _post(2, "@SkylarkHelp my bag never arrived in Lisbon", "traveller2", "Otto Bags"),
    ])  # fmt: skip
    agent = _login(browser, served, "carl@demo.test")
    agent.on("pageerror", lambda e: errors.append(str(e)))
    agent.locator("tbody tr", has_text="traveller1").locator("a").first.click()
    suggestion = agent.locator(".kb-suggestion", has_text="Refunds for cancelled flights")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".kb-why")).to_contain_text("refund")
    expect(suggestion.locator(".kb-why")).to_contain_text("like “where is my refund”")
    suggestion.locator("button.kb-insert").click()
    expect(agent.locator("#reply-text")).to_have_value(ANSWER)
    expect(agent.locator("#kb-inserts")).not_to_have_value("")
    agent.screenshot(path=str(SCREENSHOTS / "composer-suggestions.png"), full_page=True)
    agent.locator("#reply-form button.primary[type=submit]").click()
    expect(agent.locator(".msg", has_text="within seven days")).to_contain_text("@SkylarkHelp")
    expect(agent.locator("#reply-text")).to_have_value("")

    agent.click("nav >> text=Mission control")
    panel = agent.locator(".mission-knowledge")
    expect(panel.locator("[data-figure=shown]")).to_have_text("1")
    expect(panel.locator("[data-figure=inserted]")).to_have_text("1")
    expect(panel.locator("[data-figure=sent]")).to_have_text("1")

    agent.goto(served.url + "/")
    agent.locator("tbody tr", has_text="traveller2").locator("a").first.click()
    agent.fill("#reply-text", ANSWER)
    warning = agent.locator("#unscripted .unscripted-warning")
    expect(warning).to_contain_text("Sounds scripted")
    expect(warning).to_contain_text("Greet them by name: Otto.")
    agent.locator("#reply-form button.primary[type=submit]").click()
    confirm = agent.locator(".confirm-unscripted")
    expect(confirm).to_contain_text("Your reply was not sent")
    expect(agent.locator(".msg", has_text="within seven days")).to_have_count(0)
    confirm.locator("button:has-text('Send anyway')").click()
    expect(agent.locator(".msg", has_text="within seven days")).to_have_count(1)
    assert errors == []
