"""Issue 15, item 2 in the browser's forms: a private conversation is marked in the inbox and on its
page, the composer defaults to a private message ("Sending privately to @dana"), and a public reply
there goes out only after a second click."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.conversations import get_conversation_detail
from socialdesk.domain.post import Direction, Visibility
from tests.web.ui.conftest import UiWorld, ui_post


@pytest.fixture
def dm(ui_world: UiWorld) -> int:
    post = ui_post("dm1", "my account number is 40112233, still no line", minutes_ago=20, handle="dana")
    [cid] = ui_world.ingest(
        ui_world.ada.workspace_id, replace(post, visibility=Visibility.PRIVATE)
    ).conversation_ids
    return cid


@pytest.fixture
def public(ui_world: UiWorld) -> int:
    post = ui_post("pub1", "the app is down again", minutes_ago=10, handle="sam")
    [cid] = ui_world.ingest(ui_world.ada.workspace_id, post).conversation_ids
    return cid


def _outbound(ui_world: UiWorld, cid: int) -> list[tuple[Visibility, str]]:
    with ui_world.runtime.uow() as uow:
        detail = get_conversation_detail(uow, ui_world.ada, cid)
    return [(m.visibility, m.text) for m in detail.messages if m.direction is Direction.OUTBOUND]


def _checked(page: str) -> str:
    found = re.search(r'name="visibility" value="(\w+)" checked', page)
    assert found, "no visibility chosen in the composer"
    return found.group(1)


def test_the_inbox_marks_private_conversations(
    ui_client: TestClient, ui_agent: str, dm: int, public: int
) -> None:
    rows = ui_client.get("/inbox/rows", params={"view": "all"}).text.split("<tr")
    [dm_row] = [r for r in rows if f'href="/conversations/{dm}"' in r]
    [public_row] = [r for r in rows if f'href="/conversations/{public}"' in r]
    assert 'class="tag tag-private"' in dm_row
    assert 'class="tag tag-private"' not in public_row


def test_the_composer_defaults_to_private_in_a_private_conversation(
    ui_client: TestClient, ui_agent: str, dm: int, public: int
) -> None:
    page = ui_client.get(f"/conversations/{dm}").text
    assert _checked(page) == "private"
    assert "Sending privately to @dana" in page
    other = ui_client.get(f"/conversations/{public}").text
    assert _checked(other) == "public" and "Sending privately" not in other


def test_a_public_reply_to_a_dm_needs_a_second_click(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, dm: int
) -> None:
    url = f"/conversations/{dm}/reply"
    headers = {"HX-Request": "true", "X-CSRF-Token": ui_agent}
    first = ui_client.post(url, data={"text": "We fixed it", "visibility": "public"}, headers=headers)
    assert first.status_code == 409
    assert "@dana wrote privately" in first.text
    assert "Reply in public anyway" in first.text
    assert 'name="confirm_public" value="1"' in first.text
    assert _outbound(ui_world, dm) == []  # nothing recorded, nothing queued

    second = ui_client.post(
        url, data={"text": "We fixed it", "visibility": "public", "confirm_public": "1"}, headers=headers
    )
    assert second.status_code == 200
    assert _outbound(ui_world, dm) == [(Visibility.PUBLIC, "We fixed it ^AB")]


def test_the_default_reply_in_a_dm_is_private_and_unsigned(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, dm: int
) -> None:
    answer = ui_client.post(
        f"/conversations/{dm}/reply", data={"text": "Thanks, checking", "csrf_token": ui_agent}
    )
    assert answer.status_code == 303
    assert _outbound(ui_world, dm) == [(Visibility.PRIVATE, "Thanks, checking")]
    page = ui_client.get(f"/conversations/{dm}").text
    assert "msg-private" in page
