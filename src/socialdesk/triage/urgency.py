"""Urgency 0-100 from needs and harms. Who the author is (followers, verified) plays no part.

The score is a transparent sum, each part named in the explanation:
category base + negative feeling + harms (safety, money, travel, outage, long wait) + how often
the author already wrote + how long they have waited + intensity ("!!!", CAPS), capped at 100.
A workspace may opt in to a VIP boost (`TriageSettings`), which is then named too.

Two parts change after a post was scored, and have pure functions of their own here: the waiting
time (`wait_points`, `aged_urgency`: the care checks add it while a customer waits) and the labels an
agent corrects (`relabel_urgency`: the category base, the no-reply deduction, the negative feeling).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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
    points = wait_points(wait_seconds)
    if points:
        total += points
        shown.append(f"waited {wait_seconds / 3600.0:.1f} h {points:+d}")
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


MAX_WAIT_POINTS = 20
NEGATIVE_BY_LABEL = 8  # what an agent's "negative" adds when the words alone did not say it


def wait_points(wait_seconds: float) -> int:
    """The waiting-time part of urgency: +6 per doubling of the hours waited, at most +20."""
    if wait_seconds <= 0:
        return 0
    return min(MAX_WAIT_POINTS, round(6 * math.log2(1.0 + wait_seconds / 3600.0)))


def aged_urgency(base: int, wait_seconds: float) -> int:
    """A waiting conversation's urgency: its messages' score (taken with no wait) plus the wait part."""
    return max(0, min(100, base + wait_points(wait_seconds)))


class Labels(NamedTuple):
    category: str
    sentiment: str
    needs_reply: bool


_NEGATIVE_PART = re.compile(r"negative feeling \+(\d+)")


def relabel_urgency(score: int, explanation: Sequence[str], before: Labels, after: Labels) -> UrgencyParts:
    """The urgency of a post whose labels an agent corrected, from its score and explanation.

    Each corrected label moves its own part of the sum: the category base (spam is 0 whatever the
    rest; a post that was spam starts again from its new base), the -10 for no reply needed, and the
    negative feeling (the words' own part when "negative" is taken away; +8 when an agent says it).
    The parts the text gives (harms, intensity, repeats) stay as they were.
    """
    if after.category == "spam":
        return UrgencyParts(0, (f"urgency 0 (corrected from {score}): spam",))
    shown: list[str] = []
    if before.category == "spam":
        total = CATEGORY_BASE.get(after.category, 0)
        shown.append(f"{after.category} {total:+d}")
        if not after.needs_reply:
            total -= 10
            shown.append("no reply needed -10")
    else:
        total = score
        if after.category != before.category:
            delta = CATEGORY_BASE.get(after.category, 0) - CATEGORY_BASE.get(before.category, 0)
            total += delta
            shown.append(f"category {before.category} -> {after.category} {delta:+d}")
        if after.needs_reply != before.needs_reply:
            delta = 10 if after.needs_reply else -10
            total += delta
            shown.append(f"{'needs a reply' if after.needs_reply else 'no reply needed'} {delta:+d}")
    if (before.sentiment == "negative") != (after.sentiment == "negative"):
        if after.sentiment == "negative":
            total += NEGATIVE_BY_LABEL
            shown.append(f"negative feeling (agent) {NEGATIVE_BY_LABEL:+d}")
        else:
            found = next((m for line in explanation if (m := _NEGATIVE_PART.search(line))), None)
            points = int(found.group(1)) if found else NEGATIVE_BY_LABEL
            total -= points
            shown.append(f"not negative -{points}")
    total = max(0, min(100, total))
    changes = ", ".join(shown) if shown else "no part changed"
    return UrgencyParts(total, (f"urgency {total} (corrected from {score}): {changes}",))
