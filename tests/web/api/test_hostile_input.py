"""Hostile input answers 4xx with a message saying what is wrong, never a server error: ids beyond
64 bits (in paths, bodies and filters), a cursor of deeply nested brackets."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from socialdesk.web.inputs import MAX_ID
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api

HUGE = 2**64


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", f"/api/v1/conversations/{HUGE}", None),
        ("post", f"/api/v1/conversations/{HUGE}/replies", {"text": "hi"}),
        ("post", f"/api/v1/cases/{2**63}/status", {"status": "open"}),
        ("delete", f"/api/v1/spam-rules/{HUGE}", None),
        ("get", f"/api/v1/problems/{HUGE}", None),
        ("post", "/api/v1/conversations/1/merge", {"source_id": HUGE}),
        ("post", "/api/v1/conversations/1/split", {"message_ids": [1, HUGE]}),
        ("post", "/api/v1/notifications/read", {"ids": [HUGE]}),
        ("post", "/api/v1/follow-ups", {"conversation_id": HUGE, "due_at": "2026-01-06T09:00:00Z"}),
        ("post", "/api/v1/cases/1/assign", {"assignee_id": HUGE}),
        ("get", f"/api/v1/conversations?team={HUGE}", None),
        ("get", f"/api/v1/conversations?assignee={HUGE}", None),
        ("get", "/api/v1/conversations?assignee=%C2%B2", None),  # '²' is a digit to str.isdigit
    ],
)
def test_ids_beyond_64_bits_answer_422(api: Api, method: str, path: str, body: object) -> None:
    kwargs = {"json": body} if body is not None else {}
    answer = api.client.request(method.upper(), path, headers=api.h(), **kwargs)
    assert answer.status_code == 422, answer.text
    detail = str(answer.json()["detail"])
    assert str(MAX_ID) in detail or "assignee: a user id" in detail


def test_the_largest_id_is_simply_not_found(api: Api) -> None:
    assert api.client.get(f"/api/v1/conversations/{MAX_ID}", headers=api.h()).status_code == 404


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every APIRoute of the app, inside included routers too (whatever way FastAPI holds them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (inner := getattr(route, "original_router", None)) is not None or hasattr(route, "routes"):
            yield from _api_routes((inner or route).routes)


def test_every_integer_path_parameter_is_an_id(api: Api) -> None:
    """A new route taking `int` instead of `Id` in its path fails here (the UI's routes too)."""
    checked, loose = 0, []
    for route in _api_routes(api.client.app.router.routes):  # type: ignore[attr-defined]
        for param in route.dependant.path_params:
            if param.field_info.annotation is not int:
                continue
            checked += 1
            bounds = {type(m).__name__: m for m in param.field_info.metadata}
            if getattr(bounds.get("Le"), "le", None) != MAX_ID or getattr(bounds.get("Ge"), "ge", None) != 1:
                loose.append(f"{route.path} {param.name}")
    assert checked > 40  # the API's and the UI's routes were all seen
    assert loose == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cursor",
    [
        base64.urlsafe_b64encode(b"[" * 20_000 + b"]" * 20_000).decode(),
        base64.urlsafe_b64encode(b"[" * 60 + b"]" * 60).decode(),  # short enough to be decoded
        base64.urlsafe_b64encode(b'[0, "2026-01-05T09:00:00+00:00", 18446744073709551616]').decode(),
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        "not base64 at all!",
    ],
)
def test_hostile_cursors_answer_422(api: Api, cursor: str) -> None:
    answer = api.client.get("/api/v1/conversations", params={"cursor": cursor}, headers=api.h())
    assert answer.status_code == 422, answer.text
    assert "cursor" in str(answer.json()["detail"])


@pytest.mark.parametrize(
    "query", ["(" * 200 + "wifi" + ")" * 200, "NOT " * 999 + "wifi", "(NOT " * 400 + "wifi" + ")" * 400]
)
@pytest.mark.parametrize("path", ["/api/v1/monitors", "/api/v1/monitors/preview"])
def test_deeply_nested_monitor_queries_answer_422_with_the_column(api: Api, path: str, query: str) -> None:
    answer = api.client.post(path, json={"name": "deep", "query": query}, headers=api.h())
    assert answer.status_code == 422, answer.text
    assert "more than 50 levels deep at column" in str(answer.json()["detail"])


