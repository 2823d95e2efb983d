"""Ids and web addresses shaped like each network's, and timestamps, for demo posts.

Ids increase within a channel, so they are unique: x and mastodon ids are snowflakes (milliseconds in the
high bits), bluesky ids are at:// URIs with a TID record key, reddit ids are base36 with t3_ (submissions)
or t1_ (comments) prefixes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from socialdesk.demo.authors import BASE32, BASE36, encode

X_EPOCH_MS = 1_288_834_974_657


class PostIds:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last_ids: dict[str, int] = {}
        self.minute, self.minute_prefix = -1, ""

    def timestamp(self, seconds: int) -> str:
        """ISO 8601 in UTC, whole seconds; the minute's prefix is cached (posts come in time order)."""
        minute, second = divmod(seconds, 60)
        if minute != self.minute:
            self.minute = minute
            self.minute_prefix = datetime.fromtimestamp(minute * 60, UTC).isoformat()[:17]
        return f"{self.minute_prefix}{second:02}+00:00"

    def identify(
        self, channel: str, ts: float, author: dict[str, Any], root_id: str | None
    ) -> tuple[str, str]:
        """A network-shaped id, increasing within a channel (so unique), and the post's web address."""
        rng, ms = self.rng, int(ts * 1000)
        if channel == "x":
            n = self.next_number(channel, ((ms - X_EPOCH_MS) << 22) + rng.getrandbits(21))
            return str(n), f"https://x.com/{author['handle']}/status/{n}"
        if channel == "mastodon":
            n = self.next_number(channel, (ms << 16) + rng.getrandbits(15))
            user, _, instance = author["handle"].partition("@")
            return str(n), f"https://{instance or 'mastodon.social'}/@{user}/{n}"
        if channel == "bluesky":
            n = self.next_number(channel, (int(ts * 1_000_000) << 10) + rng.getrandbits(9))
            tid = "".join([BASE32[(n >> shift) & 31] for shift in range(60, -1, -5)])
            return (
                f"at://{author['id']}/app.bsky.feed.post/{tid}",
                f"https://bsky.app/profile/{author['handle']}/post/{tid}",
            )
        if channel == "reddit":
            b36 = encode(self.next_number(channel, (ms - 1_100_000_000_000) // 20), BASE36)
            if root_id is None:
                return f"t3_{b36}", f"https://www.reddit.com/r/CustomerService/comments/{b36}/"
            return f"t1_{b36}", f"https://www.reddit.com/r/CustomerService/comments/{root_id[3:]}/_/{b36}/"
        n = self.next_number(channel, ms // 100)
        if channel == "rss":
            return f"https://{author['handle']}/news/{n}", f"https://{author['handle']}/news/{n}"
        return f"{channel}-{n}", f"https://reviews.example/{channel}/{n}"

    def next_number(self, channel: str, candidate: int) -> int:
        number = max(candidate, self.last_ids.get(channel, 0) + 1)
        self.last_ids[channel] = number
        return number
