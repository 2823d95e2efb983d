"""Hypothesis strategies for listening tests: query trees and posts over a small vocabulary."""

from __future__ import annotations

from hypothesis import strategies as st

from socialdesk.listening.post import MatchablePost
from socialdesk.listening.query import (
    AnyOf,
    AuthorIs,
    ChannelIs,
    Comparison,
    FollowersAre,
    IsReply,
    IsRepost,
    LangIs,
    Near,
    Node,
    Not,
    Phrase,
    Positional,
    Prefix,
    Term,
    VerifiedIs,
    all_of,
    any_of,
)
from socialdesk.listening.tokens import Mark

# Folded words (as a parsed query holds them); "and", "or", "not" are words when lower-case.
WORDS = ("comcast", "comcasts", "xfinity", "down", "outage", "no", "service", "and", "or", "not", "café")
PREFIXES = ("com", "comc", "out", "xfi", "caf", "serv")
# How words may be written in posts: different case and Unicode forms that fold to the same word.
SPELLINGS = {
    "comcast": ("comcast", "Comcast", "COMCAST", "ＣＯＭＣＡＳＴ"),
    "café": ("café", "CAFÉ", "cafe\u0301"),
    "service": ("service", "Service"),
}
MARKS: tuple[Mark, ...] = ("", "", "#", "@")
SEPARATORS = (" ", " ", " ", ", ", "'", "😡", "-", " https://", "/", "_", ". ")

marks = st.sampled_from(MARKS)
terms = st.builds(Term, st.sampled_from(WORDS), marks)
prefixes = st.builds(Prefix, st.sampled_from(PREFIXES), marks)
phrases = st.one_of(
    st.lists(terms, min_size=2, max_size=3).map(lambda items: Phrase(tuple(items))),
    st.just(Phrase(())),
)
simple_positionals: st.SearchStrategy[Positional] = st.one_of(terms, prefixes, phrases)


def _any_of(options: list[Positional]) -> AnyOf:
    flat: list[Positional] = []
    for option in options:
        flat.extend(option.options if isinstance(option, AnyOf) else (option,))
    return AnyOf(tuple(flat))


positionals: st.SearchStrategy[Positional] = st.one_of(
    simple_positionals,
    st.lists(simple_positionals, min_size=2, max_size=3).map(_any_of),
)
nears = st.builds(Near, positionals, positionals, st.integers(1, 4))
comparisons: st.SearchStrategy[Comparison] = st.sampled_from((">", ">=", "<", "<="))
fields: st.SearchStrategy[Node] = st.one_of(
    st.builds(AuthorIs, st.sampled_from(("alice", "bob"))),
    st.builds(LangIs, st.sampled_from(("en", "en-us", "fr"))),
    st.builds(ChannelIs, st.sampled_from(("x", "reddit"))),
    st.builds(FollowersAre, comparisons, st.sampled_from((0, 10, 100))),
    st.builds(VerifiedIs, st.booleans()),
    st.just(IsRepost()),
    st.just(IsReply()),
)
leaves: st.SearchStrategy[Node] = st.one_of(terms, terms, prefixes, phrases, nears, fields)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=3).map(all_of),
        st.lists(children, min_size=2, max_size=3).map(any_of),
    )


nodes: st.SearchStrategy[Node] = st.recursive(leaves, _extend, max_leaves=8)


@st.composite
def post_texts(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 9))):
        word = draw(st.sampled_from(WORDS))
        spelling = draw(st.sampled_from(SPELLINGS.get(word, (word, word.upper()))))
        parts.append(draw(marks) + spelling)
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


posts = st.builds(
    MatchablePost,
    text=post_texts(),
    author_handle=st.sampled_from(("alice", "@Alice", "bob", "carol")),
    lang=st.sampled_from((None, "en", "EN-us", "en_GB", "fr", "")),
    channel=st.sampled_from(("x", "X", "reddit", "email")),
    followers=st.sampled_from((None, 0, 9, 10, 11, 100, 1000)),
    verified=st.booleans(),
    is_repost=st.booleans(),
    is_reply=st.booleans(),
)
