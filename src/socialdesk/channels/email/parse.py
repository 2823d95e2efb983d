"""One e-mail as received (RFC 5322 bytes) -> a normalized post dict, or a delivery report (pure).

* **Threading**: the post's id is its ``Message-ID`` (without the angle brackets); it answers the
  first id of ``In-Reply-To``, else the last of ``References``; its ``conversation_id`` is the
  thread's root (the first of ``References``). A reply to a mail socialdesk sent names that mail's
  ``Message-ID``, which is the sent reply's external id, so it joins the same conversation.
* **Private**: every e-mail is a ``private`` post (the customer and the brand only); replies go by
  e-mail only.
* **Text**: the ``text/plain`` part, else the ``text/html`` part made plain text
  (``channels/html_text.py``: tags dropped, nothing rendered or fetched); quoted earlier messages and
  signatures cut (``quoting.py``). Charsets and encoded words (RFC 2047) are decoded; a part in an
  unknown charset is read as UTF-8 with replacement characters. A thread's first mail starts with its
  subject.
* **Attachments** are listed (name, type, size) in ``raw`` and at the end of the text, never decoded
  further, executed or rendered.
* **Delivery reports**: a DSN (``multipart/report; report-type=delivery-status``), a mail from the
  mailer daemon, or an automatic reply (``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
  ``Precedence: auto_reply``) is no customer post: it is returned as ``{"delivery_report": {...}}``
  naming the sent mail it is about (``of``), recorded on that message (``actions/channels/accounts.py``).

Malformed mail never raises: a missing or broken header gets a fallback (the received time, an id
made from the content), and what cannot be read is left out.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from socialdesk.channels.email.quoting import new_text
from socialdesk.channels.html_text import html_to_text

PostDict = dict[str, Any]
CHANNEL = "email"
MAX_TEXT = 20_000  # characters of a mail's new text kept as the post's text
_MSGID = re.compile(r"<([^<>\s]{1,400})>")
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


def _words(value: object) -> str:
    """A header value with its encoded words (RFC 2047) decoded; unreadable ones are kept as they are."""
    text = str(value)
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError, HeaderParseError):
        return text


def _header(msg: Message, name: str) -> str:
    """A header decoded (RFC 2047) with its whitespace folded, or "" when absent."""
    value = msg.get(name)
    return "" if value is None else " ".join(_words(value).split())


def message_ids(value: str) -> list[str]:
    """The ids in a ``Message-ID``, ``In-Reply-To`` or ``References`` value, without ``<>``."""
    return _MSGID.findall(value or "")


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or (bool(part.get_filename()) and disposition != "inline")


def _size(part: Message) -> int:
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else 0


def _body_and_attachments(msg: Message) -> tuple[str, bool, list[dict[str, Any]]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[dict[str, Any]] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if _is_attachment(part) or ctype not in ("text/plain", "text/html"):
            if part is not msg or _is_attachment(part):
                name = _words(part.get_filename() or "(unnamed)")
                attachments.append({"name": str(name)[:255], "type": ctype, "size": _size(part)})
            continue
        if ctype == "text/plain" and plain is None:
            plain = _decoded(part)
        elif ctype == "text/html" and html is None:
            html = _decoded(part)
    if plain is not None and plain.strip():
        return plain, False, attachments
    if html is not None:
        return html_to_text(html), True, attachments
    return plain or "", False, attachments


def _date(msg: Message, received_at: datetime) -> datetime:
    try:
        found = parsedate_to_datetime(_header(msg, "Date"))
    except (TypeError, ValueError, IndexError):
        return received_at
    if found.tzinfo is None or not 1970 <= found.astimezone(UTC).year <= 9999:
        return received_at
    return found


def _fallback_id(raw: bytes) -> str:
    return f"sha256-{hashlib.sha256(raw).hexdigest()[:40]}@socialdesk.invalid"


def _automatic(msg: Message, sender: str) -> str | None:
    """Why this mail is a delivery report or an automatic reply, or None for a person's mail."""
    ctype = msg.get_content_type()
    if ctype == "multipart/report":
        return "bounce"
    if _DAEMONS.match(sender):
        return "bounce"
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return "auto_replied"
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"):
        return "auto_replied"
    if _header(msg, "Precedence").lower() == "auto_reply":
        return "auto_replied"
    return None


