"""The workspace settings pages (teams, routing, SLA, approval rules) in the browser without
JavaScript: each change through its form, a refused value shown (escaped) on the form that sent it, the
agent's 403 saying who may, no change without the CSRF token, and the audit row of each change."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.care.sla import SLA_POLICY
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.inbox.replies import APPROVAL_RULES
from socialdesk.domain.assignment import AgentStatus
from socialdesk.domain.post import Author, Post
from tests.web.ui.conftest import UiWorld, login_client

HOSTILE = "<b>x</b>"
ESCAPED = "&lt;b&gt;x&lt;/b&gt;"


def _audit(ui_world: UiWorld) -> list[str]:
    with ui_world.runtime.read_uow() as uow:
        return [e.action for e in uow.audit.between(ui_world.ada.workspace_id, None, None)]


def _team(client: TestClient, token: str, name: str = "Billing", **extra: str) -> Any:
    data = {"name": name, "strategy": "least_loaded", "fallback": "least_loaded", "csrf_token": token}
    return client.post("/settings/teams", data={**data, **extra})


@pytest.mark.parametrize(
    "page", ["/settings/teams", "/settings/routing", "/settings/sla", "/settings/approvals"]
)
def test_an_agent_gets_403_saying_who_may(ui_world: UiWorld, page: str) -> None:
    carl, _ = login_client(ui_world.app, "c@x.io")
    answer = carl.get(page)
    assert answer.status_code == 403
    assert "Not allowed: only admins " in answer.text and " manage " in answer.text
    assert 'href="/settings/teams"' not in carl.get("/").text  # no Settings in an agent's nav
    ada, _ = login_client(ui_world.app, "a@x.io")
    assert ada.get(page).status_code == 200
    assert 'href="/settings/teams"' in ada.get("/").text


def test_teams_page_creates_a_team_adds_a_member_and_sets_hours(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    assert _team(ada, "").status_code == 403  # the missing CSRF token is refused before anything
    assert "team_created" not in _audit(ui_world)

    bad = _team(ada, token, schedule=f"mon-fri {HOSTILE}")
    assert bad.status_code == 422
    assert "Team not created: business hours:" in bad.text
    assert ESCAPED in bad.text and HOSTILE not in bad.text  # the typed schedule comes back, escaped

    created = _team(
        ada, token, schedule="mon-fri 09:00-17:00", holidays="2026-12-25", timezone="Europe/Paris"
    )
    assert created.status_code == 303
    with ui_world.runtime.read_uow() as uow:
        [team] = uow.teams.list(ui_world.ada.workspace_id)
    assert team.hours == {
        "timezone": "Europe/Paris",
        "schedule": {"mon-fri": "09:00-17:00"},
        "holidays": ["2026-12-25"],
    }
    taken = _team(ada, token)
    assert taken.status_code == 422 and "is empty or taken" in taken.text

    added = ada.post(
        f"/settings/teams/{team.id}/members", data={"user_id": str(ui_world.carl.id), "csrf_token": token}
    )
    assert added.status_code == 303
    page = ada.get("/settings/teams").text
    assert (
        "Carl Agent" in page
        and f'action="/settings/teams/{team.id}/members/{ui_world.carl.id}/delete"' in page
    )

    sticky = ada.post(
        f"/settings/teams/{team.id}", data={"strategy": "sticky", "fallback": "sticky", "csrf_token": token}
    )
    assert sticky.status_code == 422  # the form's select offers no sticky fallback; a crafted post is refused
    changed = ada.post(
        f"/settings/teams/{team.id}",
        data={"strategy": "round_robin", "fallback": "least_loaded", "csrf_token": token},
    )
    assert changed.status_code == 303
    removed = ada.post(
        f"/settings/teams/{team.id}/members/{ui_world.carl.id}/delete", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    audit = _audit(ui_world)
    for action in ("team_created", "team_member_added", "team_changed", "team_member_removed"):
        assert action in audit

    carl, carl_token = login_client(ui_world.app, "c@x.io")
    refused = _team(carl, carl_token, "Agents")
    assert refused.status_code == 403 and "only admins and team leads create teams" in refused.text


def test_routing_page_adds_a_rule_and_previews_where_a_post_goes(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    _team(ada, token, "Billing")
    with ui_world.runtime.read_uow() as uow:
        [team] = uow.teams.list(ui_world.ada.workspace_id)
    ada.post(
        f"/settings/teams/{team.id}/members", data={"user_id": str(ui_world.carl.id), "csrf_token": token}
    )
    rule = {
        "name": "Refunds",
        "text_any": "refund",
        "team_id": str(team.id),
        "priority": "high",
        "stop": "on",
    }

    assert ada.post("/settings/routing", data=rule).status_code == 403  # no CSRF token
    bad = ada.post("/settings/routing", data={**rule, "urgency_min": HOSTILE, "csrf_token": token})
    assert bad.status_code == 422
    assert "Rule not added: urgency min: a number from 0 to 100" in bad.text
    assert ESCAPED in bad.text and HOSTILE not in bad.text
    assert 'value="Refunds"' in bad.text  # what was typed stays in the form
    bad_channel = ada.post("/settings/routing", data={**rule, "priority": "asap", "csrf_token": token})
    assert bad_channel.status_code == 422 and "priority: one of" in bad_channel.text

    assert ada.post("/settings/routing", data={**rule, "csrf_token": token}).status_code == 303
    assert "routing_rule_added" in _audit(ui_world)

    preview = ada.get("/settings/routing", params={"text": "I want a REFUND now", "channel": "x"}).text
    assert '<strong class="preview-team">Billing</strong>' in preview
    assert "Nobody is assigned: waits in Billing" in preview  # Carl is offline
    with ui_world.runtime.uow() as uow:
        carl = uow.users.get(ui_world.ada.workspace_id, ui_world.carl.id)
        assert carl is not None
        uow.agents.save(replace(carl, status=AgentStatus.ONLINE))
        uow.commit()
    live = ada.get("/settings/routing/preview", params={"text": "refund please"}).text
    assert '<strong class="preview-agent">Carl Agent</strong>' in live and "<html" not in live
    elsewhere = ada.get("/settings/routing/preview", params={"text": "hello"}).text
    assert "no routing rule matches" in elsewhere

    [row] = _rules(ui_world)
    assert ada.post(f"/settings/routing/{row}/delete", data={"csrf_token": token}).status_code == 303
    assert "routing_rule_deleted" in _audit(ui_world) and not _rules(ui_world)
    carl_client, _ = login_client(ui_world.app, "c@x.io")
    assert carl_client.get("/settings/routing/preview", params={"text": "refund"}).status_code == 403


def _rules(ui_world: UiWorld) -> list[int]:
    with ui_world.runtime.read_uow() as uow:
        return [r.id for r in uow.routing.list(ui_world.ada.workspace_id)]


def _policy(ui_world: UiWorld) -> Any:
    with ui_world.runtime.read_uow() as uow:
        return uow.settings.get(ui_world.ada.workspace_id, SLA_POLICY)


def test_sla_page_saves_targets_and_previews_a_deadline_in_business_hours(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    targets = {
        "channel": ["", "x"],
        "priority": ["", "urgent"],
        "first_response": ["60", "15"],
        "next_response": ["60", "15"],
        "resolution": ["1440", "240"],
    }
    form = {"name": "Standard", "warn_percent": "75", **targets}
    assert ada.post("/settings/sla", data=form).status_code == 403
    bad = ada.post("/settings/sla", data={**form, "first_response": ["60", HOSTILE], "csrf_token": token})
    assert bad.status_code == 422
    assert "Not saved: target 2, first response: a number of minutes" in bad.text
    assert ESCAPED in bad.text and HOSTILE not in bad.text
    assert _policy(ui_world) is None

    assert ada.post("/settings/sla", data={**form, "csrf_token": token}).status_code == 303
    policy = _policy(ui_world)
    assert policy["warn_fraction"] == 0.75
    assert [(t["channel"], t["priority"], t["first_response_s"]) for t in policy["targets"]] == [
        (None, None, 3600),
        ("x", "urgent", 900),
    ]
    assert "sla_policy_changed" in _audit(ui_world)
    page = ada.get("/settings/sla").text
    assert 'id="sla-first-2" name="first_response" type="text" inputmode="decimal" value="15"' in page

    # A team open 09:00-17:00 on weekdays: a post at 16:30 on Friday 2026-01-09 is due Monday 09:30.
    _team(ada, token, "Weekdays", schedule="mon-fri 09:00-17:00")
    with ui_world.runtime.read_uow() as uow:
        [team] = uow.teams.list(ui_world.ada.workspace_id)
    query = {"team_id": str(team.id), "channel": "x", "priority": "normal", "start": "2026-01-09T16:30"}
    preview = ada.get("/settings/sla", params=query).text
    assert '<dd class="deadline-first">2026-01-12 09:30 UTC</dd>' in preview
    around = ada.get("/settings/sla", params={**query, "team_id": ""}).text
    assert '<dd class="deadline-first">2026-01-09 17:30 UTC</dd>' in around
    nonsense = ada.get("/settings/sla", params={**query, "start": HOSTILE}).text
    assert "No preview:" in nonsense and ESCAPED in nonsense and HOSTILE not in nonsense


def test_approvals_page_adds_and_deletes_approval_rules(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    assert ada.post("/settings/approvals", data={"kind": "term", "value": "refund"}).status_code == 403
    bad = ada.post("/settings/approvals", data={"kind": "regex", "value": "(<b>", "csrf_token": token})
    assert bad.status_code == 422
    assert (
        "Not saved: approval rule regex" in bad.text and "(&lt;b&gt;" in bad.text and "(<b>" not in bad.text
    )
    for kind, value in (("term", "refund"), ("money", "")):
        assert (
            ada.post(
                "/settings/approvals", data={"kind": kind, "value": value, "csrf_token": token}
            ).status_code
            == 303
        )
    with ui_world.runtime.read_uow() as uow:
        assert uow.settings.get(ui_world.ada.workspace_id, APPROVAL_RULES) == [
            {"kind": "term", "value": "refund"},
            {"kind": "money", "value": ""},
        ]
    assert "any amount of money" in ada.get("/settings/approvals").text
    assert (
        ada.post("/settings/approvals/delete", data={"number": "1", "csrf_token": token}).status_code == 303
    )
    gone = ada.post("/settings/approvals/delete", data={"number": "9", "csrf_token": token})
    assert gone.status_code == 422 and "no approval rule number" in gone.text
    with ui_world.runtime.read_uow() as uow:
        assert uow.settings.get(ui_world.ada.workspace_id, APPROVAL_RULES) == [{"kind": "money", "value": ""}]
    assert _audit(ui_world).count("approval_rules_changed") == 3


def test_users_page_adds_a_user_and_sets_role_training_capacity_skills_and_teams(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    new = {
        "email": "dora@x.io",
        "name": "Dora",
        "role": "agent",
        "password": "long-enough-1",
        "how": "password",
    }
    assert ada.post("/settings/users", data=new).status_code == 403
    short = ada.post("/settings/users", data={**new, "email": HOSTILE, "csrf_token": token})
    assert short.status_code == 422 and "User not added: email" in short.text
    assert ESCAPED in short.text and HOSTILE not in short.text
    assert ada.post("/settings/users", data={**new, "csrf_token": token}).status_code == 303
    with ui_world.runtime.read_uow() as uow:
        [dora] = [u for u in uow.users.list(ui_world.ada.workspace_id) if u.email == "dora@x.io"]
    assert dora.role.value == "agent"
    login_client(ui_world.app, "dora@x.io", "long-enough-1")  # the password the admin set works

    _team(ada, token, "Billing")
    with ui_world.runtime.read_uow() as uow:
        [team] = uow.teams.list(ui_world.ada.workspace_id)
    change = {
        "role": "agent", "active": "on", "in_training": "on", "capacity": "3",
        "languages": "en, fr", "products": "router", "channels": "", "teams": [str(team.id)],
    }  # fmt: skip
    bad = ada.post(f"/settings/users/{dora.id}", data={**change, "capacity": HOSTILE, "csrf_token": token})
    assert bad.status_code == 422 and "Not saved: capacity" in bad.text
    assert ESCAPED in bad.text and HOSTILE not in bad.text
    assert ada.post(f"/settings/users/{dora.id}", data={**change, "csrf_token": token}).status_code == 303
    with ui_world.runtime.read_uow() as uow:
        dora = uow.users.get(ui_world.ada.workspace_id, dora.id)
        members = uow.teams.members(ui_world.ada.workspace_id)
    assert dora is not None
    assert (dora.in_training, dora.capacity, dora.skills.languages) == (True, 3, frozenset({"en", "fr"}))
    assert members[team.id] == [dora.id]

    # Disabling the last admin is refused and nothing of the form is kept (one unit of work).
    me = {**change, "role": "admin", "active": "", "capacity": "9", "teams": [], "csrf_token": token}
    last = ada.post(f"/settings/users/{ui_world.ada.id}", data=me)
    assert last.status_code == 422 and "last active admin" in last.text
    with ui_world.runtime.read_uow() as uow:
        ada_now = uow.users.get(ui_world.ada.workspace_id, ui_world.ada.id)
    assert ada_now is not None and ada_now.is_active and ada_now.capacity != 9
    audit = _audit(ui_world)
    assert "user.created" in audit and "agent_changed" in audit and "team_member_added" in audit

    carl, carl_token = login_client(ui_world.app, "c@x.io")
    assert carl.get("/settings/users").status_code == 403
    refused = carl.post(f"/settings/users/{carl_id(ui_world)}", data={**change, "csrf_token": carl_token})
    assert (
        refused.status_code == 403 and "Not allowed: only admins and team leads manage users" in refused.text
    )


def carl_id(ui_world: UiWorld) -> int:
    return ui_world.carl.id


def test_brands_page_adds_a_brand_account_per_network(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    form = {"channel": "mastodon", "handle": "@AcmeCares"}
    assert ada.post("/settings/brands", data=form).status_code == 403
    bad = ada.post("/settings/brands", data={"channel": HOSTILE, "handle": "acme", "csrf_token": token})
    assert bad.status_code == 422 and "Not added: channel" in bad.text
    assert ESCAPED in bad.text and HOSTILE not in bad.text
    assert ada.post("/settings/brands", data={**form, "csrf_token": token}).status_code == 303
    again = ada.post("/settings/brands", data={**form, "handle": "acmecares", "csrf_token": token})
    assert again.status_code == 422 and "@acmecares on mastodon is already a brand account" in again.text
    page = ada.get("/settings/brands").text
    assert "<h3>mastodon</h3>" in page and "<li>@AcmeCares\n" in page
    assert _audit(ui_world).count("brand_account_added") == 1
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    refused = carl.post("/settings/brands", data={**form, "handle": "other", "csrf_token": carl_token})
    assert refused.status_code == 403 and "only admins add brand accounts" in refused.text


def _brand_with_a_conversation(ui_world: UiWorld, handle: str) -> int:
    """A brand account on x and a customer's post addressed to it (so a conversation has it as brand)."""
    runtime, ws = ui_world.runtime, ui_world.ada.workspace_id
    now = runtime.clock.now()
    with runtime.uow() as uow:
        account = check_add_brand_account(uow, ws, "x", handle)
        author = Author(id="c77", handle="customer77", name="Customer")
        do_ingest_posts(uow, ws, [Post("p-77", "x", f"@{handle} my order is late", now, author)], now)
    return account.id


