"""The inbox page and its rows fragment: order, what a row shows, filters, escaping."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.ui.conftest import LoginFn, UiWorld, ui_post

HOSTILE_TEXT = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'


def _conversation_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/conversations/(\d+)"', html)]


def test_inbox_lists_open_conversations_oldest_waiting_first(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws = ui_world.ada.workspace_id
    recent = ui_world.ingest(ws, ui_post("1", "recent one", minutes_ago=5, followers=1_000_000))
    oldest = ui_world.ingest(ws, ui_post("2", "oldest one\nsecond line", minutes_ago=180, followers=3))
    middle = ui_world.ingest(
        ws, ui_post("3", "middle one", minutes_ago=45, name="Grace Hopper", handle="grace")
    )
    page = ui_client.get("/")
    assert page.status_code == 200
    order = [*oldest.conversation_ids, *middle.conversation_ids, *recent.conversation_ids]
    assert _conversation_links(page.text) == order  # followers are shown, never used to sort
    assert "Grace Hopper" in page.text
    assert "@grace" in page.text
    assert "1.0M followers" in page.text
    assert "3 followers" in page.text
    assert "oldest one" in page.text
    assert "second line" not in page.text
    assert "3 h" in page.text
    assert "45 min" in page.text
    assert 'class="badge badge-new"' in page.text


def test_rows_fragment_is_the_list_alone(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", "wifi down", minutes_ago=5))
    rows = ui_client.get("/inbox/rows")
    assert rows.status_code == 200
    assert "<html" not in rows.text
    assert "wifi down" in rows.text


def test_search_and_channel_filters(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    ws = ui_world.ada.workspace_id
    wifi = ui_world.ingest(ws, ui_post("1", "my WIFI is down", minutes_ago=30))
    billing = ui_world.ingest(ws, ui_post("2", "double billing", minutes_ago=20, channel="mastodon"))
    assert _conversation_links(ui_client.get("/inbox/rows", params={"q": "wifi"}).text) == [
        *wifi.conversation_ids
    ]
    by_channel = ui_client.get("/", params={"channel": "mastodon"}).text
    assert _conversation_links(by_channel) == [*billing.conversation_ids]
    assert '<option value="mastodon" selected>' in by_channel
    nothing = ui_client.get("/inbox/rows", params={"q": "refund"}).text
    assert "No open conversations that need a reply match this search." in nothing
    # An unknown channel is ignored rather than echoed into the page.
    assert len(_conversation_links(ui_client.get("/", params={"channel": "<b>"}).text)) == 2


def test_resolved_conversations_leave_the_inbox(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws = ui_world.ada.workspace_id
    [cid] = ui_world.ingest(ws, ui_post("1", "thanks, all good", minutes_ago=5)).conversation_ids
    page = ui_client.get(f"/conversations/{cid}").text
    case_id = re.search(r'action="/cases/(\d+)/status"', page)
    assert case_id
    done = ui_client.post(
        f"/cases/{case_id.group(1)}/status", data={"status": "resolved", "csrf_token": ui_agent}
    )
    assert done.status_code == 303
    assert _conversation_links(ui_client.get("/").text) == []


def test_hostile_names_and_text_are_escaped_in_the_inbox(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    hostile = ui_post(
        "1",
        f"{HOSTILE_TEXT} {HOSTILE_ATTR}",
        minutes_ago=5,
        name=HOSTILE_TEXT + HOSTILE_ATTR,
        handle=HOSTILE_ATTR,
    )
    ui_world.ingest(ui_world.ada.workspace_id, hostile)
    for html in (ui_client.get("/").text, ui_client.get("/inbox/rows").text):
        assert "<script>alert" not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_another_workspace_sees_none_of_it(
    ui_client: TestClient, ui_login: LoginFn, ui_world: UiWorld
) -> None:
    ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", "acme only", minutes_ago=5))
    assert ui_login("b@y.io", "correct-horse-2").status_code == 303
    page = ui_client.get("/").text
    assert "acme only" not in page
    assert "No open conversations need a reply." in page
