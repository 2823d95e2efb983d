"""What one click on a suggestion puts in the composer: the article's answer as plain text, or, when
the reply would then be over the network's length limit, a short version and the article's link.

Pure. The length is counted the network's way (`domain.text_length`), on the reply as it would go
out: what the agent already wrote, the insert, and the signature (`fits` is given by the caller).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?)|[*_`~]{1,3}")
_FENCE = re.compile(r"(?m)^\s*(```|~~~).*$")
_URL = re.compile(r"(?:https?://|mailto:)[^\s)]+")
_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    if match.group(0).startswith("!"):
        return ""  # an image: nothing a post can show
    return url if label in ("", url) or not url else f"{label} ({url})"


def plain_text(markdown: str) -> str:
    """Markdown as a customer reads it in a post: no marks, links as "text (url)", no images."""
    text = _FENCE.sub("", markdown)
    text = _LINK.sub(_link, text)
    urls: list[str] = []

    def keep(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"\x00{len(urls) - 1}\x00"

    text = _MARKS.sub("", _URL.sub(keep, text))  # marks outside links only (a_b in a URL stays)
    text = re.sub("\x00(\\d+)\x00", lambda m: urls[int(m.group(1))], text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def joined(existing: str, insert: str) -> str:
    """The composer's text with the insert after what the agent already wrote."""
    existing = existing.rstrip()
    return f"{existing}\n\n{insert}" if existing else insert


def _shortened(sentences: list[str], link: str | None, fits: Callable[[str], bool]) -> str:
    tail = f" {link}" if link else ""
    kept: list[str] = []
    for sentence in sentences:
        if not fits(" ".join([*kept, sentence]) + tail):
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept) + tail
    # Not even the first sentence: as many of its words as fit, with an ellipsis.
    words = sentences[0].split() if sentences else []
    low, high = 0, len(words)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(" ".join(words[:mid]) + "…" + tail):
            low = mid
        else:
            high = mid - 1
    if low:
        return " ".join(words[:low]) + "…" + tail
    return link or ""


def insert_text(title: str, body: str, link: str | None, fits: Callable[[str], bool]) -> tuple[str, bool]:
    """(the text to insert, whether it is the short version). `fits(text)` tells whether the reply
    with `text` inserted is within the network's limit. The full answer is the article's body as
    plain text (its title when the body is empty); the short one, whole sentences from its start that
    fit, then the link. Nothing fits: the link alone (or an empty text without one)."""
    full = plain_text(body) or title.strip()
    if fits(full):
        return full, False
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(full.split())) if s.strip()]
    return _shortened(sentences, link, fits), True
