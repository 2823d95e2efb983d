"""`socialdesk channels add email`: the password from the environment (never the command line), the
settings as --setting, and `channels test` against the real mail server."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.channels.integration.conftest import KEY
from tests.support.mailserver import MailServer

runner = CliRunner()
pytestmark = pytest.mark.timeout(180)


def test_add_and_test_an_email_account(
    sqlite_url: str, mail: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, password = mail.add_user("support")
    monkeypatch.setenv("SOCIALDESK_SECRET_KEY", KEY)
    monkeypatch.setenv("SOCIALDESK_TRIAGE", "false")
    monkeypatch.setenv("SOCIALDESK_ALLOW_PRIVATE_URLS", "true")  # the test server is on loopback
    monkeypatch.setenv("SUPPORT_MAIL_PASSWORD", password)
    settings = {
        "imap_host": "127.0.0.1",
        "imap_port": mail.imap_port,
        "imap_security": "plain",
        "smtp_port": mail.smtp_port,
        "smtp_security": "plain",
        "username": user,
    }
    add = runner.invoke(
        app,
        [
            *("channels", "add", "email", f"{user}@mail.test", "--token-env", "SUPPORT_MAIL_PASSWORD"),
            *(arg for name, value in settings.items() for arg in ("--setting", f"{name}={value}")),
            *("--db", sqlite_url),
        ],
    )
    assert add.exit_code == 0, add.output
    assert password not in add.output
    tested = runner.invoke(app, ["channels", "test", f"email:{user}@mail.test", "--db", sqlite_url])
    assert tested.exit_code == 0, tested.output
    assert f"connected as {user}" in tested.output and "IDLE" in tested.output
    networks = runner.invoke(app, ["channels", "networks"])
    assert '"network": "email"' in networks.output and "sent_folder" in networks.output
