"""The whole triage step through its public entry point, `Triager`."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.triage import CATEGORIES, SENTIMENTS, Triager, TriageRequest, TriageResult, TriageSettings

OUTAGE_MONEY = (
    "@comcastcares internet is down again, no service since 6am and I was charged twice this month!!"
)
PRAISE = "@Delta thank you so much for the amazing crew today, best flight ever 😍"


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


def test_result_shape(triager: Triager) -> None:
    r = triager.triage(OUTAGE_MONEY)
    assert isinstance(r, TriageResult)
    d = r.to_dict()
    assert list(d) == [
        "needs_reply",
        "category",
        "sentiment",
        "sentiment_score",
        "language",
        "urgency",
        "private_data",
        "explanation",
    ]
    json.dumps(d)
    assert r.category in CATEGORIES
    assert r.sentiment in SENTIMENTS
    assert -1.0 <= r.sentiment_score <= 1.0
    assert 0 <= r.urgency <= 100
    assert r.explanation
    assert all(isinstance(e, str) for e in r.explanation)


@pytest.mark.parametrize(
    ("text", "category", "needs_reply"),
    [
        (OUTAGE_MONEY, "outage_report", True),
        (PRAISE, "praise", False),
        ("@AppleSupport how do I turn off automatic updates on my iPhone?", "question", True),
        (
            "@SpotifyCares you should add a sleep timer to the desktop app, it would be great",
            "feedback",
            None,
        ),
        ("Follow back for free followers!! crypto giveaway http://bit.ly/x", "spam", False),
        ("@united my bag was lost and no one at the desk would help, worst airline ever", "complaint", True),
    ],
)
def test_categories(triager: Triager, text: str, category: str, needs_reply: bool | None) -> None:
    r = triager.triage(text)
    assert r.category == category, r.explanation
    if needs_reply is not None:
        assert r.needs_reply is needs_reply


def test_sentiment_direction(triager: Triager) -> None:
    assert triager.triage(PRAISE).sentiment == "positive"
    assert triager.triage("@united worst service ever, I hate this airline").sentiment == "negative"


def test_followers_never_change_triage(triager: Triager) -> None:
    few = triager.triage(OUTAGE_MONEY, author_handle="alice", followers=3)
    many = triager.triage(OUTAGE_MONEY, author_handle="alice", followers=5_000_000)
    assert few == many


def test_deterministic(triager: Triager) -> None:
    first = [triager.triage(t) for t in (OUTAGE_MONEY, PRAISE)]
    again = Triager(triager.model).triage_many([OUTAGE_MONEY, TriageRequest(PRAISE)])
    assert first == again


def test_urgency_ordering(triager: Triager) -> None:
    assert triager.triage(OUTAGE_MONEY).urgency > triager.triage(PRAISE).urgency
    text = "@AmazonHelp my package still has not arrived"
    once = triager.triage(text)
    repeated = triager.triage(text, repeat_contacts=3)
    waited = triager.triage(text, wait_seconds=6 * 3600)
    assert repeated.urgency > once.urgency
    assert waited.urgency > once.urgency
    assert "repeat contact x3" in " ".join(repeated.explanation)


def test_vip_is_opt_in_and_visible(triager: Triager) -> None:
    text = "@AmazonHelp my package still has not arrived"
    assert triager.triage(text, author_handle="@bigname").urgency == triager.triage(text).urgency
    vip = Triager(triager.model, TriageSettings(vip_handles=frozenset({"BigName"}), vip_boost=15))
    boosted = vip.triage(text, author_handle="@bigname")
    assert boosted.urgency == min(100, triager.triage(text).urgency + 15)
    assert "VIP workspace rule @bigname" in " ".join(boosted.explanation)
    assert vip.triage(text, author_handle="someoneelse").urgency == triager.triage(text).urgency


def test_private_data_in_result(triager: Triager) -> None:
    r = triager.triage("@AmazonHelp order #123-4567890 never came, call me on (555) 123-4567")
    assert {m.kind for m in r.private_data} == {"order_number", "phone"}
    assert r.to_dict()["private_data"][0].keys() == {"kind", "start", "end", "text"}


def test_is_reply_thanks_needs_no_reply(triager: Triager) -> None:
    assert triager.triage("@AmazonHelp ok thanks!", is_reply=True).needs_reply is False


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    r = Triager().triage(text)
    assert 0 <= r.urgency <= 100
    assert -1.0 <= r.sentiment_score <= 1.0
    for m in r.private_data:
        assert text[m.start : m.end] == m.text
