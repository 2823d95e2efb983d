"""Conversations in the demo traffic: who answers what, how likely, and what the customer says back."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from socialdesk.demo.authors import Persona
from socialdesk.demo.compose import Scene
from socialdesk.demo.vocabulary import Intent

# How likely a care agent answers a post of this intent that @-mentions the brand (3/4 of it when the post
# only names the brand); about 70% of the posts that need an answer get one.
REPLY_CHANCE: dict[str, float] = {
    "complaint": 0.88, "question": 0.88, "outage_report": 0.8, "praise": 0.3, "feedback": 0.45,
    "other": 0.03, "spam": 0.0,
}  # fmt: skip
FIRST_REPLY = {
    "complaint": "apology_dm", "question": "answer", "outage_report": "outage_ack", "praise": "thanks",
    "feedback": "feedback", "other": "thanks",
}  # fmt: skip
ANSWER_TO = {"dm_sent": "dm_received", "private": "delete_private", "still_broken": "escalate",
             "thanks": "glad", "question": "info"}  # fmt: skip
FOLLOWUP_INTENT: dict[str, Intent] = {
    "dm_sent": "other", "private": "other", "still_broken": "complaint", "thanks": "praise",
    "question": "question",
}  # fmt: skip
# After the brand's reply of this kind: (chance the customer answers, [(follow-up kind, weight)]).
FOLLOWUPS: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "apology_dm": (0.65, (("dm_sent", 0.45), ("private", 0.2), ("still_broken", 0.15), ("question", 0.1),
                          ("thanks", 0.1))),
    "outage_ack": (0.35, (("thanks", 0.4), ("question", 0.3), ("still_broken", 0.3))),
    "answer": (0.4, (("thanks", 0.6), ("question", 0.25), ("still_broken", 0.15))),
    "escalate": (0.4, (("still_broken", 0.4), ("thanks", 0.5), ("dm_sent", 0.1))),
    "delete_private": (0.3, (("thanks", 0.7), ("still_broken", 0.3))),
    "dm_received": (0.2, (("thanks", 0.6), ("still_broken", 0.4))),
    "info": (0.2, (("thanks", 0.8), ("question", 0.2))),
}  # fmt: skip
ANSWER_CHANCE = {"dm_sent": 0.6, "private": 0.85, "still_broken": 0.75, "thanks": 0.35, "question": 0.75}


@dataclass(slots=True)
class Thread:
    """A conversation between one customer and one brand; `last_id` is what the next message answers."""

    scene: Scene
    customer: Persona
    last_id: str
    root_id: str
    signature: str | None
    next_kind: str  # the kind of the next brand reply or customer follow-up
    rounds: int = 0


def pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    x = rng.random() * sum(w for _, w in weighted)
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]
