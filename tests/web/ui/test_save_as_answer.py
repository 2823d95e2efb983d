"""The conversation page's "Save as answer" button beside a sent brand reply (and only there)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from socialdesk.actions.replies import check_send_reply
from socialdesk.domain.knowledge import ArticleState
from socialdesk.domain.post import Visibility
from tests.web.ui.conftest import UiWorld, htmx, ui_post


def test_a_sent_reply_is_saved_as_an_answer_in_one_click(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws = ui_world.ada.workspace_id
    post = ui_post(
        "1", "my router is down, order #A998877", minutes_ago=30, name="Grace Hopper", handle="grace"
    )
    [cid] = ui_world.ingest(ws, post).conversation_ids
    with ui_world.runtime.uow() as uow:
        check_send_reply(
            uow, ui_world.carl, cid, "Sorry Grace, restart it twice", Visibility.PUBLIC, datetime.now(UTC)
        )
    page = ui_client.get(f"/conversations/{cid}").text
    assert "Save as answer" not in page  # queued, not sent yet
    with ui_world.runtime.uow() as uow:
        [reply] = [m for m in uow.messages.list_for_conversation(ws, cid) if m.direction.value == "outbound"]
        uow.messages.mark_delivered(ws, reply.id, "sent-1", "sent")
    page = ui_client.get(f"/conversations/{cid}").text
    assert re.findall(r'action="/messages/(\d+)/save-as-answer"', page) == [str(reply.id)]
    saved = ui_client.post(f"/messages/{reply.id}/save-as-answer", headers=htmx(ui_agent))
    assert saved.status_code == 200
    assert "in review" in saved.text
    with ui_world.runtime.uow() as uow:
        [article] = uow.articles.find(ws)
    assert article.state is ArticleState.IN_REVIEW and article.source_conversation_id == cid
    assert "Grace" not in article.content.body and "A998877" not in " ".join(article.content.questions)
    refused = ui_client.post(f"/messages/{reply.id - 1}/save-as-answer", headers=htmx(ui_agent))
    assert refused.status_code == 422  # the customer's message
    assert "Not saved as an answer" in refused.text
