"""Mission control: the wall screen renders the figures, escapes hostile names, flags inequity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.actions.inbox.replies import check_send_reply
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.domain.post import Visibility
from socialdesk.ports.listening import NewMonitor
from socialdesk.web.ui import static
from tests.web.ui.conftest import OTHER_PASSWORD, LoginFn, UiWorld, ui_post

HOSTILE_MONITOR = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def _seed(ui_world: UiWorld) -> None:
    """Five ordinary customers nobody answered, five influencers answered: the equity alert fires."""
    acme = ui_world.ada.workspace_id
    ordinary = [ui_post(f"o{i}", "my wifi is down", minutes_ago=30 + i, followers=10) for i in range(5)]
    famous = [ui_post(f"f{i}", "my wifi is down", minutes_ago=30 + i, followers=50_000) for i in range(5)]
    ui_world.ingest(acme, *ordinary, *famous)
    now = datetime.now(UTC)
    with ui_world.runtime.uow() as uow:
        rival = uow.monitors.add(
            acme, NewMonitor(HOSTILE_MONITOR, "x", MonitorKind.COMPETITOR, MonitorMode.LISTENING), now
        )
        brand = uow.monitors.add(
            acme, NewMonitor("Acme", "acme", MonitorKind.BRAND, MonitorMode.LISTENING), now
        )
        refs = uow.messages.find_by_keys(acme, [("x", p.id) for p in ordinary + famous])
        uow.monitors.record_matches(acme, [(rival.id, refs[("x", "o0")].id), (brand.id, refs[("x", "f0")].id),
                                           (brand.id, refs[("x", "f1")].id)], now)  # fmt: skip
        for p in famous:
            conversation = refs[("x", p.id)].conversation_id
            assert conversation is not None
            check_send_reply(uow, ui_world.ada, conversation, "Sorry, on it", Visibility.PUBLIC, now)
        uow.commit()
    # Answered means delivered: the first response is set when the outbox confirms the send.
    rt = ui_world.runtime
    assert do_dispatch_outbox(rt.uow, {}, rt.clock, default=SimulatedSender()).sent == len(famous)


@pytest.fixture
def seeded(ui_world: UiWorld) -> UiWorld:
    _seed(ui_world)
    return ui_world


def test_mission_needs_a_login(ui_client: TestClient) -> None:
    answer = ui_client.get("/mission")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=/mission")
    assert ui_client.get("/mission/panels").status_code == 303


def test_mission_page_shows_the_figures(seeded: UiWorld, ui_client: TestClient, ui_agent: str) -> None:
    page = ui_client.get("/mission")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/mission" aria-current="page">Mission control</a>' in html
    assert static.static_url("mission.js") in html and static.static_url("mission.css") in html
    assert 'data-mission-url="/mission/panels"' in html
    assert "<script>" not in html.replace(
        f'<script src="{static.static_url("mission.js")}" defer></script>', ""
    )
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 7  # 2 now, 4 trends, share of voice
    assert '<span class="big-value">10</span><span class="big-label">open cases</span>' in html
    for csv_link in ("/api/v1/analytics/now?minutes=15&amp;format=csv", "format=csv&amp;chart=voice",
                     "/api/v1/analytics/equity?from="):  # fmt: skip
        assert csv_link in html
    assert "equity-alert" in html
    assert "Equity alert:" in html
    assert "answered 0% of the time, accounts over 10k 100%" in html


def test_hostile_monitor_names_are_escaped(seeded: UiWorld, ui_client: TestClient, ui_agent: str) -> None:
    for path in ("/mission", "/mission/panels"):
        html = ui_client.get(path).text
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the by-monitor and share-of-voice charts


def test_panels_are_a_fragment(seeded: UiWorld, ui_client: TestClient, ui_agent: str) -> None:
    answer = ui_client.get("/mission/panels")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "<html" not in answer.text
    assert 'class="mission-numbers"' in answer.text


def test_another_workspace_sees_none_of_it(seeded: UiWorld, ui_client: TestClient, ui_login: LoginFn) -> None:
    assert ui_login("b@y.io", OTHER_PASSWORD, "/mission").status_code == 303
    html = ui_client.get("/mission").text
    assert "alert(1)" not in html and "&lt;script&gt;" not in html
    assert '<span class="big-value">0</span><span class="big-label">open cases</span>' in html
    assert "equity-alert" not in html


@pytest.mark.parametrize(("name", "kind"), [("mission.js", "text/javascript"), ("mission.css", "text/css")])
def test_mission_static_files(ui_client: TestClient, name: str, kind: str) -> None:
    answer = ui_client.get(static.static_url(name))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(kind)
