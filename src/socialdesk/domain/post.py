"""Posts: what a network carries, normalized, and messages as stored in a conversation."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CHANNELS = (
    "x",
    "mastodon",
    "bluesky",
    "reddit",
    "rss",
    "email",
    "facebook",
    "instagram",
    "youtube",
    "review",
    "google_play",
    "app_store",
    "google_business",
    "webhook",
    "simulated",
)


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class Author:
    """The author as the network shows them."""

    id: str
    handle: str
    name: str = ""
    followers: int | None = None
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Location:
    text: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A normalized post (see docs/post-format.md): unique by (channel, id) within a workspace."""

    id: str
    channel: str
    text: str
    created_at: datetime
    author: Author
    in_reply_to: str | None = None
    conversation_id: str | None = None
    lang: str | None = None
    url: str | None = None
    location: Location | None = None
    is_repost: bool = False
    repost_of: str | None = None
    visibility: Visibility = Visibility.PUBLIC  # private: a direct message (the customer and the brand)
    rating: int | None = None  # a review's stars, 1 to 5 (None: not a review)
    raw: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.channel, self.id)


@dataclass(frozen=True, slots=True)
class Message:
    """A post as stored in a conversation, with its direction and visibility."""

    id: int
    workspace_id: int
    conversation_id: int | None  # None: a post only counted by listening monitors
    channel: str
    external_id: str | None
    direction: Direction
    visibility: Visibility
    text: str
    created_at: datetime
    author_handle: str
    author_name: str
    author_followers: int | None = None
    in_reply_to: str | None = None
    sent_by_user_id: int | None = None
    delivery: str = "received"
    lang: str | None = None
    monitors: tuple[str, ...] = ()
    triage: dict[str, Any] | None = None
    rating: int | None = None  # a review's stars, 1 to 5
