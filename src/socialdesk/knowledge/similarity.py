"""How alike two replies are, for the unscripted guard: shingled Jaccard over normalised words.

Both texts are case-folded, accents stripped and split into words (`knowledge.text.words`);
@mentions are dropped first, so "@ann Sorry about that" and "@bob Sorry about that" are the same
reply. The shingles are the runs of `SHINGLE` consecutive words (a text shorter than that is one
shingle of all its words); the similarity is |A ∩ B| / |A ∪ B| of the two shingle sets, in [0, 1]:
1 for the same words in the same order, 0 when no run of words is shared or either text has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from socialdesk.knowledge.text import words

SHINGLE = 2
MENTION = re.compile(r"(?<![\w@])@[\w.\-]+(?:@[\w\-]+(?:\.[\w\-]+)+)?")


def normalised_words(text: str) -> list[str]:
    """The reply's folded words without @mentions."""
    return words(MENTION.sub(" ", text))


@lru_cache(maxsize=8192)  # the brand's recent replies are compared again on every keystroke's check
def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    ws = normalised_words(text)
    if not ws:
        return frozenset()
    if len(ws) < size:
        return frozenset({tuple(ws)})
    return frozenset(tuple(ws[i : i + size]) for i in range(len(ws) - size + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """Shingled Jaccard of two texts, in [0, 1]."""
    return jaccard(shingles(a), shingles(b))


def closest(text: str, others: Iterable[str]) -> tuple[float, int | None]:
    """The highest similarity of `text` to one of `others` and that one's position (None: no others)."""
    mine = shingles(text)
    best, where = 0.0, None
    for i, other in enumerate(others):
        score = jaccard(mine, shingles(other))
        if where is None or score > best:
            best, where = score, i
    return best, where


def containment(part: str, whole: str) -> float:
    """The share of `part`'s shingles found in `whole` (1: all of it is there), in [0, 1]."""
    mine = shingles(part)
    if not mine:
        return 0.0
    return len(mine & shingles(whole)) / len(mine)
