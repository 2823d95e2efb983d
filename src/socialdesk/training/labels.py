"""Weak supervision: derive category and needs-reply labels from the data sets we have.

No data set here is labelled with our seven categories, so the learned category head is
trained on four classes derived as below; outage_report, spam and feedback are rules
(`socialdesk.triage.rules`) applied on top at inference.

* complaint: complaints data label 1; airline negative tweets; TWCS-labelled "Bad Support".
* question: non-complaints addressed to a brand (complaints data, airline neutral) that ask
  something (question mark, wh-/aux-word start or a help request); TWCS-labelled questions.
* praise: airline positive tweets that ask nothing; complaints-data non-complaints with a
  thanks/praise word; TWCS-labelled "Service Praise".
* other: complaints data random tweets and replies (not addressed to a brand) that ask
  nothing; airline neutral statements; a seeded sample of SemEval neutral tweets.
"""

from __future__ import annotations

import random
import re

from socialdesk.training.datasets import Example
from socialdesk.triage.features import extract
from socialdesk.triage.rules import is_question

_PRAISE_RE = re.compile(
    r"\b(?:thank\w*|thx|ty|love|loved|great|awesome|amazing|best|excellent|fantastic|kudos|"
    r"appreciate\w*|wonderful|perfect|brilliant)\b"
)

LEARNED_CATEGORIES = ("complaint", "question", "praise", "other")


def asks(text: str) -> bool:
    return is_question(text.lower(), extract(text).tokens)


def category_from_complaints(ex: Example) -> str | None:
    if ex.label == "complaint":
        return "complaint"
    if ex.group.startswith("random"):
        return None if asks(ex.text) else "other"
    if asks(ex.text):
        return "question"
    if _PRAISE_RE.search(ex.text.lower()):
        return "praise"
    return "other"


def category_from_airline(ex: Example) -> str | None:
    question = asks(ex.text)
    if ex.label == "negative":
        return "complaint"
    if ex.label == "positive":
        return None if question else "praise"
    return "question" if question else "other"


def category_from_twcs_labeled(ex: Example) -> str | None:
    topics = set(ex.label.split("|")) if ex.label else set()
    if "Bad Support" in topics:
        return "complaint"
    if "Service Praise" in topics:
        return "praise"
    return "question" if asks(ex.text) else None


def sample_other_from_semeval(pool: list[Example], n: int, seed: int) -> list[Example]:
    neutral = [e for e in pool if e.label == "neutral" and not asks(e.text)]
    rng = random.Random(seed)  # noqa: S311 -- seeded for reproducible sampling, not security
    return rng.sample(neutral, min(n, len(neutral)))


def needs_reply_from_complaints(ex: Example) -> str | None:
    if ex.label == "complaint":
        return "reply"
    if ex.group.startswith("random"):
        return "no_reply"
    return "reply" if asks(ex.text) else None


def needs_reply_from_airline(ex: Example) -> str | None:
    question = asks(ex.text)
    if ex.label == "negative" or question:
        return "reply"
    if ex.label == "positive":
        return "no_reply"
    return None
