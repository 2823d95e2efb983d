"""Compiling queries to Python functions: one generated function per index key.

The matcher indexes each query under keys (see `requirements`); all queries indexed under one key are
compiled into one function, run only for posts that hold the key. Its expressions know that key is
present: a word of the key is ``True`` there, so ``comcast OR @comcast`` indexed under ``comcast`` costs
nothing. A generated function is::

    def g(k, t, w, p, c0, c1, c2, c3):  # k: the post's keys, t: tokens, w: bare words, p: the post
        r = ()
        s = None                         # the words joined by spaces, made by the first phrase test
        if (c0 in k and (not (c1 in k or c2 in k))):
            r += c3                      # the monitors of this query (indexes in the matcher)
        return r

with ``c0, c1, c2, c3`` bound, as parameter defaults, to ``"\x01refund"``, ``"giveaway"``, ``"contest"``
and ``(12,)``. Query text is never part of the source, and all brands' copies of one monitor template
share one code object. Words and wildcards are set lookups on ``k`` (`keys`); phrases of plain words are
substring tests on the joined words, other phrases and NEAR first test that their words are present and
only then look at positions (`positions`); fields read the post. The meaning is `reference.evaluate`'s.
Queries nested too deeply for Python's compiler call the reference evaluator instead.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Sequence
from typing import Any

from socialdesk.listening import positions
from socialdesk.listening.keys import FIELD, prefix_key, term_key
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
from socialdesk.listening.reference import evaluate
from socialdesk.listening.requirements import field_key
from socialdesk.listening.tokens import fold

# A generated function: (post keys, tokens, bare words, post) -> indexes of the monitors that match.
Group = Callable[[set[str], list[str], list[str], MatchablePost], tuple[int, ...]]

TRUE, FALSE = "True", "False"
MAX_DEPTH = 40  # deeper queries are evaluated by the reference evaluator (Python's parser nests ~200)
_OPERATORS = {">": ">", ">=": ">=", "<": "<", "<=": "<="}


@functools.lru_cache(maxsize=4096)
def _lang(lang: str) -> str:
    return normal_lang(lang)


def _lang_is(lang: str | None, code: str) -> bool:
    return lang is not None and lang_matches(_lang(lang), code)


_channel = functools.lru_cache(maxsize=4096)(fold)


def _reference(root: Node, post: MatchablePost) -> bool:
    return evaluate(root, post)


RUNTIME: dict[str, Any] = {
    "_phrase": positions.phrase,
    "_pad": positions.pad,
    "_near": positions.near_spans,
    "_handle": normal_handle,
    "_lang_is": _lang_is,
    "_channel": _channel,
    "_reference": _reference,
}


def depth(node: Node | AnyOf) -> int:
    if isinstance(node, And | Or):
        return 1 + max(depth(child) for child in node.children)
    if isinstance(node, Not):
        return 1 + depth(node.child)
    if isinstance(node, Near):
        return 1 + max(depth(node.left), depth(node.right))
    if isinstance(node, AnyOf):
        return 1 + max((depth(option) for option in node.options), default=0)
    return 1


def _cost(node: Node) -> int:
    """Rough order of evaluation cost, cheapest first (words and wildcards cost 1)."""
    if isinstance(node, Not):
        return _cost(node.child)
    if isinstance(node, FollowersAre | VerifiedIs | IsRepost | IsReply):
        return 0
    if isinstance(node, AuthorIs | LangIs | ChannelIs):
        return 2
    if isinstance(node, Phrase | And | Or):
        return 3
    return 4 if isinstance(node, Near) else 1


def _spaced(words: Sequence[str]) -> str | None:
    """The phrase as it appears in the post's words joined by spaces (None if a word cannot be a token)."""
    if not words or any(word.split() != [word] or word[0] in "#@" for word in words):
        return None
    return " " + " ".join(words) + " "


def _all(parts: list[str]) -> str:
    if FALSE in parts:
        return FALSE
    parts = [part for part in parts if part != TRUE]
    return TRUE if not parts else parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"


def _any(parts: list[str]) -> str:
    if TRUE in parts:
        return TRUE
    parts = [part for part in parts if part != FALSE]
    return FALSE if not parts else parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


