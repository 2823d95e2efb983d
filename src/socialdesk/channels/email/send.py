"""Replies by e-mail: SMTP submission, threaded, with a Message-ID that makes the send checkable.

A reply is a plain-text mail from the account's address to the customer (the payload's
``recipient_id`` or ``recipient``), ``Re:`` the subject of the mail it answers, with ``In-Reply-To``
that mail's id and ``References`` its references plus its id (read from the account's folder), and
the account's ``signature`` under a ``-- `` line (the agent's own name is in the reply text already).

**Never twice.** The ``Message-ID`` is made from the outbox item's idempotency key, so every attempt
at one reply carries the same id. Before handing the mail to SMTP, a copy is appended to the sent
folder flagged ``\\Draft`` (it may be going out); once the server accepted the mail the flag is
removed; when SMTP refuses it outright the copy is deleted. :meth:`EmailSender.find_sent` searches the
sent folder for the id: no copy means the mail never reached SMTP; a copy without ``\\Draft`` means
it was sent; a copy still ``\\Draft`` means the attempt was cut off while SMTP had it, so it raises
SendUnconfirmed (an agent checks) rather than risk a second copy. An account with no sent folder
(``sent_folder=none``) keeps no record, so an interrupted attempt is always SendUnconfirmed.
"""

from __future__ import annotations

import contextlib
import imaplib
import smtplib
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from socialdesk.channels.email.connection import MailSettings
from socialdesk.channels.email.parse import message_ids
from socialdesk.channels.framework import ChannelError, SendRefused
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult, SendUnconfirmed

OpenImap = Callable[[], imaplib.IMAP4]
OpenSmtp = Callable[[], smtplib.SMTP]
MAX_BODY = 100_000


def outgoing_id(item: OutboxItem, domain: str) -> str:
    """The Message-ID (without ``<>``) every attempt at ``item`` carries."""
    return f"socialdesk.{item.idempotency_key}@{domain}"


def _search_header(conn: imaplib.IMAP4, name: str, value: str) -> list[bytes]:
    kind, data = conn.uid("SEARCH", "HEADER", name, f'"<{value}>"')
    if kind != "OK" or not data or not isinstance(data[0], bytes):
        return []
    return data[0].split()


