"""An e-mail account's connection settings, and IMAP and SMTP connections opened through the URL policy.

Both connect through :meth:`UrlPolicy.connect` (the host's every address checked; private addresses
only with ``SOCIALDESK_ALLOW_PRIVATE_URLS``), then speak TLS as the account says: ``tls`` (implicit
TLS from the first byte: IMAPS 993, SMTPS 465), ``starttls`` (plain connect, then STARTTLS before
anything else is sent: IMAP 143, submission 587; a server that does not offer it is refused), or
``plain`` (no encryption: a server on the same machine only, passwords cross in clear). TLS verifies
the certificate against the host name with the system's trust store.
"""

from __future__ import annotations

import contextlib
import imaplib
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import ChannelAuthError, ChannelError
from socialdesk.channels.url_policy import UrlPolicy

SECURITY = ("tls", "starttls", "plain")
IMAP_PORTS = {"tls": 993, "starttls": 143, "plain": 143}
SMTP_PORTS = {"tls": 465, "starttls": 587, "plain": 25}
TIMEOUT = 30.0


@dataclass(frozen=True)
class MailSettings:
    """What an e-mail account is configured with (its stored settings, cleaned)."""

    address: str
    imap_host: str
    imap_port: int
    imap_security: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    username: str
    folder: str = "INBOX"
    sent_folder: str = "Sent"
    mode: str = "idle"
    interval: float = 60.0
    from_name: str = ""
    signature: str = ""

    @classmethod
    def of(cls, address: str, settings: Mapping[str, Any]) -> MailSettings:
        imap_security = str(settings.get("imap_security") or "tls")
        smtp_security = str(settings.get("smtp_security") or "starttls")
        return cls(
            address=address.strip(),
            imap_host=str(settings["imap_host"]),
            imap_port=int(settings.get("imap_port") or IMAP_PORTS.get(imap_security, 993)),
            imap_security=imap_security,
            smtp_host=str(settings.get("smtp_host") or settings["imap_host"]),
            smtp_port=int(settings.get("smtp_port") or SMTP_PORTS.get(smtp_security, 587)),
            smtp_security=smtp_security,
            username=str(settings.get("username") or address).strip(),
            folder=str(settings.get("folder") or "INBOX"),
            sent_folder=_sent_folder(settings.get("sent_folder")),
            mode=str(settings.get("mode") or "idle"),
            interval=float(settings.get("interval") or 60.0),
            from_name=str(settings.get("from_name") or ""),
            signature=str(settings.get("signature") or ""),
        )

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "socialdesk.invalid"


def _sent_folder(value: object) -> str:
    """The sent folder's name; ``none`` (any case) keeps no copy."""
    name = str(value or "Sent").strip()
    return "" if name.lower() == "none" else name


def check_settings(settings: Mapping[str, Any]) -> str | None:
    """Why an e-mail account's settings are wrong, or None (the schema's ``check``)."""
    for key in ("imap_security", "smtp_security"):
        if settings.get(key) and settings[key] not in SECURITY:
            return f"{key}: one of {', '.join(SECURITY)} (got {str(settings[key])[:40]!r})"
    for key in ("imap_port", "smtp_port"):
        value = settings.get(key)
        if value not in (None, "") and not (str(value).isdigit() and 0 < int(str(value)) < 65536):
            return f"{key}: a port number from 1 to 65535 (got {str(value)[:40]!r})"
    if settings.get("interval") not in (None, ""):
        try:
            if float(str(settings["interval"])) < 5:
                return "interval: at least 5 seconds"
        except ValueError:
            return f"interval: a number of seconds (got {str(settings['interval'])[:40]!r})"
    for key in ("from_name", "signature", "folder", "sent_folder", "username"):
        value = str(settings.get(key) or "")
        if any(ord(c) < 32 and c != "\n" for c in value) or (key != "signature" and "\n" in value):
            return f"{key}: no control characters or line breaks (only the signature may span lines)"
    for key in ("folder", "sent_folder"):
        if any(c in str(settings.get(key) or "") for c in '"\\'):
            return f"{key}: a folder name without double quotes or backslashes"
    for key in ("imap_host", "smtp_host"):
        host = str(settings.get(key) or "")
        if host and ("/" in host or (":" in host.strip("[]") and not host.startswith("["))):
            return f"{key}: a host name or address only, without scheme or port (got {host[:80]!r})"
    return None


def tls_context() -> ssl.SSLContext:
    """The TLS settings of every mail connection: the system's trust store, host names checked."""
    return ssl.create_default_context()


class _Imap(imaplib.IMAP4):
    """IMAP4 whose socket comes from the URL policy (and is TLS from the start when asked)."""

    def __init__(
        self, host: str, port: int, policy: UrlPolicy, tls: ssl.SSLContext | None, timeout: float
    ) -> None:
        self._policy, self._tls = policy, tls
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        sock = self._policy.connect(self.host, self.port, timeout)
        return self._tls.wrap_socket(sock, server_hostname=self.host) if self._tls else sock


class _Smtp(smtplib.SMTP):
    def __init__(self, policy: UrlPolicy, tls: ssl.SSLContext | None, timeout: float) -> None:
        self._policy, self._tls = policy, tls
        super().__init__(timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = self._policy.connect(host, port, timeout)
        return self._tls.wrap_socket(sock, server_hostname=host) if self._tls else sock


def open_imap(
    s: MailSettings, password: Secret, policy: UrlPolicy, *, timeout: float = TIMEOUT
) -> imaplib.IMAP4:
    """A logged-in IMAP connection; ChannelAuthError when the server refuses the credentials."""
    context = tls_context()
    conn = _Imap(s.imap_host, s.imap_port, policy, context if s.imap_security == "tls" else None, timeout)
    try:
        if s.imap_security == "starttls":
            if "STARTTLS" not in conn.capabilities:
                raise ChannelError(f"{s.imap_host}:{s.imap_port} does not offer STARTTLS")
            conn.starttls(context)
        try:
            conn.login(s.username, password.reveal())
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            raise ChannelAuthError(f"IMAP login as {s.username} refused: {exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            conn.shutdown()
        raise
    return conn


def open_smtp(
    s: MailSettings, password: Secret | None, policy: UrlPolicy, *, timeout: float = TIMEOUT
) -> smtplib.SMTP:
    """A connected (and, with a password, logged-in) SMTP session."""
    context = tls_context()
    conn = _Smtp(policy, context if s.smtp_security == "tls" else None, timeout)
    conn._host = s.smtp_host  # type: ignore[attr-defined]  # noqa: SLF001 (STARTTLS checks the name)
    try:
        conn.connect(s.smtp_host, s.smtp_port)
        conn.ehlo()
        if s.smtp_security == "starttls":
            if not conn.has_extn("starttls"):
                raise ChannelError(f"{s.smtp_host}:{s.smtp_port} does not offer STARTTLS")
            conn.starttls(context=context)
            conn.ehlo()
        if password is not None and password.reveal():
            try:
                conn.login(s.username, password.reveal())
            except smtplib.SMTPAuthenticationError as exc:
                raise ChannelAuthError(f"SMTP login as {s.username} refused: {exc.smtp_code}") from None
    except BaseException:
        conn.close()
        raise
    return conn
