"""The inbox pages past its first 100 rows (previous, next, counts), sorts by urgency, waiting time or
SLA deadline, and lets an agent say whether a case needs a reply."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.ui.care_world import sla_policy
from tests.web.ui.conftest import UiWorld, htmx, ui_post
from tests.web.ui.test_inbox import _conversation_links


def _pager(html: str) -> str:
    found = re.search(r'<span class="pager-count">([^<]+)</span>', html)
    assert found, "no pager"
    return found.group(1)


def test_the_inbox_pages_past_the_first_hundred_rows(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    ws = ui_world.ada.workspace_id
    ui_world.ingest(ws, *[ui_post(str(i), f"router down {i}", minutes_ago=300 - i) for i in range(230)])
    first = ui_client.get("/").text
    assert _pager(first) == "1–100 of 230 · page 1 of 3"
    assert 'rel="next" href="/?view=needs_reply&amp;page=2"' in first and 'rel="prev"' not in first
    second = ui_client.get("/", params={"page": 2}).text
    assert _pager(second) == "101–200 of 230 · page 2 of 3"
    assert 'rel="prev" href="/?view=needs_reply&amp;page=1"' in second and 'rel="next"' in second
    third = ui_client.get("/inbox/rows", params={"page": 3}).text
    assert _pager(third) == "201–230 of 230 · page 3 of 3" and 'rel="next"' not in third
    shown = [_conversation_links(ui_client.get("/", params={"page": n}).text) for n in (1, 2, 3)]
    assert [len(rows) for rows in shown] == [100, 100, 30]
    assert len({c for rows in shown for c in rows}) == 230  # every conversation once
    assert _pager(ui_client.get("/", params={"page": 99}).text).endswith("page 3 of 3")  # clamped

    # Longest waiting first: the first post written (300 minutes ago) leads.
    by_wait = ui_client.get("/", params={"sort": "waiting"}).text
    assert _conversation_links(by_wait)[0] == min(c for rows in shown for c in rows)
    assert "longest waiting first" in by_wait and '<option value="waiting" selected>' in by_wait
    assert 'href="/?view=mine&amp;sort=waiting"' in by_wait  # the tabs keep the order


def test_an_agent_says_a_case_needs_no_reply(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    sla_policy(ui_world, first_response_s=3600)
    ws = ui_world.ada.workspace_id
    [cid] = ui_world.ingest(ws, ui_post("1", "thanks, all good now", minutes_ago=5)).conversation_ids
    with ui_world.runtime.uow() as uow:
        conv = uow.conversations.get(ws, cid)
        assert conv is not None and conv.current_case_id
        case_id = conv.current_case_id
    assert _conversation_links(ui_client.get("/").text) == [cid]
    page = ui_client.get(f"/conversations/{cid}").text
    assert 'data-needs-reply="true"' in page and "m left" in page
    done = ui_client.post(
        f"/cases/{case_id}/needs-reply", data={"needs_reply": "false"}, headers=htmx(ui_agent)
    )
    assert done.status_code == 200, done.text
    assert 'data-needs-reply="false"' in done.text and "No reply needed (no SLA clock)" in done.text
    assert _conversation_links(ui_client.get("/").text) == []  # gone from Needs reply
    assert _conversation_links(ui_client.get("/", params={"view": "all"}).text) == [cid]
    bad = ui_client.post(
        f"/cases/{case_id}/needs-reply", data={"needs_reply": "maybe"}, headers=htmx(ui_agent)
    )
    assert bad.status_code == 422


def test_the_inbox_counts_its_pages_up_to_a_cap(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap the pager says "N+" and still offers the next page; the tabs say "99+"-style too."""
    from socialdesk.web.ui import inbox

    monkeypatch.setattr(inbox, "PAGES_CAP", 1)
    monkeypatch.setattr(inbox, "COUNT_CAP", 150)
    ws = ui_world.ada.workspace_id
    ui_world.ingest(ws, *[ui_post(str(i), f"router down {i}", minutes_ago=300 - i) for i in range(230)])
    first = ui_client.get("/").text
    assert _pager(first) == "1–100 of 100+ · page 1 of 2+"
    assert 'rel="next" href="/?view=needs_reply&amp;page=2"' in first
    assert re.search(r'Needs reply <span class="count-badge">150\+</span>', first)
    second = ui_client.get("/", params={"page": 2}).text
    assert _pager(second) == "101–200 of 200+ · page 2 of 3+" and 'rel="next"' in second
    third = ui_client.get("/", params={"page": 3}).text
    assert _pager(third) == "201–230 of 230 · page 3 of 3" and 'rel="next"' not in third
