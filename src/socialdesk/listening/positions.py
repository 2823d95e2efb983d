"""Token positions for the generated matcher code: phrases, wildcards and NEAR over a tokenized post.

The generated code (see `codegen`) calls these only after cheaper set tests passed (every word of a phrase
is in the post, both sides of a NEAR are present), so positions are computed for few posts.

``tokens`` are the post's token strings (``"#comcast"``, ``"@xfinity"``, ``"down"``), ``words`` the same
without the ``#``/``@`` (the same list when no token is marked). A positional is written as a small
tuple of plain strings and ints, so that it can be a literal of the generated source:

- ``("t", key)``: a term (``"comcast"`` any form, ``"#comcast"`` only the hashtag);
- ``("x", mark + prefix)``: a wildcard;
- ``("p", (key, key, ...))``: a phrase;
- ``("a", (positional, ...))``: alternatives (one side of NEAR).
"""

from __future__ import annotations

from typing import Any

from socialdesk.listening.keys import prefix_key, term_key
from socialdesk.listening.query import Phrase, Positional, Prefix, Term
from socialdesk.listening.reference import Span, near

Spec = tuple[Any, ...]
_MARKS = ("#", "@")


def spec_of(node: Positional) -> Spec:
    """The tuple form of a positional node (see the module docstring)."""
    if isinstance(node, Term):
        return ("t", term_key(node))
    if isinstance(node, Prefix):
        return ("x", prefix_key(node)[1:])
    if isinstance(node, Phrase):
        return ("p", tuple(term_key(term) for term in node.terms))
    return ("a", tuple(spec_of(option) for option in node.options))


def _positions(tokens: list[str], words: list[str], key: str) -> list[int]:
    found = tokens if key[0] in _MARKS else words
    where: list[int] = []
    index = -1
    for _ in range(found.count(key)):
        index = found.index(key, index + 1)
        where.append(index)
    return where


def _phrase_starts(tokens: list[str], words: list[str], keys: tuple[str, ...]) -> list[int]:
    if not keys:
        return []
    size, length = len(keys), len(tokens)
    starts = []
    for start in _positions(tokens, words, keys[0]):
        if start + size > length:
            break
        for offset in range(1, size):
            key = keys[offset]
            if (tokens if key[0] in _MARKS else words)[start + offset] != key:
                break
        else:
            starts.append(start)
    return starts


def pad(words: list[str]) -> str:
    """The words joined by spaces, with a space before and after (phrases of plain words are substrings)."""
    return " " + " ".join(words) + " "


def phrase(tokens: list[str], words: list[str], keys: tuple[str, ...]) -> bool:
    """Whether the keys occur as consecutive tokens."""
    return bool(_phrase_starts(tokens, words, keys))


def spans(tokens: list[str], words: list[str], spec: Spec) -> list[Span]:
    """Where a positional occurs: (first, last) token positions."""
    kind, data = spec
    if kind == "t":
        return [(index, index) for index in _positions(tokens, words, data)]
    if kind == "x":
        found = tokens if data[0] in _MARKS else words
        return [(index, index) for index, token in enumerate(found) if token.startswith(data)]
    if kind == "p":
        last = len(data) - 1
        return [(start, start + last) for start in _phrase_starts(tokens, words, data)]
    union: set[Span] = set()
    for option in data:
        union.update(spans(tokens, words, option))
    return sorted(union)


def near_spans(tokens: list[str], words: list[str], left: Spec, right: Spec, distance: int) -> bool:
    """Whether occurrences of both sides do not overlap and are at most ``distance`` positions apart."""
    return near(spans(tokens, words, left), spans(tokens, words, right), distance)
