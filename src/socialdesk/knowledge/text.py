"""How article and post text become search tokens: Unicode case folding and accent stripping.

"Échec", "ECHEC" and "echec" are one token, so a customer who types without accents still finds an
article written with them. Tokens are runs of letters or digits; a light English suffix rule folds
plurals and common verb endings ("cards" -> "card", "charged" -> "charg", "charging" -> "charg"),
applied to every language alike because it only removes a short ending from long words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")
_SUFFIXES = ("ing", "ed", "es", "s")
# Words too common to tell articles apart; they still count in the dense part.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "why",
        "when",
        "where",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "not",
        "no",
        "so",
        "just",
        "than",
        "then",
        "too",
        "very",
        "s",
        "t",
        "im",
        "ive",
        "id",
    ]
)


def fold(text: str) -> str:
    """Case-folded text without accents (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word without one common English ending, when at least three letters remain."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The folded words of a text, in order (apostrophes removed: "can't" -> "cant")."""
    return [w.replace("'", "").replace("’", "") for w in _WORD_RE.findall(fold(text))]


def tokens(text: str) -> list[str]:
    """The search tokens of a text: folded, stemmed words that are not stopwords."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
