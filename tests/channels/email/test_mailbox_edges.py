"""The e-mail channel's edges against the real mail server: refused credentials make the account
broken (not retried), a backfill reads a date range, a rebuilt folder (new UIDVALIDITY) is read again
without duplicates, and STARTTLS asked of a server without it is refused, never continued in clear."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from socialdesk.channels.backfill import backfill
from socialdesk.channels.email.connection import MailSettings, open_smtp
from socialdesk.channels.email.inbox import ImapInbox
from socialdesk.channels.email.network import imap_opener
from socialdesk.channels.framework import ChannelError, ChannelHealth, MemoryCursorStore
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.channels import AccountConfig
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.email.test_mail_server import customer_mail, email_account, rt
from tests.channels.integration.conftest import sqlite_runtime
from tests.support.mailserver import MailServer, free_port
from tests.support.waiting import wait_until

__all__ = ["rt", "sqlite_runtime"]
pytestmark = pytest.mark.timeout(300)


def test_a_refused_login_makes_the_account_broken(rt: Runtime, mail: MailServer) -> None:
    account, _ = email_account(rt, mail)
    sealer = rt.channel_connector().sealer()
    assert sealer is not None
    with rt.uow() as uow:
        uow.channels.configure(
            account.workspace_id,
            account.id,
            AccountConfig(account.settings, sealer.seal({"password": "wrong"}), True, None, 900),
        )
    running = ChannelRunner(rt, interval=0.05)
    running.start()

    def health() -> tuple[str, str]:
        with rt.uow() as uow:
            found = uow.channels.get(account.workspace_id, account.id)
        assert found is not None
        return found.health.state, found.health.last_error

    try:
        wait_until(lambda: health()[0] == "broken", "the refused login to break the account")
    finally:
        running.stop()
    assert "IMAP login as" in health()[1] and "wrong" not in health()[1]


def test_a_backfill_reads_the_range_asked(rt: Runtime, mail: MailServer) -> None:
    account, user = email_account(rt, mail)
    mail.deliver(user, customer_mail("old@outside.test", "old\r\n").replace(b"07 Dec 2026", b"01 Nov 2026"))
    mail.deliver(user, customer_mail("new@outside.test", "new\r\n"))
    got: list[dict[str, Any]] = []
    count = backfill(
        rt.channel_connector(),
        account,
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2026, 12, 31, tzinfo=UTC),
        got.extend,
        now=rt.clock.now,
    )
    assert count == 1 and [p["id"] for p in got] == ["new@outside.test"]


def test_a_rebuilt_folder_is_read_again_and_its_cursor_follows(rt: Runtime, mail: MailServer) -> None:
    account, user = email_account(rt, mail)
    mail.deliver(user, customer_mail("u1@outside.test", "one\r\n"))
    handed: list[str] = []
    cursors = MemoryCursorStore()
    inbox = ImapInbox(
        imap_opener(rt.channel_connector(), account),
        lambda posts: handed.extend(p["id"] for p in posts),
        ChannelHealth("email"),
        cursors,
    )
    conn = imap_opener(rt.channel_connector(), account)()
    try:
        inbox.fetch_new(conn)
        assert handed == ["u1@outside.test"]
        inbox.fetch_new(conn)
        assert handed == ["u1@outside.test"]  # nothing above the cursor
        saved = json.loads(cursors.values["imap:INBOX"])
        cursors.set("imap:INBOX", json.dumps({**saved, "uidvalidity": "1"}))  # as after a rebuild
        inbox.fetch_new(conn)
        assert handed == ["u1@outside.test", "u1@outside.test"]  # read again; ingest keeps one
        assert json.loads(cursors.values["imap:INBOX"])["uidvalidity"] == saved["uidvalidity"]
    finally:
        conn.logout()


def test_starttls_asked_of_a_server_without_it_is_refused(mail: MailServer) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    bare = Controller(object(), hostname="127.0.0.1", port=port)  # no TLS offered
    bare.start()
    try:
        s = MailSettings.of("a@mail.test", {"imap_host": "127.0.0.1", "smtp_port": str(port)})
        with pytest.raises(ChannelError, match="does not offer STARTTLS"):
            open_smtp(s, None, UrlPolicy(allow_private=True))
    finally:
        bare.stop()
