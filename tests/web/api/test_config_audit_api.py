"""Configuration changes land in the audit trail and `audit.csv` with actor, time, before and after;
agents' attempts are refused and leave no change behind (issue #14, item 6)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from socialdesk.actions.listening.rules import check_add_spam_rule
from socialdesk.domain.people import Role, User
from tests.web.api.test_channel_changes_api import NEW_TOKEN
from tests.web.api.test_channels_api import SECRETS, Api, x_body
from tests.web.api.test_channels_api import api as api

SLA = {"targets": [{"first_response_s": 3600, "next_response_s": 7200, "resolution_s": 86400}]}


def _export(api: Api) -> tuple[str, list[dict[str, str]]]:
    answer = api.client.get("/api/v1/audit.csv", headers=api.admin)
    assert answer.status_code == 200, answer.text
    return answer.text, list(csv.DictReader(io.StringIO(answer.text)))


def _json(cell: str) -> Any:
    return json.loads(cell) if cell else None


def _ok(answer: Any, code: int = 200) -> dict[str, Any]:
    assert answer.status_code == code, answer.text
    return answer.json() if answer.content else {}


def _configure_everything(api: Api, who: dict[str, str]) -> list[int]:
    """Every kind of configuration change, as `who`; the status codes, in order."""
    c = api.client
    return [
        c.post(
            "/api/v1/monitors", json={"name": "outage", "query": "down OR outage"}, headers=who
        ).status_code,
        c.post("/api/v1/spam-rules", json={"kind": "term", "value": "internet"}, headers=who).status_code,
        c.post("/api/v1/channels", json=x_body(), headers=who).status_code,
        c.post("/api/v1/teams", json={"name": "Night"}, headers=who).status_code,
        c.post("/api/v1/routing-rules", json={"name": "vip", "priority": "high"}, headers=who).status_code,
        c.put("/api/v1/sla-policy", json=SLA, headers=who).status_code,
        c.put("/api/v1/approval-rules", json=[{"kind": "money"}], headers=who).status_code,
    ]


def test_each_configuration_change_is_audited_with_actor_before_and_after(api: Api) -> None:
    c, admin = api.client, api.admin
    assert _configure_everything(api, admin) == [201, 201, 201, 201, 201, 200, 200]
    spam = c.get("/api/v1/spam-rules", headers=admin).json()[0]
    _ok(c.delete(f"/api/v1/spam-rules/{spam['id']}", headers=admin), 204)
    account = c.get("/api/v1/channels", headers=admin).json()[0]
    url = f"/api/v1/channels/{account['id']}"
    _ok(c.patch(url, json={"settings": {"interval": 120}}, headers=admin))
    _ok(c.patch(url, json={"credentials": {"token": NEW_TOKEN}}, headers=admin))
    _ok(c.patch(url, json={"is_active": False}, headers=admin))
    _ok(c.patch(url, json={"is_active": True}, headers=admin))
    _ok(c.delete(url, headers=admin), 204)
    team = c.get("/api/v1/teams", headers=admin).json()[0]
    _ok(c.patch(f"/api/v1/teams/{team['id']}", json={"strategy": "round_robin"}, headers=admin))
    agents = {a["email"]: a["id"] for a in c.get("/api/v1/agents", headers=admin).json()}
    eve = agents["eve@acme.io"]
    _ok(c.post(f"/api/v1/teams/{team['id']}/members", json={"user_id": eve}, headers=admin), 204)
    _ok(c.delete(f"/api/v1/teams/{team['id']}/members/{eve}", headers=admin), 204)
    rule = c.get("/api/v1/routing-rules", headers=admin).json()[0]
    _ok(c.delete(f"/api/v1/routing-rules/{rule['id']}", headers=admin), 204)
    _ok(c.put("/api/v1/sla-policy", json={**SLA, "warn_fraction": 0.5}, headers=admin))

    text, rows = _export(api)
    assert all(secret not in text for secret in (*SECRETS, NEW_TOKEN)), "a secret reached the audit trail"
    by_action: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_action.setdefault(row["action"], []).append(row)
    expected = {
        "monitor_created", "spam_rule_added", "spam_rule_removed", "brand_account_added", "channel_added",
        "channel_changed", "channel_paused", "channel_resumed", "channel_removed", "team_created",
        "team_changed", "team_member_added", "team_member_removed", "routing_rule_added",
        "routing_rule_deleted", "sla_policy_changed", "approval_rules_changed",
    }  # fmt: skip
    assert expected <= by_action.keys(), f"not audited: {sorted(expected - by_action.keys())}"
    for action in expected:
        for row in by_action[action]:
            assert (row["actor"], row["actor_id"]) == ("ada@acme.io", str(agents["ada@acme.io"])), row
            assert row["at"] and row["case_id"] == "" and row["conversation_id"] == "", row
            assert row["before"] or row["after"], f"{action} says neither before nor after"

    (monitor,) = by_action["monitor_created"]
    assert _json(monitor["before"]) is None
    assert _json(monitor["after"])["query"] == "down OR outage"
    (removed,) = by_action["spam_rule_removed"]
    assert (_json(removed["before"]), _json(removed["after"])) == (
        {"kind": "term", "value": "internet"},
        None,
    )
    settings, credentials = by_action["channel_changed"]
    assert _json(settings["before"]) == {"settings": {"user_id": "783214", "api_url": "https://api.x.test"}}
    assert _json(settings["after"])["settings"]["interval"] == 120.0
    assert (_json(credentials["before"]), _json(credentials["after"])) == (
        {"credentials": "previous"},
        {"credentials": "replaced"},
    )
    (paused,) = by_action["channel_paused"]
    assert (_json(paused["before"]), _json(paused["after"])) == ({"is_active": True}, {"is_active": False})
    (gone,) = by_action["channel_removed"]
    assert _json(gone["before"])["channel"] == "x:AcmeCares" and _json(gone["after"]) is None
    (team_change,) = by_action["team_changed"]
    assert _json(team_change["before"]) == {"strategy": "least_loaded"}
    assert _json(team_change["after"]) == {"strategy": "round_robin"}
    first_sla, second_sla = by_action["sla_policy_changed"]
    assert _json(first_sla["before"]) is None
    assert _json(second_sla["after"]) == {"warn_fraction": 0.5}
    (approval_rules,) = by_action["approval_rules_changed"]
    assert _json(approval_rules["before"]) == {"rules": []}
    assert _json(approval_rules["after"]) == {"rules": [{"kind": "money", "value": ""}]}


def test_agents_configuration_attempts_are_refused_and_not_audited(api: Api) -> None:
    c = api.client
    account = _ok(c.post("/api/v1/channels", json=x_body(), headers=api.admin), 201)
    spam = _ok(
        c.post("/api/v1/spam-rules", json={"kind": "term", "value": "giveaway"}, headers=api.admin), 201
    )
    _, before = _export(api)

    assert _configure_everything(api, api.agent) == [403] * 7
    url = f"/api/v1/channels/{account['id']}"
    attempts = [
        c.delete(f"/api/v1/spam-rules/{spam['id']}", headers=api.agent),
        c.patch(url, json={"settings": {"interval": 5}}, headers=api.agent),
        c.patch(url, json={"is_active": False}, headers=api.agent),
        c.delete(url, headers=api.agent),
        c.post(f"{url}/test", headers=api.agent),
    ]
    assert [a.status_code for a in attempts] == [403] * 5
    assert "only admins" in attempts[0].text

    _, after = _export(api)
    assert after == before, "a refused change left an audit entry"
    assert c.get("/api/v1/spam-rules", headers=api.admin).json() == [
        {"id": spam["id"], "kind": "term", "value": "giveaway"}
    ]
    assert c.get("/api/v1/monitors", headers=api.admin).json() == []
    assert [a["id"] for a in c.get("/api/v1/channels", headers=api.admin).json()] == [account["id"]]
    assert c.get(url + "/health", headers=api.admin).json()["state"] == "starting"


def test_the_cli_stand_in_admin_is_audited_as_the_cli(api: Api) -> None:
    """The CLI acts as an admin with no user row: its changes say so instead of naming a user."""
    with api.runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug("acme")
        assert ws is not None
        cli = User(id=0, workspace_id=ws.id, email="cli@localhost", name="cli", role=Role.ADMIN)
        check_add_spam_rule(uow, cli, "author", "@spammer", api.runtime.clock.now())
        uow.commit()
    _, rows = _export(api)
    (row,) = [r for r in rows if r["action"] == "spam_rule_added"]
    assert (row["actor_id"], row["actor"]) == ("", "cli@localhost")
    assert _json(row["after"]) == {"kind": "author", "value": "spammer"}
