"""Rich-text facets for outgoing posts (pure, given a handle resolver).

Bluesky does not parse ``@handles`` or links out of a post's text: the client sends ``facets``, each a
byte range of the UTF-8 encoded text with a feature (``#mention`` with the DID, ``#link`` with the URI,
``#tag``). Offsets are bytes, not characters: "café @a.test" has the mention at bytes 6-13.
Detection follows the reference client (``RichText.detectFacets`` of ``@atproto/api``): a mention is
``@`` and a domain-like handle after a start of text, space or ``(``; it becomes a facet only when the
handle resolves to a DID. Links are ``http(s)://`` URLs or bare domains (linked as ``https://``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from socialdesk.channels.bluesky.parse import LINK, MENTION
from socialdesk.domain.text_length import url_spans

TAG = "app.bsky.richtext.facet#tag"
_MENTION = re.compile(r"(?:^|(?<=[\s(]))@(?P<handle>[a-zA-Z0-9.-]+)")
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_HANDLE = re.compile(rf"^(?:{_LABEL}\.)+[a-zA-Z](?:[a-zA-Z0-9-]{{0,61}}[a-zA-Z0-9])?$")
_TAG = re.compile(r"(?:^|(?<=\s))[#＃](?P<tag>\w*[^\W\d]\w*)")
MAX_TAG_LENGTH = 64

HandleResolver = Callable[[str], str | None]
"""A handle (without ``@``) -> its DID, or None when it does not resolve."""


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of the character at ``index`` of ``text``."""
    return len(text[:index].encode("utf-8"))


def _facet(text: str, start: int, end: int, feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "$type": "app.bsky.richtext.facet",
        "index": {"byteStart": byte_offset(text, start), "byteEnd": byte_offset(text, end)},
        "features": [feature],
    }


def mention_candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, handle) of every ``@handle`` that looks like a domain name."""
    found = []
    for match in _MENTION.finditer(text):
        handle = match["handle"].rstrip(".-")
        if _HANDLE.match(handle):
            start = match.start()
            found.append((start, start + 1 + len(handle), handle.lower()))
    return found


def build_facets(text: str, resolve_handle: HandleResolver) -> list[dict[str, Any]]:
    """Mention, link and tag facets of ``text``, sorted by position, never overlapping."""
    facets: list[tuple[int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for start, end in url_spans(text):
        uri = text[start:end]
        if not uri.lower().startswith(("http://", "https://")):
            uri = f"https://{uri}"
        facets.append((start, _facet(text, start, end, {"$type": LINK, "uri": uri})))
        taken.append((start, end))
    resolved: dict[str, str | None] = {}
    for start, end, handle in mention_candidates(text):
        if not free(start, end):
            continue
        if handle not in resolved:
            resolved[handle] = resolve_handle(handle)
        did = resolved[handle]
        if did:
            facets.append((start, _facet(text, start, end, {"$type": MENTION, "did": did})))
            taken.append((start, end))
    for match in _TAG.finditer(text):
        start, end = match.span()
        tag = match["tag"]
        if len(tag) <= MAX_TAG_LENGTH and free(start, end):
            facets.append((start, _facet(text, start, end, {"$type": TAG, "tag": tag})))
            taken.append((start, end))
    return [facet for _, facet in sorted(facets, key=lambda pair: pair[0])]
