"""The nodes of a parsed monitor query (an immutable tree) and `Query`, a tree with its source text.

Text nodes hold words already folded (see `tokens.fold`). A term whose text holds several tokens
(``wi-fi``, ``comcast's``, Chinese text) is parsed as a `Phrase`; a phrase of one token as a `Term`.
`And`/`Or` hold two or more children and never a child of their own kind (the parser flattens them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from socialdesk.listening.tokens import Mark

Comparison = Literal[">", ">=", "<", "<="]


@dataclass(frozen=True, slots=True)
class Term:
    """One whole token. ``mark`` "" matches the plain word, its hashtag and its mention."""

    word: str
    mark: Mark = ""


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive tokens. An empty phrase (``""``) can match nothing."""

    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Prefix:
    """A token starting with ``prefix`` (written ``refund*``)."""

    prefix: str
    mark: Mark = ""


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Alternatives on one side of NEAR: ``(cancel OR cancelling) NEAR/3 comcast``."""

    options: tuple[Positional, ...]


Positional = Term | Phrase | Prefix | AnyOf


@dataclass(frozen=True, slots=True)
class Near:
    """Two non-overlapping occurrences at most ``distance`` token positions apart, either order."""

    left: Positional
    right: Positional
    distance: int


@dataclass(frozen=True, slots=True)
class AuthorIs:
    handle: str


@dataclass(frozen=True, slots=True)
class LangIs:
    """``lang:en`` matches posts in ``en``, ``en-US``, ``en_GB``...; ``lang:en-us`` only ``en-US``."""

    code: str


@dataclass(frozen=True, slots=True)
class ChannelIs:
    name: str


@dataclass(frozen=True, slots=True)
class FollowersAre:
    """``followers:>1000``. A post whose follower count is unknown never satisfies it."""

    op: Comparison
    value: int


@dataclass(frozen=True, slots=True)
class VerifiedIs:
    value: bool


@dataclass(frozen=True, slots=True)
class IsRepost:
    pass


@dataclass(frozen=True, slots=True)
class IsReply:
    pass


Field = AuthorIs | LangIs | ChannelIs | FollowersAre | VerifiedIs | IsRepost | IsReply


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Prefix | Near | Field | Not | And | Or

POSITIONAL_TYPES = (Term, Phrase, Prefix, AnyOf)
FIELD_TYPES = (AuthorIs, LangIs, ChannelIs, FollowersAre, VerifiedIs, IsRepost, IsReply)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its tree and the text it came from."""

    root: Node
    text: str


def all_of(children: list[Node] | tuple[Node, ...]) -> Node:
    """``And`` of the children, flattening nested ``And``s; a single child is returned as is."""
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, And) else (child,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(children: list[Node] | tuple[Node, ...]) -> Node:
    """``Or`` of the children, flattening nested ``Or``s; a single child is returned as is."""
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, Or) else (child,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def phrase_of(terms: list[Term] | tuple[Term, ...]) -> Term | Phrase:
    """A one-token phrase is that term; anything else stays a phrase."""
    return terms[0] if len(terms) == 1 else Phrase(tuple(terms))
