"""`socialdesk channels`: add (secrets from the environment or a prompt), list, test, backfill."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.channels.integration.conftest import KEY
from tests.channels.support import live_server, raw

runner = CliRunner()
TOKEN = "masto-token-5e5e1d"
pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_SECRET_KEY", KEY)
    monkeypatch.setenv("SOCIALDESK_TRIAGE", "false")
    monkeypatch.setenv("MASTO_TOKEN", TOKEN)
    monkeypatch.setenv("SOCIALDESK_ALLOW_PRIVATE_URLS", "true")  # the fake servers are on loopback


async def revoked(request: Request) -> Response:
    return JSONResponse({"error": "The access token was revoked"}, status_code=401)


async def feed(request: Request) -> Response:
    return Response(raw("rss", "rss2_feed.xml"), media_type="application/rss+xml")


def test_add_list_and_test_explain_401_and_unreachable(sqlite_url: str) -> None:
    fake = Starlette(routes=[Route("/api/v1/accounts/verify_credentials", revoked)])
    with live_server(fake) as url:
        add = runner.invoke(
            app,
            [
                *("channels", "add", "mastodon", "acme@social.example", "--instance-url", url),
                *("--token-env", "MASTO_TOKEN", "--db", sqlite_url),
            ],
        )
        assert add.exit_code == 0, add.output
        revoked_test = runner.invoke(
            app, ["channels", "test", "mastodon:acme@social.example", "--db", sqlite_url]
        )
    assert revoked_test.exit_code == 1
    assert "refused the credentials (HTTP 401): the token is wrong or was revoked" in revoked_test.output

    feed_add = [
        "channels",
        "add",
        "rss",
        "status",
        "--feed-url",
        "http://127.0.0.1:9/feed.xml",
        "--db",
        sqlite_url,
    ]
    assert runner.invoke(app, feed_add).exit_code == 0
    unreachable = runner.invoke(app, ["channels", "test", "rss:status", "--db", sqlite_url])
    assert unreachable.exit_code == 1
    assert "unreachable: no answer from 127.0.0.1:9" in unreachable.output

    listed = runner.invoke(app, ["channels", "list", "--db", sqlite_url])
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [line["channel"] for line in lines] == ["mastodon:acme@social.example", "rss:status"]
    assert lines[0]["state"] == "starting"
    assert TOKEN not in listed.output + add.output + revoked_test.output


def test_secrets_are_prompted_never_read_from_argv(sqlite_url: str) -> None:
    prompted = runner.invoke(
        app,
        ["channels", "add", "x", "AcmeCares", "--user-id", "783214", "--db", sqlite_url],
        input="x-token-typed\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert "x-token-typed" not in prompted.output  # the prompt hides what is typed
    hook = runner.invoke(app, ["channels", "add", "webhook", "forms", "--db", sqlite_url])
    assert hook.exit_code == 0
    assert "webhook secret (shown once" in hook.output
    assert "/api/v1/webhooks/generic/2" in hook.output


def test_missing_key_and_missing_env_fail_with_one_line(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_env = runner.invoke(
        app,
        ["channels", "add", "x", "a", "--user-id", "1", "--token-env", "NOPE_NOT_SET", "--db", sqlite_url],
    )
    assert no_env.exit_code == 1
    assert "NOPE_NOT_SET is not set" in no_env.output
    monkeypatch.delenv("SOCIALDESK_SECRET_KEY")
    no_key = runner.invoke(
        app, ["channels", "add", "x", "a", "--user-id", "1", "--token-env", "MASTO_TOKEN", "--db", sqlite_url]
    )
    assert no_key.exit_code == 1
    assert "SOCIALDESK_SECRET_KEY is not set" in no_key.output


def test_backfill_an_rss_feed_twice(sqlite_url: str) -> None:
    with live_server(Starlette(routes=[Route("/feed.xml", feed)])) as url:
        add = ["channels", "add", "rss", "news", "--feed-url", f"{url}/feed.xml", "--db", sqlite_url]
        assert runner.invoke(app, add).exit_code == 0
        first = runner.invoke(app, ["channels", "backfill", "rss:news", "--db", sqlite_url])
        second = runner.invoke(app, ["channels", "backfill", "1", "--db", sqlite_url])
    assert first.exit_code == 0, first.output
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["fetched"] == one["added"] > 0
    assert (two["added"], two["duplicates"]) == (0, one["added"])
    bad = runner.invoke(app, ["channels", "backfill", "news", "--since", "yesterday", "--db", sqlite_url])
    assert bad.exit_code == 1


def test_pause_resume_rotate_and_remove(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = ("--db", sqlite_url)
    add = ["channels", "add", "mastodon", "acme@social.example", "--instance-url", "https://social.example"]
    assert runner.invoke(app, [*add, "--token-env", "MASTO_TOKEN", *db]).exit_code == 0
    ref = "mastodon:acme@social.example"

    def listed() -> dict[str, object]:
        out = runner.invoke(app, ["channels", "list", *db]).stdout.splitlines()
        return dict(json.loads(out[0])) if out else {}

    paused = runner.invoke(app, ["channels", "pause", ref, *db])
    assert paused.exit_code == 0, paused.output
    assert (listed()["active"], listed()["reason"]) == (False, "paused by an admin")
    assert runner.invoke(app, ["channels", "resume", "1", *db]).exit_code == 0
    assert listed()["active"] is True

    monkeypatch.setenv("NEW_TOKEN", "masto-token-rotated")
    rotated = runner.invoke(app, ["channels", "rotate", ref, "--token-env", "NEW_TOKEN", *db])
    assert rotated.exit_code == 0, rotated.output
    assert "credentials replaced" in rotated.output and "masto-token-rotated" not in rotated.output
    assert listed()["reason"] == "reconfigured"
    prompted = runner.invoke(app, ["channels", "rotate", ref, *db], input="typed-token\n")
    assert prompted.exit_code == 0 and "typed-token" not in prompted.output

    missing = runner.invoke(app, ["channels", "pause", "mastodon:nobody", *db])
    assert missing.exit_code != 0 and "no channel account 'mastodon:nobody'" in missing.output
    kept = runner.invoke(app, ["channels", "remove", ref, *db], input="n\n")
    assert kept.exit_code != 0 and listed()
    removed = runner.invoke(app, ["channels", "remove", ref, "--yes", *db])
    assert removed.exit_code == 0, removed.output
    assert listed() == {}


def test_add_refuses_a_private_url_unless_allowed(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALDESK_ALLOW_PRIVATE_URLS")
    add = ["channels", "add", "rss", "intranet", "--feed-url", "http://10.1.2.3/feed.xml", "--db", sqlite_url]
    refused = runner.invoke(app, add)
    assert refused.exit_code == 1
    assert (
        "feed_url: http://10.1.2.3 is a private address; set SOCIALDESK_ALLOW_PRIVATE_URLS=true to allow it"
        in refused.output
    )
    monkeypatch.setenv("SOCIALDESK_ALLOW_PRIVATE_URLS", "true")
    assert runner.invoke(app, add).exit_code == 0
