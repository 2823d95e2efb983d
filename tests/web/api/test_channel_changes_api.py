"""Changing and removing channel accounts over HTTP: admins only, per workspace, secrets never returned."""

from __future__ import annotations

from socialdesk.runtime import Runtime
from tests.web.api.test_channels_api import SECRETS, Api, x_body
from tests.web.api.test_channels_api import api as api

NEW_TOKEN = "x-user-token-rotated-5e1"


def test_patch_changes_only_what_is_sent(api: Api) -> None:
    added = api.add(x_body())
    url = f"/api/v1/channels/{added['id']}"
    r = api.client.patch(url, json={"settings": {"interval": 120}}, headers=api.admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["settings"] == {"user_id": "783214", "api_url": "https://api.x.test", "interval": 120.0}
    assert body["budget"]["reads"] == 450 and body["has_credentials"] is True
    assert body["health"]["reason"] == "reconfigured"

    r = api.client.patch(
        url, json={"credentials": {"token": NEW_TOKEN}, "budget_reads": None}, headers=api.admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["budget"]["reads"] is None
    assert all(secret not in r.text for secret in (*SECRETS, NEW_TOKEN))
    with api.runtime.uow() as uow:
        account = uow.channels.find(int(str(added["id"])))
    assert account is not None  # the sealed credentials hold the new token, never in clear
    assert NEW_TOKEN not in (account.sealed_credentials or "")
    assert api.runtime.channel_connector().credentials(account)["token"].reveal() == NEW_TOKEN

    r = api.client.patch(url, json={"is_active": False}, headers=api.admin)
    assert (r.json()["is_active"], r.json()["health"]["reason"]) == (False, "paused by an admin")


def test_patch_errors_say_what_is_wrong(api: Api) -> None:
    added = api.add(x_body())
    url = f"/api/v1/channels/{added['id']}"
    r = api.client.patch(url, json={"settings": {"user_id": "@AcmeCares"}}, headers=api.admin)
    assert r.status_code == 422
    assert "numeric id" in r.text
    r = api.client.patch(url, json={"budget_reads": 0}, headers=api.admin)
    assert r.status_code == 422 and "budget_reads" in r.text
    assert api.client.patch(url, json={"is_active": False}, headers=api.agent).status_code == 403
    assert api.client.patch(url, json={"is_active": False}, headers=api.other).status_code == 404
    assert api.client.patch(url, json={"is_active": False}).status_code == 401


def test_delete_removes_the_account_for_its_workspace_only(api: Api, runtime: Runtime) -> None:
    added = api.add(x_body())
    url = f"/api/v1/channels/{added['id']}"
    assert api.client.delete(url, headers=api.agent).status_code == 403
    assert api.client.delete(url, headers=api.other).status_code == 404
    r = api.client.delete(url, headers=api.admin)
    assert r.status_code == 204
    listed = api.client.get("/api/v1/channels", headers=api.admin).json()
    assert [c["id"] for c in listed] == []
    assert api.client.delete(url, headers=api.admin).status_code == 404
    assert api.add(x_body())["handle"] == "AcmeCares"  # connect it again
