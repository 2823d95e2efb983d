"""The reference evaluator: the meaning of a query, written plainly. One query, one post.

`MonitorSet` must return exactly what this returns; tests check it on random queries and posts.
"""

from __future__ import annotations

from socialdesk.listening.post import MatchablePost, lang_matches, normal_handle, normal_lang
from socialdesk.listening.query import (
    And,
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
    Query,
    Term,
    VerifiedIs,
)
from socialdesk.listening.tokens import Token, fold, tokenize

Span = tuple[int, int]


def _term_at(term: Term, token: Token) -> bool:
    return token.word == term.word and (not term.mark or token.mark == term.mark)


def spans(node: Positional, tokens: list[Token]) -> list[Span]:
    """Where ``node`` occurs: (first, last) token positions, inclusive."""
    if isinstance(node, Term):
        return [(i, i) for i, token in enumerate(tokens) if _term_at(node, token)]
    if isinstance(node, Prefix):
        return [
            (i, i)
            for i, token in enumerate(tokens)
            if token.word.startswith(node.prefix) and (not node.mark or token.mark == node.mark)
        ]
    if isinstance(node, Phrase):
        size = len(node.terms)
        if size == 0:
            return []
        return [
            (i, i + size - 1)
            for i in range(len(tokens) - size + 1)
            if all(_term_at(term, tokens[i + k]) for k, term in enumerate(node.terms))
        ]
    found: set[Span] = set()
    for option in node.options:
        found.update(spans(option, tokens))
    return sorted(found)


def near(left: list[Span], right: list[Span], distance: int) -> bool:
    """Some left and right spans do not overlap and the gap between them is at most ``distance``."""
    for first, last in left:
        for other_first, other_last in right:
            if last < other_first and other_first - last <= distance:
                return True
            if other_last < first and first - other_last <= distance:
                return True
    return False


def _followers(node: FollowersAre, followers: int | None) -> bool:
    if followers is None:
        return False
    if node.op == ">":
        return followers > node.value
    if node.op == ">=":
        return followers >= node.value
    if node.op == "<":
        return followers < node.value
    return followers <= node.value


def _evaluate(node: Node, post: MatchablePost, tokens: list[Token]) -> bool:
    if isinstance(node, Term | Prefix | Phrase):
        return bool(spans(node, tokens))
    if isinstance(node, Near):
        return near(spans(node.left, tokens), spans(node.right, tokens), node.distance)
    if isinstance(node, Not):
        return not _evaluate(node.child, post, tokens)
    if isinstance(node, And):
        return all(_evaluate(child, post, tokens) for child in node.children)
    if isinstance(node, Or):
        return any(_evaluate(child, post, tokens) for child in node.children)
    if isinstance(node, AuthorIs):
        return normal_handle(post.author_handle) == node.handle
    if isinstance(node, LangIs):
        return lang_matches(None if post.lang is None else normal_lang(post.lang), node.code)
    if isinstance(node, ChannelIs):
        return fold(post.channel) == node.name
    if isinstance(node, FollowersAre):
        return _followers(node, post.followers)
    if isinstance(node, VerifiedIs):
        return post.verified == node.value
    if isinstance(node, IsRepost):
        return post.is_repost
    if isinstance(node, IsReply):
        return post.is_reply
    raise TypeError(f"not a query node: {node!r}")


def evaluate(query: Query | Node, post: MatchablePost) -> bool:
    """Whether the post matches the query (the reference meaning; slow and plain)."""
    root = query.root if isinstance(query, Query) else query
    return _evaluate(root, post, tokenize(post.text))


def evaluate_tokens(root: Node, post: MatchablePost, tokens: list[Token]) -> bool:
    """`evaluate` with the post's tokens already computed (to check many queries against one post)."""
    return _evaluate(root, post, tokens)
