"""The e-mail probe: log in to IMAP and open the folder, then greet the SMTP server and log in there.

Every failure to connect reads the same (a probe must not become a port scanner); refused logins,
a missing folder and a server without the asked-for TLS say so."""

from __future__ import annotations

import contextlib
import imaplib
import smtplib

from socialdesk.channels.connect import Connector
from socialdesk.channels.email.network import imap_opener, settings_of, smtp_opener
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.probe import ProbeProblem
from socialdesk.channels.url_policy import AddressNotAllowed
from socialdesk.ports.channels import ChannelAccount


def _unreachable(host: str, port: int, exc: OSError) -> ProbeProblem:
    if isinstance(exc, AddressNotAllowed):
        return ProbeProblem(f"not allowed: {exc}")
    return ProbeProblem(f"unreachable: no answer from {host}:{port}; check the host, port and security")


def probe(connector: Connector, account: ChannelAccount) -> str:
    s = settings_of(account)
    try:
        conn = imap_opener(connector, account)()
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise _unreachable(s.imap_host, s.imap_port, OSError(str(exc))) from None
    try:
        kind, data = conn.select(f'"{s.folder}"', readonly=True)
        if kind != "OK":
            raise ProbeProblem(f"the folder {s.folder!r} cannot be opened: {data!r:.200}")
        count = int(data[0]) if data and isinstance(data[0], bytes) and data[0].isdigit() else 0
        idle = "IDLE" in conn.capabilities
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    try:
        with smtp_opener(connector, account)() as smtp:
            smtp.noop()
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise _unreachable(s.smtp_host, s.smtp_port, OSError(str(exc))) from None
    how = "IDLE" if idle and s.mode == "idle" else f"polling every {s.interval:g} s"
    return (
        f"connected as {s.username}: {count} messages in {s.folder} ({how}); "
        f"SMTP {s.smtp_host}:{s.smtp_port} accepted the login"
    )
