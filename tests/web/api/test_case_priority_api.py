"""Setting a case's priority by hand: SLA targets follow, the audit trail records it (SQLite, PostgreSQL)."""

from __future__ import annotations

from socialdesk.domain.clock import FixedClock
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api
from tests.web.api.test_care_routing_api import _case_of, _ingest

POLICY = {
    "targets": [
        {"first_response_s": 600, "next_response_s": 600, "resolution_s": 3600},
        {"priority": "urgent", "first_response_s": 120, "next_response_s": 120, "resolution_s": 1800},
    ],
    "warn_fraction": 0.5,
}


def _first_deadline(case: dict[str, object]) -> str:
    sla = case["sla"]
    assert isinstance(sla, dict)
    return str(next(c["deadline"] for c in sla["clocks"] if c["kind"] == "first_response"))


def test_priority_by_hand_moves_the_sla_targets(api: Api, clock: FixedClock) -> None:
    r = api.client.put("/api/v1/sla-policy", json=POLICY, headers=api.h())
    assert r.status_code == 200, r.text
    clock.advance(60)
    _ingest(api, _post(1))  # written 09:01:00
    case = _case_of(api, "cust1")
    assert (case["priority"], _first_deadline(case)) == ("normal", "2026-01-05T09:11:00Z")

    clock.advance(30)
    url = f"/api/v1/cases/{case['id']}/priority"
    r = api.client.post(url, json={"priority": "urgent"}, headers=api.h())
    assert r.status_code == 200, r.text
    assert r.json()["priority"] == "urgent"
    after = _case_of(api, "cust1")
    assert (after["priority"], _first_deadline(after)) == ("urgent", "2026-01-05T09:03:00Z")

    again = api.client.post(url, json={"priority": "urgent"}, headers=api.h())
    assert again.status_code == 200  # no change: nothing recorded twice
    audit = api.client.get(f"/api/v1/cases/{case['id']}/audit", headers=api.h()).json()
    changes = [e for e in audit if e["action"] == "priority_changed"]
    assert len(changes) == 1


def test_priority_errors(api: Api) -> None:
    _ingest(api, _post(1))
    case = _case_of(api, "cust1")
    url = f"/api/v1/cases/{case['id']}/priority"
    bad = api.client.post(url, json={"priority": "asap"}, headers=api.h())
    assert bad.status_code == 422 and "urgent" in bad.text
    assert api.client.post(url, json={"priority": "high"}, headers=api.h(api.other_token)).status_code == 404
    assert api.client.post(url, json={"priority": "high"}).status_code == 401
    api.client.post(f"/api/v1/cases/{case['id']}/status", json={"status": "closed"}, headers=api.h())
    closed = api.client.post(url, json={"priority": "high"}, headers=api.h())
    assert closed.status_code == 422 and "closed" in closed.text
