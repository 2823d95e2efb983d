"""`socialdesk users ...` and `socialdesk tokens ...`: the lifecycle from the command line, passwords
only from a prompt or stdin, every change audited as the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from socialdesk.config import Settings
from socialdesk.runtime import build_runtime

runner = CliRunner()


def run(url: str, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, [*args, "--db", url], input=stdin)


@pytest.fixture
def acme(sqlite_url: str) -> str:
    for email, role in (("ada@acme.io", "admin"), ("carl@acme.io", "agent")):
        made = run(
            sqlite_url, "users", "create", email, "--role", role, "-w", "acme", stdin="correct-horse-1\n"
        )
        assert made.exit_code == 0, made.stderr
    return sqlite_url


def _audit(url: str) -> list[tuple[int | None, str, dict[str, Any]]]:
    runtime = build_runtime(Settings(database_url=url), migrate=False)
    try:
        with runtime.uow() as uow:
            ws = uow.workspaces.get_by_slug("acme")
            assert ws is not None
            return [(e.actor_id, e.action, e.data) for e in uow.audit.between(ws.id, None, None)]
    finally:
        runtime.close()


def _password_works(url: str, email: str, password: str) -> bool:
    from socialdesk.actions.accounts.users import authenticate_password

    runtime = build_runtime(Settings(database_url=url), migrate=False)
    try:
        return authenticate_password(runtime.uow, email, password) is not None
    finally:
        runtime.close()


def test_a_password_on_the_command_line_is_refused(sqlite_url: str) -> None:
    given = run(sqlite_url, "users", "create", "eve@acme.io", "--password", "correct-horse-1")
    assert given.exit_code != 0
    assert "No such option: --password" in given.output
    empty = run(sqlite_url, "users", "create", "eve@acme.io", stdin="")
    assert empty.exit_code == 1
    assert "no password on stdin" in empty.stderr


def test_users_list_shows_no_secrets(acme: str) -> None:
    listed = run(acme, "users", "list", "-w", "acme")
    assert listed.exit_code == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["email"], r["role"], r["is_active"]) for r in rows] == [
        ("ada@acme.io", "admin", True),
        ("carl@acme.io", "agent", True),
    ]
    assert "password" not in listed.stdout
    assert run(acme, "users", "list", "-w", "nope").stderr.strip() == "error: no workspace 'nope'"


def test_set_password_reads_stdin_and_is_audited_without_the_password(acme: str) -> None:
    changed = run(acme, "users", "set-password", "carl@acme.io", stdin="brand-new-secret-7\n")
    assert changed.exit_code == 0, changed.stderr
    assert _password_works(acme, "carl@acme.io", "brand-new-secret-7")
    assert not _password_works(acme, "carl@acme.io", "correct-horse-1")
    actor, action, data = _audit(acme)[-1]
    assert (actor, action, data["by"], data["email"]) == (None, "user.password_set", "cli", "carl@acme.io")
    assert "brand-new-secret-7" not in json.dumps(_audit(acme))
    short = run(acme, "users", "set-password", "carl@acme.io", stdin="short\n")
    assert short.exit_code == 1
    assert "at least 10" in short.stderr


def test_the_last_active_admin_cannot_be_disabled_or_demoted(acme: str) -> None:
    disabled = run(acme, "users", "disable", "ada@acme.io")
    assert disabled.exit_code == 1
    assert "ada@acme.io is the last active admin" in disabled.stderr
    demoted = run(acme, "users", "set-role", "ada@acme.io", "agent")
    assert demoted.exit_code == 1
    assert "cannot be demoted" in demoted.stderr
    assert run(acme, "users", "set-role", "carl@acme.io", "admin").exit_code == 0
    assert run(acme, "users", "disable", "ada@acme.io").exit_code == 0  # carl is an admin now
    assert not _password_works(acme, "ada@acme.io", "correct-horse-1")
    assert run(acme, "users", "enable", "ada@acme.io").exit_code == 0
    assert _password_works(acme, "ada@acme.io", "correct-horse-1")
    actions = [(actor, action, data.get("before"), data.get("after")) for actor, action, data in _audit(acme)]
    assert actions[-3:] == [
        (None, "user.role_set", {"role": "agent"}, {"role": "admin"}),
        (None, "user.disabled", {"is_active": True}, {"is_active": False}),
        (None, "user.enabled", {"is_active": False}, {"is_active": True}),
    ]


def test_tokens_expire_list_and_revoke(acme: str) -> None:
    made = run(acme, "tokens", "create", "carl@acme.io", "--name", "ci", "--expires-in", "30d")
    assert made.exit_code == 0, made.stderr
    token = made.stdout.strip()
    listed = [json.loads(line) for line in run(acme, "tokens", "list").stdout.splitlines()]
    assert [(t["name"], t["user"], t["expired"]) for t in listed] == [("ci", "carl@acme.io", False)]
    assert listed[0]["expires_at"] is not None
    assert token not in json.dumps(listed)
    bad = run(acme, "tokens", "create", "carl@acme.io", "--expires-in", "soon")
    assert bad.exit_code == 1
    assert "such as 90m, 12h, 30d or 2w" in bad.stderr
    revoked = run(acme, "tokens", "revoke", str(listed[0]["id"]))
    assert revoked.exit_code == 0, revoked.stderr
    assert run(acme, "tokens", "list").stdout == ""
    again = run(acme, "tokens", "revoke", str(listed[0]["id"]))
    assert again.stderr.strip() == f"error: no token with id {listed[0]['id']}"
    entries = [(a, d.get("by")) for _, a, d in _audit(acme) if a.startswith("token.")]
    assert entries == [("token.created", "cli"), ("token.revoked", "cli")]
    assert token not in json.dumps(_audit(acme))
