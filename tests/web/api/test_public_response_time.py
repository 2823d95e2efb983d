"""The public expected response time: no token, cacheable, rate-limited, honest (the median first
response of the last hour, the live queue), the open incident's status text escaped, nothing private."""

from __future__ import annotations

from socialdesk.ports.care import IncidentRecord
from socialdesk.runtime import Runtime
from socialdesk.web.ratelimit import Rate, RateLimiter
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api

Q = {"workspace": "acme", "channel": "x", "brand": "@AcmeCares"}


def _reply(i: int, to: int, minute: int) -> dict[str, object]:
    return {
        **_post(i, "Sorry, we're on it", in_reply_to=str(to)),
        "created_at": f"2026-01-05T09:{minute:02d}:00Z",
        "author": {"id": "brand", "handle": "AcmeCares", "name": "Acme"},
    }


def test_the_median_first_response_of_the_last_hour_and_the_queue(api: Api, runtime: Runtime) -> None:
    customers = [_post(1, "private details 0123"), _post(2), _post(3), _post(4)]
    replies = [_reply(11, 1, 5), _reply(12, 2, 8), _reply(13, 3, 13)]  # 4, 6 and 10 minutes
    r = api.client.post("/api/v1/posts", json={"posts": customers + replies}, headers=api.h())
    assert r.status_code == 200, r.text

    r = api.client.get("/api/v1/public/response-time", params=Q)  # no token
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "public, max-age=60"
    body = r.json()
    assert (body["expected_minutes"], body["answered_last_hour"], body["waiting"]) == (6.0, 3, 1)
    assert body["status_text"] is None
    assert "private" not in r.text and "cust" not in r.text  # no texts, no customers

    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug("acme")
        assert ws is not None
        now = runtime.clock.now()
        uow.incidents.open(
            IncidentRecord(0, ws.id, "Outage", now, "confirmed", status_text="Leeds <b>down</b>: fixing it")
        )
        uow.incidents.open(IncidentRecord(0, ws.id, "Old", now, "resolved", status_text="old news"))
        uow.commit()
    assert api.client.get("/api/v1/public/response-time", params=Q).json()["status_text"] == (
        "Leeds <b>down</b>: fixing it"
    )
    page = api.client.get("/api/v1/public/response-time.html", params=Q)
    assert page.status_code == 200 and page.headers["cache-control"] == "public, max-age=60"
    assert "about 6 min" in page.text
    assert "Leeds &lt;b&gt;down&lt;/b&gt;: fixing it" in page.text and "<b>" not in page.text


def test_too_few_replies_give_no_figure_and_unknown_brands_404(api: Api) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1), _reply(11, 1, 5)]}, headers=api.h())
    body = api.client.get("/api/v1/public/response-time", params=Q).json()
    assert body["expected_minutes"] is None and body["answered_last_hour"] == 1
    for other in ({**Q, "brand": "Nobody"}, {**Q, "workspace": "nope"}, {**Q, "channel": "mastodon"}):
        assert api.client.get("/api/v1/public/response-time", params=other).status_code == 404
    # beta has no brand account of that name: workspaces are kept apart
    assert (
        api.client.get("/api/v1/public/response-time", params={**Q, "workspace": "beta"}).status_code == 404
    )


def test_a_client_asking_too_often_is_told_to_wait(api: Api) -> None:
    api.client.app.state.public_status_limiter = RateLimiter(Rate(capacity=2, per_seconds=600.0))  # type: ignore[attr-defined]
    codes = [api.client.get("/api/v1/public/response-time", params=Q).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = api.client.get("/api/v1/public/response-time.html", params=Q)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