def _brand_conversations(ui_world: UiWorld, brand_account_id: int) -> int:
    with ui_world.runtime.read_uow() as uow:
        return uow.brands.conversation_count(ui_world.ada.workspace_id, brand_account_id)


def test_removing_a_brand_account_confirms_refuses_while_in_use_then_moves_its_conversations(
    ui_world: UiWorld,
) -> None:
    first = _brand_with_a_conversation(ui_world, "AcmeCares")
    assert _brand_conversations(ui_world, first) == 1
    remove = f"/settings/brands/{first}/remove"
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    refused = carl.post(remove, data={"confirm": "yes", "csrf_token": carl_token})
    assert refused.status_code == 403 and "only admins remove brand accounts" in refused.text
    ada, token = login_client(ui_world.app, "a@x.io")
    assert ada.post(remove, data={"confirm": "yes"}).status_code == 403  # no CSRF token
    step = ada.post(remove, data={"csrf_token": token})
    assert step.status_code == 200 and "It cannot be removed now" in step.text
    assert "is still the brand of 1 conversation and there is no other x brand account" in step.text
    blocked = ada.post(remove, data={"confirm": "yes", "csrf_token": token})
    assert blocked.status_code == 422 and "Not removed: @AcmeCares on x is still the brand of" in blocked.text
    assert _brand_conversations(ui_world, first) == 1 and "brand_account_removed" not in _audit(ui_world)

    with ui_world.runtime.uow() as uow:
        second = check_add_brand_account(uow, ui_world.ada.workspace_id, "x", "AcmeHelp")
    step = ada.post(remove, data={"csrf_token": token})
    assert step.status_code == 200 and "will have @AcmeHelp on x as their brand instead" in step.text
    assert _brand_conversations(ui_world, first) == 1  # the confirm step changes nothing
    done = ada.post(remove, data={"confirm": "yes", "csrf_token": token})
    assert done.status_code == 200
    assert "Removed @AcmeCares on x; 1 conversation moved to @AcmeHelp." in done.text
    assert "<li>@AcmeCares" not in done.text and "<li>@AcmeHelp" in done.text
    assert _brand_conversations(ui_world, first) == 0 and _brand_conversations(ui_world, second.id) == 1
    assert _audit(ui_world).count("brand_account_removed") == 1
    gone = ada.post(remove, data={"confirm": "yes", "csrf_token": token})
    assert gone.status_code == 404 and "There is no such brand account here" in gone.text


