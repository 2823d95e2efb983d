"""Monitor queries -> X filtered-stream rules, where X's operators can express them.

A rule only has to catch *at least* what the monitor matches: every post the stream delivers is
matched again locally by the real matcher. So parts X cannot say are dropped from an AND (the rule
gets wider, never narrower), while an OR with such a part cannot be a rule at all. Not translated:
wildcards (``refund*``), ``NOT`` of words (dropped: X's tokenizer differs from ours, so a negated word
could hide a post we match), ``followers:`` (no v2 operator); ``NEAR/n`` becomes AND. A monitor whose
query needs ``channel:`` other than ``x`` needs no rule. Monitors that give no rule, or a rule longer
than ``max_length`` (512 on Basic/Pro, 1,024 on Enterprise), are returned as ``match_locally``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from socialdesk.listening import QueryError, parse_query
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
    Prefix,
    Term,
    VerifiedIs,
)

MAX_RULE_LENGTH = 512
_WORD = re.compile(r"^[\w]+$")


@dataclass(frozen=True, slots=True)
class XRule:
    value: str
    tag: str


@dataclass
class RulePlan:
    rules: list[XRule] = field(default_factory=list)
    match_locally: list[str] = field(default_factory=list)  # monitor names X cannot pre-filter
    not_on_x: list[str] = field(default_factory=list)  # monitors that can never match an X post


@dataclass(frozen=True, slots=True)
class _Part:
    text: str
    standalone: bool  # X needs at least one standalone operator (keyword, #, @, from:...) per rule
    grouped: bool = False  # an OR wrapped in parentheses (or a single operator)


_UNBOUNDED = object()  # "no constraint X can express": dropped in AND, poisons OR
_NEVER = object()  # cannot match any post on X
_Result = _Part | object


def _quote(word: str) -> str:
    return word if _WORD.match(word) else '"' + word.replace('"', "") + '"'


def _term(node: Term) -> _Result:
    if node.mark in ("#", "@") and not _WORD.match(node.word):
        return _UNBOUNDED
    return _Part(node.mark + _quote(node.word), standalone=True, grouped=True)


def _translate(node: Node | AnyOf) -> _Result:
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Phrase):
        words = " ".join(term.word for term in node.terms)
        return _Part('"' + words.replace('"', "") + '"', standalone=True, grouped=True) if words else _NEVER
    if isinstance(node, Prefix | FollowersAre):
        return _UNBOUNDED
    if isinstance(node, AnyOf):
        return _or([_translate(option) for option in node.options])
    if isinstance(node, Near):
        return _and([_translate(node.left), _translate(node.right)])
    if isinstance(node, AuthorIs):
        handle = node.handle.lstrip("@")
        return _Part(f"from:{handle}", standalone=True, grouped=True) if _WORD.match(handle) else _UNBOUNDED
    if isinstance(node, LangIs):
        code = node.code.split("-")[0].split("_")[0].lower()
        return _Part(f"lang:{code}", standalone=False, grouped=True)
    if isinstance(node, ChannelIs):
        return _UNBOUNDED if node.name == "x" else _NEVER
    if isinstance(node, VerifiedIs):
        return _Part("is:verified" if node.value else "-is:verified", standalone=False, grouped=True)
    if isinstance(node, IsRepost):
        return _Part("is:retweet", standalone=False, grouped=True)
    if isinstance(node, IsReply):
        return _Part("is:reply", standalone=False, grouped=True)
    if isinstance(node, Not):
        return _not(node.child)
    if isinstance(node, And):
        return _and([_translate(child) for child in node.children])
    if isinstance(node, Or):
        return _or([_translate(child) for child in node.children])
    return _UNBOUNDED


def _not(child: Node) -> _Result:
    # Exact negations only: fields X evaluates the same way we do.
    if isinstance(child, ChannelIs):
        return _NEVER if child.name == "x" else _UNBOUNDED
    if isinstance(child, IsRepost | IsReply | VerifiedIs):
        inner = _translate(child)
        assert isinstance(inner, _Part)
        text = inner.text[1:] if inner.text.startswith("-") else "-" + inner.text
        return _Part(text, standalone=False, grouped=True)
    return _UNBOUNDED


def _and(parts: list[_Result]) -> _Result:
    if any(part is _NEVER for part in parts):
        return _NEVER
    kept = [part for part in parts if isinstance(part, _Part)]
    if not kept:
        return _UNBOUNDED
    if len(kept) == 1:
        return kept[0]
    text = " ".join(part.text if part.grouped else f"({part.text})" for part in kept)
    return _Part(text, standalone=any(part.standalone for part in kept))


def _or(parts: list[_Result]) -> _Result:
    kept = [part for part in parts if part is not _NEVER]
    if not kept:
        return _NEVER
    if any(not isinstance(part, _Part) for part in kept):
        return _UNBOUNDED
    typed = [part for part in kept if isinstance(part, _Part)]
    if len(typed) == 1:
        return typed[0]
    # Each alternative must hold a standalone operator, or X rejects the rule.
    if not all(part.standalone for part in typed):
        return _UNBOUNDED
    text = "(" + " OR ".join(part.text if part.grouped else f"({part.text})" for part in typed) + ")"
    return _Part(text, standalone=True, grouped=True)


def query_to_rule(query: str) -> str | None:
    """The X rule for one monitor query, or ``None`` when X cannot pre-filter it."""
    result = _translate(parse_query(query).root)
    if not isinstance(result, _Part) or not result.standalone:
        return None
    return _without_outer_group(result.text)


def _without_outer_group(text: str) -> str:
    """``(a OR b)`` -> ``a OR b`` when the first parenthesis closes at the very end."""
    if not text.startswith("("):
        return text
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[1:-1] if position == len(text) - 1 else text
    return text


def plan_rules(
    monitors: Iterable[tuple[str, str]], *, max_length: int = MAX_RULE_LENGTH, max_rules: int = 1000
) -> RulePlan:
    """Rules for ``(name, query)`` monitors, tagged with the monitor name; the rest by reason."""
    plan = RulePlan()
    for name, query in monitors:
        try:
            result = _translate(parse_query(query).root)
        except QueryError:
            plan.match_locally.append(name)
            continue
        if result is _NEVER:
            plan.not_on_x.append(name)
            continue
        rule = query_to_rule(query)
        if rule is None or len(rule) > max_length or len(plan.rules) >= max_rules:
            plan.match_locally.append(name)
        else:
            plan.rules.append(XRule(rule, name[:128]))
    return plan
