"""Incidents through the REST API (SQLite and PostgreSQL): list, read, confirm and resolve with owner,
note and public status text, add and remove member conversations; audited; workspaces kept apart."""

from __future__ import annotations

from socialdesk.domain.people import Role
from socialdesk.ports.care import IncidentRecord
from socialdesk.runtime import Runtime
from tests.web.api.care_fixtures import admin, person
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def _suspected(runtime: Runtime, slug: str = "acme") -> int:
    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug(slug)
        assert ws is not None
        now = runtime.clock.now()
        i = uow.incidents.open(
            IncidentRecord(0, ws.id, "Spike of reports: leeds", now, "suspected", detected_at=now,
                           summary="30 posts about leeds", keywords=("leeds", "wifi"), detector_key="w:leeds")
        )  # fmt: skip
        uow.commit()
    return i.id


def test_an_agent_confirms_resolves_and_edits_the_members_of_an_incident(api: Api, runtime: Runtime) -> None:
    api.client.post(
        "/api/v1/posts",
        json={"posts": [_post(1, "wifi down in leeds"), _post(2, "leeds down")]},
        headers=api.h(),
    )
    convs = [c["id"] for c in api.client.get("/api/v1/conversations", headers=api.h()).json()["items"]]
    incident_id = _suspected(runtime)
    ada = admin(api)

    listed = api.client.get("/api/v1/incidents", params={"status": "suspected"}, headers=api.h()).json()
    assert [i["id"] for i in listed] == [incident_id]
    assert listed[0]["key"] == "w:leeds" and listed[0]["keywords"] == ["leeds", "wifi"]

    change = {
        "status": "confirmed",
        "owner_id": ada.id,
        "note": "NOC ticket 42",
        "status_text": "Engineers are on it.",
    }
    r = api.client.patch(f"/api/v1/incidents/{incident_id}", json=change, headers=api.h())
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["owner_id"], body["note"], body["status_text"]) == (
        "confirmed", ada.id, "NOC ticket 42", "Engineers are on it.",
    )  # fmt: skip

    r = api.client.post(
        f"/api/v1/incidents/{incident_id}/conversations", json={"conversation_ids": convs}, headers=api.h()
    )
    assert r.status_code == 200, r.text
    assert sorted(r.json()["conversation_ids"]) == sorted(convs)
    r = api.client.delete(f"/api/v1/incidents/{incident_id}/conversations/{convs[0]}", headers=api.h())
    assert r.status_code == 204
    assert (
        api.client.get(f"/api/v1/incidents/{incident_id}", headers=api.h()).json()["conversation_ids"]
        == convs[1:]
    )
    again = api.client.delete(f"/api/v1/incidents/{incident_id}/conversations/{convs[0]}", headers=api.h())
    assert again.status_code == 404

    r = api.client.patch(f"/api/v1/incidents/{incident_id}", json={"status": "resolved"}, headers=api.h())
    assert r.json()["status"] == "resolved" and r.json()["resolved_at"] is not None
    assert (
        api.client.patch(
            f"/api/v1/incidents/{incident_id}", json={"status": "gone"}, headers=api.h()
        ).status_code
        == 422
    )

    with runtime.read_uow() as uow:
        ws = uow.workspaces.get_by_slug("acme")
        assert ws is not None
        audit = [(e.action, e.data.get("problem_id")) for e in uow.audit.between(ws.id, None, None)]
    assert audit.count(("incident_updated", incident_id)) == 2
    assert audit.count(("incident_member_added", incident_id)) == 2
    assert audit.count(("incident_member_removed", incident_id)) == 1


def test_another_workspace_cannot_see_or_change_the_incident(api: Api, runtime: Runtime) -> None:
    incident_id = _suspected(runtime)
    boss = person(runtime, "beta", "boss@beta.io", "Boss", Role.ADMIN)
    assert api.client.get(f"/api/v1/incidents/{incident_id}", headers=boss.h()).status_code == 404
    r = api.client.patch(f"/api/v1/incidents/{incident_id}", json={"status": "resolved"}, headers=boss.h())
    assert r.status_code == 404
    assert api.client.get("/api/v1/incidents", headers=boss.h()).json() == []


def test_an_agent_in_training_may_not_publish_a_status_text(api: Api, runtime: Runtime) -> None:
    incident_id = _suspected(runtime)
    trainee = person(runtime, "acme", "tom@acme.io", "Tom")
    r = api.client.patch(f"/api/v1/agents/{trainee.id}", json={"in_training": True}, headers=api.h())
    assert r.status_code == 200, r.text
    r = api.client.patch(
        f"/api/v1/incidents/{incident_id}", json={"status_text": "All fixed!"}, headers=trainee.h()
    )
    assert r.status_code == 403
    r = api.client.patch(f"/api/v1/incidents/{incident_id}", json={"note": "seen it"}, headers=trainee.h())
    assert r.status_code == 200
    # Confirming, resolving and choosing the owner are for admins and team leads.
    r = api.client.patch(
        f"/api/v1/incidents/{incident_id}", json={"status": "confirmed"}, headers=trainee.h()
    )
    assert r.status_code == 403 and "only admins and team leads" in r.text
