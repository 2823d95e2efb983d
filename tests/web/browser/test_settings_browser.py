"""In Chromium, only through the browser: an admin adds a team lead and an agent; the team lead creates
a team with that agent, a routing rule (checked with the live preview), an SLA policy and an approval
rule; then a post arrives and the agent, logged in, finds the case assigned to her with its SLA clock,
and her reply that names compensation waits for approval. Saves docs/screenshots/settings-routing.png."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import expect

from tests.web.browser.conftest import PASSWORD, SCREENSHOTS, Served
from tests.web.browser.test_care_flow import _choose_brand, _login
from tests.web.browser.test_inbox_flow import _ingest

TIMEOUT = 10_000
ANA = "ana@demo.test"
LEE = "lee@demo.test"


def _add_user(page: Any, email: str, name: str, role: str) -> None:
    page.fill("#new-user-email", email)
    page.fill("#new-user-name", name)
    page.select_option("#new-user-role", role)
    page.get_by_label("I set it now").check()
    page.fill("#new-user-password", PASSWORD)
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".user-settings").filter(has_text=email)).to_be_visible()


def _admin_adds_the_people(page: Any) -> None:
    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/settings/teams")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Users").click()
    _add_user(page, LEE, "Lee Lead", "lead")
    _add_user(page, ANA, "Ana Agent", "agent")


def _lead_sets_up_the_team(page: Any) -> None:
    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/settings/teams")
    expect(page.get_by_role("navigation", name="Settings")).not_to_contain_text("Brand accounts")

    # Teams: a team, then the agent in it.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Teams").click()
    page.fill("#new-team-name", "Billing")
    page.get_by_role("button", name="Create team").click()
    team = page.locator("section", has=page.get_by_role("heading", name="Billing"))
    team.get_by_label("Add a member").select_option(label=f"Ana Agent ({ANA})")
    team.get_by_role("button", name="Add to Billing").click()
    expect(team.locator(".members")).to_contain_text("Ana Agent")

    # Routing: a bad number is refused on the form; then the rule; the preview shows where a post goes.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Routing").click()
    page.fill("#rule-name", "Refunds")
    page.fill("#rule-text", "refund, chargeback")
    page.fill("#rule-urgency-min", "lots")
    page.select_option("#rule-team", label="Billing")
    page.select_option("#rule-priority", "high")
    page.get_by_role("button", name="Add rule").click()
    expect(page.locator("#new-rule .alert")).to_contain_text("urgency min: a number from 0 to 100")
    page.fill("#rule-urgency-min", "")
    page.get_by_role("button", name="Add rule").click()
    expect(page.locator("#rules table")).to_contain_text("Refunds")
    page.fill("#sample-text", "I want a refund for my broken router")
    expect(page.locator("#route-preview .preview-team")).to_have_text("Billing", timeout=TIMEOUT)
    expect(page.locator("#route-preview")).to_contain_text("Nobody is assigned: waits in Billing")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "settings-routing.png"), full_page=True)

    # SLA: one target for every channel and priority; the preview gives a deadline.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="SLA").click()
    page.fill("#sla-first-1", "30")
    page.fill("#sla-next-1", "30")
    page.fill("#sla-resolution-1", "1440")
    page.get_by_role("button", name="Save SLA policy").click()
    expect(page.locator("#sla-first-1")).to_have_value("30")
    page.select_option("#preview-team", label="Billing")
    page.fill("#preview-start", "2026-01-09T16:30")
    page.get_by_role("button", name="Show deadlines").click()
    expect(page.locator(".deadline-first")).to_have_text("2026-01-09 17:00 UTC")

    # Approval rules: a reply that names compensation waits for an approver.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Approval rules").click()
    page.fill("#approval-value", "compensation")
    page.get_by_role("button", name="Add approval rule").click()
    expect(page.locator(".approval-rules")).to_contain_text("compensation")


def test_team_set_up_in_the_browser_routes_work_to_the_agent(browser: Any, served: Served) -> None:
    errors: list[str] = []
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_context.new_page()
    admin.on("pageerror", lambda e: errors.append(str(e)))
    _login(admin, served, served.email)
    _admin_adds_the_people(admin)
    lead_context = browser.new_context(viewport={"width": 1280, "height": 900})
    lead = lead_context.new_page()
    lead.on("pageerror", lambda e: errors.append(str(e)))
    _login(lead, served, LEE)
    _lead_sets_up_the_team(lead)

    agent_context = browser.new_context(viewport={"width": 1280, "height": 720})
    ana = agent_context.new_page()
    ana.on("pageerror", lambda e: errors.append(str(e)))
    _login(ana, served, ANA)  # logging in makes her online
    expect(ana.get_by_role("link", name="Settings")).to_have_count(0)
    assert ana.goto(served.url + "/settings/routing").status == 403
    refusal = "Not allowed: only admins and team leads manage routing rules"
    expect(ana.locator("main")).to_contain_text(refusal)

    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    post = {
        "id": "refund-1", "channel": "x", "created_at": now,
        "text": "@NimbusCares I want a refund, my router died after two days",
        "author": {"id": "c-77", "handle": "grace77", "name": "Grace"},
    }  # fmt: skip
    _ingest(served, [post])

    ana.goto(served.url + "/?view=mine")
    row = ana.locator("tbody tr").filter(has_text="I want a refund")
    expect(row).to_have_count(1, timeout=TIMEOUT)
    expect(row.locator(".cell-assignee")).to_contain_text("You")
    expect(row.locator(".sla")).to_be_visible()
    row.locator(".cell-message a").click()
    ana.wait_for_selector("#reply-text")
    ana.fill("#reply-text", "Sorry Grace, we will send a replacement and some compensation.")
    _choose_brand(ana)
    ana.get_by_role("button", name="Send").click()
    expect(ana.locator("#composer-notice")).to_contain_text("Awaiting approval", timeout=TIMEOUT)
    assert errors == []
    agent_context.close()
    lead_context.close()
    admin_context.close()
