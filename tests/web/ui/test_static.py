"""Static files (a fixed allow-list) and the small display filters of the templates."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialdesk.web.ui import static
from socialdesk.web.ui.templating import (
    category_class,
    delivery_class,
    env,
    followers,
    label,
    sentiment_class,
    urgency_class,
    waiting_for,
)


@pytest.mark.parametrize(("name", "kind"), [("app.css", "text/css"), ("app.js", "text/javascript"),
                                            ("htmx.min.js", "text/javascript"),
                                            ("favicon.svg", "image/svg+xml")])  # fmt: skip
def test_allowed_files_are_served_with_their_type(ui_client: TestClient, name: str, kind: str) -> None:
    answer = ui_client.get(static.static_url(name))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(kind)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.content == (static.STATIC / name).read_bytes()


def test_browsers_find_the_icon_without_logging_in(ui_client: TestClient) -> None:
    answer = ui_client.get("/favicon.ico", follow_redirects=False)
    assert answer.status_code == 200
    assert answer.content == (static.STATIC / "favicon.svg").read_bytes()
    assert static.static_url("favicon.svg") in ui_client.get("/login").text


@pytest.mark.parametrize("name", ["VENDORED.md", "..%2Froutes.py", "%2E%2E%2F__init__.py", "nope.js"])
def test_nothing_else_is_served(ui_client: TestClient, name: str) -> None:
    assert ui_client.get(f"/static/{name}").status_code == 404
    assert ui_client.get("/static/../routes.py").status_code == 404


def test_static_urls_change_with_the_file() -> None:
    digest = hashlib.sha256((static.STATIC / "app.css").read_bytes()).hexdigest()[:12]
    assert static.static_url("app.css") == f"/static/app.css?v={digest}"
    with pytest.raises(KeyError):
        static.static_url("secrets.txt")


def test_vendored_htmx_is_the_recorded_version() -> None:
    vendored = (static.STATIC / "VENDORED.md").read_text()
    digest = hashlib.sha256((static.STATIC / "htmx.min.js").read_bytes()).hexdigest()
    assert digest in vendored
    assert 'version:"2.0.11"' in (static.STATIC / "htmx.min.js").read_text()


def test_every_template_escapes() -> None:
    assert env.autoescape is True
    templates = Path(env.loader.searchpath[0])  # type: ignore[union-attr]
    for path in templates.glob("*.html"):
        assert "|safe" not in path.read_text().replace(" ", ""), path.name
        assert "autoescape false" not in path.read_text(), path.name


NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "shown"),
    [(timedelta(seconds=5), "5 s"), (timedelta(minutes=12, seconds=59), "12 min"),
     (timedelta(hours=3), "3 h"), (timedelta(hours=3, minutes=12), "3 h 12 min"),
     (timedelta(days=2, hours=4), "2 d 4 h"), (timedelta(days=1), "1 d"), (timedelta(seconds=-30), "0 s")],
)  # fmt: skip
def test_waiting_for(ago: timedelta, shown: str) -> None:
    assert waiting_for(NOW - ago, NOW) == shown
    assert waiting_for(None, NOW) == "—"


def test_followers_and_delivery_classes() -> None:
    assert [followers(n) for n in (None, 1, 9_999, 12_345, 2_500_000)] == [
        "", "1 follower", "9,999 followers", "12k followers", "2.5M followers"
    ]  # fmt: skip
    assert delivery_class("failed") == "delivery-failed"
    assert delivery_class('x" onmouseover="y') == "delivery-other"


def test_triage_display_filters() -> None:
    assert [urgency_class(n) for n in (None, 0, 24, 25, 50, 74, 75, 100)] == [
        "urgency-low", "urgency-low", "urgency-low", "urgency-mid",
        "urgency-high", "urgency-high", "urgency-top", "urgency-top",
    ]  # fmt: skip
    assert label("outage_report") == "Outage report"
    assert category_class("outage_report") == "cat-outage_report"
    assert category_class('x" onclick="y') == "cat-other"
    assert sentiment_class("positive") == "sent-positive"
    assert sentiment_class("<b>") == "sent-neutral"