def _report(msg: Message, kind: str, own_id: str, sender: str) -> PostDict:
    """The delivery report: the sent mail it is about and why (the DSN's status and diagnostic)."""
    about = message_ids(_header(msg, "In-Reply-To")) or message_ids(_header(msg, "References"))[-1:]
    reasons: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822" and not about:
            inner = part.get_payload(0)
            about = message_ids(_header(inner, "Message-ID")) if isinstance(inner, Message) else []
        elif ctype == "text/rfc822-headers" and not about:
            headers = message_from_bytes(_decoded(part).encode())
            about = message_ids(_header(headers, "Message-ID"))
        elif ctype == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                if isinstance(block, Message) and _header(block, "Action"):
                    status = _header(block, "Status")
                    diagnostic = _header(block, "Diagnostic-Code")
                    recipient = _header(block, "Final-Recipient").split(";")[-1].strip()
                    reasons.append(
                        f"{_header(block, 'Action')} {status} {recipient}: {diagnostic}".strip(" :")
                    )
    failed = any(r.startswith("failed") for r in reasons)
    status = "bounced" if kind == "bounce" and (failed or not reasons) else kind
    if kind == "bounce" and reasons and not failed:
        status = "delayed"
    reason = "; ".join(reasons) or _header(msg, "Subject") or kind
    return {
        "delivery_report": {
            "id": own_id,
            "of": about[0] if about else None,
            "kind": status,
            "reason": reason[:500],
            "from": sender,
        }
    }


def read_message(raw: bytes, received_at: datetime) -> PostDict:
    """The post (or delivery report) one received mail makes; never raises on bad mail."""
    # The compat32 parser: it never raises on a malformed header (the modern policy parses every header
    # it is asked for, slowly, and may raise); encoded words are decoded here (_words).
    msg = message_from_bytes(raw)
    name, address = parseaddr(_header(msg, "From"))
    sender = address.strip().lower()
    own_id = (message_ids(_header(msg, "Message-ID")) or [_fallback_id(raw)])[0]
    kind = _automatic(msg, sender)
    if kind is not None:
        return _report(msg, kind, own_id, sender)
    references = message_ids(_header(msg, "References"))
    answered = message_ids(_header(msg, "In-Reply-To")) or references[-1:]
    parent = answered[0] if answered else None
    subject = _header(msg, "Subject")
    try:
        body, was_html, attachments = _body_and_attachments(msg)
    except Exception:  # noqa: BLE001 (a structure the parser choked on: the headers still make a post)
        body, was_html, attachments = "", False, []
    text = new_text(body)
    if parent is None and subject:
        text = f"{subject}\n\n{text}".strip()
    if attachments:
        listed = "\n".join(f"[attachment: {a['name']} ({a['type']}, {a['size']} bytes)]" for a in attachments)
        text = f"{text}\n\n{listed}".strip()
    text = text.replace("\x00", "")[:MAX_TEXT] or "(no text)"
    to = [a.lower() for _, a in getaddresses([_header(msg, "To"), _header(msg, "Cc")]) if a]
    return {
        "id": own_id,
        "channel": CHANNEL,
        "text": text,
        "created_at": _date(msg, received_at).isoformat(),
        "author": {  # a mail with no sender has an empty handle: one bad record for ingest
            "id": sender,
            "handle": sender,
            **({"name": name[:200]} if name else {}),
        },
        "in_reply_to": parent,
        "conversation_id": (references or [parent or own_id])[0],
        "visibility": "private",
        "raw": {
            "subject": subject[:1000],
            "message_id": own_id,
            "references": references[-50:],
            "to": to[:50],
            "html": was_html,
            "attachments": attachments[:100],
        },
    }


def read_messages(payload: Any, received_at: datetime) -> list[PostDict]:
    """``payload``: one mail's bytes, or a list of them."""
    mails = [payload] if isinstance(payload, bytes | bytearray) else list(payload)
    return [read_message(bytes(raw), received_at) for raw in mails]
