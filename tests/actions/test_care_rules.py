"""The care workflow's small rules: CSV cells, mentions, templates, approval rules, SLA JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialdesk.domain.business_hours import BusinessHours
from socialdesk.domain.care import ApprovalRule, approval_reasons, csv_cell, mentioned_users, render_template
from socialdesk.domain.people import Role, User
from socialdesk.domain.sla import AgentReply, CustomerMessage, PendingCustomer, apply, start_sla
from socialdesk.domain.sla_codec import (
    hours_from_json,
    policy_from_json,
    sla_from_json,
    sla_to_json,
    summary_state,
)
from tests.conftest import T0


def test_csv_cells_never_start_a_formula() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "ok", None, 3)] == [
        "'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tx", "ok", "", "3",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"),
        ("a; +1;@SUM(A1)", "a; '+1;'@SUM(A1)"),
        ('ok;"-2', "ok;\"'-2"),
        ("a;\t=x", "a;'\t=x"),
        ("=a;=b", "'=a;'=b"),
        ("\r=x", "'\r=x"),
        ("a;b, -c", "a;b, -c"),  # commas separate nothing in a `;` locale, and the file's quoting keeps them
    ],
)
def test_csv_cells_hide_formulas_after_a_semicolon(cell: str, safe: str) -> None:
    assert csv_cell(cell) == safe


def test_mentions_templates_and_approval_rules() -> None:
    ada = User(1, 1, "ada@x.io", "Ada Byron", Role.AGENT)
    al = User(2, 1, "al@x.io", "Ada Lee", Role.AGENT)
    bob = User(3, 1, "robert@x.io", "Bob Stone", Role.AGENT)
    people = [ada, al, bob]
    assert mentioned_users("@ada.byron and @robert, hi @nobody", people) == [ada, bob]
    assert mentioned_users("@ada @bob", people) == [ada, bob]  # an email local part beats first names
    assert (
        mentioned_users("@Ada, sorry, which one?", [al, bob, User(5, 1, "z@x.io", "Ada Zed", Role.AGENT)])
        == []
    )
    assert mentioned_users("mail me at x@ada.io", people) == []
    assert (
        render_template("Hi {{ customer.name }} {{agent.x}}", {"customer.name": "Cy"}) == "Hi Cy {{agent.x}}"
    )
    rules = [ApprovalRule("term", "refund"), ApprovalRule("money"), ApprovalRule("regex", r"law\w*")]
    assert approval_reasons("No refunds here", ada, rules) == []
    assert approval_reasons("€20 back, or a lawsuit", ada, rules) == [
        "matches an amount of money",
        "matches regex 'law\\\\w*'",
    ]
    trainee = User(4, 1, "t@x.io", "T", Role.AGENT, in_training=True)
    assert approval_reasons("hello", trainee, rules) == ["the agent is in training"]


def test_sla_state_survives_json() -> None:
    hours = hours_from_json(
        {"timezone": "Europe/Paris", "schedule": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-01-06"]}
    )
    data = {"targets": [{"first_response_s": 600, "next_response_s": 300, "resolution_s": 7200}]}
    state = start_sla(policy_from_json(data, hours), "x", "normal", T0)
    for event in (AgentReply(T0 + timedelta(minutes=5)), CustomerMessage(T0 + timedelta(minutes=9)),
                  PendingCustomer(T0 + timedelta(minutes=20))):  # fmt: skip
        state = apply(state, event)
        assert sla_from_json(sla_to_json(state)) == state
    assert summary_state(state, T0 + timedelta(hours=1)) == "breached"  # next response took over 5 min
    assert hours_from_json(None) == BusinessHours.always_open()
