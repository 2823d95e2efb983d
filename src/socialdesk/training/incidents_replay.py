"""A day of real customer posts with injected outage bursts and decoys: the incident detector's test bed.

Background: the inbound (customer) tweets of TWCS (`twcs/twcs_first5000.csv`, 2,778 tweets from real
customers to 76 brands), re-timed over one day with a daily rhythm (quiet at night, busiest in the
afternoon: about 0.4 to 3.5 posts a minute), keeping their real authors, so a customer who wrote
several tweets still does. Every seed shuffles them again.

Injected, per day, each at a random time and never overlapping another:
- 6 bursts: 20 to 80 posts over 10 to 60 minutes, about one service of one brand in one place, on one
  to three networks, in varied wording (incident_templates.py: English and the place's language,
  one in ten without the place, a few follow-ups that report nothing), front-loaded arrival, one post
  in ten by someone who already posted.
- 3 decoys, which must not raise an incident: a viral joke pasted by 40 to 100 people (some as reposts),
  one angry customer posting 20 to 30 times, and a product launch with 40 to 80 posts of praise.

Before the day, `warmup` holds the day before's background (the same tweets re-timed again): the
detector reads it first, as a server would have, and it is not scored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from socialdesk.domain.incidents.detector import DetectorPost
from socialdesk.training import incident_templates as t
from socialdesk.training.datasets import TwcsTweet

DAY_START = datetime(2017, 11, 6, tzinfo=UTC)  # a Monday
# Relative posting rate by hour of the day.
HOURLY = (
    *(0.3, 0.2, 0.15, 0.12, 0.12, 0.2, 0.4, 0.7, 1.0, 1.2, 1.3, 1.35),
    *(1.4, 1.4, 1.35, 1.3, 1.3, 1.35, 1.4, 1.4, 1.3, 1.1, 0.8, 0.5),
)
BURSTS_PER_DAY = 6
SLOT = timedelta(hours=4)


@dataclass
class Burst:
    """One injected incident and its posts (the truth to score against)."""

    id: str
    brand: str
    service: str
    place: str
    networks: list[str]
    minutes: float
    post_ids: list[str] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)


@dataclass
class Replay:
    posts: list[DetectorPost]
    truth: dict[str, str]  # post id -> "background", a burst id, or "decoy-..."
    bursts: list[Burst]
    day_start: datetime
    background: int = 0
    warmup: list[DetectorPost] = field(default_factory=list)  # the day before: background only


def _background(tweets: list[TwcsTweet], rng: random.Random, day: datetime) -> list[DetectorPost]:
    hours = list(range(24))
    posts: list[DetectorPost] = []
    for tw in tweets:
        if not tw.inbound:
            continue
        hour = rng.choices(hours, weights=HOURLY)[0]
        at = day + timedelta(hours=hour, seconds=rng.uniform(0, 3600))
        posts.append(DetectorPost(f"twcs-{tw.tweet_id}", f"twcs:{tw.author_id}", tw.text, at, "x"))
    return posts


def _arrivals(rng: random.Random, start: datetime, minutes: float, n: int) -> list[datetime]:
    offsets = sorted(rng.betavariate(1.0, 1.4) for _ in range(n))
    return [start + timedelta(minutes=minutes * o) for o in offsets]


def _burst(
    rng: random.Random, number: int, seed: int, start: datetime, place: tuple[str, str]
) -> tuple[Burst, list[DetectorPost]]:
    brand, service = rng.choice(t.SERVICES)
    name, lang = place
    size = rng.randint(20, 80)
    minutes = rng.uniform(10, 60)
    networks = rng.sample(t.NETWORKS, k=rng.randint(1, 3))
    burst = Burst(f"burst-{seed}-{number}", brand, service, name, networks, minutes)
    authors: list[str] = []
    posts: list[DetectorPost] = []
    for k, at in enumerate(_arrivals(rng, start, minutes, size)):
        roll = rng.random()
        if roll < 0.1:
            template = rng.choice(t.PLACELESS)
        elif roll < 0.18:
            template = rng.choice(t.FOLLOW_UPS)
        elif lang != "en" and rng.random() < 0.35:
            template = rng.choice(t.REPORTS[lang])
        else:
            template = rng.choice(t.REPORTS["en"])
        shown = rng.choice((name, name, name.lower(), name.upper()))
        if "#{place}" in template:
            shown = name.replace(" ", "")
        text = template.format(brand=brand, service=service, place=shown)
        if authors and rng.random() < 0.1:
            author = rng.choice(authors)
        else:
            author = f"{burst.id}-author-{k}"
            authors.append(author)
        post = DetectorPost(f"{burst.id}-{k}", author, text, at, rng.choice(networks))
        posts.append(post)
        burst.post_ids.append(post.id)
        burst.times.append(at)
    return burst, posts


def _viral_joke(rng: random.Random, seed: int, start: datetime) -> list[DetectorPost]:
    joke = rng.choice(t.VIRAL_JOKES)
    n = rng.randint(40, 100)
    out = []
    for k, at in enumerate(_arrivals(rng, start, rng.uniform(20, 90), n)):
        prefix = rng.choice(t.VIRAL_PREFIXES)
        out.append(
            DetectorPost(
                f"joke-{seed}-{k}",
                f"joke-{seed}-{k}",
                prefix + joke,
                at,
                rng.choice(t.NETWORKS),
                (),
                prefix == "RT ",
            )
        )
    return out


def _angry_customer(rng: random.Random, seed: int, start: datetime) -> list[DetectorPost]:
    order = f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}"
    n = rng.randint(20, 30)
    return [
        DetectorPost(
            f"angry-{seed}-{k}", f"angry-{seed}", rng.choice(t.ANGRY_CUSTOMER).format(order=order), at, "x"
        )
        for k, at in enumerate(_arrivals(rng, start, rng.uniform(30, 60), n))
    ]


def _launch(rng: random.Random, seed: int, start: datetime) -> list[DetectorPost]:
    n = rng.randint(40, 80)
    brand, product = str(t.LAUNCH["brand"]), str(t.LAUNCH["product"])
    return [
        DetectorPost(
            f"launch-{seed}-{k}",
            f"launch-{seed}-{k}",
            rng.choice(t.LAUNCH["posts"]).format(brand=brand, product=product),
            at,
            rng.choice(t.NETWORKS),
        )
        for k, at in enumerate(_arrivals(rng, start, rng.uniform(30, 90), n))
    ]


def build_replay(tweets: list[TwcsTweet], seed: int, day: datetime = DAY_START) -> Replay:
    """One day: re-timed TWCS background, 6 bursts and 3 decoys, in time order."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible replay, not a secret
    background = _background(tweets, rng, day)
    truth = {p.id: "background" for p in background}
    posts = list(background)
    places = rng.sample(t.PLACES, k=BURSTS_PER_DAY)
    bursts: list[Burst] = []
    decoys = (_viral_joke, _angry_customer, _launch)
    for slot in range(BURSTS_PER_DAY):
        slot_start = day + slot * SLOT
        start = slot_start + timedelta(minutes=rng.uniform(15, 90))
        burst, injected = _burst(rng, slot, seed, start, places[slot])
        bursts.append(burst)
        posts.extend(injected)
        truth.update({p.id: burst.id for p in injected})
        if slot % 2 == 0:
            make = decoys[slot // 2]
            decoy_posts = make(rng, seed, slot_start + timedelta(minutes=rng.uniform(160, 170)))
            posts.extend(decoy_posts)
            truth.update({p.id: f"decoy-{make.__name__.strip('_')}" for p in decoy_posts})
    posts.sort(key=lambda p: (p.created_at, p.id))
    warmup = sorted(
        (
            DetectorPost(f"warmup-{p.id}", p.author, p.text, p.created_at, p.channel)
            for p in _background(tweets, rng, day - timedelta(days=1))
        ),
        key=lambda p: (p.created_at, p.id),
    )
    return Replay(posts, truth, bursts, day, len(background), warmup)
