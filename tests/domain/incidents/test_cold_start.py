"""A fresh detector with little history: a burst after half an hour of background is found (later
than ten minutes: the cold-start limit of docs/incidents.md), after two hours in time,
a place the background names now and then does not mask a burst of it, and the first minutes of an
ordinary stream (a common word in every post, one customer posting twenty times) raise nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.domain.incidents.test_incident_decoys import OUTAGE, T0, background, run, spike

from socialdesk.domain.incidents.detector import DetectorPost

SMALL = 20  # the smallest burst: 20 posts over 30 minutes


def fifth_post(start_minute: int, minutes: float, n: int) -> datetime:
    return T0 + timedelta(minutes=start_minute + minutes * 4 / n)


def test_a_small_burst_after_half_an_hour_of_background_is_found_within_twenty_minutes() -> None:
    # The cold-start promise (docs/incidents.md): with little history a place never named yet takes a
    # cautious share (a common word the first reports happened not to hold must not look like a
    # spike), so the smallest burst after 30 minutes is found, whole, but 18 to 20 minutes after its
    # 5th post. (The old detector, the window's own reports counted in the shares until 10 had left
    # it, found 1 of 8 such bursts at all.)
    for seed in (1, 2, 3):
        posts = background(minutes=120, seed=seed) + spike(
            OUTAGE, 30, 30, [f"p{k}" for k in range(SMALL)], "b"
        )
        [incident] = run(posts)
        assert incident.key == "w:leeds"
        assert incident.detected_at - fifth_post(30, 30, SMALL) <= timedelta(minutes=20)
        assert {m.post_id for m in incident.members} == {f"b{k}" for k in range(SMALL)}


def test_a_small_burst_after_two_hours_of_background_is_found_within_ten_minutes() -> None:
    for seed in (1, 2, 3):
        posts = background(minutes=240, seed=seed) + spike(
            OUTAGE, 120, 30, [f"p{k}" for k in range(SMALL)], "b"
        )
        [incident] = run(posts)
        assert incident.key == "w:leeds"
        assert incident.detected_at - fifth_post(120, 30, SMALL) <= timedelta(minutes=10)
        assert {m.post_id for m in incident.members} == {f"b{k}" for k in range(SMALL)}


def test_a_place_the_background_names_now_and_then_does_not_mask_a_burst_of_it() -> None:
    rng = random.Random(7)
    bg = background(minutes=120, seed=4)
    named = [  # about one post in 40 names Leeds, in a report of its own
        DetectorPost(f"n{i}", f"local{i}", "no signal in Leeds again today", p.created_at, "x")
        for i, p in enumerate(bg)
        if rng.random() < 0.025
    ]
    assert len(named) >= 3
    posts = bg + named + spike(OUTAGE, 30, 30, [f"p{k}" for k in range(SMALL)], "b")
    incidents = run(posts)
    assert [i.key for i in incidents] == ["w:leeds"]
    # Found, later than a place never named: its few past reports raise its cautious share.
    assert incidents[0].detected_at - fifth_post(30, 30, SMALL) <= timedelta(minutes=20)


def test_a_common_word_in_every_post_of_the_first_minutes_is_not_an_incident() -> None:
    # Every background post says "@acme ... broken": acme is in every report from the first second.
    for seed in (1, 2, 3, 4, 5):
        assert run(background(minutes=180, seed=seed)) == []


def test_one_customer_posting_twenty_times_from_the_first_minute_is_not_an_incident() -> None:
    angry = [
        DetectorPost(
            f"a{k}",
            "angry",
            f"@acme order {k} is broken, where is my refund for Leeds",
            T0 + timedelta(minutes=k),
            "x",
        )
        for k in range(25)
    ]
    assert run(background(minutes=90, seed=2) + angry) == []


def test_a_burst_from_the_first_second_is_learnt_as_normal_a_stated_limit() -> None:
    # With no background at all, a burst is the stream's normal: the warm-up (docs/incidents.md)
    # takes its first minutes as the baseline. This test pins the limit so a change to it is seen.
    posts = background(minutes=120, seed=1) + spike(OUTAGE, 0, 30, [f"p{k}" for k in range(SMALL)], "b")
    assert run(posts) == []
