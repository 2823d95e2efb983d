"""Cold-start scenarios for `socialdesk evaluate incidents`: a fresh detector, little or no history.

Each case is a stream the detector has never seen before: real TWCS customer posts (the background)
at a steady `rate` a minute, starting `background_minutes` (0, 10, 30 or 60) before a burst of 20 to 80
posts over 30 minutes, then two more hours of background (false incidents are counted over the
whole stream), with two decoys: one customer posting twenty-odd times from the first minutes, and
a viral joke an hour after the burst. With `place_in_background`, about 2.5% of the background posts
also name the burst's place in a problem report of their own ("no signal in Leeds again"), so the
place is not new when the burst comes: a key seen occasionally must not mask a spike of it.

Scored like the day replays (incidents_eval.score): delay after the burst's 5th post, membership
recall and precision, false incidents.
"""

from __future__ import annotations

import random
from datetime import timedelta

from socialdesk.domain.incidents.detector import DetectorPost
from socialdesk.training import incident_templates as t
from socialdesk.training.datasets import TwcsTweet
from socialdesk.training.incidents_replay import DAY_START, Replay, _angry_customer, _burst, _viral_joke

BACKGROUNDS_MINUTES = (0, 10, 30, 60)
AFTER = timedelta(hours=2)
BURST_MINUTES = 30.0
# Background reports that name a place, in the customer's own words.
PLACE_BACKGROUND = (
    "no signal in {place} again today",
    "is the internet down in {place} or just my street?",
    "power cut in {place}, router down, anyone else?",
    "{place} traffic is a nightmare, train not working either",
)


def build_cold_replay(
    tweets: list[TwcsTweet],
    seed: int,
    background_minutes: float,
    place_in_background: bool,
    rate: float = 3.0,
) -> Replay:
    """One fresh stream: background from the start, one burst after `background_minutes`."""
    rng = random.Random(seed * 1000 + int(background_minutes) * 2 + place_in_background)  # noqa: S311
    inbound = [tw for tw in tweets if tw.inbound]
    rng.shuffle(inbound)
    start = DAY_START + timedelta(hours=rng.uniform(9, 15))
    burst_at = start + timedelta(minutes=background_minutes)
    end = burst_at + timedelta(minutes=BURST_MINUTES) + AFTER
    place = rng.choice(t.PLACES)
    posts: list[DetectorPost] = []
    at = start
    k = 0
    while True:
        at += timedelta(minutes=rng.expovariate(rate))
        if at >= end:
            break
        tw = inbound[k % len(inbound)]
        k += 1
        if place_in_background and rng.random() < 0.025:
            text = rng.choice(PLACE_BACKGROUND).format(place=place[0])
            posts.append(DetectorPost(f"bg-{k}", f"bg-author-{k}", text, at, "x"))
        else:
            posts.append(DetectorPost(f"twcs-{tw.tweet_id}-{k}", f"twcs:{tw.author_id}", tw.text, at, "x"))
    truth = {p.id: "background" for p in posts}
    burst, injected = _burst(rng, 0, seed, burst_at, place)
    # Every case's burst lasts BURST_MINUTES: re-time the arrivals drawn over the burst's own length.
    scale = BURST_MINUTES / burst.minutes
    retimed = [
        DetectorPost(p.id, p.author, p.text, burst_at + (p.created_at - burst_at) * scale, p.channel)
        for p in injected
    ]
    burst.minutes = BURST_MINUTES
    burst.times = [p.created_at for p in retimed]
    truth.update({p.id: burst.id for p in retimed})
    background = len(posts)
    posts.extend(retimed)
    # Decoys on the fresh stream: one customer posting 20 to 30 times from its first minutes, and a
    # joke pasted by many an hour after the burst.
    for make, when in ((_angry_customer, start), (_viral_joke, burst_at + timedelta(minutes=60))):
        decoy = make(rng, seed, when)
        posts.extend(decoy)
        truth.update({p.id: f"decoy-{make.__name__.strip('_')}" for p in decoy})
    posts.sort(key=lambda p: (p.created_at, p.id))
    return Replay(posts, truth, [burst], start, background, [])
