from __future__ import annotations

import pytest

from socialdesk.domain.routing import CaseFacts, Conditions, Priority, RoutingRule, route

RULES = (
    RoutingRule(
        "spam", Conditions(categories=frozenset({"spam"})), auto_resolve=True, tags=("spam",), stop=True
    ),
    RoutingRule(
        "outage-tag",
        Conditions(text_any=("outage", "DOWN", "not working")),
        tags=("outage",),
        priority=Priority.HIGH,
        stop=False,
    ),
    RoutingRule(
        "vip-urgent",
        Conditions(urgency_min=0.8),
        priority=Priority.URGENT,
        team=9,
        tags=("urgent",),
        stop=False,
    ),
    RoutingRule("spanish", Conditions(languages=frozenset({"es"})), team=2, tags=("es",)),
    RoutingRule(
        "billing", Conditions(monitors=frozenset({"billing", "refunds"}), channels=frozenset({"x"})), team=3
    ),
    RoutingRule("calm", Conditions(urgency_max=0.2, channels=frozenset({"email"})), priority=Priority.LOW),
)


@pytest.mark.parametrize(
    ("facts", "team", "priority", "tags", "auto_resolve", "matched"),
    [
        (CaseFacts("x", "buy followers", category="spam"), None, Priority.NORMAL, ("spam",), True, ("spam",)),
        (CaseFacts("x", "hola", language="es"), 2, Priority.NORMAL, ("es",), False, ("spanish",)),
        (
            CaseFacts("x", "App is Down again!!", language="es", urgency=0.9),
            9,  # vip-urgent matched first; later team settings never override it
            Priority.HIGH,  # outage-tag set the priority first
            ("outage", "urgent", "es"),
            False,
            ("outage-tag", "vip-urgent", "spanish"),
        ),
        (
            CaseFacts("x", "refund?", monitors=frozenset({"refunds"})),
            3,
            Priority.NORMAL,
            (),
            False,
            ("billing",),
        ),
        (
            CaseFacts("mastodon", "refund?", monitors=frozenset({"refunds"})),
            None,
            Priority.NORMAL,
            (),
            False,
            (),
        ),
        (CaseFacts("email", "thanks", urgency=0.2), None, Priority.LOW, (), False, ("calm",)),
        (CaseFacts("email", "thanks", urgency=0.21), None, Priority.NORMAL, (), False, ()),
    ],
)
def test_route(
    facts: CaseFacts,
    team: int | None,
    priority: Priority,
    tags: tuple[str, ...],
    auto_resolve: bool,
    matched: tuple[str, ...],
) -> None:
    decision = route(facts, RULES)
    assert decision.team == team
    assert decision.priority is priority
    assert decision.tags == tags
    assert decision.auto_resolve is auto_resolve
    assert decision.matched_rule_ids == matched


def test_text_terms_are_case_insensitive_substrings() -> None:
    conditions = Conditions(text_any=("Straße", "ÉCHEC"))
    assert conditions.holds(CaseFacts("x", "die STRASSE ist gesperrt"))  # casefold: ß == ss
    assert conditions.holds(CaseFacts("x", "un échec total"))
    assert not conditions.holds(CaseFacts("x", "all good"))


def test_first_match_wins_when_rules_stop() -> None:
    rules = (RoutingRule("a", team=1), RoutingRule("b", team=2))
    assert route(CaseFacts("x"), rules).matched_rule_ids == ("a",)
    assert route(CaseFacts("x"), rules).team == 1


def test_defaults_when_nothing_matches() -> None:
    decision = route(CaseFacts("x"), (), default_team=7, default_priority=Priority.HIGH)
    assert (decision.team, decision.priority, decision.matched_rule_ids) == (7, Priority.HIGH, ())


def test_priority_order_and_raise() -> None:
    assert [p.rank for p in Priority] == [0, 1, 2, 3]
    assert Priority.NORMAL.raised() is Priority.HIGH
    assert Priority.URGENT.raised() is Priority.URGENT