def test_a_monitor_fifty_levels_deep_is_saved_and_matches(api: Api) -> None:
    query = "(" * 25 + "NOT " * 24 + "wifi" + ")" * 25
    answer = api.client.post("/api/v1/monitors", json={"name": "deep", "query": query}, headers=api.h())
    assert answer.status_code == 201, answer.text


def test_out_of_range_posts_are_reported_and_the_rest_of_the_batch_stored(api: Api) -> None:
    huge = _post(2)
    huge["author"] = {"id": "u2", "handle": "cust2", "followers": 2**63}
    posts = [_post(1), huge, _post(3, created_at="0001-01-01T00:00:00Z"), _post(4)]
    posts.append(_post(5, created_at="9999-12-31T23:00:00-05:00"))
    answer = api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h())
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert out["added"] == 2
    assert [(e["index"], e["field"]) for e in out["errors"]] == [
        (1, "author.followers"), (2, "created_at"), (4, "created_at")
    ]  # fmt: skip
    stored = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"]
    assert sorted(c["author_handle"] for c in stored) == ["cust1", "cust4"]


def test_a_nul_in_the_search_text_is_refused_not_a_match_for_everything(api: Api) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1, "wifi down"), _post(2)]}, headers=api.h())
    answer = api.client.get("/api/v1/conversations", params={"q": "\x00"}, headers=api.h())
    assert answer.status_code == 422
    assert "NUL" in answer.json()["detail"]
    for wildcard in ("%", "_"):  # LIKE wildcards are literal text
        found = api.client.get("/api/v1/conversations", params={"q": wildcard}, headers=api.h())
        assert found.json()["items"] == []


def test_a_post_with_a_nul_is_reported_and_the_rest_of_the_batch_stored(api: Api) -> None:
    posts = [_post(1, "wifi \x00 down"), _post(2)]
    out = api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h()).json()
    assert (out["added"], [(e["index"], e["field"]) for e in out["errors"]]) == (1, [(0, "text")])


def test_no_blank_docs_page_only_the_openapi_description(api: Api) -> None:
    """The Swagger UI page needed a CDN the CSP blocks (it rendered blank): it is gone, not broken."""
    assert api.client.get("/api/v1/docs").status_code == 404
    assert api.client.get("/api/v1/openapi.json").json()["info"]["title"] == "socialdesk"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/audit.csv?from=0001-01-01T00:00:00%2B01:00", None),
        ("GET", "/api/v1/analytics/equity?from=0001-01-01T00:00:00%2B01:00", None),
        ("GET", "/api/v1/analytics/trends?from=9999-12-31T23:59:59-05:00", None),
        ("POST", "/api/v1/follow-ups", {"conversation_id": 1, "due_at": "9999-12-31T23:00:00-05:00"}),
    ],
)
def test_instants_beyond_the_years_a_clock_can_hold_answer_422(
    api: Api, method: str, path: str, body: object
) -> None:
    answer = api.client.request(method, path, json=body, headers=api.h())
    assert answer.status_code == 422, answer.text
    assert "must fall in the years 1970-9999 (UTC)" in str(answer.json()["detail"])


def test_a_nan_coordinate_is_reported_not_stored(api: Api) -> None:
    post = json.dumps({**_post(1), "location": {"text": "Leeds", "lat": float("nan")}})  # writes NaN
    body = '{"posts": [' + post + "]}"
    headers = {**api.h(), "Content-Type": "application/json"}
    out = api.client.post("/api/v1/posts", content=body, headers=headers).json()
    assert (out["added"], out["errors"][0]["field"]) == (0, "location.lat")


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/teams", {"name": "Bil\x00ling"}, "name"),
        ("POST", "/api/v1/spam-rules", {"kind": "term", "value": "a\x00"}, "value"),
        ("PUT", "/api/v1/approval-rules", [{"kind": "term", "value": "\x00"}], "value"),
        ("GET", "/api/v1/conversations?channel=%00", None, ""),
        ("GET", "/api/v1/compose/count?channel=x&text=a%00b", None, ""),
    ],
)
def test_a_nul_anywhere_in_a_request_answers_422(
    api: Api, method: str, path: str, body: object, field: str
) -> None:
    """PostgreSQL cannot store a NUL: it used to fail the write with a 500 there."""
    answer = api.client.request(method, path, json=body, headers=api.h())
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "NUL character" in str(detail)
    if field:
        assert detail[0]["loc"][-1] == field
