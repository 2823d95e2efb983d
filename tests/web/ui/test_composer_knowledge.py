"""The composer's knowledge-base suggestions (shown with why, inserted to fit the channel, counted when
sent) and the unscripted guard (warned while writing, held once at send, sent when confirmed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.assist_analytics import get_kb_acceptance, get_scripted_shares
from socialdesk.actions.conversations import get_conversation_detail
from socialdesk.actions.knowledge import check_create_article
from socialdesk.domain.knowledge import ArticleContent, ArticleState
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post

LONG_BODY = (
    "Refunds for a cancelled order go back to the card you paid with. "
    + "It takes five to seven working days for the bank to show the refund on your statement. " * 5
)
LINK = "https://help.acme.test/refunds"
SINCE = datetime(2000, 1, 1, tzinfo=UTC)
UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


def _publish(world: UiWorld, title: str, body: str, questions: tuple[str, ...], link: str) -> int:
    content = ArticleContent(title=title, body=body, questions=questions, links=(link,), language="en")
    with world.runtime.uow() as uow:
        article = check_create_article(uow, world.ada, content, world.runtime.clock.now())
        uow.articles.set_state(world.ada.workspace_id, article.id, ArticleState.PUBLISHED, article.created_at)
        return article.id


@pytest.fixture
def refund(ui_world: UiWorld) -> int:
    _publish(
        ui_world, "Reset your password", "Use the forgot password link.", ("I forgot my password",), LINK
    )
    return _publish(ui_world, "Refunds for cancelled orders", LONG_BODY, ("where is my refund",), LINK)


def _cid(world: UiWorld, ident: str, text: str, handle: str, name: str) -> int:
    report = world.ingest(
        world.ada.workspace_id, ui_post(ident, text, minutes_ago=5, handle=handle, name=name)
    )
    [found] = report.conversation_ids
    return found


def _insert(client: TestClient, token: str, cid: int, article: int, text: str = "") -> str:
    answer = client.post(
        f"/conversations/{cid}/suggestions/{article}/insert",
        data={"text": text, "visibility": "public", "kb_inserts": ""},
        headers=htmx(token),
    )
    assert answer.status_code == 200, answer.text
    found = re.search(r'data-text="([^"]*)" data-inserts="([^"]*)"', answer.text)
    assert found
    return found.group(2)


def test_suggestion_is_shown_with_why_inserted_short_with_link_and_counted_when_sent(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, refund: int
) -> None:
    cid = _cid(ui_world, "1", "where is my refund for the cancelled order?", "grace", "Grace Hopper")
    page = ui_client.get(f"/conversations/{cid}").text
    assert "From the knowledge base" in page
    assert "Refunds for cancelled orders" in page
    assert "<mark>refund</mark>" in page and "like “where is my refund”" in page
    page_again = ui_client.get(f"/conversations/{cid}").text  # shown again: recorded once
    assert "Refunds for cancelled orders" in page_again
    answer = ui_client.post(
        f"/conversations/{cid}/suggestions/{refund}/insert",
        data={"text": "Hi Grace!", "visibility": "public"},
        headers=htmx(ui_agent),
    )
    assert answer.status_code == 200
    assert "short version" in answer.text
    text = re.search(r'data-text="([^"]*)"', answer.text)
    inserts = re.search(r'data-inserts="([^"]*)"', answer.text)
    assert text and inserts
    composed = text.group(1).replace("&#39;", "'")
    assert composed.startswith("Hi Grace!\n\nRefunds for a cancelled order") and composed.endswith(LINK)
    sent = ui_client.post(
        f"/conversations/{cid}/reply",
        data={"text": composed, "visibility": "public", "kb_inserts": inserts.group(1)},
        headers=htmx(ui_agent),
    )
    assert sent.status_code == 200, sent.text
    with ui_world.runtime.read_uow() as uow:
        figures = get_kb_acceptance(uow, ui_world.ada, SINCE, UNTIL)
        last = get_conversation_detail(uow, ui_world.ada, cid).messages[-1].text
    assert LINK in last
    assert (figures.overall.shown, figures.overall.inserted, figures.overall.sent) == (1, 1, 1)
    [row] = [a for a in figures.articles if a.article_id == refund]
    assert (row.figures.shown, row.figures.inserted, row.figures.sent) == (1, 1, 1)
    mission = ui_client.get("/mission").text
    assert re.search(
        r'Shown <strong data-figure="shown">1</strong>, inserted <strong data-figure="inserted">1', mission
    )
    assert 'sent <strong data-figure="sent">1</strong>' in mission
    api = ui_client.get("/api/v1/analytics/knowledge", headers={"X-CSRF-Token": ui_agent}).json()
    assert api["overall"] == {"shown": 1, "inserted": 1, "sent": 1, "insert_rate": 100.0, "send_rate": 100.0}
    [by_article] = [a for a in api["articles"] if a["article_id"] == refund]
    assert (by_article["shown"], by_article["inserted"], by_article["sent"]) == (1, 1, 1)


def test_insert_without_javascript_fills_the_composer(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, refund: int
) -> None:
    cid = _cid(ui_world, "2", "my refund never arrived", "ann", "Ann")
    page = ui_client.post(
        f"/conversations/{cid}/suggestions/{refund}/insert",
        data={"text": "", "visibility": "public", "csrf_token": ui_agent},
    )
    assert page.status_code == 200
    assert re.search(r'<textarea id="reply-text"[^>]*>Refunds for a cancelled order', page.text)
    assert re.search(r'name="kb_inserts" value="\d+"', page.text)


def test_a_removed_insert_is_not_counted_as_sent(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, refund: int
) -> None:
    cid = _cid(ui_world, "3", "where is my refund", "bo", "Bo")
    ui_client.get(f"/conversations/{cid}")
    inserts = _insert(ui_client, ui_agent, cid, refund)
    data = {"text": "Let me check that for you", "visibility": "public", "kb_inserts": inserts}
    assert ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent)).status_code == 200
    with ui_world.runtime.read_uow() as uow:
        figures = get_kb_acceptance(uow, ui_world.ada, SINCE, UNTIL)
    assert (figures.overall.inserted, figures.overall.sent) == (1, 0)


def test_an_unpublished_article_is_not_inserted(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    cid = _cid(ui_world, "4", "where is my refund", "cy", "Cy")
    content = ArticleContent(title="Draft", body="Not reviewed yet.")
    with ui_world.runtime.uow() as uow:
        draft = check_create_article(uow, ui_world.carl, content, ui_world.runtime.clock.now())
    answer = ui_client.post(
        f"/conversations/{cid}/suggestions/{draft.id}/insert", data={"text": ""}, headers=htmx(ui_agent)
    )
    assert answer.status_code == 422
    assert "only published articles" in answer.text


SCRIPT = "We are sorry for the trouble, our team is looking into it and will update you soon."


def test_near_identical_public_reply_warns_then_needs_confirmation(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    first = _cid(ui_world, "5", "the app is broken again", "dee", "Dee Lee")
    second = _cid(ui_world, "6", "cannot log in since this morning", "eve", "Eve Stone")
    data = {"text": SCRIPT, "visibility": "public"}
    assert (
        ui_client.post(f"/conversations/{first}/reply", data=data, headers=htmx(ui_agent)).status_code == 200
    )
    quiet = ui_client.get(f"/conversations/{first}/unscripted", params={"text": "Something else entirely"})
    assert "Sounds scripted" not in quiet.text
    warned = ui_client.get(f"/conversations/{second}/unscripted", params={"text": SCRIPT.upper()})
    assert "Sounds scripted" in warned.text and "100%" in warned.text
    assert "Greet them by name: Eve." in warned.text
    assert "cannot log in since this morning" in warned.text  # their own words
    held = ui_client.post(f"/conversations/{second}/reply", data=data, headers=htmx(ui_agent))
    assert held.status_code == 409
    assert 'name="confirm_unscripted" value="1"' in held.text
    with ui_world.runtime.read_uow() as uow:
        assert len(get_conversation_detail(uow, ui_world.ada, second).messages) == 1  # nothing sent
    sent = ui_client.post(
        f"/conversations/{second}/reply", data={**data, "confirm_unscripted": "1"}, headers=htmx(ui_agent)
    )
    assert sent.status_code == 200
    personal = "Eve, sorry you cannot log in since this morning: a fix is going out now."
    ok = ui_client.post(
        f"/conversations/{second}/reply",
        data={"text": personal, "visibility": "public"},
        headers=htmx(ui_agent),
    )
    assert ok.status_code == 200
    with ui_world.runtime.read_uow() as uow:
        shares = get_scripted_shares(uow, ui_world.ada, SINCE, UNTIL)
    assert (shares.replies, shares.near_identical) == (3, 1)
    [row] = shares.rows
    assert row.agent == "Ada Byron" and row.share == pytest.approx(33.3)
    api = ui_client.get("/api/v1/analytics/unscripted", headers={"X-CSRF-Token": ui_agent}).json()
    assert (api["public_replies"], api["near_identical"]) == (3, 1)
    assert api["rows"][0]["agent"] == "Ada Byron" and api["rows"][0]["share"] == pytest.approx(33.3)
    assert "1 of 3 public replies (33.3%)" in ui_client.get("/mission").text
    check = ui_client.post(
        f"/api/v1/conversations/{first}/reply-check",
        json={"text": SCRIPT},
        headers={"X-CSRF-Token": ui_agent},
    ).json()
    assert check["near_identical"] and check["similarity"] == 1.0 and check["similar_to"]["text"] == SCRIPT
    assert any("Dee" in hint for hint in check["hints"])


def test_private_messages_are_not_checked(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    cid = _cid(ui_world, "7", "help", "fay", "Fay")
    answer = ui_client.get(
        f"/conversations/{cid}/unscripted", params={"text": SCRIPT, "visibility": "private"}
    )
    assert answer.status_code == 200 and "Sounds scripted" not in answer.text


def test_another_agent_s_insert_id_is_not_counted_for_my_reply(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, refund: int
) -> None:
    cid = _cid(ui_world, "8", "where is my refund", "gil", "Gil")
    other, other_token = login_client(ui_world.app, "c@x.io")  # Carl inserts; Ada sends with his id
    with other:
        other.get(f"/conversations/{cid}")
        theirs = _insert(other, other_token, cid, refund)
    with ui_world.runtime.read_uow() as uow:
        [shown] = uow.kb_suggestions.shown(ui_world.ada.workspace_id, cid, ui_world.carl.id).values()
    data = {"text": shown.inserted_text or "", "visibility": "public", "kb_inserts": f"{theirs},abc,99999999"}
    assert ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent)).status_code == 200
    with ui_world.runtime.read_uow() as uow:
        figures = get_kb_acceptance(uow, ui_world.ada, SINCE, UNTIL)
    assert (figures.overall.inserted, figures.overall.sent) == (1, 0)


def test_a_near_identical_reply_refused_without_javascript_keeps_the_text(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    first = _cid(ui_world, "9", "broken", "hal", "Hal")
    second = _cid(ui_world, "10", "broken too", "ivy", "Ivy")
    plain = {"text": SCRIPT, "visibility": "public", "csrf_token": ui_agent}
    assert ui_client.post(f"/conversations/{first}/reply", data=plain).status_code in (
        200,
        303,
    )  # 200: a promise
    held = ui_client.post(f"/conversations/{second}/reply", data=plain)
    assert held.status_code == 409
    assert f">{SCRIPT}</textarea>" in held.text  # the box keeps the reply to edit
    assert "Sounds scripted" in held.text and 'name="confirm_unscripted" value="1"' in held.text
