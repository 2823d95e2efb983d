"""Routing rules: which team a new case goes to, at what priority, with which tags.

A workspace keeps an ordered list of :class:`RoutingRule`. :func:`route` walks it top to bottom. A rule
matches when every condition it sets holds (unset conditions match anything). The first matching rule
wins: its ``team`` and ``priority`` are final, and with ``stop=True`` (the default) evaluation ends
there. With ``stop=False`` evaluation goes on: later matches add their tags, may set auto-resolve and
fill in a team or priority that no earlier match set, but never override one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CaseFacts",
    "Conditions",
    "Priority",
    "RoutingDecision",
    "RoutingRule",
    "route",
]


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for low ... 3 for urgent: sort by this, never by the string."""
        return _PRIORITY_RANK[self]

    def raised(self) -> Priority:
        """One step up (urgent stays urgent): the ``raise_priority`` escalation."""
        return _PRIORITY_ORDER[min(self.rank + 1, len(_PRIORITY_ORDER) - 1)]


_PRIORITY_ORDER = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)
_PRIORITY_RANK = {priority: rank for rank, priority in enumerate(_PRIORITY_ORDER)}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What routing may look at: the channel, the monitors that matched, and triage's output."""

    channel: str
    text: str = ""
    monitors: frozenset[str] = frozenset()
    category: str | None = None
    language: str | None = None
    urgency: float = 0.0


@dataclass(frozen=True, slots=True)
class Conditions:
    """Every set field must hold. Sets match when the case has any member; text terms match as
    case-insensitive substrings; urgency bounds are inclusive."""

    channels: frozenset[str] | None = None
    monitors: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    urgency_min: float | None = None
    urgency_max: float | None = None
    text_any: tuple[str, ...] = ()
    _terms: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "_terms", tuple(term.casefold() for term in self.text_any if term))

    def holds(self, facts: CaseFacts, folded_text: str | None = None) -> bool:
        if self.channels is not None and facts.channel not in self.channels:
            return False
        if self.monitors is not None and self.monitors.isdisjoint(facts.monitors):
            return False
        if self.categories is not None and facts.category not in self.categories:
            return False
        if self.languages is not None and facts.language not in self.languages:
            return False
        if self.urgency_min is not None and facts.urgency < self.urgency_min:
            return False
        if self.urgency_max is not None and facts.urgency > self.urgency_max:
            return False
        if self._terms:
            text = facts.text.casefold() if folded_text is None else folded_text
            return any(term in text for term in self._terms)
        return True


@dataclass(frozen=True, slots=True)
class RoutingRule:
    id: str
    conditions: Conditions = Conditions()
    team: int | None = None
    priority: Priority | None = None
    tags: tuple[str, ...] = ()
    auto_resolve: bool = False  # e.g. spam: close without an agent
    stop: bool = True


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    team: int | None
    priority: Priority
    tags: tuple[str, ...]
    auto_resolve: bool
    matched_rule_ids: tuple[str, ...]


def route(
    facts: CaseFacts,
    rules: Sequence[RoutingRule],
    *,
    default_team: int | None = None,
    default_priority: Priority = Priority.NORMAL,
) -> RoutingDecision:
    """Evaluate ``rules`` in order for one case (see the module docs for precedence)."""
    team: int | None = None
    priority: Priority | None = None
    tags: dict[str, None] = {}  # ordered set
    auto_resolve = False
    matched: list[str] = []
    folded_text = facts.text.casefold()
    for rule in rules:
        if not rule.conditions.holds(facts, folded_text):
            continue
        matched.append(rule.id)
        team = rule.team if team is None else team
        priority = rule.priority if priority is None else priority
        tags.update(dict.fromkeys(rule.tags))
        auto_resolve = auto_resolve or rule.auto_resolve
        if rule.stop:
            break
    return RoutingDecision(
        team=default_team if team is None else team,
        priority=default_priority if priority is None else priority,
        tags=tuple(tags),
        auto_resolve=auto_resolve,
        matched_rule_ids=tuple(matched),
    )
