"""Triage in the UI: badges, explanation, private data masked, monitors, one-click corrections, urgency."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.triage import Triager
from socialdesk.web.ui.templating import urgency_class
from socialdesk.web.ui.triage_view import join_words, masked_text, triage_view
from tests.web.ui.conftest import LoginFn, UiWorld, session_token, ui_post
from tests.web.ui.test_inbox import HOSTILE_ATTR, HOSTILE_TEXT

PHONE = "+1 415 555 0199"
EMAIL = "jo@example.com"
COMPLAINT = f"Acme internet down for 3 days!! call me at {PHONE} or mail {EMAIL}"


def _add_monitor(ui_world: UiWorld, name: str, query: str) -> None:
    with ui_world.runtime.uow() as uow:
        check_create_monitor(uow, ui_world.ada, name=name, query=query, now=ui_world.runtime.clock.now())
        uow.commit()


@pytest.fixture
def triaged(ui_world: UiWorld, ui_triager: Triager) -> tuple[int, Message]:
    """A conversation opened by a complaint with a phone number and an email; its first message."""
    _add_monitor(ui_world, "Acme care", "acme")
    [cid] = ui_world.ingest_triaged(
        ui_triager, ui_world.ada.workspace_id, ui_post("1", COMPLAINT, minutes_ago=30, handle="jo")
    ).conversation_ids
    return cid, _first_message(ui_world, cid)


def _first_message(ui_world: UiWorld, cid: int) -> Message:
    with ui_world.runtime.uow() as uow:
        return uow.messages.list_for_conversation(ui_world.ada.workspace_id, cid)[0]


def _triage(ui_world: UiWorld, cid: int) -> dict[str, Any]:
    triage = _first_message(ui_world, cid).triage
    assert triage is not None
    return triage


def test_conversation_shows_triage_badges_explanation_monitors_and_language(
    ui_client: TestClient, ui_agent: str, triaged: tuple[int, Message]
) -> None:
    cid, message = triaged
    triage = message.triage
    assert triage is not None
    html = ui_client.get(f"/conversations/{cid}").text
    category, sentiment = triage["category"], triage["sentiment"]
    assert re.search(
        rf'class="badge cat-{category}" title="Category">{category.replace("_", " ").capitalize()}', html
    )
    assert re.search(rf'class="badge sent-{sentiment}" title="Sentiment">{sentiment.capitalize()}', html)
    assert ("Needs reply" if triage["needs_reply"] else "No reply needed") in html
    urgency = triage["urgency"]
    assert f'class="urgency {urgency_class(urgency)}" title="Urgency, 0 to 100">Urgency {urgency}<' in html
    assert f'<span class="lang" title="Language">{triage["language"]}</span>' in html
    assert '<span class="monitor-name">Acme care</span>' in html
    why = html.split('<details class="why">')[1].split("</details>")[0]
    assert triage["explanation"]
    assert all(f"<li>{escape(line)}</li>" in why for line in triage["explanation"])
    assert "(corrected)" not in html


def test_private_data_is_masked_with_a_warning_and_a_show_toggle(
    ui_client: TestClient, ui_agent: str, triaged: tuple[int, Message]
) -> None:
    cid, _message = triaged
    for path in (f"/conversations/{cid}", f"/conversations/{cid}/live"):
        html = ui_client.get(path).text
        assert (
            "This post shows a phone number and an email address. Move the conversation to a private channel."
            in html
        )
        assert "•" * len(PHONE) in html
        assert "•" * len(EMAIL) in html
        # The data itself is only inside the closed "show" toggle.
        assert html.count(PHONE) == 1
        assert html.count(EMAIL) == 1
        reveal = html.split('<details class="reveal">')[1].split("</details>")[0]
        assert PHONE in reveal and EMAIL in reveal
        assert '<details class="reveal" open' not in html


def test_inbox_rows_show_urgency_and_keep_the_backend_order(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    ws = ui_world.ada.workspace_id
    ui_world.ingest_triaged(
        ui_triager,
        ws,
        ui_post("1", "thanks, love it", minutes_ago=90, followers=2_000_000),
        ui_post("2", "outage!! nothing works, internet down for hours, fix it now", minutes_ago=5),
    )
    html = ui_client.get("/inbox/rows", params={"view": "all"}).text
    shown = [
        (int(cid), int(urgency), band)
        for cid, band, urgency in re.findall(
            r'href="/conversations/(\d+)".*?class="urgency (urgency-\w+)"[^>]*>'
            r'<span class="visually-hidden">Urgency </span>(\d+)</span>',
            html,
            re.S,
        )
    ]
    assert len(shown) == 2
    assert all(band == urgency_class(urgency) for _cid, urgency, band in shown)
    urgencies = [urgency for _cid, urgency, _band in shown]
    assert urgencies == sorted(urgencies, reverse=True)  # most urgent first, followers never count
    assert "most urgent first, then longest waiting" in html
    # Category and sentiment badges of each conversation's newest customer message.
    assert 'class="badge cat-outage_report" title="Category"' in html or 'class="badge cat-complaint"' in html
    assert 'class="badge sent-negative" title="Sentiment"' in html


def test_inbox_rows_mask_private_data_and_flag_it(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", COMPLAINT, minutes_ago=5))
    for html in (ui_client.get("/").text, ui_client.get("/inbox/rows").text):
        assert PHONE not in html and EMAIL not in html
        assert "•" * len(PHONE) in html
        assert 'aria-label="This post shows a phone number and an email address."' in html


def _correct(
    client: TestClient, message_id: int, data: dict[str, str], headers: dict[str, str] | None = None
) -> Any:
    return client.post(f"/messages/{message_id}/triage", data=data, headers=headers or {})


def test_correction_by_htmx_shows_the_corrected_badge(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, triaged: tuple[int, Message]
) -> None:
    cid, message = triaged
    label = "praise" if message.triage and message.triage["category"] != "praise" else "question"
    answer = _correct(
        ui_client,
        message.id,
        {"field": "category", "label": label},
        {"HX-Request": "true", "X-CSRF-Token": ui_agent},
    )
    assert answer.status_code == 200
    assert "<html" not in answer.text
    assert re.search(
        rf'class="badge cat-{label}" title="Category">\w+ <span class="corrected">\(corrected\)', answer.text
    )
    assert f'name="label" value="{label}" aria-pressed="true" disabled' in answer.text
    assert _triage(ui_world, cid)["category"] == label
    assert _triage(ui_world, cid)["corrected"] == ["category"]
    with ui_world.runtime.uow() as uow:
        [feedback] = uow.rules.feedback(ui_world.ada.workspace_id)
    assert (feedback.field, feedback.label) == ("category", label)


def test_correction_by_plain_form_redirects_to_the_message(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, triaged: tuple[int, Message]
) -> None:
    cid, message = triaged
    answer = _correct(
        ui_client, message.id, {"field": "needs_reply", "label": "false", "csrf_token": ui_agent}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/conversations/{cid}#message-{message.id}"
    html = ui_client.get(answer.headers["location"]).text
    assert 'No reply needed <span class="corrected">(corrected)</span>' in html
    assert _triage(ui_world, cid)["needs_reply"] is False
    _correct(ui_client, message.id, {"field": "sentiment", "label": "positive", "csrf_token": ui_agent})
    assert _triage(ui_world, cid)["corrected"] == ["needs_reply", "sentiment"]


def test_invalid_correction_is_refused_with_a_message(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, triaged: tuple[int, Message]
) -> None:
    cid, message = triaged
    before = _triage(ui_world, cid)
    for data in ({"field": "urgency", "label": "90"}, {"field": "sentiment", "label": "furious"}):
        answer = _correct(ui_client, message.id, {**data, "csrf_token": ui_agent}, {"HX-Request": "true"})
        assert answer.status_code == 422
        assert "Not corrected:" in answer.text
    assert _triage(ui_world, cid) == before


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"])
def test_correction_without_the_csrf_token_is_forbidden(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, triaged: tuple[int, Message], csrf: str | None
) -> None:
    cid, message = triaged
    before = _triage(ui_world, cid)
    extra = {} if csrf is None else {"csrf_token": csrf}
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    answer = _correct(ui_client, message.id, {"field": "category", "label": "spam", **extra}, headers)
    assert answer.status_code == 403
    assert _triage(ui_world, cid) == before


def test_correcting_another_workspaces_message_is_not_found(
    ui_client: TestClient, ui_login: LoginFn, ui_world: UiWorld, triaged: tuple[int, Message]
) -> None:
    cid, message = triaged
    before = _triage(ui_world, cid)
    assert ui_login("b@y.io", "correct-horse-2").status_code == 303
    bob = session_token(ui_client.get("/").text)
    for message_id in (message.id, 999_999):
        answer = _correct(ui_client, message_id, {"field": "category", "label": "spam", "csrf_token": bob})
        assert answer.status_code == 404
    assert _triage(ui_world, cid) == before


def test_hostile_text_monitor_names_and_private_data_are_escaped(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    _add_monitor(ui_world, HOSTILE_TEXT + HOSTILE_ATTR, "acme")
    text = f"acme {HOSTILE_TEXT} {HOSTILE_ATTR} call {PHONE}"
    [cid] = ui_world.ingest_triaged(
        ui_triager, ui_world.ada.workspace_id, ui_post("1", text, minutes_ago=3)
    ).conversation_ids
    html = ui_client.get(f"/conversations/{cid}").text
    assert "<script>alert" not in html
    assert "<img" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # monitor name, masked text, revealed
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "•" * len(PHONE) in html


def _message(text: str, triage: dict[str, Any] | None, direction: Direction = Direction.INBOUND) -> Message:
    return Message(
        id=7, workspace_id=1, conversation_id=1, channel="x", external_id="e", direction=direction,
        visibility=Visibility.PUBLIC, text=text, created_at=datetime(2026, 1, 5, tzinfo=UTC),
        author_handle="jo", author_name="Jo", triage=triage,
    )  # fmt: skip


def test_masking_trusts_offsets_only_when_they_still_point_at_the_data() -> None:
    text = "call 555-0199 or 555-0199"
    exact = {"private_data": [{"kind": "phone", "start": 5, "end": 13, "text": "555-0199"}]}
    assert masked_text(_message(text, exact)) == "call •••••••• or 555-0199"
    shifted = {"private_data": [{"kind": "phone", "start": 0, "end": 8, "text": "555-0199"}]}
    assert masked_text(_message(text, shifted)) == "call •••••••• or ••••••••"
    assert masked_text(_message(text, None)) == text


def test_triage_view_of_replies_and_untriaged_messages_is_none() -> None:
    triage = {"category": "question", "sentiment": "neutral", "needs_reply": True, "urgency": 20}
    assert triage_view(_message("hi", triage, Direction.OUTBOUND)) is None
    assert triage_view(_message("hi", None)) is None
    view = triage_view(_message("hi", {**triage, "private_data": [{"kind": "card_number", "text": "zz"}]}))
    assert view is not None
    assert view.private_warning == "This post shows a card number."
    assert (view.current("needs_reply"), view.current("category")) == ("true", "question")
    assert join_words(["a", "b", "c"]) == "a, b and c"


HANDLES_AND_MAIL = f"@NimbusCares@mastodon.social and @nimbus.bsky.social never answered, mail me at {EMAIL}"


def test_handles_stay_readable_while_the_email_beside_them_is_masked(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    [cid] = ui_world.ingest_triaged(
        ui_triager,
        ui_world.ada.workspace_id,
        ui_post("1", HANDLES_AND_MAIL, minutes_ago=3, channel="mastodon"),
    ).conversation_ids
    stored = _triage(ui_world, cid)["private_data"]
    assert [(p["kind"], p["text"]) for p in stored] == [("email", EMAIL)]
    for html in (ui_client.get(f"/conversations/{cid}").text, ui_client.get("/inbox/rows").text):
        assert "@NimbusCares@mastodon.social" in html and "@nimbus.bsky.social" in html
        assert "This post shows an email address." in html
        assert "•" * len(EMAIL) in html


def test_a_handle_that_older_triage_flagged_as_email_is_not_masked() -> None:
    text = "ping @NimbusCares@mastodon.social or bob@example.com"
    old = {"private_data": [
        {"kind": "email", "start": 6, "end": 33, "text": "NimbusCares@mastodon.social"},
        {"kind": "email", "start": 37, "end": 52, "text": "bob@example.com"},
    ]}  # fmt: skip
    assert masked_text(_message(text, old)) == "ping @NimbusCares@mastodon.social or " + "•" * 15
    view = triage_view(_message(text, {"category": "other", **old}))
    assert view is not None and view.private_warning == "This post shows an email address."
    only_handle = {"category": "other", "private_data": old["private_data"][:1]}
    assert masked_text(_message(text, only_handle)) == text
    handle_view = triage_view(_message(text, only_handle))
    assert handle_view is not None and handle_view.private_kinds == ()
