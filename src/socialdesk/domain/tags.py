"""Tags on a conversation's case: plain words an agent types and the inbox filters on.

A tag is 1 to 40 of a-z, 0-9, "-", "_" (lower case; upper case is folded): no quotes, markup or
spaces, so a tag reads the same everywhere it is shown and the inbox can find it in the stored list.
A case carries at most 20 tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from socialdesk.domain.errors import ValidationFailed

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_TAGS_TEXT = 2_000  # the most characters of tag input read at once (a form field, a macro)
_TAG = re.compile(r"[a-z0-9_-]{1,40}")  # 40: MAX_TAG_LENGTH
_SEPARATORS = re.compile(r"[,\s]+")


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags from what a person typed (separated by commas or spaces), refused with what is wrong."""
    if len(text) > MAX_TAGS_TEXT:
        raise ValidationFailed(f"tags: {len(text):,} characters; at most {MAX_TAGS_TEXT:,}")
    return normalize_tags(t for t in _SEPARATORS.split(text) if t)


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag checked and lower-cased, duplicates dropped, in the order given; at most MAX_TAGS."""
    out: list[str] = []
    for raw in tags:
        tag = raw.strip().lower().lstrip("#")
        if not _TAG.fullmatch(tag):
            shown = raw if len(raw) <= 50 else raw[:50] + "…"
            raise ValidationFailed(
                f"tag {shown!r}: use 1 to {MAX_TAG_LENGTH} letters a-z, digits, '-' or '_'"
            )
        if tag not in out:
            out.append(tag)
        if len(out) > MAX_TAGS:
            raise ValidationFailed(f"too many tags: at most {MAX_TAGS} on a conversation")
    return tuple(out)


def merged(current: Iterable[str], added: Iterable[str], removed: Iterable[str] = ()) -> tuple[str, ...]:
    """``current`` with ``added`` appended and ``removed`` dropped, checked against MAX_TAGS."""
    gone = set(removed)
    out = [t for t in current if t not in gone]
    out += [t for t in added if t not in out and t not in gone]
    if len(out) > MAX_TAGS:
        raise ValidationFailed(f"too many tags: at most {MAX_TAGS} on a conversation")
    return tuple(out)
