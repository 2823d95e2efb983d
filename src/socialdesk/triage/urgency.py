"""Urgency 0-100 from needs and harms. Who the author is (followers, verified) plays no part.

The score is a transparent sum, each part named in the explanation:
category base + negative feeling + harms (safety, money, travel, outage, long wait) + how often
the author already wrote + how long they have waited + intensity ("!!!", CAPS), capped at 100.
A workspace may opt in to a VIP boost (`TriageSettings`), which is then named too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from socialdesk.triage.rules import harm_cues
from socialdesk.triage.settings import TriageSettings

CATEGORY_BASE = {
    "outage_report": 35,
    "complaint": 25,
    "question": 15,
    "feedback": 8,
    "other": 3,
    "praise": 0,
    "spam": 0,
}


@dataclass(frozen=True, slots=True)
class UrgencyParts:
    score: int
    reasons: tuple[str, ...]


def score_urgency(
    *,
    lowered: str,
    found: dict[str, list[str]],
    category: str,
    negative_probability: float,
    needs_reply: bool,
    intense: bool,
    repeat_contacts: int = 0,
    wait_seconds: float = 0.0,
    author_handle: str | None = None,
    settings: TriageSettings | None = None,
) -> UrgencyParts:
    if category == "spam":
        return UrgencyParts(0, ("urgency 0: spam",))
    parts: list[tuple[str, int]] = [(category, CATEGORY_BASE.get(category, 0))]
    neg = round(15 * max(0.0, negative_probability - 0.33) / 0.67)
    if neg:
        parts.append(("negative feeling", neg))
    if category != "praise":
        for name, points, cue in harm_cues(lowered, found):
            if name == "outage" and category == "outage_report":
                continue
            parts.append((f"{name} '{cue}'", points))
    if intense and category != "praise":
        parts.append(("intensity", 5))
    if repeat_contacts > 0:
        parts.append((f"repeat contact x{repeat_contacts}", min(25, 8 * repeat_contacts)))
    if wait_seconds > 0:
        hours = wait_seconds / 3600.0
        points = min(20, round(6 * math.log2(1.0 + hours)))
        if points:
            parts.append((f"waited {hours:.1f} h", points))
    if not needs_reply:
        parts.append(("no reply needed", -10))
    if settings is not None and settings.is_vip(author_handle):
        parts.append((f"VIP workspace rule @{(author_handle or '').lstrip('@')}", settings.vip_boost))
    total = max(0, min(100, sum(p for _, p in parts)))
    shown = [f"{name} {points:+d}" for name, points in parts if points]
    return UrgencyParts(total, (f"urgency {total}: " + ", ".join(shown),))
