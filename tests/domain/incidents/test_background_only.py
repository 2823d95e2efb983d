"""Generated background alone never raises an incident, whatever its length, start time, rate and
topic mix: the reported false alarms were common topic words (a share near 11%, or more with a
skewed mix) that the first 20 to 30 reports happened not to hold, which then took a rare word's share
and looked like a spike when they turned up as usual."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from tests.domain.incidents.streams import background, replay

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)


# Streams of the reported sweep that raised a false incident with the old share estimate (a key
# unseen in n reports took 0.1 / (n + 5)): (rate a minute, start, minutes, seed).
REPORTED = [
    (3.0, datetime(2026, 1, 4, 0, 0, tzinfo=UTC), 300, 0),  # w:aussi at 00:24, w:email at 00:31
    (3.0, datetime(2026, 1, 4, 0, 17, tzinfo=UTC), 300, 17),  # w:arrive at 00:49
    (3.0, datetime(2026, 1, 4, 0, 55, tzinfo=UTC), 300, 55),  # w:router at 01:21
    (3.0, datetime(2026, 1, 5, 1, 0, tzinfo=UTC), 300, 100),  # w:delivery, w:router, w:tariff
]


@pytest.mark.parametrize(("per_minute", "start", "minutes", "seed"), REPORTED)
def test_the_reported_background_streams_raise_nothing(
    per_minute: float, start: datetime, minutes: int, seed: int
) -> None:
    assert replay(background(start, minutes, per_minute, seed)) == []


def test_background_alone_rarely_raises_an_incident() -> None:
    """120 generated background streams (any start in the week, 0.2 to 20 posts a minute, 20 to 180
    minutes, topic mixes even to skewed): at most one false incident among them. Not none: a stream
    can hold a real cluster by chance (seed 1 from Monday 00:00 at 3 or 8 posts a minute raises
    `w:invoice`; docs/incidents.md, "Limits"), so the figure is a rate, as the issue's target is."""
    rng = random.Random(2026)
    false = []
    for _ in range(120):
        start = MONDAY + timedelta(minutes=rng.randrange(7 * 24 * 60))
        per_minute = rng.choice((0.2, 0.5, 1.0, 3.0, 8.0, 20.0))
        minutes, skew, seed = (
            rng.choice((20, 45, 90, 180)),
            rng.choice((0.0, 0.5, 1.0)),
            rng.randrange(10_000),
        )
        found = replay(background(start, minutes, per_minute, seed, skew))
        false += [(start, per_minute, minutes, skew, seed, i.key, len(i.members)) for i in found]
    assert len(false) <= 1, false
