"""An incident as the detector holds it: what fired it, its keywords and its member posts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Member:
    post_id: str
    author: str
    channel: str
    text: str
    created_at: datetime
    report: bool


@dataclass(slots=True)
class Incident:
    """One incident. `key` fired it (``w:word`` or ``m:monitor``); `keys` are every key it took in,
    `join_keys` those a later post may join by."""

    id: str
    key: str
    detected_at: datetime
    fired_by: str
    keywords: list[str]
    join_keys: list[str]
    keys: list[str]
    authors_at_detection: int
    surprise: float
    members: list[Member] = field(default_factory=list)
    last_member_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def monitors(self) -> list[str]:
        return sorted(k[2:] for k in self.keys if k.startswith("m:"))

    @property
    def channels(self) -> list[str]:
        return sorted({m.channel for m in self.members if m.channel})

    def summary(self) -> str:
        """One line for people: how many reported what, where, with an example."""
        authors = len({m.author for m in self.members})
        about = ", ".join(self.keywords[:5]) or ", ".join(self.monitors)
        where = f" on {', '.join(self.channels)}" if self.channels else ""
        reports = [m.text for m in self.members if m.report]
        example = reports[0] if reports else (self.members[0].text if self.members else "")
        example = " ".join(example.split())
        if len(example) > 120:
            example = example[:119] + "…"
        return f"{len(self.members)} posts from {authors} authors{where} about {about}: “{example}”"

    def as_record(self) -> dict[str, Any]:
        """The JSON object `socialdesk incidents detect` prints."""
        first = min((m.created_at for m in self.members), default=self.detected_at)
        return {
            "id": self.id,
            "detected_at": self.detected_at.isoformat(),
            "posts": [m.post_id for m in self.members],
            "summary": self.summary(),
            "keywords": list(self.keywords),
            "key": self.key,
            "monitors": self.monitors,
            "channels": self.channels,
            "authors": len({m.author for m in self.members}),
            "first_post_at": first.isoformat(),
            "fired_by": self.fired_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "surprise": round(self.surprise, 2) if self.surprise != float("inf") else None,
            "counts_by_network": dict(sorted(Counter(m.channel for m in self.members).items())),
        }
