from __future__ import annotations

import pytest

from socialdesk.channels.x.rules import XRule, plan_rules, query_to_rule


@pytest.mark.parametrize(
    ("query", "rule"),
    [
        ("comcast", "comcast"),
        ("comcast OR xfinity", "comcast OR xfinity"),
        (
            '(comcast OR @comcastcares) AND ("no service" OR outage)',
            '(comcast OR @comcastcares) ("no service" OR outage)',
        ),
        ("#outage comcast", "#outage comcast"),
        ("author:AcmeSupport", "from:acmesupport"),
        ("comcast lang:en-us", "comcast lang:en"),
        ("comcast NOT is:repost", "comcast -is:retweet"),
        ("comcast verified:true is:reply", "comcast is:verified is:reply"),
        # Things X cannot say are dropped from an AND: the rule is wider, the local matcher narrows.
        ("comcast refund*", "comcast"),
        ("comcast NOT giveaway", "comcast"),
        ("comcast followers:>1000", "comcast"),
        ("comcast NEAR/3 outage", "comcast outage"),
        ("comcast channel:x", "comcast"),
        ("(a b) OR c", "(a b) OR c"),
    ],
)
def test_translations(query: str, rule: str) -> None:
    assert query_to_rule(query) == rule


@pytest.mark.parametrize(
    "query",
    [
        "refund*",  # no wildcards on X
        "comcast OR refund*",  # an OR with an untranslatable branch would be everything
        "lang:en",  # X needs a standalone operator
        "NOT comcast",
        "followers:>10",
        "comcast OR lang:en",
    ],
)
def test_untranslatable_queries(query: str) -> None:
    assert query_to_rule(query) is None


def test_plan_sorts_monitors_into_rules_local_and_not_on_x() -> None:
    long_query = " OR ".join(f"brandword{i}" for i in range(60))
    plan = plan_rules(
        [
            ("brand", "@acme OR acme"),
            ("refunds", "refund*"),
            ("reddit only", "channel:reddit acme"),
            ("too long", long_query),
            ("broken", "acme AND ("),
        ]
    )
    assert plan.rules == [XRule("@acme OR acme", "brand")]
    assert plan.match_locally == ["refunds", "too long", "broken"]
    assert plan.not_on_x == ["reddit only"]
    assert len(query_to_rule(long_query) or "") > 512


def test_max_rules() -> None:
    plan = plan_rules([("a", "a"), ("b", "b")], max_rules=1)
    assert [r.tag for r in plan.rules] == ["a"]
    assert plan.match_locally == ["b"]
