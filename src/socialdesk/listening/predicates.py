"""Compiling a query tree into one fast predicate over a `PostView` (a post tokenized once).

The predicates mean exactly what `reference.evaluate` means; they are faster because each post is
tokenized once for all monitors, word and wildcard tests are set lookups (``{a, b} <= keys`` for an AND
of words, ``not {a, b*}.isdisjoint(keys)`` for an OR), and positions are computed only when a phrase or
NEAR needs them. The view's keys must hold a prefix mark (`keys.PREFIX`) for every wildcard of the
compiled queries that some token starts with: `prefix_marks` computes them.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

from socialdesk.listening.keys import PREFIX, prefix_key, term_key
from socialdesk.listening.post import MatchablePost, lang_matches, normal_handle, normal_lang
from socialdesk.listening.query import (
    And,
    AnyOf,
    AuthorIs,
    ChannelIs,
    FollowersAre,
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
from socialdesk.listening.reference import Span, near
from socialdesk.listening.tokens import fold

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


@functools.lru_cache(maxsize=4096)
def _lang(lang: str) -> str:
    return normal_lang(lang)


@functools.lru_cache(maxsize=4096)
def _channel(channel: str) -> str:
    return fold(channel)


class PostView:
    """A post as the predicates see it: tokens, bare words, a key set, and lazily derived facts.

    ``tokens`` are ``#``/``@``-prefixed strings; ``words`` the same without marks (the same list when no
    token is marked); ``keys`` every token, every bare word and the prefix marks of the matcher.
    """

    __slots__ = ("_handle", "_lang", "keys", "post", "tokens", "words")

    def __init__(self, post: MatchablePost, tokens: list[str], words: list[str], keys: set[str]) -> None:
        self.post = post
        self.tokens = tokens
        self.words = words
        self.keys = keys
        self._handle: str | None = None
        self._lang: str | None = None

    def positions(self, key: str) -> list[int]:
        """Positions of a token string (``"#a"`` only hashtags; ``"a"`` any form of ``a``)."""
        found = self.tokens if key[0] in "#@" else self.words
        where: list[int] = []
        index = -1
        for _ in range(found.count(key)):
            index = found.index(key, index + 1)
            where.append(index)
        return where

    @property
    def handle(self) -> str:
        if self._handle is None:
            self._handle = normal_handle(self.post.author_handle)
        return self._handle

    @property
    def lang(self) -> str | None:
        if self._lang is None and self.post.lang is not None:
            self._lang = _lang(self.post.lang)
        return self._lang

    @property
    def channel(self) -> str:
        return _channel(self.post.channel)


Predicate = Callable[[PostView], bool]


def _term_at(view: PostView, index: int, term: Term) -> bool:
    if term.mark:
        return view.tokens[index] == term.mark + term.word
    return view.words[index] == term.word


def spans(node: Positional, view: PostView) -> list[Span]:
    """Where ``node`` occurs in the post: (first, last) token positions."""
    if isinstance(node, Term):
        return [(index, index) for index in view.positions(node.mark + node.word)]
    if isinstance(node, Prefix):
        if node.mark:
            start = node.mark + node.prefix
            return [(i, i) for i, token in enumerate(view.tokens) if token.startswith(start)]
        return [(i, i) for i, word in enumerate(view.words) if word.startswith(node.prefix)]
    if isinstance(node, Phrase):
        if not node.terms:
            return []
        first, rest = node.terms[0], node.terms[1:]
        size, length = len(node.terms), len(view.tokens)
        return [
            (start, start + size - 1)
            for start in view.positions(first.mark + first.word)
            if start + size <= length
            and all(_term_at(view, start + 1 + k, term) for k, term in enumerate(rest))
        ]
    found: set[Span] = set()
    for option in node.options:
        found.update(spans(option, view))
    return sorted(found)


def _text(node: Term | Phrase | Prefix | AnyOf) -> Predicate:
    if isinstance(node, Term):
        key = term_key(node)
        return lambda view: key in view.keys
    if isinstance(node, Prefix):
        key = prefix_key(node)
        return lambda view: key in view.keys
    if isinstance(node, Phrase):
        needed = frozenset(term_key(term) for term in node.terms)
        if not needed:
            return lambda view: False
        return lambda view: needed <= view.keys and bool(spans(node, view))
    keys = frozenset(key for key in map(_key, node.options) if key is not None)
    others = [_text(option) for option in node.options if _key(option) is None]
    if not others:
        return lambda view: not keys.isdisjoint(view.keys)
    return lambda view: not keys.isdisjoint(view.keys) or any(other(view) for other in others)


def _near(node: Near) -> Predicate:
    left, right, distance = _text(node.left), _text(node.right), node.distance
    return lambda view: (
        left(view) and right(view) and near(spans(node.left, view), spans(node.right, view), distance)
    )


def _field(node: Node) -> Predicate | None:
    if isinstance(node, AuthorIs):
        handle = node.handle
        return lambda view: view.handle == handle
    if isinstance(node, LangIs):
        code = node.code
        return lambda view: lang_matches(view.lang, code)
    if isinstance(node, ChannelIs):
        name = node.name
        return lambda view: view.channel == name
    if isinstance(node, FollowersAre):
        compare, value = _COMPARE[node.op], node.value
        return lambda view: view.post.followers is not None and compare(view.post.followers, value)
    if isinstance(node, VerifiedIs):
        wanted = node.value
        return lambda view: view.post.verified == wanted
    if isinstance(node, IsRepost):
        return lambda view: view.post.is_repost
    if isinstance(node, IsReply):
        return lambda view: view.post.is_reply
    return None


def _cost(node: Node) -> int:
    """Rough order of evaluation cost, cheapest first."""
    if isinstance(node, Not):
        return _cost(node.child)
    if isinstance(node, Phrase | And | Or):
        return 2
    return 3 if isinstance(node, Near) else 1


def _key(node: Node | AnyOf) -> str | None:
    """The one key a node stands for, if it is a plain word or wildcard."""
    if isinstance(node, Term):
        return term_key(node)
    if isinstance(node, Prefix):
        return prefix_key(node)
    return None


def _split(children: tuple[Node, ...]) -> tuple[frozenset[str], list[Predicate]]:
    """Word and wildcard children (as one set of keys), and predicates of the others, cheapest first."""
    keys = frozenset(key for key in map(_key, children) if key is not None)
    others = [compile_node(child) for child in sorted(children, key=_cost) if _key(child) is None]
    return keys, others


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda view: first(view) and second(view)


def _either(first: Predicate, second: Predicate) -> Predicate:
    return lambda view: first(view) or second(view)


def _all(children: tuple[Node, ...]) -> Predicate:
    words, others = _split(children)
    rest = functools.reduce(_both, others) if others else None
    if rest is None:
        return lambda view: words <= view.keys
    if not words:
        return rest
    return lambda view: words <= view.keys and rest(view)


def _any(children: tuple[Node, ...]) -> Predicate:
    words, others = _split(children)
    rest = functools.reduce(_either, others) if others else None
    if rest is None:
        return lambda view: not words.isdisjoint(view.keys)
    if not words:
        return rest
    return lambda view: not words.isdisjoint(view.keys) or rest(view)


def prefix_marks(word: str, prefixes: frozenset[str], lengths: tuple[int, ...]) -> tuple[str, ...]:
    """The prefix marks a post key (``"refunds"``, ``"#refundnow"``) earns from the queries' wildcards.

    ``prefixes`` holds every wildcard as mark + prefix (``"refund"``, ``"#refund"``); ``lengths`` their
    distinct lengths, sorted.
    """
    marks = []
    for length in lengths:
        if length > len(word):
            break
        start = word[:length]
        if start in prefixes:
            marks.append(PREFIX + start)
    return tuple(marks)


def compile_node(node: Node) -> Predicate:
    """A predicate that is true exactly when `reference.evaluate` is."""
    if isinstance(node, Term | Phrase | Prefix):
        return _text(node)
    if isinstance(node, Near):
        return _near(node)
    if isinstance(node, Not):
        child = compile_node(node.child)
        return lambda view: not child(view)
    if isinstance(node, And):
        return _all(node.children)
    if isinstance(node, Or):
        return _any(node.children)
    field = _field(node)
    if field is None:
        raise TypeError(f"not a query node: {node!r}")
    return field
