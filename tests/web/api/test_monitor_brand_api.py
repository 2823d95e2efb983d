"""Issue 15, items 1 and 9: a post that names no brand but matches a brand's monitor is answered as that
brand; a deleted monitor's match history stays."""

from __future__ import annotations

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.ports.inbox import ConversationQuery
from tests.web.api.test_reply_brand_api import AIR, NET, Desk, _post, desk

__all__ = ["desk"]  # the fixture, shared with the reply-brand tests


def _monitor(d: Desk, **body: object) -> dict[str, object]:
    out = d.client.post("/api/v1/monitors", json=body, headers=d.h())
    assert out.status_code == 201, out.text
    return dict(out.json())


def _matched_by(d: Desk, name: str) -> list[str]:
    """The inbox's monitor filter (by name)."""
    with d.runtime.uow() as uow:
        return [
            r.conversation.author_handle
            for r in uow.conversations.query(d.ws_id, ConversationQuery(monitor=name))
        ]


def test_a_post_matching_the_airlines_monitor_is_answered_as_the_airline(desk: Desk) -> None:
    made = _monitor(
        desk, name="Skyways care", query="flight OR baggage", brand_account_ids=[desk.brand_ids[AIR]]
    )
    assert made["brand_account_ids"] == [desk.brand_ids[AIR]]
    _monitor(desk, name="Netlink care", query="fibre OR router", brand_account_ids=[desk.brand_ids[NET]])
    desk.ingest(_post(1, "my flight to Lisbon was cancelled and nobody answers"))  # no @brand at all
    desk.ingest(_post(2, f"@{NET} my flight booking site is down"))  # the @-mention wins over the monitor
    [complaint] = desk.conversations(brand=AIR)
    assert complaint["author_handle"] == "cust1"
    assert [c["author_handle"] for c in desk.conversations(brand=NET)] == ["cust2"]

    url = f"/api/v1/conversations/{complaint['id']}/replies"
    sent = desk.client.post(url, json={"text": "So sorry, we are rebooking you now"}, headers=desk.h())
    assert sent.status_code == 201, sent.text  # no brand to choose: the monitor's
    assert sent.json()["author_handle"] == AIR
    desk.dispatch()
    assert set(desk.accounts.by_handle) == {AIR}


def test_a_monitors_brand_is_set_changed_and_checked(desk: Desk) -> None:
    with desk.runtime.uow() as uow:
        masto = check_add_brand_account(uow, desk.ws_id, "mastodon", "SkyWays@mastodon.social").id
        uow.commit()
    made = _monitor(desk, name="Skyways", query="flight", brand_account_ids=[desk.brand_ids[AIR], masto])
    url = f"/api/v1/monitors/{made['id']}"
    both = desk.client.patch(
        url, json={"brand_account_ids": [desk.brand_ids[AIR], desk.brand_ids[NET]]}, headers=desk.h()
    )
    assert both.status_code == 422 and "at most one account per network" in both.text
    stranger = desk.client.patch(url, json={"brand_account_ids": [987654]}, headers=desk.h())
    assert (
        stranger.status_code == 422
        and "987654 is not one of this workspace's brand accounts" in stranger.text
    )
    assert AIR in stranger.text  # the choices are named
    changed = desk.client.patch(url, json={"brand_account_ids": [desk.brand_ids[NET]]}, headers=desk.h())
    assert changed.status_code == 200 and changed.json()["brand_account_ids"] == [desk.brand_ids[NET]]
    cleared = desk.client.patch(url, json={"brand_account_ids": []}, headers=desk.h())
    assert cleared.json()["brand_account_ids"] == []
    desk.ingest(_post(3, "my flight is late"))
    [conv] = desk.conversations()
    assert conv["brand_account_id"] is None  # the monitor names no brand any more: the agent chooses


def test_a_deleted_monitor_keeps_its_matches_and_frees_its_name(desk: Desk) -> None:
    made = _monitor(desk, name="Skyways", query="flight", brand_account_ids=[desk.brand_ids[AIR]])
    desk.ingest(_post(4, "my flight is late"))
    assert _matched_by(desk, "Skyways") == ["cust4"]
    gone = desk.client.delete(f"/api/v1/monitors/{made['id']}", headers=desk.h())
    assert gone.status_code == 204
    listed = desk.client.get("/api/v1/monitors", headers=desk.h()).json()
    assert listed == []
    desk.ingest(_post(5, "another flight is late"))  # the deleted monitor matches nothing more
    assert _matched_by(desk, "Skyways") == ["cust4"]  # the inbox's filter by its name still finds it
    assert len(desk.conversations()) == 2
    again = _monitor(desk, name="Skyways", query="late")
    assert again["id"] != made["id"]
    with desk.runtime.uow() as uow:
        counts = uow.monitors.match_counts(desk.ws_id)
    assert counts == {int(str(made["id"])): 1}  # its match stays
    edit = desk.client.patch(f"/api/v1/monitors/{made['id']}", json={"active": True}, headers=desk.h())
    assert edit.status_code == 404
