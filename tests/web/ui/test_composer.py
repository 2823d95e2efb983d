"""The composer: stale-reply guard, character count with signature, saved replies, follow-ups."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.care.follow_ups import list_follow_ups
from socialdesk.actions.inbox.conversations import get_conversation_detail
from socialdesk.actions.inbox.replies import check_send_reply
from socialdesk.domain.post import Visibility
from tests.web.ui.care_world import saved_reply
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post
from tests.web.ui.test_inbox import HOSTILE_ATTR, HOSTILE_TEXT


@pytest.fixture
def cid(ui_world: UiWorld) -> int:
    post = ui_post("1", "my router is down", minutes_ago=30, name="Grace", handle="grace")
    [found] = ui_world.ingest(ui_world.ada.workspace_id, post).conversation_ids
    return found


def _texts(ui_world: UiWorld, cid: int) -> list[str]:
    with ui_world.runtime.uow() as uow:
        return [m.text for m in get_conversation_detail(uow, ui_world.ada, cid).messages]


def _seen(html: str) -> int:
    found = re.search(r'name="seen_message_id" value="(\d+)"', html)
    assert found
    return int(found.group(1))


def test_stale_reply_shows_the_new_messages_and_sends_only_when_confirmed(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    seen = _seen(ui_client.get(f"/conversations/{cid}").text)
    with ui_world.runtime.uow() as uow:  # a colleague answers meanwhile
        check_send_reply(uow, ui_world.carl, cid, "hello?? still down", Visibility.PUBLIC, datetime.now(UTC))
        uow.commit()
    data = {"text": "On it", "visibility": "public", "seen_message_id": str(seen)}
    stale = ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent))
    assert stale.status_code == 409
    assert 'id="composer-notice" hx-swap-oob="true"' in stale.text
    assert "1 new message" in stale.text
    assert "hello?? still down" in stale.text
    assert 'name="confirm_stale" value="1"' in stale.text
    assert 'name="text" value="On it"' in stale.text  # the refused reply rides along to send anyway
    assert _texts(ui_world, cid)[-1] == "hello?? still down ^CA"
    anyway = ui_client.post(
        f"/conversations/{cid}/reply", data={**data, "confirm_stale": "1"}, headers=htmx(ui_agent)
    )
    assert anyway.status_code == 200
    assert _texts(ui_world, cid)[-1] == "On it ^AB"
    # Up to date: no guard. Without JavaScript the plain form works the same way.
    fresh = _seen(ui_client.get(f"/conversations/{cid}").text)
    plain = {"text": "More soon", "seen_message_id": str(fresh), "csrf_token": ui_agent}
    assert ui_client.post(f"/conversations/{cid}/reply", data=plain).status_code == 303


def test_compose_count_is_the_network_s_with_the_signature(
    ui_client: TestClient, ui_agent: str, cid: int
) -> None:
    public = ui_client.get(f"/conversations/{cid}/compose", params={"text": "Sorry about that"})
    assert public.status_code == 200
    assert "<html" not in public.text
    assert "Sorry about that ^AB" in public.text  # the signature preview
    assert "20 / 280" in public.text
    assert "260 left on x" in public.text
    private = ui_client.get(
        f"/conversations/{cid}/compose", params={"text": "Sorry", "visibility": "private"}
    )
    assert "^AB" not in private.text
    emoji = ui_client.get(f"/conversations/{cid}/compose", params={"text": "😀" * 150})
    # Too long: never shortened (issue 15, item 3); the overflow in red and the thread offer.
    assert "😀" * 150 + " ^AB" in emoji.text and "…" not in emoji.text
    assert "count-over" in emoji.text and "24 over</span> the x limit of 280" in emoji.text
    assert 'name="thread"' in emoji.text and "Send as a thread (2 posts)" in emoji.text
    ticked = ui_client.get(f"/conversations/{cid}/compose", params={"text": "😀" * 150, "thread": "1"})
    assert 'value="1" checked' in ticked.text


def test_saved_replies_are_listed_rendered_for_the_conversation(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    saved_reply(ui_world, ui_world.ada, "Apology", "Sorry {{customer.name}}, we are on it. {{agent.name}}")
    saved_reply(ui_world, ui_world.ada, "Hostile " + HOSTILE_TEXT, HOSTILE_ATTR)
    saved_reply(ui_world, ui_world.carl, "Carl's own", "not for Ada")
    found = ui_client.get(f"/conversations/{cid}/saved-replies", params={"q": "sorry"})
    assert found.status_code == 200
    assert 'data-text="Sorry Grace, we are on it. Ada Byron"' in found.text
    assert "Hostile" not in found.text
    every = ui_client.get(f"/conversations/{cid}/saved-replies").text
    assert "not for Ada" not in every
    assert "<script>alert" not in every and "<img" not in every
    assert "No saved replies match" in ui_client.get(f"/conversations/{cid}/saved-replies?q=zzz").text


def test_a_promise_is_proposed_as_a_follow_up_and_confirmed_in_one_click(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    data = {"text": "We will get back to you by tomorrow.", "visibility": "public"}
    sent = ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent))
    assert sent.status_code == 200
    assert "Confirm follow-up" in sent.text
    due = re.search(r'name="due_at" value="([^"]+)"', sent.text)
    assert due
    confirm = ui_client.post(
        f"/conversations/{cid}/follow-ups",
        data={"due_at": due.group(1), "note": "call back"},
        headers=htmx(ui_agent),
    )
    assert confirm.status_code == 200
    assert "Follow-up set for" in confirm.text
    with ui_world.runtime.uow() as uow:
        [follow] = list_follow_ups(uow, ui_world.ada, False, ui_world.runtime.clock.now())
    assert follow.conversation_id == cid
    assert follow.due_at == datetime.fromisoformat(due.group(1))
    past = ui_client.post(
        f"/conversations/{cid}/follow-ups",
        data={"due_at": "2000-01-01T00:00:00+00:00"},
        headers=htmx(ui_agent),
    )
    assert past.status_code == 422
    assert past.headers["HX-Retarget"] == "#flash"


def test_a_follow_up_can_be_attached_to_the_reply(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int
) -> None:
    local = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    data = {
        "text": "Checking with the team",
        "follow_up_due": local.strftime("%Y-%m-%dT%H:%M"),
        "follow_up_note": "check status",
        "tz_offset": "-120",  # the browser is two hours ahead of UTC
    }
    sent = ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent))
    assert sent.status_code == 200
    with ui_world.runtime.uow() as uow:
        [follow] = list_follow_ups(uow, ui_world.ada, False, ui_world.runtime.clock.now())
    assert follow.due_at == local - timedelta(hours=2)
    assert follow.note == "check status"
    bad = ui_client.post(
        f"/conversations/{cid}/reply", data={**data, "follow_up_due": "soon"}, headers=htmx(ui_agent)
    )
    assert bad.status_code == 422
    assert "not a date and time" in bad.text


@pytest.mark.parametrize(
    "path",
    ["/conversations/{cid}/reply", "/conversations/{cid}/follow-ups", "/conversations/{cid}/notes",
     "/conversations/{cid}/presence", "/queue/next"],
)  # fmt: skip
def test_posts_without_the_csrf_token_are_forbidden(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, cid: int, path: str
) -> None:
    data = {"text": "hi", "due_at": "2100-01-01T00:00:00+00:00", "state": "viewing"}
    for headers in ({}, {"X-CSRF-Token": "wrong"}, {"HX-Request": "true"}):
        assert ui_client.post(path.format(cid=cid), data=data, headers=headers).status_code == 403
    assert len(_texts(ui_world, cid)) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/conversations/{cid}/compose?text=hi"), ("get", "/conversations/{cid}/saved-replies"),
     ("get", "/conversations/{cid}/presence"), ("post", "/conversations/{cid}/presence"),
     ("post", "/conversations/{cid}/reply"), ("post", "/conversations/{cid}/follow-ups"),
     ("post", "/conversations/{cid}/notes")],
)  # fmt: skip
def test_another_workspace_gets_404(ui_world: UiWorld, cid: int, method: str, path: str) -> None:
    bob, token = login_client(ui_world.app, "b@y.io", "correct-horse-2")
    data = {"text": "hi", "due_at": "2100-01-01T00:00:00+00:00", "state": "viewing"}
    if method == "get":
        answer = bob.get(path.format(cid=cid))
    else:
        answer = bob.post(path.format(cid=cid), data=data, headers=htmx(token))
    assert answer.status_code == 404
    assert len(_texts(ui_world, cid)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("follow_up_due", "9999-12-31T23:59", "out of range"),  # + 2 hours overflowed (500)
        ("seen_message_id", str(2**64), ""),  # not an id: ignored, as any non-number is
    ],
)
def test_hostile_composer_fields_are_refused_or_ignored(
    ui_client: TestClient, ui_agent: str, cid: int, field: str, value: str, message: str
) -> None:
    data = {"text": "Checking", "tz_offset": "120", field: value}
    sent = ui_client.post(f"/conversations/{cid}/reply", data=data, headers=htmx(ui_agent))
    assert sent.status_code == (422 if message else 200), sent.text[:300]
    assert message in sent.text


def test_a_feed_conversation_offers_answered_elsewhere_instead_of_a_reply(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    # Issue 15, item 4: no reply form (nothing can be sent on a feed), a handoff to e-mail or phone (no
    # other channel is linked to this customer: handles on two networks are two contacts today), and
    # an explicit "answered elsewhere" that sets the case's first response.
    ws = ui_world.ada.workspace_id
    on_x = ui_post("x1", "router down", minutes_ago=40, handle="grace")
    on_feed = ui_post("f1", "router down, blog post", minutes_ago=30, handle="grace", channel="rss")
    [feed] = ui_world.ingest(ws, on_x, on_feed).conversation_ids - {_conv_of(ui_world, "x1")}
    page = ui_client.get(f"/conversations/{feed}").text
    assert 'id="reply-form"' not in page and "No reply from here" in page
    assert "it came from an RSS feed" in page and "hand off to e-mail or phone" in page
    refused = ui_client.post(f"/conversations/{feed}/reply", data={"text": "Sorry!", "csrf_token": ui_agent})
    assert refused.status_code == 422 and "answered elsewhere" in refused.text
    done = ui_client.post(
        f"/conversations/{feed}/answered-elsewhere",
        data={"via": "email", "reference": "ticket 4711", "csrf_token": ui_agent},
    )
    assert done.status_code == 303
    with ui_world.runtime.uow() as uow:
        detail = get_conversation_detail(uow, ui_world.ada, feed)
    assert detail.case is not None and detail.case.first_response_at is not None
    assert [m.delivery for m in detail.messages][-1] == "answered_elsewhere"
    assert "Answered elsewhere" in ui_client.get(f"/conversations/{feed}").text


def _conv_of(ui_world: UiWorld, ident: str) -> int:
    with ui_world.runtime.uow() as uow:
        ref = uow.messages.find_by_keys(ui_world.ada.workspace_id, [("x", ident)])[("x", ident)]
    assert ref.conversation_id is not None
    return ref.conversation_id
