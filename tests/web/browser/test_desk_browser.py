"""In Chromium at 1280x720: the compact inbox shows at least 15 whole rows; rows ticked with x and a
shift range are resolved in bulk; a macro applied with its key queues the reply and sets the tag and
status; a saved view reopens with its filters and columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts import check_create_user
from socialdesk.actions.case_tags import check_change_tags, current_case
from socialdesk.actions.ingest import do_ingest_posts
from socialdesk.actions.macros import check_create_macro
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Author, Post
from socialdesk.ports_desk import MacroFields
from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served


def _posts(served: Served, n: int) -> list[int]:
    now = datetime.now(UTC)
    posts = [
        Post(
            id=f"d{i}",
            channel="mastodon",
            text=f"@NimbusCares@mastodon.social my order {i} never came, help? " + "Long story. " * 8,
            created_at=now - timedelta(minutes=i + 1),
            author=Author(id=f"c{i}", handle=f"customer{i}", name=f"Customer {i}"),
        )
        for i in range(n)
    ]
    with served.runtime.uow() as uow:
        ids = do_ingest_posts(uow, served.workspace_id, posts, now).conversation_ids
    return sorted(ids)


def _login(page: Any, served: Served, email: str | None = None) -> None:
    page.goto(served.url + "/")
    page.fill("input[name=email]", email or served.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(served.url + "/")


def _ada(served: Served) -> User:
    with served.runtime.read_uow() as uow:
        found = uow.users.get_by_email(served.email)
    assert found is not None
    return found[0]


def _status(served: Served, conversation_id: int) -> CaseStatus:
    with served.runtime.read_uow() as uow:
        return current_case(uow, _ada(served), conversation_id).status


def _whole_rows(page: Any) -> int:
    """Rows of the inbox table wholly inside the viewport, as the page first shows them."""
    return int(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('#inbox-rows tbody tr')).filter(function (tr) {
                 var r = tr.getBoundingClientRect();
                 return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
               }).length"""
        )
    )


def test_compact_inbox_shows_fifteen_rows_and_a_shift_range_resolves_in_bulk(
    browser: Any, served: Served
) -> None:
    _posts(served, 30)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, served)
    page.click("#compact-form button")
    expect(page.locator("table.inbox-compact")).to_be_visible()
    shown = _whole_rows(page)
    assert shown >= 15, f"{shown} whole rows visible in compact mode at 1280x720"

    # Tick the 2nd row with x, then shift+click the 6th: rows 2 to 6 are ticked.
    rows = page.locator("#inbox-rows tbody tr")
    ids = [int(rows.nth(i).get_attribute("data-conversation")) for i in range(6)]
    rows.nth(1).locator(".cell-message a").focus()
    page.keyboard.press("x")
    expect(rows.nth(1).locator("input.row-pick")).to_be_checked()
    rows.nth(5).locator("input.row-pick").click(modifiers=["Shift"])
    expect(page.locator("#bulk-count")).to_have_text("5 conversations ticked")
    expect(rows.nth(0).locator("input.row-pick")).not_to_be_checked()
    page.screenshot(path=str(SCREENSHOTS / "inbox-compact.png"))
    page.select_option("#bulk-op", "resolve")
    page.click("#bulk-apply")
    expect(page.locator("#flash")).to_have_text("5 resolved.")
    for cid in ids[1:6]:
        expect(page.locator(f'#inbox-rows tr[data-conversation="{cid}"]')).to_have_count(0)
    assert [_status(served, cid) for cid in ids[1:6]] == [CaseStatus.RESOLVED] * 5
    assert _status(served, ids[0]) is not CaseStatus.RESOLVED
    assert errors == []
    page.close()


def test_a_macro_key_queues_the_reply_and_sets_tag_and_status(browser: Any, served: Served) -> None:
    [conversation] = _posts(served, 1)
    with served.runtime.uow() as uow:
        fields = MacroFields(
            "Shipped", "Hi {{customer.name}}, it shipped today.", ("shipping",), "pending_customer"
        )
        check_create_macro(uow, _ada(served), fields, served.runtime.clock.now())
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _login(page, served)
    page.goto(f"{served.url}/conversations/{conversation}")
    expect(page.locator('[data-macro-key="1"]')).to_be_visible()
    page.locator("h1").click()  # keys act when no field has the focus
    page.keyboard.press("1")
    expect(page.locator("#live-region")).to_contain_text("Hi Customer 0, it shipped today.")
    expect(page.locator("#live-region .case-line")).to_contain_text("Pending customer")
    expect(page.locator("#live-region .case-line .tag", has_text="shipping")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "conversation-macro.png"))
    page.close()


def test_a_saved_view_reopens_with_its_filters_and_columns(browser: Any, served: Served) -> None:
    a, b = _posts(served, 2)
    with served.runtime.uow() as uow:
        check_change_tags(uow, _ada(served), a, served.runtime.clock.now(), add=("vip",))
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _login(page, served)
    page.goto(served.url + "/?view=all&tag=vip")
    page.locator(".desk-views summary").click()
    page.fill("#view-name", "VIP customers")
    page.click(".save-view button[type=submit]")
    expect(page.locator("#inbox-rows tbody tr")).to_have_count(1)
    page.goto(served.url + "/")  # elsewhere, then back through the saved view
    page.locator(".desk-views summary").click()
    page.click("text=VIP customers")
    expect(page.locator("#inbox-rows tbody tr")).to_have_count(1)
    expect(page.locator(f'#inbox-rows tr[data-conversation="{a}"]')).to_be_visible()
    expect(page.locator("#tag-filter")).to_have_value("vip")
    assert b != a
    page.close()


def test_an_agent_applies_but_may_not_manage_macros(browser: Any, served: Served) -> None:
    with served.runtime.uow() as uow:
        check_create_user(uow, served.workspace_id, "carl@demo.test", "Carl", PASSWORD, Role.AGENT)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _login(page, served, "carl@demo.test")
    answer = page.goto(served.url + "/settings/macros")
    assert answer is not None and answer.status == 403
    expect(page.locator("main")).to_contain_text("only admins and team leads create, change or delete macros")
    page.close()
