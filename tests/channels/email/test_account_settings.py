"""E-mail account settings: checked when added, and stored credentials dropped when the IMAP host
they are sent to changes (never sent to the new host)."""

from __future__ import annotations

import pytest

from socialdesk.actions.channels.config import ChannelChanges, check_update_channel_account
from socialdesk.channels.email.connection import MailSettings, check_settings
from socialdesk.channels.registry import REGISTRY
from socialdesk.domain.people import Role, User
from socialdesk.runtime import Runtime
from tests.channels.integration.conftest import add_account, sqlite_runtime

__all__ = ["sqlite_runtime"]


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ({"imap_security": "ssl"}, "imap_security: one of tls, starttls, plain"),
        ({"smtp_port": "99999"}, "smtp_port: a port number"),
        ({"interval": "1"}, "interval: at least 5 seconds"),
        ({"imap_host": "imaps://imap.example.com"}, "imap_host: a host name or address only"),
        ({"from_name": "Acme\r\nBcc: everyone@x.test"}, "from_name: no control characters"),
        ({"folder": 'INBOX"\r\nA1 DELETE INBOX'}, "folder: no control characters"),
        ({"sent_folder": 'Sent" (\\Deleted)'}, "sent_folder: a folder name without double quotes"),
    ],
)
def test_wrong_settings_are_named(settings: dict[str, str], complaint: str) -> None:
    assert complaint in (check_settings({"imap_host": "imap.example.com", **settings}) or "")


def test_defaults_follow_the_security_asked_for() -> None:
    s = MailSettings.of("help@acme.test", {"imap_host": "mail.acme.test", "smtp_security": "tls"})
    assert (s.imap_port, s.smtp_host, s.smtp_port, s.username, s.sent_folder) == (
        993, "mail.acme.test", 465, "help@acme.test", "Sent",
    )  # fmt: skip
    assert MailSettings.of("a@b.test", {"imap_host": "h", "sent_folder": "None"}).sent_folder == ""


def test_a_new_imap_host_drops_the_stored_password(sqlite_runtime: Runtime) -> None:
    account = add_account(
        sqlite_runtime, "email", "help@acme.test", {"imap_host": "imap.acme.test"}, {"password": "pw"}
    )
    assert account.sealed_credentials
    admin = User(id=0, workspace_id=account.workspace_id, email="a@acme.io", name="Ada", role=Role.ADMIN)
    with sqlite_runtime.uow() as uow:
        changed = check_update_channel_account(
            uow, admin, account.id, ChannelChanges(settings={"imap_host": "imap.elsewhere.test"}),
            sqlite_runtime.channel_connector().sealer(), sqlite_runtime.clock.now(),
            urls=sqlite_runtime.channel_connector().url_policy, networks=REGISTRY,
        )  # fmt: skip
    assert changed.sealed_credentials is None
    assert changed.health.state == "broken"


def test_a_new_smtp_host_drops_the_stored_password_too(sqlite_runtime: Runtime) -> None:
    settings = {"imap_host": "imap.acme.test", "smtp_host": "smtp.acme.test"}
    account = add_account(sqlite_runtime, "email", "help@acme.test", settings, {"password": "pw"})
    admin = User(id=0, workspace_id=account.workspace_id, email="a@acme.io", name="Ada", role=Role.ADMIN)
    with sqlite_runtime.uow() as uow:
        changed = check_update_channel_account(
            uow, admin, account.id, ChannelChanges(settings={"smtp_host": "smtp.attacker.test"}),
            sqlite_runtime.channel_connector().sealer(), sqlite_runtime.clock.now(),
            urls=sqlite_runtime.channel_connector().url_policy, networks=REGISTRY,
        )  # fmt: skip
    assert changed.sealed_credentials is None
    assert "smtp_host moved to smtp.attacker.test" in changed.health.reason