def test_a_team_lead_sets_up_the_care_workflow_but_not_users_or_brands(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    change = {"role": "lead", "active": "on", "capacity": "5", "csrf_token": token}
    assert ada.post(f"/settings/users/{ui_world.carl.id}", data=change).status_code == 303
    assert "user.role_set" in _audit(ui_world)
    lee, lee_token = login_client(ui_world.app, "c@x.io")  # Carl, now a team lead
    assert 'href="/settings/teams"' in lee.get("/").text
    for page in (
        "/settings/users",
        "/settings/teams",
        "/settings/routing",
        "/settings/sla",
        "/settings/approvals",
    ):
        assert lee.get(page).status_code == 200, page
    assert 'href="/settings/brands"' not in lee.get("/settings/teams").text  # not his tab
    assert lee.get("/settings/brands").status_code == 403
    assert _team(lee, lee_token, "Billing").status_code == 303
    rule = {"name": "all", "csrf_token": lee_token}
    assert lee.post("/settings/routing", data=rule).status_code == 303
    sla = {"first_response": "30", "next_response": "30", "resolution": "600", "csrf_token": lee_token}
    assert lee.post("/settings/sla", data=sla).status_code == 303
    approval = {"kind": "term", "value": "refund", "csrf_token": lee_token}
    assert lee.post("/settings/approvals", data=approval).status_code == 303
    # Capacity, training and skills of an agent, yes; a user's role or a new user, no.
    users = lee.get("/settings/users").text
    assert 'id="new-user-email"' not in users and f'id="u{ui_world.ada.id}-role"' not in users
    trainee = {"role": "admin", "capacity": "2", "in_training": "on", "active": "on", "csrf_token": lee_token}
    assert lee.post(f"/settings/users/{ui_world.ada.id}", data={**trainee, "role": "lead"}).status_code == 403
    kept_role = lee.post(f"/settings/users/{ui_world.ada.id}", data=trainee)  # nor put an admin in training
    assert kept_role.status_code == 403 and "only admins change an admin&#39;s capacity" in kept_role.text
    agent_fields = {**trainee, "role": "agent", "capacity": "2"}
    assert lee.post(f"/settings/users/{dora_id(ui_world)}", data=agent_fields).status_code == 303
    with ui_world.runtime.read_uow() as uow:
        ada_now, dora_now = (
            uow.users.get(ui_world.ada.workspace_id, i) for i in (ui_world.ada.id, dora_id(ui_world))
        )
    assert ada_now is not None and not ada_now.in_training
    assert dora_now is not None and (dora_now.in_training, dora_now.capacity) == (True, 2)
    refused = lee.post(
        "/settings/users", data={"email": "x@x.io", "password": "long-enough-1", "csrf_token": lee_token}
    )
    assert refused.status_code == 403


def dora_id(ui_world: UiWorld) -> int:
    """A plain agent of the workspace, made on first use."""
    with ui_world.runtime.uow() as uow:
        found = [u.id for u in uow.users.list(ui_world.ada.workspace_id) if u.email == "dora@x.io"]
        if found:
            return found[0]
        dora = check_create_user(uow, ui_world.ada.workspace_id, "dora@x.io", "Dora", "long-enough-1")
        uow.commit()
    return dora.id


def test_an_invited_user_sets_their_password_by_a_one_time_link(ui_world: UiWorld) -> None:
    ada, token = login_client(ui_world.app, "a@x.io")
    new = {"email": "eve@x.io", "name": "Eve <i>", "role": "agent", "how": "link", "csrf_token": token}
    made = ada.post("/settings/users", data=new)
    assert made.status_code == 200
    found = re.search(r"<code>https://testserver(/invite/\d+/[\w-]+)</code>", made.text)
    assert found, made.text
    link = found.group(1)
    assert "Eve &lt;i&gt;" in made.text and "Eve <i>" not in made.text
    with ui_world.runtime.read_uow() as uow:
        [eve] = [u for u in uow.users.list(ui_world.ada.workspace_id) if u.email == "eve@x.io"]
    assert not eve.is_active  # nobody can log in as Eve before she accepts

    with TestClient(ui_world.app, base_url="https://testserver", follow_redirects=False) as stranger:
        page = stranger.get(link)
        assert page.status_code == 200 and "eve@x.io" in page.text
        differ = stranger.post(link, data={"password": "long-enough-9", "confirm": "long-enough-8"})
        assert differ.status_code == 422 and "the two passwords differ" in differ.text
        accepted = stranger.post(link, data={"password": "long-enough-9", "confirm": "long-enough-9"})
        assert accepted.status_code == 303 and accepted.headers["location"] == "/login"
        login_client(ui_world.app, "eve@x.io", "long-enough-9")
        for again in (
            stranger.get(link),
            stranger.post(link, data={"password": "x" * 12, "confirm": "x" * 12}),
        ):
            assert again.status_code == 404 and "not valid: it was used" in again.text
        forged = stranger.get(link[:-3] + "abc")
        assert forged.status_code == 404
    audit = _audit(ui_world)
    assert {"user.created", "user.invited", "user.invite_accepted"} <= set(audit)
