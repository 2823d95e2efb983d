"""The e-mail network's descriptor: an IMAP folder read with IDLE (or polled), replies sent by SMTP.

An account's handle is its address (mail from it is the brand's); every e-mail is a private post,
answered by e-mail only. Clients are imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import imaplib
    import smtplib

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.email.connection import MailSettings
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender


def settings_of(account: ChannelAccount) -> MailSettings:
    from socialdesk.channels.email.connection import MailSettings

    return MailSettings.of(account.handle, account.settings)


def imap_opener(connector: Connector, account: ChannelAccount) -> Callable[[], imaplib.IMAP4]:
    from socialdesk.channels.email.connection import open_imap

    s = settings_of(account)

    def open_it() -> imaplib.IMAP4:
        return open_imap(s, connector.secret(account, "password"), connector.url_policy)

    return open_it


def smtp_opener(connector: Connector, account: ChannelAccount) -> Callable[[], smtplib.SMTP]:
    from socialdesk.channels.email.connection import open_smtp

    s = settings_of(account)

    def open_it() -> smtplib.SMTP:
        secrets = connector.credentials(account)
        password = secrets.get("smtp_password") or secrets.get("password")
        return open_smtp(s, password, connector.url_policy)

    return open_it


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.email.inbox import ImapInbox

    s, c = settings_of(request.account), request.connector
    return ImapInbox(
        imap_opener(c, request.account),
        request.on_posts,
        request.health,
        request.cursors,
        folder=s.folder,
        idle=s.mode == "idle",
        interval=s.interval,
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.email.send import EmailSender

    return EmailSender(settings_of(account), imap_opener(connector, account), smtp_opener(connector, account))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.email.parse import read_messages

    return read_messages(payload, received_at)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.email.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.email.backfill import backfill

    return backfill(request)


def _check(settings: Mapping[str, Any]) -> str | None:
    from socialdesk.channels.email.connection import check_settings

    return check_settings(settings)


DESCRIPTOR = NetworkDescriptor(
    name="email",
    label="E-mail (IMAP + SMTP)",
    summary="a mailbox read over IMAP (IDLE, or polled); private conversations answered by SMTP",
    schema=NetworkSchema(
        required_settings=("imap_host",),
        optional_settings=(
            "imap_port",
            "imap_security",
            "smtp_host",
            "smtp_port",
            "smtp_security",
            "username",
            "folder",
            "sent_folder",
            "mode",
            "interval",
            "from_name",
            "signature",
        ),
        modes=("idle", "poll"),
        required_secrets=("password",),
        optional_secrets=("smtp_password",),
        credential_endpoint=("imap_host", ""),
        more_credential_endpoints=(("smtp_host", ""),),
        brand_account=True,
        check=_check,
        docs={
            "handle": "the account's e-mail address (mail from it is the brand's)",
            "imap_host": "the IMAP server's host name, e.g. imap.example.com",
            "imap_port": "default 993 with imap_security=tls, 143 otherwise",
            "imap_security": "tls (default: implicit TLS), starttls, or plain (same machine only)",
            "smtp_host": "the SMTP submission server (default: imap_host)",
            "smtp_port": "default 587 with smtp_security=starttls, 465 with tls, 25 with plain",
            "smtp_security": "starttls (default), tls (implicit TLS), or plain (same machine only)",
            "username": "the login name on both servers (default: the address)",
            "folder": "the folder read for customer mail (default INBOX)",
            "sent_folder": "where a copy of each reply is kept and looked up before any resend "
            "(default Sent; none: no copy, and an interrupted send needs an agent's check)",
            "mode": "idle (default: IMAP IDLE where the server offers it, else polling) or poll",
            "interval": "seconds between polls without IDLE (default 60, at least 5)",
            "from_name": "the name shown with the address on replies, e.g. Acme Support",
            "signature": "the team's signature under every reply, after a '-- ' line",
            "password": "the mailbox password (or app password) for IMAP, and SMTP unless smtp_password",
            "smtp_password": "the SMTP password when it differs from the IMAP one",
        },
    ),
    inbound=("poll", "stream"),
    parse=_parse,
    client=_client,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    private_messages="every e-mail is private: read over IMAP, answered by SMTP only",
)
