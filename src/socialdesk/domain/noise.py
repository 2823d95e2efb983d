"""Noise control: spam rules and the key that folds repeated identical posts together."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass

_LINK = re.compile(r"https?://([^/\s?#]+)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
DEDUPE_WINDOW_SECONDS = 15 * 60


class SpamRuleKind(enum.StrEnum):
    TERM = "term"  # a whole word or phrase in the text
    AUTHOR = "author"  # a handle
    LINK = "link"  # a link domain (and its subdomains)


@dataclass(frozen=True, slots=True)
class SpamRule:
    id: int
    workspace_id: int
    kind: SpamRuleKind
    value: str


def dedupe_key(channel: str, author_id: str, text: str) -> str:
    """Equal for the same author posting the same words (case, spacing and links' tails aside)."""
    # Runs of whitespace as one space, none at the ends: `re.sub(r"\s+", " ", t).strip()`, which
    # str.split() computes several times faster (both use Python's one notion of whitespace).
    normalized = " ".join(text.casefold().split())
    # (surrogatepass: a lone surrogate, which JSON's \ud800 escapes can carry, still has a key)
    digest = hashlib.sha256(
        f"{channel}\x1f{author_id}\x1f{normalized}".encode(errors="surrogatepass")
    ).hexdigest()
    return digest[:32]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def is_spam(rules: list[SpamRule], text: str, author_handle: str) -> SpamRule | None:
    """The first rule the post breaks, if any."""
    if not rules:
        return None
    words = _words(text)
    joined = " " + " ".join(words) + " "
    handle = author_handle.lstrip("@").casefold()
    domains = [d.casefold().removeprefix("www.") for d in _LINK.findall(text)]
    for rule in rules:
        value = rule.value.casefold().strip()
        if rule.kind is SpamRuleKind.TERM:
            phrase = " ".join(_words(value))
            if phrase and f" {phrase} " in joined:
                return rule
        elif rule.kind is SpamRuleKind.AUTHOR:
            if handle == value.lstrip("@"):
                return rule
        elif any(d == value or d.endswith("." + value) for d in domains):
            return rule
    return None
