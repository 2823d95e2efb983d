"""Issue 22 item 2: a review's star rating is stored with the message and shown beside it, in the
inbox row and on the conversation page, with an accessible label; a 1 or 2 star review needs a reply
whatever its words say."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from socialdesk.domain.post import Post
from socialdesk.triage import Triager
from tests.web.ui.conftest import UiWorld, ui_post


def _review(ident: str, text: str, stars: int | None) -> Post:
    return replace(
        ui_post(ident, text, minutes_ago=5, handle=f"r{ident}", channel="google_play"), rating=stars
    )


def test_the_stars_are_stored_and_shown_with_a_label(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws = ui_world.ada.workspace_id
    [rated] = ui_world.ingest(ws, _review("r1", "<b>meh</b> app", 3)).conversation_ids
    [plain] = ui_world.ingest(ws, ui_post("p1", "hello", minutes_ago=4, handle="sam")).conversation_ids
    with ui_world.runtime.uow() as uow:
        [message] = uow.messages.list_for_conversation(ws, rated)
        assert message.rating == 3
    rows = ui_client.get("/inbox/rows", params={"view": "all"}).text.split("<tr")
    [rated_row] = [r for r in rows if f'href="/conversations/{rated}"' in r]
    [plain_row] = [r for r in rows if f'href="/conversations/{plain}"' in r]
    assert 'aria-label="3 of 5 stars"' in rated_row and "★★★☆☆" in rated_row
    assert "of 5 stars" not in plain_row
    page = ui_client.get(f"/conversations/{rated}").text
    assert 'aria-label="3 of 5 stars"' in page
    assert "<b>meh</b>" not in page and "&lt;b&gt;meh&lt;/b&gt;" in page  # the review's text escaped


def test_a_one_or_two_star_review_needs_a_reply(ui_world: UiWorld, ui_triager: Triager) -> None:
    ws = ui_world.ada.workspace_id
    ui_world.ingest_triaged(ui_triager, ws, _review("low", "ok", 2), _review("high", "ok", 5))
    with ui_world.runtime.uow() as uow:
        found = {m.external_id: m.triage for m in uow.messages.recent(ws, 10)}
    low, high = found["low"], found["high"]
    assert low is not None and high is not None
    assert low["needs_reply"] is True
    assert "a review of 1 or 2 stars needs a reply" in low["explanation"]
    assert "a review of 1 or 2 stars needs a reply" not in high["explanation"]
