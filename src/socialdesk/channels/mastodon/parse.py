"""Mastodon entities (Status, Notification, streaming events) -> normalized post dicts (pure).

A ``direct`` status is stored ``private`` (a direct message). Handles are always the full account
``user@instance`` (a local account's ``acct`` has no domain, so the domain is taken from its profile
URL); the brand's own statuses keep the brand's handle.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from socialdesk.channels.html_text import html_to_text

PostDict = dict[str, Any]
POST_NOTIFICATION_TYPES = {"mention", "status"}


def full_acct(account: dict[str, Any]) -> str:
    acct = str(account.get("acct") or account.get("username") or account["id"])
    if "@" in acct:
        return acct
    host = urlsplit(str(account.get("url") or "")).hostname
    return f"{acct}@{host}" if host else acct


def _author(account: dict[str, Any]) -> dict[str, Any]:
    author: dict[str, Any] = {"id": str(account["id"]), "handle": full_acct(account)}
    name = account.get("display_name") or account.get("username")
    if name:
        author["name"] = str(name)[:200]
    if isinstance(account.get("followers_count"), int) and account["followers_count"] >= 0:
        author["followers"] = account["followers_count"]
    return author


def status_text(status: dict[str, Any]) -> str:
    mentions = {
        str(m["url"]): full_acct({"acct": m.get("acct"), "url": m["url"], "id": m.get("id")})
        for m in status.get("mentions") or []
        if m.get("url")
    }
    text = html_to_text(str(status.get("content") or ""), mentions)
    warning = str(status.get("spoiler_text") or "").strip()
    return f"CW: {warning}\n\n{text}" if warning else text


def visibility(entity: dict[str, Any]) -> str:
    """``private`` for a direct status (only the accounts it mentions see it), else ``public``.

    Followers-only (``private``) and ``unlisted`` statuses stay public here: their audience is not
    the brand alone, and a reply to them keeps their visibility (see send.py)."""
    return "private" if entity.get("visibility") == "direct" else "public"


def status(entity: dict[str, Any]) -> PostDict:
    """A Status entity; a boost is a repost whose text is the boosted status's."""
    boosted = entity.get("reblog")
    shown = boosted or entity
    return {
        "id": str(entity["id"]),
        "channel": "mastodon",
        "text": status_text(shown),
        "created_at": entity["created_at"],
        "author": _author(entity["account"]),
        "in_reply_to": entity.get("in_reply_to_id"),
        "lang": entity.get("language"),
        "url": entity.get("url") or entity.get("uri"),
        "is_repost": boosted is not None,
        "repost_of": str(boosted["id"]) if boosted else None,
        "visibility": visibility(entity),
        "raw": entity,
    }


def notification(entity: dict[str, Any]) -> PostDict | None:
    """A Notification: a post for mentions (and subscribed statuses), ``None`` for the rest."""
    if entity.get("type") not in POST_NOTIFICATION_TYPES or not entity.get("status"):
        return None
    return status(entity["status"])


def stream_event(event: str, data: Any) -> PostDict | None:
    """One server-sent event of ``/api/v1/streaming/*`` (``data`` already JSON-decoded)."""
    if event in ("update", "status.update") and isinstance(data, dict):
        return status(data)
    if event == "notification" and isinstance(data, dict):
        return notification(data)
    return None  # delete, filters_changed, announcement...: nothing to ingest
