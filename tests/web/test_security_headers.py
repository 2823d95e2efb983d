"""Every answer carries the security headers: pages, API answers, the middlewares' own refusals,
errors; a header a route set itself is kept."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app
from socialdesk.web.security_headers import SECURITY_HEADERS, SecurityHeaders


def _has_all(headers: object) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name  # type: ignore[index]


def test_every_kind_of_answer_carries_them(runtime: Runtime) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        for answer in (
            client.get("/api/v1/health"),  # 200
            client.get("/api/v1/conversations"),  # 401
            client.get("/api/v1/nowhere"),  # 404
            client.get("/api/v1/health?x=%00"),  # RefuseNul's 422
            client.get("/login"),  # a page
        ):
            _has_all(answer.headers)
            assert len(answer.headers.get_list("content-security-policy")) == 1


def test_a_header_the_route_set_is_kept() -> None:
    app = FastAPI()

    @app.get("/framed")
    def framed() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"X-Frame-Options": "SAMEORIGIN"})

    app.add_middleware(SecurityHeaders)
    answer = TestClient(app).get("/framed")
    assert answer.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert answer.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
