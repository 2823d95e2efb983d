"""The plan of the C matcher (`_native.c`): every query as a small program of integers over interned keys.

`CompiledMatcher` uses the C matcher when the extension was built (it is optional: without a C compiler
socialdesk installs and matches in pure Python, the same results more slowly). The plan is made here, in
Python, from the same parsed queries and the same index as the Python matcher's:

- keys: every word key (``comcast``, ``#comcast``), wildcard (``refund``, ``#refund``, without the
  `keys.PREFIX` mark) and field key (``channel:x``, ``author:h``, ``lang:en``, ``is:repost``, ``verified``)
  any query mentions, as UTF-8 bytes, numbered in that order;
- triggers: for each key, the queries indexed under it (`requirements.requirement`), in CSR form;
- code: the programs. A node is ``[op, operands...]``; nodes refer to their children by offset, and a
  query to its root. ``OP_AND``/``OP_OR`` list their children cheapest first (key lookups, then fields,
  phrases, NEAR), as the generated Python does. Values other than key ids (field values, follower counts,
  the prefix of a NEAR wildcard) are indexes into ``constants``.

Queries nested deeper than `MAX_DEPTH` are handed to the reference evaluator (``OP_PYTHON``).
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from typing import Any, Final

from socialdesk.listening.codegen import depth
from socialdesk.listening.fasttokens import chunk_tokens
from socialdesk.listening.keys import FIELD, PREFIX, prefix_key, term_key
from socialdesk.listening.post import normal_handle, normal_lang
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
    Term,
    VerifiedIs,
)
from socialdesk.listening.reference import evaluate
from socialdesk.listening.tokens import fold

try:
    from socialdesk.listening import _native
except ImportError:  # built without a C compiler: the pure-Python matcher is used
    _native = None  # type: ignore[assignment]

PLAN_VERSION: Final = 1
MAX_DEPTH: Final = 200
OP_FALSE, OP_TRUE, OP_KEY, OP_PHRASE, OP_NEAR, OP_NOT, OP_AND, OP_OR = range(8)
OP_AUTHOR, OP_LANG, OP_CHANNEL, OP_FOLLOWERS, OP_VERIFIED, OP_REPOST, OP_REPLY, OP_PYTHON = range(8, 16)
P_TERM, P_PREFIX, P_PHRASE, P_ANY = range(20, 24)
_COMPARISONS: Final = {">": 0, ">=": 1, "<": 2, "<=": 3}
_FIELD_KINDS: Final = {"channel": 1, "author": 2, "lang": 4, "is": 8, "verified": 16}
_INT32: Final = 2**31 - 1


def available() -> bool:
    """Whether the C matcher was built (and matches this plan's version)."""
    return _native is not None and getattr(_native, "PLAN_VERSION", None) == PLAN_VERSION


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _cost(node: Node) -> int:
    """Order of evaluation in C: key lookups, fields, phrases, nested logic, NEAR."""
    if isinstance(node, Term | Prefix):
        return 0
    if isinstance(node, Not):
        return _cost(node.child)
    if isinstance(node, AuthorIs | LangIs | ChannelIs | FollowersAre | VerifiedIs | IsRepost | IsReply):
        return 1
    if isinstance(node, Phrase):
        return 2
    return 4 if isinstance(node, Near) else 3


class _Plan:
    def __init__(self, mentioned: set[str]) -> None:
        words = sorted(key for key in mentioned if key[0] not in (PREFIX, FIELD))
        prefixes = sorted(key[1:] for key in mentioned if key[0] == PREFIX)
        fields = sorted(key[1:] for key in mentioned if key[0] == FIELD)
        self.keys = {key: number for number, key in enumerate([*words, *(PREFIX + p for p in prefixes)])}
        self.keys.update({FIELD + field: len(self.keys) + number for number, field in enumerate(fields)})
        self.words, self.prefixes, self.fields = words, prefixes, fields
        self.code: list[int] = []
        self.constants: list[object] = []

    def constant(self, value: object) -> int:
        self.constants.append(value)
        return len(self.constants) - 1

    def _put(self, *parts: int) -> int:
        self.code.extend(parts)
        return len(self.code) - len(parts)

    def positional(self, node: Positional) -> int:
        if isinstance(node, Term):
            return self._put(P_TERM, self.keys[term_key(node)])
        if isinstance(node, Prefix):
            return self._put(
                P_PREFIX, self.keys[prefix_key(node)], self.constant(_encoded(node.mark + node.prefix))
            )
        if isinstance(node, Phrase):
            return self._put(P_PHRASE, len(node.terms), *(self.keys[term_key(term)] for term in node.terms))
        options = [self.positional(option) for option in node.options]
        return self._put(P_ANY, len(options), *options)

    def node(self, node: Node) -> int:
        if isinstance(node, Term | Prefix):
            return self._put(
                OP_KEY, self.keys[term_key(node) if isinstance(node, Term) else prefix_key(node)]
            )
        if isinstance(node, Phrase):
            if not node.terms:
                return self._put(OP_FALSE)
            return self._put(OP_PHRASE, len(node.terms), *(self.keys[term_key(term)] for term in node.terms))
        if isinstance(node, Near):
            left, right = self.positional(node.left), self.positional(node.right)
            return self._put(OP_NEAR, left, right, min(node.distance, _INT32))
        if isinstance(node, Not):
            return self._put(OP_NOT, self.node(node.child))
        if isinstance(node, And | Or):
            children = [self.node(child) for child in sorted(node.children, key=_cost)]
            return self._put(OP_AND if isinstance(node, And) else OP_OR, len(children), *children)
        return self._field(node)

    def _field(self, node: Node) -> int:
        if isinstance(node, AuthorIs):
            return self._put(OP_AUTHOR, self.constant(_encoded(node.handle)))
        if isinstance(node, LangIs):
            return self._put(OP_LANG, self.constant(_encoded(node.code)))
        if isinstance(node, ChannelIs):
            return self._put(OP_CHANNEL, self.constant(_encoded(node.name)))
        if isinstance(node, FollowersAre):
            # An unknown comparison means <=, as in the reference evaluator.
            return self._put(OP_FOLLOWERS, _COMPARISONS.get(node.op, 3), self.constant(node.value))
        if isinstance(node, VerifiedIs):
            return self._put(OP_VERIFIED, self.constant(node.value))
        if isinstance(node, IsRepost):
            return self._put(OP_REPOST)
        if isinstance(node, IsReply):
            return self._put(OP_REPLY)
        raise TypeError(f"not a query node: {node!r}")

    def root(self, node: Node) -> int:
        if depth(node) > MAX_DEPTH:
            return self._put(OP_PYTHON, self.constant(functools.partial(evaluate, node)))
        return self.node(node)


def build(
    roots: Sequence[Node],
    members: Sequence[tuple[int, ...]],
    index: dict[str, list[int]],
    always: Sequence[int],
    mentioned: set[str],
    ids: Sequence[Hashable],
) -> Any:
    """The C matcher for distinct queries ``roots`` (query q reports monitors ``members[q]``), indexed
    as the Python matcher indexes them (``index``: key -> queries; ``always``: queries needing no key)."""
    if _native is None:
        raise RuntimeError("the C matcher was not built")
    plan = _Plan(mentioned | set(index))
    starts = [plan.root(root) for root in roots]
    triggered: list[list[int]] = [[] for _ in plan.keys]
    for key, queries in index.items():
        triggered[plan.keys[key]].extend(queries)
    trigger_start = [0]
    for queries in triggered:
        trigger_start.append(trigger_start[-1] + len(queries))
    member_start = [0]
    for numbers in members:
        member_start.append(member_start[-1] + len(numbers))
    kinds = {field.partition(":")[0] for field in plan.fields}
    return _native.Matcher(
        [_encoded(word) for word in plan.words],
        [_encoded(prefix) for prefix in plan.prefixes],
        [_encoded(field) for field in plan.fields],
        [1 if word[0] in "#@" else 0 for word in plan.words] + [0] * (len(plan.prefixes) + len(plan.fields)),
        trigger_start,
        [query for queries in triggered for query in queries],
        plan.code,
        starts,
        member_start,
        [number for numbers in members for number in numbers],
        list(always),
        sum(_FIELD_KINDS.get(kind, 0) for kind in kinds),
        tuple(plan.constants),
        tuple(ids),
        chunk_tokens,
        fold,
        normal_handle,
        normal_lang,
    )
