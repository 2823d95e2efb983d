"""`/api/v1/analytics/*` on SQLite and PostgreSQL: auth, numbers, CSV (and its escaping), isolation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.ports.listening import NewMonitor
from socialdesk.runtime import Runtime
from socialdesk.web.api.analytics import csv_text
from socialdesk.web.app import create_app
from tests.analytics.world import HOSTILE_MONITOR, World, build_world
from tests.conftest import T0

FORMULA = '=HYPERLINK("http://evil","x")'
RANGE = {"from": "2026-01-05T09:00:00Z", "to": "2026-01-05T11:00:00Z"}
PATHS = ["/api/v1/analytics/now", "/api/v1/analytics/trends", "/api/v1/analytics/equity"]


@dataclass
class Client:
    http: TestClient
    world: World
    acme: dict[str, str]  # Ada's bearer header
    beta: dict[str, str]  # Bo's

    def get(self, path: str, params: dict[str, str], headers: dict[str, str] | None = None) -> object:
        answer = self.http.get(path, params=params, headers=self.acme if headers is None else headers)
        assert answer.status_code == 200, answer.text
        return answer.json() if params.get("format") != "csv" else answer.text


@pytest.fixture
def api(runtime: Runtime, clock: FixedClock) -> Iterator[Client]:
    world = build_world(runtime.uow, clock)
    with runtime.uow() as uow:
        rival = NewMonitor(FORMULA, "x", MonitorKind.COMPETITOR, MonitorMode.LISTENING)
        uow.monitors.add(world.acme, rival, T0)
        acme = do_create_api_token(uow, world.ada, "t", clock.now())
        beta = do_create_api_token(uow, world.bob, "t", clock.now())
        uow.commit()
    with TestClient(create_app(runtime), base_url="https://testserver") as http:
        yield Client(http, world, {"Authorization": f"Bearer {acme}"}, {"Authorization": f"Bearer {beta}"})


def test_analytics_api(api: Client) -> None:
    """One world per back-end (building it is most of the cost); every endpoint checked on it."""
    for check in (_authentication, _now, _trends_and_equity, _bad_ranges, _csv_of_every_chart, _isolation):
        check(api)


def _authentication(api: Client) -> None:
    for path in PATHS:
        assert api.http.get(path).status_code == 401
        assert api.http.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert api.http.get(path, params={"format": "csv"}).status_code == 401


def _now(api: Client) -> None:
    now = api.get("/api/v1/analytics/now", {"minutes": "60"})
    assert now == {
        "now": "2026-01-05T10:20:00Z",
        "window_minutes": 60,
        "posts_per_minute": 0.07,
        "posts_per_minute_by_channel": {"bluesky": 0.02, "x": 0.05},
        "posts_per_minute_by_monitor": {"Acme": 0.03, HOSTILE_MONITOR: 0.02, "Outage": 0.02},
        "open_cases": 6,
        "open_cases_by_status": {"new": 3, "open": 3},
        "queue_by_team": {"billing": 1, "vip": 0},
        "queue_unrouted": 3,
        "oldest_waiting": {
            "conversation_id": api.world.conversations["p2"],
            "channel": "x",
            "waiting_since": "2026-01-05T09:05:00Z",
            "waiting_s": 4500,
        },
        "agents_online": 1,
        "agents_by_status": {"away": 1, "offline": 1, "online": 1},
        "sla_at_risk": 1,
        "sla_breached": 2,
    }


def _trends_and_equity(api: Client) -> None:
    trends = api.get("/api/v1/analytics/trends", {**RANGE, "bucket": "1h"})
    assert isinstance(trends, dict)
    assert [(b["start"], b["posts"], b["frt_median_s"], b["sla_attainment"]) for b in trends["buckets"]] == [
        ("2026-01-05T09:00:00Z", 5, 210.0, 60.0),
        ("2026-01-05T10:00:00Z", 2, None, 0.0),
    ]
    assert (trends["frt_p90_s"], trends["sla_attainment"], trends["sentiment_mean"]) == (1350.0, 50.0, -0.1)
    assert [(v["monitor"], v["share"]) for v in trends["share_of_voice"]] == [
        ("Acme", 60.0), (FORMULA, 0.0), (HOSTILE_MONITOR, 40.0),
    ]  # fmt: skip
    equity = api.get("/api/v1/analytics/equity", RANGE)
    assert isinstance(equity, dict)
    assert equity["ordinary"] == {"cases": 3, "responded": 1, "response_rate": 33.3, "median_frt_s": 1800.0}
    assert (equity["alert"], equity["reasons"]) == (False, [])


def _bad_ranges(api: Client) -> None:
    backwards = {"from": RANGE["to"], "to": RANGE["from"]}
    for params in [{"from": "2026-01-05T09:00:00"}, {**RANGE, "bucket": "7m"}, backwards]:
        assert api.http.get("/api/v1/analytics/trends", params=params, headers=api.acme).status_code == 422
    assert api.http.get("/api/v1/analytics/now", params={"minutes": "0"}, headers=api.acme).status_code == 422


def _rows(text: object) -> list[list[str]]:
    assert isinstance(text, str)
    return list(csv.reader(io.StringIO(text)))


def _csv_of_every_chart(api: Client) -> None:
    answer = api.http.get("/api/v1/analytics/trends", params={**RANGE, "format": "csv"}, headers=api.acme)
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="trends.csv"' in answer.headers["content-disposition"]
    rows = _rows(answer.text)
    assert rows[0][:4] == ["start", "posts", "sentiment_mean", "cases"]
    assert rows[1][:3] == ["2026-01-05T09:00:00+00:00", "5", "0.125"]
    assert rows[2][2] == "-1.0"  # numbers are never quoted, negative or not
    voice = _rows(api.get("/api/v1/analytics/trends", {**RANGE, "format": "csv", "chart": "voice"}))
    assert voice[1:] == [["Acme", "brand", "3", "60.0"], ["'" + FORMULA, "competitor", "0", "0.0"],
                         [HOSTILE_MONITOR, "competitor", "2", "40.0"]]  # fmt: skip
    equity = _rows(api.get("/api/v1/analytics/equity", {**RANGE, "format": "csv"}))
    assert equity[1] == ["under_100", "under 100", "2", "1", "50.0", "1800.0"]
    now = _rows(api.get("/api/v1/analytics/now", {"minutes": "60", "format": "csv"}))
    assert ["posts_per_minute_by_monitor", "Acme", "0.03"] in now
    assert ["sla_breached", "", "2"] in now


def test_csv_cells_cannot_become_formulas() -> None:
    text = csv_text(["=a", "b"], [["=1+1", "+x"], ["-x", "@x"], ["\tx", "\rx"], ["fine", -0.5], [None, 3]])
    assert _rows(text) == [
        ["'=a", "b"], ["'=1+1", "'+x"], ["'-x", "'@x"], ["'\tx", "'\rx"], ["fine", "-0.5"], ["", "3"],
    ]  # fmt: skip


def _isolation(api: Client) -> None:
    for path in PATHS:
        for params in ({**RANGE}, {**RANGE, "format": "csv"}, {**RANGE, "format": "csv", "chart": "voice"}):
            body = api.http.get(path, params=params, headers=api.beta).text
            assert HOSTILE_MONITOR.replace("beta ", "") not in body.replace(f"beta {HOSTILE_MONITOR}", "")
            assert FORMULA not in body
            assert '"Acme"' not in body and ",Acme," not in body
    now = api.get("/api/v1/analytics/now", {"minutes": "60"}, api.beta)
    assert isinstance(now, dict)
    assert now["open_cases"] == 7 and now["queue_by_team"] == {"billing": 7}
    equity = api.get("/api/v1/analytics/equity", RANGE, api.beta)
    assert isinstance(equity, dict)
    assert [t["cases"] for t in equity["tiers"]] == [7, 0, 0, 0, 0, 0]
