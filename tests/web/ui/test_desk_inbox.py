"""The desk in the browser without JavaScript: bulk actions (bounded, CSRF, per-conversation result),
tags and the tag filter, compact rows and columns kept per user, saved views, time zones, snooze,
"resolve and next", and macros managed by leads and applied by agents."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from socialdesk.actions.case_tags import current_case
from socialdesk.domain.case import CaseStatus
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post
from tests.web.ui.test_inbox import _conversation_links

HOSTILE = "<b>x</b>"


def _three(ui_world: UiWorld) -> list[int]:
    ws = ui_world.ada.workspace_id
    posts = [ui_post(str(i), f"post {i}", minutes_ago=10 * (i + 1)) for i in range(3)]
    return sorted(ui_world.ingest(ws, *posts).conversation_ids)


def _status(ui_world: UiWorld, conversation_id: int) -> CaseStatus:
    with ui_world.runtime.read_uow() as uow:
        return current_case(uow, ui_world.ada, conversation_id).status


def test_bulk_resolve_without_javascript_says_what_happened(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, b, c = _three(ui_world)
    form = {"op": "resolve", "ids": [str(a), str(b), "999999"], "csrf_token": ui_agent, "back": "/?view=all"}
    assert ui_client.post("/inbox/bulk", data={**form, "csrf_token": ""}).status_code == 403
    assert _status(ui_world, a) is not CaseStatus.RESOLVED  # refused without its token: nothing changed
    answer = ui_client.post("/inbox/bulk", data=form)
    assert answer.status_code == 200
    assert "2 resolved, 1 refused: conversation 999999: conversation 999999." in answer.text
    assert 'href="/?view=all"' in answer.text
    assert (_status(ui_world, a), _status(ui_world, b)) == (CaseStatus.RESOLVED, CaseStatus.RESOLVED)
    assert _conversation_links(ui_client.get("/", params={"view": "all"}).text) == [c]
    with_htmx = ui_client.post("/inbox/bulk", data={**form, "ids": [str(c)]}, headers=htmx(ui_agent))
    assert with_htmx.headers["HX-Trigger"] == "inbox-refresh" and "1 resolved." in with_htmx.text


def test_ten_thousand_ids_are_refused_whole_and_the_answer_says_the_bound(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, _, _ = _three(ui_world)
    ids = [str(a)] + [str(n) for n in range(100_000, 109_999)]
    answer = ui_client.post("/inbox/bulk", data={"op": "resolve", "ids": ids, "csrf_token": ui_agent})
    assert answer.status_code == 422
    assert "10,000 conversations selected; a bulk action takes at most 500" in answer.text
    assert _status(ui_world, a) is not CaseStatus.RESOLVED


def test_tags_are_edited_escaped_bounded_and_filter_the_inbox(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, b, _ = _three(ui_world)
    saved = ui_client.post(f"/conversations/{a}/tags", data={"tags": "Billing, vip", "csrf_token": ui_agent})
    assert saved.status_code == 303
    page = ui_client.get(f"/conversations/{a}").text
    assert 'value="billing, vip"' in page
    bad = ui_client.post(f"/conversations/{b}/tags", data={"tags": HOSTILE, "csrf_token": ui_agent})
    assert bad.status_code == 422 and HOSTILE not in bad.text and "&lt;b&gt;x&lt;/b&gt;" in bad.text
    many = ", ".join(f"t{i}" for i in range(500))
    huge = ui_client.post(f"/conversations/{b}/tags", data={"tags": many, "csrf_token": ui_agent})
    assert huge.status_code == 422 and "at most 20" in huge.text
    assert _conversation_links(ui_client.get("/", params={"view": "all", "tag": "billing"}).text) == [a]
    assert "No open conversations" in ui_client.get("/", params={"view": "all", "tag": "nothing"}).text or (
        _conversation_links(ui_client.get("/", params={"view": "all", "tag": "nothing"}).text) == []
    )


def test_compact_rows_columns_and_time_zone_are_kept_per_user(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, _, _ = _three(ui_world)
    base = {"csrf_token": ui_agent, "back": "/?view=all"}
    assert (
        ui_client.post("/inbox/preferences", data={**base, "what": "compact", "compact": "on"}).status_code
        == 303
    )
    cols = ui_client.post("/inbox/preferences", data={**base, "what": "columns", "columns": ["tags", "sla"]})
    assert cols.status_code == 303 and cols.headers["location"] == "/?view=all"
    zone = ui_client.post("/inbox/preferences", data={**base, "what": "zone", "time_zone": "Asia/Tokyo"})
    assert zone.status_code == 303
    bad = ui_client.post("/inbox/preferences", data={**base, "what": "zone", "time_zone": "../../etc/passwd"})
    assert bad.status_code == 422 and "expected a name such as Europe/Paris" in bad.text
    page = ui_client.get("/", params={"view": "all"}).text
    assert 'class="inbox inbox-compact"' in page
    heads = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert heads == ["Message", "Tags", "SLA"]
    assert re.search(r"opened \d{4}-\d\d-\d\d \d\d:\d\d JST", ui_client.get(f"/conversations/{a}").text)
    carl, _ = login_client(ui_world.app, "c@x.io")  # another user keeps the defaults
    assert "inbox-compact" not in carl.get("/", params={"view": "all"}).text


def test_a_saved_view_reopens_with_its_filters_and_columns(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, b, _ = _three(ui_world)
    ui_client.post(f"/conversations/{a}/tags", data={"tags": "vip", "csrf_token": ui_agent})
    form = {
        "name": "VIPs",
        "spec": "view=all&tag=vip&page=3",
        "columns": ["customer", "tags"],
        "csrf_token": ui_agent,
    }
    saved = ui_client.post("/inbox/views", data=form)
    assert saved.status_code == 303
    reopened = ui_client.get(saved.headers["location"])
    assert _conversation_links(reopened.text) == [a] and "VIPs" in reopened.text
    assert re.findall(r'<th scope="col">([^<]+)</th>', reopened.text) == ["Customer", "Message", "Tags"]
    view_id = int(re.search(r"saved=(\d+)", saved.headers["location"]).group(1))  # type: ignore[union-attr]
    assert ui_client.get(f"/inbox/views/{view_id}").headers["location"].startswith("/?view=all&tag=vip")
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    assert carl.get(f"/inbox/views/{view_id}").status_code == 404  # personal: not Carl's to open
    assert carl.post(f"/inbox/views/{view_id}/delete", data={"csrf_token": carl_token}).status_code == 404
    assert b


def test_snooze_hides_until_woken_and_resolve_and_next_opens_the_next(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, b, c = _three(ui_world)
    snoozed = ui_client.post(f"/conversations/{a}/snooze", data={"snooze_for": "4", "csrf_token": ui_agent})
    assert snoozed.status_code == 303
    assert a not in _conversation_links(ui_client.get("/").text)
    assert _conversation_links(ui_client.get("/", params={"view": "snoozed"}).text) == [a]
    assert "Snoozed until" in ui_client.get(f"/conversations/{a}").text
    past = ui_client.post(
        f"/conversations/{b}/snooze",
        data={"snooze_for": "", "until": "2001-01-01T09:00", "csrf_token": ui_agent},
    )
    assert past.status_code == 422 and "that time has passed" in past.text
    ui_client.post(f"/conversations/{a}/snooze", data={"snooze_for": "wake", "csrf_token": ui_agent})
    assert a in _conversation_links(ui_client.get("/").text)
    nxt = ui_client.post(f"/conversations/{c}/resolve-next", data={"csrf_token": ui_agent})
    assert nxt.status_code == 303 and nxt.headers["location"] in (
        f"/conversations/{a}",
        f"/conversations/{b}",
    )
    assert _status(ui_world, c) is CaseStatus.RESOLVED


def test_leads_manage_macros_agents_apply_them(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, _, _ = _three(ui_world)
    carl, carl_token = login_client(ui_world.app, "c@x.io")
    refused = carl.get("/settings/macros")
    assert (
        refused.status_code == 403
        and "only admins and team leads create, change or delete macros" in refused.text
    )
    macro = {
        "name": HOSTILE,
        "body": "Hi {{customer.handle}}, the refund is on its way.",
        "tags": "refund",
        "status": "pending_customer",
        "assign": "me",
        "follow_up_hours": "48",
        "csrf_token": ui_agent,
    }
    assert ui_client.post("/settings/macros", data={**macro, "tags": 'a b"c'}).status_code == 422
    assert ui_client.post("/settings/macros", data=macro).status_code == 303
    listed = ui_client.get("/settings/macros").text
    assert HOSTILE not in listed and "&lt;b&gt;x&lt;/b&gt;" in listed
    with ui_world.runtime.read_uow() as uow:
        [made] = uow.macros.list(ui_world.ada.workspace_id)
    page = carl.get(f"/conversations/{a}").text
    assert 'data-macro-key="1"' in page
    applied = carl.post(f"/conversations/{a}/macros/{made.id}", data={"csrf_token": carl_token})
    assert applied.status_code == 303
    after = carl.get(f"/conversations/{a}").text
    assert re.search(r'class="msg-text">Hi @cust\d, the refund is on its way\.', after)  # filled in, queued
    assert 'value="refund"' in after and "Pending customer" in after
    with ui_world.runtime.read_uow() as uow:
        case = current_case(uow, ui_world.carl, a)
        actions = [e.action for e in uow.audit.between(ui_world.ada.workspace_id, None, None)]
    assert case.assignee_id == ui_world.carl.id and case.status is CaseStatus.PENDING_CUSTOMER
    assert {"macro_applied", "tags_changed", "assigned", "status_changed"} <= set(actions)


def test_bulk_assign_to_me_and_tag_refuse_bad_tags_before_any_change(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    a, b, _ = _three(ui_world)
    ids = [str(a), str(b)]
    bad = ui_client.post(
        "/inbox/bulk", data={"op": "tag", "tags": f"ok, {HOSTILE}", "ids": ids, "csrf_token": ui_agent}
    )
    assert bad.status_code == 422 and "Nothing changed: tag" in bad.text and HOSTILE not in bad.text
    assert _conversation_links(ui_client.get("/", params={"view": "all", "tag": "ok"}).text) == []
    mine = ui_client.post(
        "/inbox/bulk", data={"op": "assign", "assignee": "me", "ids": ids, "csrf_token": ui_agent}
    )
    assert "2 assigned." in mine.text
    assert sorted(_conversation_links(ui_client.get("/", params={"view": "mine"}).text)) == [a, b]
    tagged = ui_client.post(
        "/inbox/bulk", data={"op": "tag", "tags": "ok", "ids": ids, "csrf_token": ui_agent}
    )
    assert "2 tagged." in tagged.text
    assert sorted(_conversation_links(ui_client.get("/", params={"view": "all", "tag": "ok"}).text)) == [a, b]
