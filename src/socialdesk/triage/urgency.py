"""Urgency 0-100 from needs and harms. Who the author is (followers, verified) plays no part.

The score is a transparent sum, each part named in the explanation:
category base + negative feeling + harms (safety, money, travel, outage, long wait) + how often
the author already wrote + how long they have waited + intensity ("!!!", CAPS), capped at 100.
A workspace may opt in to a VIP boost (`TriageSettings`), which is then named too.
"""

from __future__ import annotations

import math
from typing import NamedTuple

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


class UrgencyParts(NamedTuple):
    score: int
    reasons: tuple[str, ...]


_BASE_TEXT = {category: f"{category} {points:+d}" for category, points in CATEGORY_BASE.items() if points}
_NEGATIVE_TEXT = tuple(f"negative feeling {points:+d}" for points in range(16))
_SPAM = UrgencyParts(0, ("urgency 0: spam",))


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
        return _SPAM
    total = CATEGORY_BASE.get(category, 0)
    shown: list[str] = []
    if total:
        shown.append(_BASE_TEXT.get(category) or f"{category} {total:+d}")
    neg = round(15 * max(0.0, negative_probability - 0.33) / 0.67)
    if neg:
        total += neg
        shown.append(_NEGATIVE_TEXT[neg] if 0 < neg < 16 else f"negative feeling {neg:+d}")
    if category != "praise":
        if found or "$" in lowered or "£" in lowered or "€" in lowered:
            for name, points, cue in harm_cues(lowered, found):
                if name == "outage" and category == "outage_report":
                    continue
                total += points
                shown.append(f"{name} '{cue}' {points:+d}")
        if intense:
            total += 5
            shown.append("intensity +5")
    if repeat_contacts > 0:
        points = min(25, 8 * repeat_contacts)
        total += points
        shown.append(f"repeat contact x{repeat_contacts} {points:+d}")
    if wait_seconds > 0:
        hours = wait_seconds / 3600.0
        points = min(20, round(6 * math.log2(1.0 + hours)))
        if points:
            total += points
            shown.append(f"waited {hours:.1f} h {points:+d}")
    if not needs_reply:
        total -= 10
        shown.append("no reply needed -10")
    if settings is not None and settings.vip_handles and settings.is_vip(author_handle):
        boost = settings.vip_boost
        total += boost
        if boost:
            shown.append(f"VIP workspace rule @{(author_handle or '').lstrip('@')} {boost:+d}")
    total = max(0, min(100, total))
    return UrgencyParts(total, (f"urgency {total}: " + ", ".join(shown),))
