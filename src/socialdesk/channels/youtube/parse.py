"""YouTube Data API v3 resources (``commentThread``, ``comment``) into normalized post dicts. Pure.

A thread is a top-level comment on one of the brand's videos with its replies (YouTube nests one level
only: every reply's ``snippet.parentId`` is the top-level comment). The conversation is the thread; a
reply answers its top-level comment. Authors are YouTube channels: the post's author ``id`` and
``handle`` are the channel id (``UC...``, stable; a brand account's handle is its channel id, so the
brand's own comments are recognised), ``name`` the display name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from socialdesk.channels.framework import PostDict
from socialdesk.channels.html_text import html_to_text

NAME = "youtube"
WATCH = "https://www.youtube.com/watch"


class NotAComment(ValueError):
    """The resource is not a comment or comment thread as the API documents them."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def comment_url(video_id: str | None, comment_id: str) -> str | None:
    return f"{WATCH}?v={video_id}&lc={comment_id}" if video_id else None


def comment_text(snippet: dict[str, Any]) -> str:
    """``textOriginal`` (what the author wrote) when the API gives it, else ``textDisplay`` (HTML)."""
    original = snippet.get("textOriginal")
    if isinstance(original, str) and original.strip():
        return original
    return html_to_text(str(snippet.get("textDisplay") or ""), {})


def comment(resource: dict[str, Any], *, video_id: str | None = None) -> PostDict:
    """One ``youtube#comment``: a top-level comment or a reply (``snippet.parentId``)."""
    snippet = _dict(resource.get("snippet"))
    comment_id = resource.get("id")
    if not isinstance(comment_id, str) or not comment_id or not snippet.get("publishedAt"):
        raise NotAComment("a comment needs an id and snippet.publishedAt")
    author_id = str(_dict(snippet.get("authorChannelId")).get("value") or "")
    name = str(snippet.get("authorDisplayName") or "").strip()
    video = str(snippet.get("videoId") or video_id or "") or None
    parent = snippet.get("parentId")
    author: dict[str, Any] = {
        "id": author_id or f"unknown:{comment_id}",
        "handle": author_id or name or "unknown",
    }
    if name:
        author["name"] = name[:200]
    return {
        "id": comment_id,
        "channel": NAME,
        "text": comment_text(snippet),
        "created_at": snippet["publishedAt"],
        "author": author,
        "in_reply_to": str(parent) if parent else None,
        "conversation_id": str(parent) if parent else comment_id,
        "url": comment_url(video, comment_id),
        "visibility": "public",
        "raw": resource,
    }


def thread(resource: dict[str, Any]) -> list[PostDict]:
    """One ``youtube#commentThread``: its top-level comment, then the replies the API included."""
    snippet = _dict(resource.get("snippet"))
    top = _dict(snippet.get("topLevelComment"))
    if not top:
        raise NotAComment("a comment thread needs snippet.topLevelComment")
    video = str(snippet.get("videoId") or "") or None
    posts = [comment(top, video_id=video)]
    replies = _dict(resource.get("replies")).get("comments") or []
    posts.extend(comment(r, video_id=video) for r in replies if isinstance(r, dict))
    return posts


def threads_page(body: Any) -> list[PostDict]:
    """A ``commentThreads.list`` answer (or a ``comments.list`` one) as posts; malformed items are
    skipped, never the page."""
    items = _dict(body).get("items") or []
    return list(_posts(items))


def _posts(items: list[Any]) -> Iterator[PostDict]:
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            if item.get("kind") == "youtube#comment":
                yield comment(item)
            else:
                yield from thread(item)
        except NotAComment:
            continue
