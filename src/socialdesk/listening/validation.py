"""Refusing useless queries: those that can match nothing and those that match (nearly) everything.

Both checks are sound: a query is refused only when it certainly deserves it.

- *Matches everything*: the query matches the blank post (no text, no language, unknown follower count,
  not verified, not a repost or reply). Such a query has no positive requirement: ``NOT comcast``,
  ``a OR NOT a``, ``verified:false``.
- *Can match nothing*: a search for a consistent set of true/false facts (a tableau over the query in
  negation normal form) finds none. Facts are checked against what certainly holds between them: a
  phrase implies its words, ``#a`` implies ``a``, ``comcast`` implies ``com*``, NEAR implies its sides,
  follower bounds must leave an integer, a post has one channel, one author, one language (``en`` and
  ``en-us`` agree), and an empty phrase never occurs. When the search runs out of steps (very large
  queries) the query is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socialdesk.listening.errors import QueryRejectedError
from socialdesk.listening.parser import parse_query
from socialdesk.listening.post import MatchablePost
from socialdesk.listening.query import (
    And,
    AnyOf,
    AuthorIs,
    ChannelIs,
    FollowersAre,
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
from socialdesk.listening.reference import evaluate

BLANK_POST = MatchablePost(text="")
SEARCH_STEPS = 20_000

Atom = Node  # a leaf: text node, NEAR or field (VerifiedIs always with value True)


@dataclass(frozen=True, slots=True)
class _Literal:
    atom: Atom
    positive: bool


@dataclass(frozen=True, slots=True)
class _AllOf:
    items: tuple[_Formula, ...]


@dataclass(frozen=True, slots=True)
class _OneOf:
    items: tuple[_Formula, ...]


_Formula = _Literal | _AllOf | _OneOf


class _OutOfSteps(Exception):
    pass


def _normal_form(node: Node, positive: bool) -> _Formula:
    if isinstance(node, Not):
        return _normal_form(node.child, not positive)
    if isinstance(node, And | Or):
        items = tuple(_normal_form(child, positive) for child in node.children)
        return _AllOf(items) if isinstance(node, And) == positive else _OneOf(items)
    if isinstance(node, VerifiedIs) and not node.value:
        return _Literal(VerifiedIs(True), not positive)
    return _Literal(node, positive)


def _can_occur(node: Positional) -> bool:
    if isinstance(node, Phrase):
        return bool(node.terms)
    if isinstance(node, AnyOf):
        return any(_can_occur(option) for option in node.options)
    return True


def _consequences(atom: Atom) -> list[Atom]:
    """The atom and atoms that are certainly true when it is."""
    if isinstance(atom, Phrase):
        return [atom, *atom.terms]
    if isinstance(atom, Near):
        found: list[Atom] = [atom]
        for side in (atom.left, atom.right):
            if not isinstance(side, AnyOf):
                found.extend(_consequences(side))
        return found
    return [atom]


def _mark_implies(mark: str, other: str) -> bool:
    return not other or mark == other


def _implies(fact: Atom, other: Atom) -> bool:
    """Whether ``fact`` being true makes ``other`` certainly true."""
    if fact == other:
        return True
    if isinstance(fact, Term):
        if isinstance(other, Term):
            return fact.word == other.word and _mark_implies(fact.mark, other.mark)
        if isinstance(other, Prefix):
            return fact.word.startswith(other.prefix) and _mark_implies(fact.mark, other.mark)
    if isinstance(fact, Prefix) and isinstance(other, Prefix):
        return fact.prefix.startswith(other.prefix) and _mark_implies(fact.mark, other.mark)
    if isinstance(fact, Phrase) and isinstance(other, Phrase):
        size = len(other.terms)
        return any(
            all(_implies(fact.terms[start + k], term) for k, term in enumerate(other.terms))
            for start in range(len(fact.terms) - size + 1)
        )
    if isinstance(fact, LangIs) and isinstance(other, LangIs):
        return fact.code.startswith(other.code + "-")
    return False


def _fields_agree(one: Atom, other: Atom) -> bool:
    if isinstance(one, AuthorIs) and isinstance(other, AuthorIs):
        return one.handle == other.handle
    if isinstance(one, ChannelIs) and isinstance(other, ChannelIs):
        return one.name == other.name
    if isinstance(one, LangIs) and isinstance(other, LangIs):
        return _implies(one, other) or _implies(other, one)
    return True


def _followers_possible(literals: list[_Literal]) -> bool:
    bounds = [literal for literal in literals if isinstance(literal.atom, FollowersAre)]
    if not any(literal.positive for literal in bounds):
        return True  # an unknown follower count satisfies every negated bound
    low, high = -(10**18), 10**18
    for literal in bounds:
        atom = literal.atom
        assert isinstance(atom, FollowersAre)
        op = atom.op if literal.positive else {">": "<=", ">=": "<", "<": ">=", "<=": ">"}[atom.op]
        if op == ">":
            low = max(low, atom.value + 1)
        elif op == ">=":
            low = max(low, atom.value)
        elif op == "<":
            high = min(high, atom.value - 1)
        else:
            high = min(high, atom.value)
    return low <= high


@dataclass
class _Facts:
    """A consistent set of literals assumed so far."""

    true: list[Atom] = field(default_factory=list)  # consequences of positive literals included
    false: list[Atom] = field(default_factory=list)
    literals: list[_Literal] = field(default_factory=list)

    def copy(self) -> _Facts:
        return _Facts(list(self.true), list(self.false), list(self.literals))

    def add(self, literal: _Literal) -> bool:
        """Assume the literal; False when that contradicts what is assumed."""
        self.literals.append(literal)
        atom = literal.atom
        if literal.positive:
            if isinstance(atom, Phrase | Near) and not all(
                _can_occur(side)
                for side in ((atom,) if isinstance(atom, Phrase) else (atom.left, atom.right))
            ):
                return False
            new = _consequences(atom)
            if any(_implies(fact, other) for fact in new for other in self.false):
                return False
            if not all(_fields_agree(fact, other) for fact in new for other in self.true):
                return False
            self.true.extend(new)
        else:
            if any(_implies(fact, atom) for fact in self.true):
                return False
            self.false.append(atom)
        return not isinstance(atom, FollowersAre) or _followers_possible(self.literals)


class _Search:
    def __init__(self, steps: int) -> None:
        self.steps = steps

    def tick(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _OutOfSteps

    def satisfiable(self, pending: list[_Formula], facts: _Facts) -> bool:
        choices: list[_OneOf] = []
        stack = list(pending)
        while stack:
            self.tick()
            item = stack.pop()
            if isinstance(item, _Literal):
                if not facts.add(item):
                    return False
            elif isinstance(item, _AllOf):
                stack.extend(item.items)
            else:
                choices.append(item)
        if not choices:
            return True
        first, rest = choices[0], choices[1:]
        return any(self.satisfiable([option, *rest], facts.copy()) for option in first.items)


def can_match_something(root: Node, steps: int = SEARCH_STEPS) -> bool:
    """False only when the query certainly matches no post."""
    try:
        return _Search(steps).satisfiable([_normal_form(root, True)], _Facts())
    except _OutOfSteps:
        return True


def matches_blank_post(root: Node) -> bool:
    """Whether the query matches a post with no text and no distinguishing facts."""
    return evaluate(root, BLANK_POST)


def check_query(query: Query) -> Query:
    """Return the query, or raise `QueryRejectedError` when it can match nothing or matches everything."""
    if not can_match_something(query.root):
        raise QueryRejectedError(
            "can match nothing",
            "its requirements contradict each other (like a AND NOT a, or an empty phrase)",
        )
    if matches_blank_post(query.root):
        raise QueryRejectedError(
            "matches everything",
            "it requires nothing to be present (a pure NOT, or an OR with a NOT branch); "
            "add a word, phrase or field the post must have",
        )
    return query


def validate_query(text: str) -> Query:
    """Parse and check a monitor query: raises `QuerySyntaxError` or `QueryRejectedError`."""
    return check_query(parse_query(text))
