"""Meta webhook bodies (Facebook Pages, Instagram) -> normalized post dicts (pure).

One body is ``{"object": "page" | "instagram", "entry": [...]}``; each entry is one Page or Instagram
professional account (``entry.id``) and holds either ``changes`` (``field`` + ``value``: Page ``feed``
comments and visitor posts, Instagram ``comments`` and ``mentions``) or ``messaging`` (Messenger and
Instagram direct messages: ``sender``, ``recipient``, ``timestamp`` in ms, ``message``).

The network's descriptor says which ``object`` it receives and which channel its posts get, so this
module names no network. A bad event is skipped and reported (:class:`PostError`: its position in
the body, 1-based across entries, and the field path); only a wrong top level raises
:class:`MalformedWebhook`. Events that are no customer text are skipped silently and counted in
``ignored``: reactions, edits and removals, deliveries and reads, and echoes of the brand's own
messages (socialdesk already holds what it sent). Instagram ``mentions`` carry only ids: they are
listed in ``mentions`` for a Graph lookup, not made into posts here.

Direct messages are ``private`` posts in the conversation ``<account id>-<customer id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialdesk.channels.meta.fields import MalformedWebhook, array, ident, moment, obj, text
from socialdesk.ingest.validate import PostError

PostDict = dict[str, Any]
FEED_POST_ITEMS = frozenset({"status", "post", "photo", "video"})
COMMENT_FIELDS = frozenset({"comments", "live_comments"})

__all__ = ["FEED_POST_ITEMS", "MalformedWebhook", "MentionRef", "MetaBatch", "read_webhook"]


@dataclass(frozen=True)
class MentionRef:
    """An Instagram @mention: the account it names, and the comment (or caption's media) it is in."""

    account_id: str
    media_id: str
    comment_id: str | None


@dataclass
class MetaBatch:
    posts: list[PostDict] = field(default_factory=list)
    errors: list[PostError] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)
    ignored: int = 0


@dataclass(frozen=True)
class _Entry:
    account_id: str
    channel: str
    at: Any  # entry.time, for events that carry no time of their own
    received_at: datetime


def _author(sender: dict[str, Any], path: str, *, username: bool) -> dict[str, Any]:
    author_id = ident(sender, "id", path) or ""
    author: dict[str, Any] = {"id": author_id, "handle": author_id}
    if username:
        author["handle"] = text(sender, "username", path) or author_id
    name = text(sender, "name", path)
    if name:
        author["name"] = name[:200]
    return author


def _when(value: Any, entry: _Entry, path: str) -> str:
    if value is not None:
        return moment(value, path)
    if entry.at is not None:
        return moment(entry.at, "entry.time")
    return entry.received_at.isoformat()


def _feed(value: dict[str, Any], entry: _Entry, path: str) -> PostDict | None:
    """A Page ``feed`` change: a comment or a visitor's post, when added (else None)."""
    item, verb = value.get("item"), value.get("verb")
    if verb != "add" or (item != "comment" and item not in FEED_POST_ITEMS):
        return None
    post_id = ident(value, "post_id", path) or ""
    author = _author(obj(value.get("from"), f"{path}.from"), f"{path}.from", username=False)
    if item == "comment":
        post_id_of = ident(value, "comment_id", path) or ""
        parent = ident(value, "parent_id", path, required=False) or post_id
    else:
        post_id_of, parent = post_id, None
    post: PostDict = {
        "id": post_id_of,
        "channel": entry.channel,
        "text": text(value, "message", path) or "",
        "created_at": _when(value.get("created_time"), entry, f"{path}.created_time"),
        "author": author,
        "in_reply_to": parent,
        "conversation_id": post_id,
        "url": f"https://www.facebook.com/{post_id_of}",
        "raw": value,
    }
    return post


def _ig_comment(value: dict[str, Any], entry: _Entry, path: str) -> PostDict:
    comment_id = ident(value, "id", path) or ""
    media = obj(value.get("media"), f"{path}.media")
    media_id = ident(media, "id", f"{path}.media") or ""
    return {
        "id": comment_id,
        "channel": entry.channel,
        "text": text(value, "text", path) or "",
        "created_at": _when(value.get("timestamp"), entry, f"{path}.timestamp"),
        "author": _author(obj(value.get("from"), f"{path}.from"), f"{path}.from", username=True),
        "in_reply_to": ident(value, "parent_id", path, required=False) or media_id,
        "conversation_id": media_id,
        "raw": value,
    }


