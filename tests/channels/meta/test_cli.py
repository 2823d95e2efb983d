"""`socialdesk channels add facebook|instagram` and `channels test` against a fake Graph on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.channels.integration.conftest import KEY
from tests.channels.meta.fake_graph import FakeGraph
from tests.channels.support import live_server

runner = CliRunner()
PAGE_ID = "104912345678901"
TOKEN = "EAAG-page-token-cli"
APP_SECRET = "meta-app-secret-cli"
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_SECRET_KEY", KEY)
    monkeypatch.setenv("SOCIALDESK_TRIAGE", "false")
    monkeypatch.setenv("META_PAGE_TOKEN", TOKEN)
    monkeypatch.setenv("META_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("SOCIALDESK_ALLOW_PRIVATE_URLS", "true")  # the fake Graph is on loopback


def add(sqlite_url: str, url: str) -> list[str]:
    return [
        *(
            "channels",
            "add",
            "facebook",
            PAGE_ID,
            "--setting",
            f"page_id={PAGE_ID}",
            "--setting",
            f"api_url={url}",
        ),
        *("--secret-env", "page_token=META_PAGE_TOKEN", "--secret-env", "app_secret=META_APP_SECRET"),
        *("--db", sqlite_url),
    ]


def test_add_a_page_then_test_it_and_see_an_expired_token_explained(sqlite_url: str) -> None:
    fake = FakeGraph(PAGE_ID, TOKEN, datetime(2024, 4, 4, tzinfo=UTC))
    with live_server(fake.app()) as url:
        added = runner.invoke(app, add(sqlite_url, url))
        assert added.exit_code == 0, added.output
        assert "verify_token" in added.output  # generated and shown once
        assert "/api/v1/webhooks/facebook/1" in added.output
        ok = runner.invoke(app, ["channels", "test", f"facebook:{PAGE_ID}", "--db", sqlite_url])
        assert ok.exit_code == 0, ok.output
        assert "connected to Nimbus Cares through the Graph API" in ok.output
        fake.token = "a-newer-token"  # the stored one was revoked
        expired = runner.invoke(app, ["channels", "test", f"facebook:{PAGE_ID}", "--db", sqlite_url])
    assert expired.exit_code == 1
    assert "needs re-authorisation: the Page token no longer works (Graph error 190/460" in expired.output
    assert TOKEN not in added.output + ok.output + expired.output
    assert APP_SECRET not in added.output + ok.output + expired.output


def test_a_page_id_that_is_not_numeric_is_refused(sqlite_url: str) -> None:
    bad = runner.invoke(
        app,
        [
            *("channels", "add", "facebook", "acme", "--setting", "page_id=acme"),
            *("--secret-env", "page_token=META_PAGE_TOKEN", "--secret-env", "app_secret=META_APP_SECRET"),
            *("--db", sqlite_url),
        ],
    )
    assert bad.exit_code == 1
    assert "page_id is the account's numeric Graph id" in bad.output
