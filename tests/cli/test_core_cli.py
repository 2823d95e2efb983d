"""The core CLI: migrate, users, tokens, brands and ingest (exit codes, messages, idempotence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.conftest import shared_data

runner = CliRunner()


def _jsonl(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _post(i: int, reply_to: str | None = None, author: str = "carol") -> str:
    data: dict[str, object] = {
        "id": str(i),
        "channel": "x",
        "text": f"post {i}",
        "created_at": f"2026-01-05T09:{i:02d}:00+00:00",
        "author": {"id": author, "handle": author},
    }
    if reply_to:
        data["in_reply_to"] = reply_to
    return json.dumps(data)


def test_ingest_jsonl_twice_and_bad_lines(sqlite_url: str, tmp_path: Path) -> None:
    runner.invoke(app, ["brands", "add", "x", "@AcmeCares", "--db", sqlite_url, "-w", "acme"])
    path = _jsonl(tmp_path, [_post(1), '{"id": 5}', _post(2, reply_to="1", author="AcmeCares"), "nope"])
    first = runner.invoke(app, ["ingest", str(path), "--db", sqlite_url, "-w", "acme"])
    assert first.exit_code == 1  # bad records make the exit non-zero, good ones are stored
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary == {
        "read": 4, "added": 2, "duplicates": 0, "conversations_created": 1, "cases_opened": 1, "bad": 2,
    }  # fmt: skip
    assert "line 2: channel: is required" in first.stderr
    assert "line 4: not valid JSON" in first.stderr
    second = runner.invoke(app, ["ingest", str(path), "--db", sqlite_url, "-w", "acme"])
    assert json.loads(second.stdout.strip().splitlines()[-1])["added"] == 0


def test_ingest_explains_bad_arguments(sqlite_url: str, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["ingest", str(tmp_path / "none.jsonl"), "--db", sqlite_url])
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr
    (tmp_path / "x.csv").write_text("a,b\n")
    unknown = runner.invoke(app, ["ingest", str(tmp_path / "x.csv"), "--db", sqlite_url])
    assert unknown.exit_code == 1
    assert "--format" in unknown.stderr
    wrong = runner.invoke(app, ["ingest", str(tmp_path / "x.csv"), "--format", "twcs", "--db", sqlite_url])
    assert wrong.exit_code == 1
    assert "missing column" in wrong.stderr


def test_ingest_real_airline_file(sqlite_url: str) -> None:
    path = shared_data("airline/Tweets-train.csv")
    result = runner.invoke(app, ["ingest", str(path), "--format", "airline", "--db", sqlite_url])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        summary["added"] + summary["duplicates"] == summary["read"] > 11_000
    )  # the file repeats some tweets
    assert summary["bad"] == 0


def test_users_and_tokens(sqlite_url: str) -> None:
    created = runner.invoke(app, ["users", "create", "ada@acme.io", "--name", "Ada Byron", "--role", "admin",
                                  "-w", "acme", "--generate-password", "--db", sqlite_url])  # fmt: skip
    assert created.exit_code == 0, created.stderr
    assert "password: " in created.stdout
    again = runner.invoke(app, ["users", "create", "ADA@acme.io", "--db", sqlite_url], input="0123456789\n")
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    short = runner.invoke(app, ["users", "create", "bob@acme.io", "--db", sqlite_url], input="short\n")
    assert short.exit_code == 1
    assert "at least 10" in short.stderr
    token = runner.invoke(app, ["tokens", "create", "ada@acme.io", "--db", sqlite_url])
    assert token.exit_code == 0
    assert token.stdout.startswith("sdk_")
    nobody = runner.invoke(app, ["tokens", "create", "zed@acme.io", "--db", sqlite_url])
    assert nobody.exit_code == 1
    assert "no user" in nobody.stderr


def test_migrate_creates_a_new_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'new.db'}"
    result = runner.invoke(app, ["migrate", "--db", url])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "sub" / "new.db").exists()


def test_several_web_processes_need_nats(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALDESK_NATS_URL", raising=False)
    result = runner.invoke(app, ["serve", "--workers", "2", "--db", sqlite_url])
    assert result.exit_code != 0
    assert "--workers above 1 needs SOCIALDESK_NATS_URL" in result.output


def test_ingest_reports_out_of_range_posts_and_stores_the_rest(sqlite_url: str, tmp_path: Path) -> None:
    huge = json.loads(_post(2))
    huge["author"]["followers"] = 2**63
    ancient = {**json.loads(_post(3)), "created_at": "0001-01-01T00:00:00+01:00"}
    future = {**json.loads(_post(4)), "created_at": "9999-12-31T23:00:00-05:00"}
    lines = [_post(1), json.dumps(huge), json.dumps(ancient), json.dumps(future), _post(5)]
    result = runner.invoke(app, ["ingest", str(_jsonl(tmp_path, lines)), "--db", sqlite_url, "-w", "acme"])
    assert result.exit_code == 1
    assert json.loads(result.stdout.strip().splitlines()[-1])["added"] == 2  # posts 1 and 5
    assert "line 2: author.followers: 9223372036854775808 is larger than 9223372036854775807" in result.stderr
    assert "line 3: created_at: '0001-01-01T00:00:00+01:00' is outside the years 1970-9999" in result.stderr
    assert "line 4: created_at: '9999-12-31T23:00:00-05:00' is outside the years 1970-9999" in result.stderr
