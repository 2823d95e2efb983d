"""Counting a post's length the way each network does, and each network's limit.

* ``x``: twitter-text v3 weighted length over NFC text. Code points in U+0000-U+10FF, U+2000-U+200D,
  U+2010-U+201F and U+2032-U+2037 weigh 1, everything else (CJK, most symbols) weighs 2; a whole emoji
  sequence (ZWJ family, flag, skin tone, keycap) weighs 2; every URL counts 23, with or without
  ``https://``. Limit 280.
* ``mastodon``: grapheme clusters; each ``http(s)://`` URL counts 23 and a mention ``@user@domain``
  counts as ``@user``. Limit 500 (the default of most servers).
* ``bluesky``: grapheme clusters of the text as written. Limit 300.
* any other network: ``len(text)`` (code points), and :func:`limit` is ``None`` unless listed below.

The rules are a pure table keyed by network name (:data:`RULES`): each network's descriptor in
``channels/`` points at its entry (``NetworkDescriptor.length``), and code outside ``channels/`` asks
:func:`count` and :func:`limit` (or :func:`rule`) instead of naming a network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from socialdesk.domain.graphemes import grapheme_spans, is_emoji_cluster

__all__ = [
    "LIMITS",
    "RULES",
    "URL_LENGTH",
    "LengthRule",
    "count",
    "count_graphemes",
    "limit",
    "mention_spans",
    "rule",
    "url_spans",
]

URL_LENGTH = 23

LIMITS: dict[str, int] = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "reddit": 10_000,  # comments
    "instagram": 2_200,  # comments and captions
    "facebook": 8_000,  # comments
    "youtube": 10_000,  # comments
    "google_play": 350,  # a developer reply to a review
    "app_store": 5_970,  # a developer response to a customer review
    "google_business": 4_096,  # an owner's reply to a review
}

# Common TLDs for links written without a scheme ("example.com/help"); twitter-text knows ~1,500,
# this short list covers what brand replies use.
_BARE_TLDS = (
    "com|net|org|io|co|ly|me|app|dev|info|biz|gov|edu|tv|us|uk|ca|de|fr|es|it|nl|au|in|jp|br|mx|ie|"
    "be|ch|at|se|no|dk|fi|pl|pt|nz|sg|hk|kr|cn|ru|ai|gg|to|fm|link|shop|store|help|support|news"
)
_URL = re.compile(
    r"(?<![\w@.\-/])(?:(?P<scheme>https?://)(?:[\w\-]+\.)*[\w\-]+"
    r"|(?:www\.)?(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:" + _BARE_TLDS + r")(?![\w\-]))"
    r"(?::\d{1,5})?(?:[/?#][^\s]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"»…"
_MENTION = re.compile(
    r"(?<![\w@])@(?P<user>[A-Za-z0-9_]+(?:[.\-][A-Za-z0-9_]+)*)(?P<domain>@[\w\-]+(?:\.[\w\-]+)+)?"
)


def url_spans(text: str, *, require_scheme: bool = False) -> Iterator[tuple[int, int]]:
    """Spans of links in ``text``; trailing punctuation and an unbalanced ``)`` stay outside."""
    for match in _URL.finditer(text):
        if require_scheme and not match["scheme"]:
            continue
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            if last in _TRAILING or (
                last == ")" and text.count("(", start, end) < text.count(")", start, end)
            ):
                end -= 1
            else:
                break
        yield start, end


def mention_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """``(start, end_of_username, end)`` of each ``@user`` or ``@user@domain`` mention."""
    for match in _MENTION.finditer(text):
        yield match.start(), match.end("user"), match.end()


def _x_weight(cluster: str) -> int:
    if is_emoji_cluster(cluster):
        return 2
    total = 0
    for char in cluster:
        cp = ord(char)
        light = cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037
        total += 1 if light else 2
    return total


def _count_x(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in url_spans(text):
        total += _weighted(text[position:start]) + URL_LENGTH
        position = end
    return total + _weighted(text[position:])


def _weighted(text: str) -> int:
    return sum(_x_weight(text[start:end]) for start, end in grapheme_spans(text))


def _count_graphemes(text: str) -> int:
    return sum(1 for _ in grapheme_spans(text))


def _count_mastodon(text: str) -> int:
    pieces: list[str] = []
    position = 0
    for start, end in url_spans(text, require_scheme=True):
        pieces += [text[position:start], "x" * URL_LENGTH]
        position = end
    pieces.append(text[position:])
    shortened = "".join(pieces)
    # Mentions count as their username only: drop each "@domain" part.
    kept, position = [], 0
    for _, user_end, end in mention_spans(shortened):
        kept.append(shortened[position:user_end])
        position = end
    kept.append(shortened[position:])
    return _count_graphemes("".join(kept))


@dataclass(frozen=True, slots=True)
class LengthRule:
    """How a network counts a text (``counter``) and the most it takes (``limit``; None: none we enforce)."""

    limit: int | None
    counter: Callable[[str], int] = len

    def count(self, text: str) -> int:
        return self.counter(text)


def count_graphemes(text: str) -> int:
    return _count_graphemes(text)


# Networks counted their own way; every other network counts code points against LIMITS (if listed).
_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": _count_x,
    "mastodon": _count_mastodon,
    "bluesky": _count_graphemes,
}
RULES: dict[str, LengthRule] = {
    name: LengthRule(LIMITS.get(name), _COUNTERS.get(name, len)) for name in {*LIMITS, *_COUNTERS}
}
_CODE_POINTS = LengthRule(None)


def rule(network: str) -> LengthRule:
    """``network``'s length rule (code points and no limit for a network not in :data:`RULES`)."""
    return RULES.get(network, _CODE_POINTS)


def count(network: str, text: str) -> int:
    """The length of ``text`` as ``network`` counts it against its limit."""
    return rule(network).count(text)


def limit(network: str) -> int | None:
    """The network's length limit for a reply, or ``None`` when it has none we enforce."""
    return rule(network).limit
