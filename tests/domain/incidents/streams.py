"""Generated streams for the detector's scenario and property tests: background care traffic at any
rate and start time, outage bursts of varied wording, shape and networks, and decoys."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.domain.incidents.detector import DetectorPost, IncidentDetector
from socialdesk.domain.incidents.events import IncidentOpened
from socialdesk.domain.incidents.incident import Incident

NETWORKS = ("x", "mastodon", "bluesky", "facebook", "instagram")
TOPICS = (
    "order", "refund", "delivery", "password", "invoice", "card", "parcel", "account", "payment",
    "router", "bill", "contract", "upgrade", "email", "voicemail", "tariff", "roaming", "sim",
)  # fmt: skip
BACKGROUND = (
    "@acme my {a} is broken and the {b} too",
    "hey @acme, still waiting on my {a}, {b} not working either",
    "why is my {a} so slow to arrive? also the {b}",
    "@acme can you check my {a} please, thanks",
    "love the new {a} from @acme, the {b} is great",
    "@acme mi {a} no funciona y el {b} tampoco",
    "@acme mon {a} ne marche pas, et le {b} aussi",
    "@acme mein {a} ist kaputt, {b} auch",
    "question about my {a} and {b}, who do I ask?",
    "@acme problem with {a} again",
)
OUTAGE = (
    "internet is down in {p}",
    "no wifi in {p} since this morning, anyone else?",
    "@acme broadband outage in #{p} again",
    "{p}: connection keeps dropping, is it an outage?",
    "whole street in {p} offline, fix it @acme",
    "is @acme down in {p}? can't connect at all",
    "{p} internet not working for an hour now",
    "sin internet en {p} desde hace una hora @acme",
    "pas de connexion à {p} ce soir, panne ?",
    "kein internet in {p} seit heute mittag, störung?",
)
PLACES = ("leeds", "york", "bilbao", "lyon", "bremen", "porto", "derby", "cork")


@dataclass(frozen=True, slots=True)
class Burst:
    place: str
    posts: tuple[DetectorPost, ...]

    def fifth(self) -> datetime:
        return sorted(p.created_at for p in self.posts)[4]


def background(
    start: datetime, minutes: float, per_minute: float, seed: int, skew: float = 0.0
) -> list[DetectorPost]:
    """Care traffic at `per_minute`, two topics a post. With `skew` the topics are not equally common:
    topic k is drawn with weight ``1 / (k + 1) ** skew`` (skew 1: the commonest topic in about a third
    of the posts, the rarest in 2%), so a common word the first reports happen not to hold turns up."""
    rng = random.Random(seed)
    weights = [1.0 / (k + 1) ** skew for k in range(len(TOPICS))]
    topics = rng.sample(TOPICS, len(TOPICS)) if skew else list(TOPICS)  # the common one varies
    out: list[DetectorPost] = []
    at = 0.0
    while True:
        at += rng.expovariate(per_minute)
        if at >= minutes:
            return out
        a = b = ""
        while a == b:
            a, b = rng.choices(topics, weights, k=2) if skew else rng.sample(TOPICS, 2)
        text = rng.choice(BACKGROUND).format(a=a, b=b)
        channel = rng.choice(NETWORKS)
        out.append(
            DetectorPost(f"bg{seed}-{len(out)}", f"{channel}:c{rng.randint(1, 20000)}", text,
                         start + timedelta(minutes=at), channel)
        )  # fmt: skip


def burst(start: datetime, n: int, minutes: float, place: str, seed: int, shape: str = "even") -> Burst:
    """n reports about `place` over `minutes`: spaced evenly, front-loaded or back-loaded."""
    rng = random.Random(seed)
    posts = []
    for k in range(n):
        x = k / n
        x = x**2 if shape == "front" else (x**0.5 if shape == "back" else x)
        channel = rng.choice(NETWORKS[: rng.randint(1, len(NETWORKS))])
        text = rng.choice(OUTAGE).format(p=place.capitalize() if rng.random() < 0.5 else place)
        at = start + timedelta(minutes=minutes * x)
        posts.append(DetectorPost(f"{place}{seed}-{k}", f"{channel}:{place}{seed}a{k}", text, at, channel))
    return Burst(place, tuple(posts))


def one_customer(start: datetime, times: int) -> list[DetectorPost]:
    """One angry customer posting many times about their own outage."""
    return [
        DetectorPost(f"angry{k}", "x:angry", f"@acme my internet in Selby is STILL down, day {k}!!",
                     start + timedelta(minutes=k), "x")
        for k in range(times)
    ]  # fmt: skip


def viral_joke(start: datetime, n: int) -> list[DetectorPost]:
    return [
        DetectorPost(f"joke{k}", f"x:fan{k}", "my wifi is so slow I watched the router grow a beard lol",
                     start + timedelta(seconds=20 * k), "x", is_repost=k % 3 == 0)
        for k in range(n)
    ]  # fmt: skip


def launch(start: datetime, n: int) -> list[DetectorPost]:
    praise = (
        "the new Acme Fibre Max is amazing",
        "Acme Fibre Max installed, so fast!",
        "zero issues with Fibre Max, great job @acme",
        "Fibre Max: best upgrade ever, no problems at all",
    )
    at = [start + timedelta(seconds=25 * k) for k in range(n)]
    return [
        DetectorPost(f"launch{k}", f"mastodon:fan{k}", praise[k % 4], at[k], "mastodon") for k in range(n)
    ]


def campaign(start: datetime, n: int) -> list[DetectorPost]:
    """A marketing hashtag campaign: many people, one hashtag, varied words, nothing broken."""
    lines = (
        "entering #AcmeSummerDeal to win a phone!",
        "#AcmeSummerDeal my dream prize is a tablet",
        "just shared #AcmeSummerDeal, fingers crossed",
        "#AcmeSummerDeal count me in @acme",
    )
    at = [start + timedelta(seconds=15 * k) for k in range(n)]
    return [
        DetectorPost(f"promo{k}", f"instagram:promo{k}", lines[k % 4], at[k], "instagram") for k in range(n)
    ]


def replay(posts: Iterable[DetectorPost]) -> list[Incident]:
    """Feed the posts in time order through a fresh detector (as `incidents detect` does)."""
    detector = IncidentDetector()
    found: list[Incident] = []
    for post in sorted(posts, key=lambda p: p.created_at):
        found += [e.incident for e in detector.feed(post) if isinstance(e, IncidentOpened)]
    detector.flush()
    return found
