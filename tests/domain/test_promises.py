from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from socialdesk.domain.promises import detect_promise, find_promises

NY = "America/New_York"
# Wednesday 8 May 2024, 10:00 in New York (14:00 UTC).
SENT = datetime(2024, 5, 8, 14, 0, tzinfo=UTC)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(NY)).astimezone(UTC)  # type: ignore[arg-type,misc]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("We'll get back to you within 24 hours.", ny(2024, 5, 9, 10, 0)),
        ("I'll follow up in 2 hours with an update.", ny(2024, 5, 8, 12, 0)),
        ("We will email you in 30 minutes.", ny(2024, 5, 8, 10, 30)),
        ("Our team will reach out within 2-3 business days.", ny(2024, 5, 13, 10, 0)),  # Wed + 3 weekdays
        ("We'll DM you within 3 days.", ny(2024, 5, 11, 10, 0)),
        ("We'll send the replacement tomorrow.", ny(2024, 5, 9, 17, 0)),
        ("We'll call you tomorrow morning.", ny(2024, 5, 9, 12, 0)),
        ("We'll update you by Friday.", ny(2024, 5, 10, 17, 0)),
        ("I'll check back Monday morning.", ny(2024, 5, 13, 12, 0)),
        ("We will look into it and get back to you on Wednesday.", ny(2024, 5, 15, 17, 0)),  # next week's
        ("We'll get back to you by end of day.", ny(2024, 5, 8, 17, 0)),
        ("We'll let you know today.", ny(2024, 5, 8, 17, 0)),
        ("We'll reply tonight.", ny(2024, 5, 8, 23, 59)),
        ("We'll have an update for you next week.", ny(2024, 5, 17, 17, 0)),
        ("We'll follow up this week.", ny(2024, 5, 10, 17, 0)),
        ("We'll respond in DM shortly.", ny(2024, 5, 8, 11, 0)),
        ("Look for a reply from us shortly.", ny(2024, 5, 8, 11, 0)),
        ("You'll be notified by email soon.", ny(2024, 5, 9, 10, 0)),
        ("We're going to call you by 3pm.", ny(2024, 5, 8, 15, 0)),
        ("We'll send it by 9am.", ny(2024, 5, 9, 9, 0)),  # 9am has passed: tomorrow
        ("A specialist will contact you in a few hours.", ny(2024, 5, 8, 13, 0)),
        ("We've received your DM and will continue there shortly.", ny(2024, 5, 8, 11, 0)),
        ("We'll resend the itinerary within twenty-four hours.", ny(2024, 5, 9, 10, 0)),
    ],
)
def test_promises_and_their_due_times(text: str, due: datetime) -> None:
    promise = detect_promise(f"@someone Thanks for reaching out. {text} /AB", SENT, NY)
    assert promise is not None, text
    assert promise.due == due
    assert promise.text == text


@pytest.mark.parametrize(
    "text",
    [
        "Please DM us your order number.",
        "We'll look into this for you.",  # no time
        "Refunds usually take up to 30 working days.",  # a policy, not a commitment
        "Hopefully we'll have an update soon.",  # hedged
        "Fingers crossed we'll have it available soon!",
        "We'll have it available as soon as it's available to us!",  # waits for something else
        "Does this mean we'll be seeing you soon?",  # an invitation
        "Have a great day!",
        "Our stores are open 24 hours.",
        "You can make a flight change up to 48 hours before departure.",
        "We'll be happy to help tomorrow if you DM us.",  # "be happy" is not an action
    ],
)
def test_no_promise(text: str) -> None:
    assert detect_promise(text, SENT, NY) is None


def test_span_points_at_the_sentence() -> None:
    text = "Sorry about that! We'll call you tomorrow. Thanks"
    promise = detect_promise(text, SENT, NY)
    assert promise is not None
    assert text[promise.span[0] : promise.span[1]] == "We'll call you tomorrow."
    assert (promise.commitment, promise.time_phrase) == ("We'll call", "tomorrow")


def test_several_promises() -> None:
    text = "We'll call you today. We'll email the invoice by Friday."
    assert [p.time_phrase for p in find_promises(text, SENT, NY)] == ["today", "Friday"]


def test_after_business_end_today_means_end_of_day() -> None:
    late = ny(2024, 5, 8, 18, 30)
    promise = detect_promise("We'll get back to you today.", late, NY)
    assert promise is not None
    assert promise.due == ny(2024, 5, 8, 23, 59)


def test_days_keep_the_local_wall_time_across_dst() -> None:
    before_change = ny(2024, 3, 9, 12, 0)  # Saturday before spring-forward
    promise = detect_promise("We'll email you within 2 days.", before_change, NY)
    assert promise is not None
    assert promise.due == ny(2024, 3, 11, 12, 0)  # 47 real hours later


def test_time_zone_decides_the_day() -> None:
    # 02:00 UTC Thursday is still Wednesday evening in New York but Thursday in Tokyo.
    sent = datetime(2024, 5, 9, 2, 0, tzinfo=UTC)
    tokyo = detect_promise("We'll call tomorrow.", sent, "Asia/Tokyo")
    new_york = detect_promise("We'll call tomorrow.", sent, NY)
    assert tokyo is not None
    assert new_york is not None
    assert tokyo.due == datetime(2024, 5, 10, 17, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert new_york.due == ny(2024, 5, 9, 17, 0)


def test_naive_sent_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        detect_promise("We'll call tomorrow.", datetime(2024, 5, 8, 10), NY)  # noqa: DTZ001 (naive on purpose: refused)