def _attachments_text(message: dict[str, Any], path: str) -> str:
    kinds = []
    for position, attachment in enumerate(array(message.get("attachments"), f"{path}.attachments")):
        where = f"{path}.attachments[{position}]"
        kinds.append(text(obj(attachment, where), "type", where) or "file")
    return " ".join(f"[{kind_} attachment]" for kind_ in kinds)


def _message(event: dict[str, Any], entry: _Entry, path: str) -> PostDict | None:
    """A ``messaging`` event: a customer's message (None for echoes, reads, deliveries, reactions)."""
    message = event.get("message")
    if message is None:
        return None
    message = obj(message, f"{path}.message")
    if message.get("is_echo") is True or message.get("is_deleted") is True:
        return None
    sender = obj(event.get("sender"), f"{path}.sender")
    customer = ident(sender, "id", f"{path}.sender") or ""
    if customer == entry.account_id:
        return None  # the brand's own message (Instagram sends these without is_echo)
    words = text(message, "text", f"{path}.message") or ""
    attached = _attachments_text(message, f"{path}.message")
    reply_to = message.get("reply_to")
    answered = None
    if reply_to is not None:
        where = f"{path}.message.reply_to"
        answered = ident(obj(reply_to, where), "mid", where, required=False)
    return {
        "id": ident(message, "mid", f"{path}.message") or "",
        "channel": entry.channel,
        "text": " ".join(part for part in (words, attached) if part),
        "created_at": _when(event.get("timestamp"), entry, f"{path}.timestamp"),
        "author": {"id": customer, "handle": customer},
        "in_reply_to": answered,
        "conversation_id": f"{entry.account_id}-{customer}",
        "visibility": "private",
        "raw": event,
    }


def _change(change: dict[str, Any], entry: _Entry, batch: MetaBatch, path: str) -> PostDict | None:
    name = text(change, "field", path, required=True)
    value = obj(change.get("value"), f"{path}.value")
    where = f"{path}.value"
    if name == "feed":
        return _feed(value, entry, where)
    if name in COMMENT_FIELDS:
        return _ig_comment(value, entry, where)
    if name == "mentions":
        media = ident(value, "media_id", where) or ""
        batch.mentions.append(
            MentionRef(entry.account_id, media, ident(value, "comment_id", where, required=False))
        )
        return None
    return None


def _entry_events(
    raw: Any, position: int, channel: str, received_at: datetime
) -> tuple[_Entry, list[tuple[str, Any]]]:
    path = f"entry[{position}]"
    found = obj(raw, path)
    entry = _Entry(ident(found, "id", path) or "", channel, found.get("time"), received_at)
    events = [("changes", c) for c in array(found.get("changes"), f"{path}.changes")]
    events += [("messaging", m) for m in array(found.get("messaging"), f"{path}.messaging")]
    return entry, events


def read_webhook(payload: Any, *, object_name: str, channel: str, received_at: datetime) -> MetaBatch:
    """A webhook POST body for ``object_name`` ("page", "instagram"): posts of ``channel``."""
    body = obj(payload, "body")
    if body.get("object") != object_name:
        raise MalformedWebhook(
            "object", f"must be {object_name!r} for this source, not {body.get('object')!r}"
        )
    batch = MetaBatch()
    position = 0
    for index, raw_entry in enumerate(array(body.get("entry"), "entry")):
        entry, events = _entry_events(raw_entry, index, channel, received_at)
        for key, event in events:
            position += 1
            path = f"entry.{key}"
            try:
                found = obj(event, path)
                post = (
                    _change(found, entry, batch, path) if key == "changes" else _message(found, entry, path)
                )
            except MalformedWebhook as exc:
                batch.errors.append(PostError(position, exc.path, exc.problem))
                continue
            if post is None:
                batch.ignored += 1
            else:
                batch.posts.append(post)
    batch.ignored -= len(batch.mentions)
    return batch
