"""Small builders for test data."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from socialdesk.domain.post import Author, Post
from tests.conftest import T0

_ids = itertools.count(1)


def post(
    text: str = "my internet is down again",
    *,
    id: str | None = None,
    channel: str = "x",
    author: str = "carol",
    followers: int | None = 120,
    at: datetime | None = None,
    minutes: float = 0,
    reply_to: str | None = None,
) -> Post:
    return Post(
        id=id or f"p{next(_ids)}",
        channel=channel,
        text=text,
        created_at=(at or T0) + timedelta(minutes=minutes),
        author=Author(id=f"id-{author}", handle=author, name=author.title(), followers=followers),
        in_reply_to=reply_to,
    )
