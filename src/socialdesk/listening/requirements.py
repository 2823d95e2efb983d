"""What a post must contain for a query to have a chance: the keys the matcher indexes a query under.

`requirement(node)` returns a set of keys (see `keys`) such that whenever the query matches a post, at
least one of the keys occurs in it (or ``None`` when no such set exists, as for ``NOT x`` or
``followers:>10``). An AND needs any one of its children's sets, so it takes the cheapest (rarest) one;
an OR needs the union.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Final

from socialdesk.listening.keys import FIELD, PREFIX, prefix_key, term_key
from socialdesk.listening.post import MatchablePost, normal_handle, normal_lang
from socialdesk.listening.query import (
    And,
    AnyOf,
    AuthorIs,
    ChannelIs,
    IsReply,
    IsRepost,
    LangIs,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Positional,
    Prefix,
    Term,
    VerifiedIs,
)
from socialdesk.listening.tokens import fold

Requirement = tuple[frozenset[str], float]  # the keys, and the estimated share of posts having one
Estimate = Callable[[str], float]

# Words so common that a monitor indexed under them would be checked against most posts.
# fmt: off
_COMMON: Final = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "get", "got",
    "had", "has", "have", "i", "if", "in", "is", "it", "its", "just", "me", "my", "no", "not", "now",
    "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there", "they",
    "this", "to", "too", "up", "us", "was", "we", "what", "when", "who", "why", "will", "with", "you",
    "your",
))
# fmt: on
_FIELD_SHARE: Final = {"channel": 0.3, "lang": 0.4, "author": 0.0001, "is": 0.3, "verified": 0.05}


def default_estimate(key: str) -> float:
    """A guess at the share of posts holding the key, without traffic statistics."""
    if key.startswith(FIELD):
        return _FIELD_SHARE.get(key[1:].partition(":")[0], 0.3)
    if key.startswith(PREFIX):
        return 3 * default_estimate(key[1:])
    marked = key[0] in "#@"
    word = key[1:] if marked else key
    share = 0.05 if word in _COMMON else 0.01 if len(word) <= 3 else 0.003 if len(word) <= 5 else 0.001
    return share * (0.3 if marked else 1.0)


def estimate_from(shares: Mapping[str, float]) -> Estimate:
    """An estimate that uses measured shares (key -> share of posts) and guesses the rest."""
    return lambda key: shares.get(key, default_estimate(key))


def mentioned_keys(node: Node | AnyOf) -> set[str]:
    """Every key a query mentions, wherever it stands (under NOT too)."""
    if isinstance(node, And | Or):
        return set().union(*(mentioned_keys(child) for child in node.children))
    if isinstance(node, Not):
        return mentioned_keys(node.child)
    if isinstance(node, Near):
        return mentioned_keys(node.left) | mentioned_keys(node.right)
    if isinstance(node, AnyOf):
        return set().union(*(mentioned_keys(option) for option in node.options))
    if isinstance(node, Phrase):
        return {term_key(term) for term in node.terms}
    if isinstance(node, Term):
        return {term_key(node)}
    if isinstance(node, Prefix):
        return {prefix_key(node)}
    field = field_key(node)
    return set() if field is None else {FIELD + field}


def weighted_by_mentions(estimate: Estimate, roots: Iterable[Node]) -> Estimate:
    """Scale an estimate by how many of the monitors mention each key.

    Words many monitors use (``support``, ``refund``, ``switching``) are generic; a brand name is used by
    the few monitors about that brand. Indexing each AND under its least-shared key keeps the number of
    monitors a common word triggers small. Field keys keep their estimate: their share is about posts.
    """
    counts: Counter[str] = Counter()
    for root in roots:
        counts.update(mentioned_keys(root))
    return lambda key: estimate(key) if key.startswith(FIELD) else estimate(key) * (1 + counts[key])


def _keys(keys: frozenset[str], estimate: Estimate) -> Requirement:
    return keys, sum(estimate(key) for key in keys)


def _positional(node: Positional, estimate: Estimate) -> Requirement:
    if isinstance(node, Term):
        return _keys(frozenset({term_key(node)}), estimate)
    if isinstance(node, Prefix):
        return _keys(frozenset({prefix_key(node)}), estimate)
    if isinstance(node, Phrase):
        if not node.terms:
            return frozenset(), 0.0  # never occurs: nothing triggers it
        options = [_positional(term, estimate) for term in node.terms]
        return min(options, key=lambda option: option[1])
    union = [_positional(option, estimate) for option in node.options]
    return _keys(frozenset().union(*(keys for keys, _ in union)), estimate)


def field_key(node: Node) -> str | None:
    """The key (without `keys.FIELD`) a post holds exactly when the field node is true, if any."""
    if isinstance(node, AuthorIs):
        return f"author:{node.handle}"
    if isinstance(node, LangIs):
        return f"lang:{node.code}"
    if isinstance(node, ChannelIs):
        return f"channel:{node.name}"
    if isinstance(node, IsRepost):
        return "is:repost"
    if isinstance(node, IsReply):
        return "is:reply"
    if isinstance(node, VerifiedIs) and node.value:
        return "verified"
    return None


def requirement(node: Node, estimate: Estimate = default_estimate) -> Requirement | None:
    """Keys one of which every matching post holds, or None when the query needs no key."""
    if isinstance(node, Term | Prefix | Phrase):
        return _positional(node, estimate)
    if isinstance(node, Near):
        return min(_positional(node.left, estimate), _positional(node.right, estimate), key=lambda r: r[1])
    if isinstance(node, And):
        found = [r for r in (requirement(child, estimate) for child in node.children) if r is not None]
        return min(found, key=lambda r: r[1]) if found else None
    if isinstance(node, Or):
        union: set[str] = set()
        for child in node.children:
            child_requirement = requirement(child, estimate)
            if child_requirement is None:
                return None
            union.update(child_requirement[0])
        return _keys(frozenset(union), estimate)
    field = field_key(node)
    return None if field is None else _keys(frozenset({FIELD + field}), estimate)


def post_field_keys(post: MatchablePost, kinds: frozenset[str]) -> list[str]:
    """The field keys a post holds, of the given kinds (channel, author, lang, is, verified)."""
    keys = []
    if "channel" in kinds:
        keys.append(f"{FIELD}channel:{fold(post.channel)}")
    if "author" in kinds:
        keys.append(f"{FIELD}author:{normal_handle(post.author_handle)}")
    if "lang" in kinds and post.lang is not None:
        parts = normal_lang(post.lang).split("-")
        keys.extend(f"{FIELD}lang:{'-'.join(parts[: size + 1])}" for size in range(len(parts)))
    if "is" in kinds:
        if post.is_repost:
            keys.append(FIELD + "is:repost")
        if post.is_reply:
            keys.append(FIELD + "is:reply")
    if "verified" in kinds and post.verified == True:  # noqa: E712 (what verified:true means, as in the reference)
        keys.append(FIELD + "verified")
    return keys