class Emitter:
    """Writes the Python source of one generated function; the values it uses become parameters.

    Every value taken from a query (a word, a phrase, a handle, a distance, the monitors to report) is
    written as a parameter name ``c0``, ``c1``... and collected in `values`; the function gets them as
    parameter defaults. The source therefore holds no query text at all, and functions that differ only
    in their values (the same monitor template for different brands) share one compiled code object.
    """

    def __init__(self) -> None:
        self.values: list[object] = []

    def literal(self, value: object) -> str:
        """The parameter name standing for ``value`` in the source."""
        self.values.append(value)
        return f"c{len(self.values) - 1}"

    def _has(self, keys: list[str], known: frozenset[str]) -> str:
        """All the keys are in the post."""
        needed = [key for key in dict.fromkeys(keys) if key not in known]
        if len(needed) > 2:
            return f"k.issuperset({self.literal(tuple(needed))})"
        return _all([f"{self.literal(key)} in k" for key in needed])

    def _has_any(self, keys: list[str], known: frozenset[str]) -> str:
        """Some of the keys is in the post."""
        if any(key in known for key in keys):
            return TRUE
        unique = list(dict.fromkeys(keys))
        if len(unique) > 2:
            return f"not k.isdisjoint({self.literal(tuple(unique))})"
        return _any([f"{self.literal(key)} in k" for key in unique])

    def _present(self, node: Positional, known: frozenset[str]) -> str:
        """A cheap test that holds whenever the positional occurs (the words of a phrase are present)."""
        if isinstance(node, AnyOf):
            return _any([self._present(option, known) for option in node.options])
        if isinstance(node, Phrase):
            return self._has([term_key(term) for term in node.terms], known) if node.terms else FALSE
        return self._has([term_key(node) if isinstance(node, Term) else prefix_key(node)], known)

    def _field(self, node: Node, known: frozenset[str]) -> str:
        key = field_key(node)
        if key is not None and FIELD + key in known:
            return TRUE
        if isinstance(node, AuthorIs):
            return f"(_handle(p.author_handle) == {self.literal(node.handle)})"
        if isinstance(node, LangIs):
            return f"_lang_is(p.lang, {self.literal(node.code)})"
        if isinstance(node, ChannelIs):
            return f"(_channel(p.channel) == {self.literal(node.name)})"
        if isinstance(node, FollowersAre):
            value, operator = self.literal(node.value), _OPERATORS.get(node.op, "<=")
            return f"(p.followers is not None and p.followers {operator} {value})"
        if isinstance(node, VerifiedIs):
            return f"(p.verified == {self.literal(node.value)})"
        if isinstance(node, IsRepost):
            return "p.is_repost"
        if isinstance(node, IsReply):
            return "p.is_reply"
        raise TypeError(f"not a query node: {node!r}")

    def expression(self, node: Node, known: frozenset[str]) -> str:
        """A Python expression over ``k, t, w, p`` that is true exactly when the node matches."""
        if isinstance(node, Term | Prefix):
            return self._present(node, known)
        if isinstance(node, Phrase):
            keys = tuple(term_key(term) for term in node.terms)
            spaced = _spaced(keys)
            if spaced is None:
                return _all([self._present(node, known), f"_phrase(t, w, {self.literal(keys)})"])
            # " no service " in " ... no service ... ": the words joined once per call, when needed.
            return _all([self._present(node, known), f"({self.literal(spaced)} in (s or (s := _pad(w))))"])
        if isinstance(node, Near):
            left, right = positions.spec_of(node.left), positions.spec_of(node.right)
            call = f"_near(t, w, {self.literal(left)}, {self.literal(right)}, {self.literal(node.distance)})"
            return _all([self._present(node.left, known), self._present(node.right, known), call])
        if isinstance(node, Not):
            inner = self.expression(node.child, known)
            return FALSE if inner == TRUE else TRUE if inner == FALSE else f"(not {inner})"
        if isinstance(node, And | Or):
            words = [child for child in node.children if isinstance(child, Term | Prefix)]
            listed = [term_key(child) if isinstance(child, Term) else prefix_key(child) for child in words]
            others = sorted(
                (child for child in node.children if not isinstance(child, Term | Prefix)), key=_cost
            )
            first = [self.expression(child, known) for child in others if _cost(child) == 0]
            rest = [self.expression(child, known) for child in others if _cost(child) > 0]
            if isinstance(node, And):
                return _all([*first, self._has(listed, known), *rest])
            return _any([*first, self._has_any(listed, known), *rest])
        return self._field(node, known)

    def function(self, queries: Sequence[tuple[Node, tuple[int, ...]]], known: str) -> Template:
        """``def g(k, t, w, p, c0, c1, ...)`` returning the monitors (of ``queries``) that match, and the
        values of ``c0, c1, ...``. ``known`` is the key every post given to the function holds."""
        self.values = []
        facts = frozenset((known,)) if known else frozenset()
        body = ["    r = ()", "    s = None"]
        for root, members in queries:
            if depth(root) > MAX_DEPTH:
                test = f"_reference({self.literal(root)}, p)"
            else:
                test = self.expression(root, facts)
            add = f"r += {self.literal(members)}"
            if test == TRUE:
                body.append("    " + add)
            elif test != FALSE:
                body += [f"    if {test}:", "        " + add]
        body.append("    return r")
        parameters = "".join(f", c{number}" for number in range(len(self.values)))
        return f"def g(k, t, w, p{parameters}):\n" + "\n".join(body) + "\n", tuple(self.values)


Template = tuple[str, tuple[object, ...]]  # a function's source, and the values of its parameters c0...


def build(templates: Sequence[Template], filename: str) -> list[Group]:
    """The functions: each distinct source compiled once, each function with its own values."""
    namespace: dict[str, Any] = dict(RUNTIME)
    codes: dict[str, types.CodeType] = {}
    functions: list[Group] = []
    for source, values in templates:
        code = codes.get(source)
        if code is None:
            scope: dict[str, Any] = {}
            # The source is generated by `Emitter` from the shape of the queries only: the values of the
            # queries are never part of it (they are bound below, as parameter defaults).
            exec(compile(source, filename, "exec"), namespace, scope)  # noqa: S102
            code = codes[source] = scope["g"].__code__
        functions.append(types.FunctionType(code, namespace, "g", values))
    return functions