class EmailSender:
    def __init__(self, settings: MailSettings, open_imap: OpenImap, open_smtp: OpenSmtp) -> None:
        self.settings, self.open_imap, self.open_smtp = settings, open_imap, open_smtp

    # -- the mail ------------------------------------------------------------------------------------

    def _parent(self, parent_id: str) -> tuple[str, list[str]]:
        """The subject and references of the mail being answered (from the account's folder)."""
        conn = self.open_imap()
        try:
            conn.select(f'"{self.settings.folder}"', readonly=True)
            uids = _search_header(conn, "Message-ID", parent_id)
            if not uids:
                return "", []
            _kind, data = conn.uid(
                "FETCH", uids[-1].decode(), "(BODY.PEEK[HEADER.FIELDS (SUBJECT REFERENCES)])"
            )
            head = next((e[1] for e in data if isinstance(e, tuple) and isinstance(e[1], bytes)), b"")
        finally:
            conn.logout()
        from email import message_from_bytes, policy

        parsed = message_from_bytes(head, policy=policy.default)
        return " ".join(str(parsed.get("Subject") or "").split()), message_ids(
            str(parsed.get("References") or "")
        )

    def compose(self, item: OutboxItem) -> EmailMessage:
        s = self.settings
        text = str(item.payload.get("text", "")).strip()
        if not text:
            raise SendRefused("reply text is empty")
        if len(text) > MAX_BODY:
            raise SendRefused(f"reply is {len(text)} characters; an e-mail reply takes at most {MAX_BODY}")
        to = str(item.payload.get("recipient_id") or item.payload.get("recipient") or "").strip()
        _, address = parseaddr(to)
        if "@" not in address or any(c in address for c in "\r\n,;<>"):
            raise SendRefused(f"no e-mail address to send to (recipient {to[:100]!r})")
        parent = item.payload.get("in_reply_to")
        subject, references = self._parent(str(parent)) if parent else ("", [])
        subject = (
            str(item.payload.get("subject") or "") or subject or f"Your message to {s.from_name or s.address}"
        )
        if not subject.lower().startswith("re:") and parent:
            subject = f"Re: {subject}"
        msg = EmailMessage()
        msg["From"] = formataddr((s.from_name, s.address)) if s.from_name else s.address
        msg["To"] = address
        msg["Subject"] = subject
        msg["Date"] = format_datetime(item.created_at)
        msg["Message-ID"] = f"<{outgoing_id(item, s.domain)}>"
        if parent:
            msg["In-Reply-To"] = f"<{parent}>"
            msg["References"] = " ".join(f"<{r}>" for r in [*references[-20:], str(parent)])
        msg["Auto-Submitted"] = "no"
        body = f"{text}\n\n-- \n{s.signature.strip()}\n" if s.signature.strip() else f"{text}\n"
        msg.set_content(body)
        return msg

    # -- sending -------------------------------------------------------------------------------------

    def send(self, item: OutboxItem) -> SendResult:
        msg = self.compose(item)
        message_id = outgoing_id(item, self.settings.domain)
        folder = self.settings.sent_folder
        conn = self.open_imap() if folder else None
        try:
            if conn is not None:
                conn.create(f'"{folder}"')  # NO when it exists: fine
                kind, data = conn.append(
                    f'"{folder}"', r"(\Draft \Seen)", imaplib.Time2Internaldate(time.time()), msg.as_bytes()
                )
                if kind != "OK":
                    raise ChannelError(f"could not keep a copy in {folder!r}: {data!r:.200}")
                conn.select(f'"{folder}"')  # where the copy's flags change after SMTP
            try:
                with self.open_smtp() as smtp:
                    refused = smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                self._forget(conn, message_id)
                raise SendRefused(f"the mail server refused the recipient: {exc.recipients!r:.300}") from None
            except smtplib.SMTPSenderRefused as exc:
                self._forget(conn, message_id)
                raise SendRefused(f"the mail server refused the sender: {exc.smtp_code}") from None
            except (smtplib.SMTPConnectError, smtplib.SMTPHeloError, ChannelError, ConnectionRefusedError):
                self._forget(conn, message_id)
                raise
            if refused:
                raise SendRefused(f"the mail server refused some recipients: {refused!r:.300}")
            if conn is not None:
                for uid in _search_header(conn, "Message-ID", message_id):
                    conn.uid("STORE", uid.decode(), "-FLAGS", r"(\Draft)")
        finally:
            if conn is not None:
                with contextlib.suppress(OSError, imaplib.IMAP4.error):
                    conn.logout()
        return SendResult(external_id=message_id)

    def _forget(self, conn: imaplib.IMAP4 | None, message_id: str) -> None:
        """SMTP never took the mail: its pending copy goes, so a retry sends it."""
        if conn is None:
            return
        for uid in _search_header(conn, "Message-ID", message_id):
            conn.uid("STORE", uid.decode(), "+FLAGS", r"(\Deleted)")
        conn.expunge()

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        message_id = outgoing_id(item, self.settings.domain)
        folder = self.settings.sent_folder
        if not folder:
            raise SendUnconfirmed(
                "this e-mail account keeps no sent folder (sent_folder=none), so an interrupted send "
                f"cannot be checked; look for the mail <{message_id}> in the mailbox"
            )
        conn = self.open_imap()
        try:
            kind, _ = conn.select(f'"{folder}"', readonly=True)
            if kind != "OK":
                return None  # no sent folder yet: nothing was ever appended, so nothing went out
            uids = _search_header(conn, "Message-ID", message_id)
            if not uids:
                return None
            kind, data = conn.uid("FETCH", b",".join(uids).decode(), "(FLAGS)")
        finally:
            conn.logout()
        flags = b" ".join(e if isinstance(e, bytes) else e[0] for e in data if e)
        if b"\\Draft" not in flags:
            return SendResult(external_id=message_id)
        raise SendUnconfirmed(
            f"the mail <{message_id}> was being handed to the SMTP server when the attempt stopped; its "
            f"copy in {folder!r} is still a draft: check whether the customer received it"
        )
