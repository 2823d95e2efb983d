"""What must and must not become an incident: a spike over background does; one angry customer, a
pasted joke and a burst of praise do not (each decoy also checked to be a spike the detector would
otherwise take, so the test fails if the rule that stops it goes)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from socialdesk.domain.incidents.baseline import poisson_surprise
from socialdesk.domain.incidents.detector import DetectorConfig, DetectorPost, IncidentDetector
from socialdesk.domain.incidents.events import IncidentClosed, IncidentOpened
from socialdesk.domain.incidents.incident import Incident
from socialdesk.domain.incidents.signature import signature

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
TOPICS = ("order", "refund", "delivery", "password", "invoice", "card", "parcel", "account", "payment")


def background(minutes: int = 240, per_minute: float = 3.0, seed: int = 1) -> list[DetectorPost]:
    """Ordinary care traffic: complaints about many things from many people."""
    rng = random.Random(seed)
    posts, at, i = [], T0, 0
    while at < T0 + timedelta(minutes=minutes):
        at += timedelta(seconds=rng.expovariate(per_minute / 60))
        a, b = rng.sample(TOPICS, 2)
        text = f"@acme my {a} is broken and the {b} {rng.choice(('too', 'again', 'still', 'as usual'))}"
        posts.append(DetectorPost(f"bg{i}", f"customer{rng.randint(1, 5000)}", text, at, "x"))
        i += 1
    return posts


def spike(
    texts: list[str], start_minute: int, minutes: float, authors: list[str], tag: str
) -> list[DetectorPost]:
    n = len(authors)
    return [
        DetectorPost(
            f"{tag}{k}",
            authors[k],
            texts[k % len(texts)],
            T0 + timedelta(minutes=start_minute + minutes * k / n),
            ("x", "mastodon", "bluesky")[k % 3],
        )
        for k in range(n)
    ]


def run(posts: list[DetectorPost], config: DetectorConfig | None = None) -> list[Incident]:
    detector = IncidentDetector(config)
    opened: list[Incident] = []
    for post in sorted(posts, key=lambda p: p.created_at):
        opened += [e.incident for e in detector.feed(post) if isinstance(e, IncidentOpened)]
    return opened


OUTAGE = [
    "internet is down in Leeds @acme",
    "no wifi in leeds since 9, anyone else?",
    "@acme broadband outage in #Leeds again",
    "Leeds: connection keeps dropping, is it an outage",
    "whole street in Leeds offline. @acme fix it",
]


def test_a_spike_over_background_is_found_within_minutes_and_takes_its_later_posts() -> None:
    posts = background() + spike(OUTAGE, 180, 30, [f"p{k}" for k in range(30)], "leeds")
    [incident] = run(posts)
    fifth = T0 + timedelta(minutes=180 + 30 * 4 / 30)
    assert incident.key == "w:leeds"
    assert incident.detected_at - fifth <= timedelta(minutes=10)
    members = {m.post_id for m in incident.members}
    assert members == {f"leeds{k}" for k in range(30)}  # later ones included, no background
    assert incident.channels == ["bluesky", "mastodon", "x"]


def test_ordinary_background_never_raises_one() -> None:
    for seed in (1, 2, 3):
        assert run(background(minutes=600, seed=seed)) == []


def test_one_customer_posting_twenty_times_is_not_an_outage() -> None:
    angry = spike(OUTAGE, 180, 30, ["one-angry-customer"] * 20, "angry")
    assert run(background() + angry) == []
    # The same posts from twenty people are one.
    assert len(run(background() + spike(OUTAGE, 180, 30, [f"p{k}" for k in range(20)], "many"))) == 1


def test_a_joke_pasted_by_many_is_not_an_outage() -> None:
    joke = [f"my wifi in Leeds is so slow my emails arrive by pigeon {w}" for w in ("lol", "lmao", "😂😂")]
    assert run(background() + spike(joke, 180, 30, [f"j{k}" for k in range(60)], "joke")) == []
    # Without the laughter, sixty copies of one text are still not sixty reports of a problem...
    pasted = ["my wifi in Leeds is so slow my emails arrive by pigeon"]
    assert run(background() + spike(pasted, 180, 30, [f"j{k}" for k in range(60)], "paste")) == []
    # ...while the detector would take those posts if they were written differently.
    varied = [f"my wifi in Leeds is so slow, {w}" for w in ("again", "today", "since noon")]
    assert len(run(background() + spike(varied, 180, 30, [f"j{k}" for k in range(60)], "v"))) == 1


def test_a_launch_with_praise_is_not_an_outage() -> None:
    praise = [
        "Just got the new Acme Phone!! the screen is unreal",
        "Acme Phone day! zero issues setting it up, love it",
        "the Acme Phone camera is insane @acme",
        "no problems at all with my Acme Phone so far",
    ]
    assert run(background() + spike(praise, 180, 40, [f"fan{k}" for k in range(60)], "launch")) == []
    trouble = [t.replace("love it", "broken").replace("insane", "broken") + " not working" for t in praise]
    assert len(run(background() + spike(trouble, 180, 40, [f"fan{k}" for k in range(60)], "t"))) == 1


def test_an_incident_closes_after_quiet_and_the_topic_can_fire_again() -> None:
    config = DetectorConfig(quiet=timedelta(minutes=30))
    first = spike(OUTAGE, 100, 20, [f"p{k}" for k in range(25)], "first")
    second = spike(OUTAGE, 200, 20, [f"q{k}" for k in range(25)], "second")
    detector = IncidentDetector(config)
    events = [
        e for p in sorted(background() + first + second, key=lambda p: p.created_at) for e in detector.feed(p)
    ]
    opened = [e.incident for e in events if isinstance(e, IncidentOpened)]
    closed = [e for e in events if isinstance(e, IncidentClosed)]
    assert [i.key for i in opened] == ["w:leeds", "w:leeds"]
    assert closed and closed[0].incident_id == opened[0].id
    assert {m.post_id for m in opened[1].members} == {f"second{k}" for k in range(25)}


def test_a_monitor_spike_fires_per_monitor() -> None:
    """Posts a monitor matched carry its name: a spike of that monitor's reports is an incident even
    when their words are ordinary."""
    rng = random.Random(5)
    words = list(TOPICS)
    ends = ("too", "again", "still")
    surge = [
        DetectorPost(
            f"m{k}",
            f"m{k}",
            f"my {rng.choice(words)} is broken and the {rng.choice(words)} {ends[k % 3]}",
            T0 + timedelta(minutes=180 + k * 0.75),
            "x",
            ("Acme payments",),
        )
        for k in range(40)
    ]
    bg = [
        DetectorPost(
            p.id, p.author, p.text, p.created_at, p.channel, ("Acme payments",) if i % 40 == 0 else ()
        )
        for i, p in enumerate(background())
    ]
    incidents = run(bg + surge)
    assert [i.monitors for i in incidents] == [["Acme payments"]]


def test_signatures_read_several_languages() -> None:
    assert signature("¿Se cayó Movistar en Madrid? sin internet").problem
    assert signature("Panne internet à Lyon depuis ce matin").problem
    assert signature("Störung in Köln, Internet funktioniert nicht").problem
    assert signature("東京で ドコモが繋がらない").problem
    assert not signature("no issues at all, love it").problem
    assert not signature("my wifi is so slow lol").problem
    assert signature("@Ask_Spectrum down in #Leeds https://t.co/x").words == ("ask_spectrum", "leeds")


def test_poisson_surprise_matches_the_sum_of_terms() -> None:
    for x, mean in ((1, 0.5), (5, 0.2), (12, 3.0), (40, 25.0)):
        tail = 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(x))
        assert math.isclose(poisson_surprise(x, mean), -math.log10(tail), rel_tol=1e-6)
    assert poisson_surprise(3, 0.0) == math.inf


def test_poisson_surprise_is_quick_and_near_zero_when_the_count_is_below_the_mean() -> None:
    """Regression: a count far below its mean made the tail sum overflow and loop for ever."""
    assert poisson_surprise(5, 1000.0) == 0.0
    assert 0.0 <= poisson_surprise(50, 50.0) < 0.5
