"""RSS 2.0 / Atom / RDF feeds -> normalized post dicts (channel ``rss``), through feedparser.

Parsing is pure: the bytes come from :mod:`.client` and feedparser never fetches anything here.
An entry's id is its ``id``/``guid``, else its link (a longer one than the schema's 200 characters is
replaced by ``sha256:<hex>``). Text is the title, a blank line, then the content or summary as plain
text. The date is ``published``, else ``updated``, else when the feed was fetched.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from socialdesk.channels.html_text import html_to_text

PostDict = dict[str, Any]
MAX_TEXT = 100_000


def _bounded_id(value: str) -> str:
    return value if len(value) <= 200 else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _when(entry: Any, fetched_at: datetime) -> str:
    stamp: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is None:
        return fetched_at.astimezone(UTC).isoformat()
    return datetime.fromtimestamp(calendar.timegm(stamp), UTC).isoformat()


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    return html_to_text(str(html or ""))


def entry_post(entry: Any, feed: Any, feed_url: str, fetched_at: datetime) -> PostDict | None:
    """One feedparser entry as a post, or ``None`` for an entry with neither id nor link."""
    key = entry.get("id") or entry.get("link")
    if not key:
        return None
    feed_name = str(feed.get("title") or urlsplit(feed_url).hostname or feed_url)
    name = str(entry.get("author") or feed_name).strip() or feed_name
    title = html_to_text(str(entry.get("title") or ""))
    body = _body(entry)
    text = f"{title}\n\n{body}" if title and body and body != title else (title or body)
    author_id = feed_url if not entry.get("author") else f"{feed_url}#{name}"
    lang = feed.get("language")
    return {
        "id": _bounded_id(str(key)),
        "channel": "rss",
        "text": text[:MAX_TEXT],
        "created_at": _when(entry, fetched_at),
        "author": {"id": _bounded_id(author_id), "handle": name[:200], "name": name[:200]},
        "lang": str(lang)[:8] if lang else None,
        "url": entry.get("link"),
        "is_repost": False,
        "raw": {
            "feed": feed_url,
            **{
                k: str(entry[k])
                for k in ("id", "title", "link", "published", "updated", "author")
                if k in entry
            },
        },
    }


def feed_posts(content: bytes, feed_url: str, fetched_at: datetime) -> list[PostDict]:
    """Every usable entry of a feed document, in document order."""
    parsed = feedparser.parse(io.BytesIO(content), response_headers={"content-location": feed_url})
    posts = [entry_post(entry, parsed.feed, feed_url, fetched_at) for entry in parsed.entries]
    return [post for post in posts if post is not None]
