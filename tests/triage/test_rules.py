"""Phrase matching: the fast start-finding gives what trying every position gives."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.triage import rules
from socialdesk.triage.rules import PHRASES, match_phrases


def _reference(tokens: Sequence[str]) -> dict[str, list[str]]:
    """Try every position: the longest phrase that fits wins (`PHRASES` order among equals)."""
    phrases = []
    for family, spec in PHRASES.items():
        for raw in spec.split("|"):
            if raw.split():
                phrases.append((tuple(raw.split()), family))
    phrases.sort(key=lambda p: len(p[0]), reverse=True)  # stable
    found: dict[str, list[str]] = {}
    for i, tok in enumerate(tokens):
        for words, family in phrases:
            if tuple(tokens[i : i + len(words)]) != words:
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if family == "safety" and tok == "fire" and nxt in rules._NOT_SAFETY_NEXT:
                continue
            hits = found.setdefault(family, [])
            if " ".join(words) not in hits:
                hits.append(" ".join(words))
            break
    return found


_WORDS = [*sorted({w for spec in PHRASES.values() for w in spec.replace("|", " ").split()}), "tv", "zz"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14))
def test_match_phrases_equals_trying_every_position(tokens: list[str]) -> None:
    assert match_phrases(tokens) == _reference(tokens)


def test_examples() -> None:
    tokens = ["my", "internet", "is", "down", "again", "and", "i", "was", "charged", "twice"]
    tokens += [",", "fire", "tv", "broken"]
    assert match_phrases(tokens) == {
        "outage": ["internet is down", "is down", "down again"],
        "money": ["charged twice"],
    }
