"""The discrete-event simulation behind the demo traffic (see `traffic`): customers post as a Poisson process,
outage bursts hit one brand in one city, agents answer after minutes to hours, customers follow up."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socialdesk.demo.authors import AuthorPool, Persona
from socialdesk.demo.brands import DEFAULT_MARKETS, Brand, City
from socialdesk.demo.compose import Scene, Writer, bank_for
from socialdesk.demo.fastrandom import FastRandom
from socialdesk.demo.ids import PostIds
from socialdesk.demo.threads import (
    ANSWER_CHANCE,
    ANSWER_TO,
    FIRST_REPLY,
    FOLLOWUP_INTENT,
    FOLLOWUPS,
    REPLY_CHANCE,
    Thread,
    pick,
)
from socialdesk.demo.vocabulary import INTENTS, NEWS_OUTLETS, Intent

DEFAULT_START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

CHANNELS = ("x", "mastodon", "bluesky", "reddit", "review", "rss")
CHANNEL_WEIGHTS = tuple(itertools.accumulate((0.6, 0.12, 0.15, 0.05, 0.04, 0.04)))
INTENT_WEIGHTS = tuple(itertools.accumulate((0.28, 0.2, 0.04, 0.12, 0.09, 0.07, 0.2)))
BURST_CHANNELS = ("x", "mastodon", "bluesky", "reddit")
BURST_CHANNEL_WEIGHTS = tuple(itertools.accumulate((0.7, 0.1, 0.15, 0.05)))
OUTAGE_PRONE = {"isp": 4.0, "streaming": 2.0, "bank": 2.0, "airline": 1.0}
ROOT, BURST_START, BURST_POST, REPLY, FOLLOWUP, STATUS, NEWS = range(7)
Labeled = tuple[dict[str, Any], Intent]


@dataclass(slots=True)
class Burst:
    """An outage: reports for one brand from one city ramp up fast to 10-15x its usual rate, then decay."""

    brand: Brand
    city: City
    start: float
    duration: float
    peak: float  # posts per second at the top

    def rate(self, t: float) -> float:
        tau = t - self.start
        ramp = 0.15 * self.duration
        if tau < ramp:
            return self.peak * tau / ramp
        return self.peak * math.exp(-(tau - ramp) / (0.35 * (self.duration - ramp)))


class Simulation:
    def __init__(
        self,
        *,
        seed: int,
        start: datetime,
        posts_per_minute: float,
        brands: Sequence[Brand],
        include_brand_replies: bool,
        span_seconds: float,
    ) -> None:
        self.rng = FastRandom(seed)
        self.writer = Writer(self.rng)
        self.authors = AuthorPool(self.rng)
        self.start_ts = start.timestamp()
        self.rate = posts_per_minute / 60.0
        self.brands = tuple(brands)
        self.brand_weights = tuple(itertools.accumulate(b.weight for b in self.brands))
        self.replies = include_brand_replies
        self.span = span_seconds
        self.heap: list[tuple[float, int, int, Any]] = []
        self.seq = itertools.count()
        self.ids = PostIds(self.rng)
        self.recent: dict[str, deque[Labeled]] = {
            ch: deque(maxlen=300) for ch in ("x", "mastodon", "bluesky")
        }
        self.burst: Burst | None = None
        self.markets: dict[tuple[str, bool], tuple[tuple[City, ...], tuple[float, ...]]] = {}
        self.clock = 0.0  # simulated seconds since start of the event being handled

    def run(self) -> Iterator[Labeled]:
        rng = self.rng
        self.push(rng.expovariate(self.rate), ROOT, None)
        self.push(rng.uniform(0.1, 0.45) * min(self.span, 6 * 3600), BURST_START, None)
        while True:
            t, _, kind, payload = heapq.heappop(self.heap)
            self.clock = t
            if kind == ROOT:
                self.push(t + rng.expovariate(self.rate), ROOT, None)
                yield self.root(t)
            elif kind == BURST_POST:
                burst = self.burst
                assert burst is not None
                if t - burst.start >= burst.duration:
                    self.burst = None
                    self.push(t + rng.uniform(3, 9) * 3600, BURST_START, None)
                    continue
                self.push(t + rng.expovariate(burst.peak), BURST_POST, None)
                if rng.random() * burst.peak < burst.rate(t):
                    yield self.outage_post(t, burst)
            elif kind in (REPLY, FOLLOWUP):
                yield self.continue_thread(t, payload, brand_speaks=kind == REPLY)
            elif kind == BURST_START:
                self.start_burst(t)
            elif kind == STATUS:
                yield self.status_post(t, payload)
            elif kind == NEWS:
                yield self.news_post(t, payload)

    def push(self, t: float, kind: int, payload: Any) -> None:
        heapq.heappush(self.heap, (t, next(self.seq), kind, payload))

    # --- customers ---------------------------------------------------------------------------------------
    def root(self, t: float) -> Labeled:
        rng = self.rng
        channel = CHANNELS[bisect(CHANNEL_WEIGHTS, rng.random())]
        if channel in self.recent and self.recent[channel] and rng.random() < 0.05:
            return self.repost(t, channel)
        brand = self.brands[bisect(self.brand_weights, rng.random() * self.brand_weights[-1])]
        intent = INTENTS[bisect(INTENT_WEIGHTS, rng.random())]
        if channel == "rss":
            return self.news_post(t, (brand, self.city(brand, english=True), "other"))
        if channel == "reddit" and intent == "spam":
            channel = "x"
        if channel == "review" and intent not in ("complaint", "praise", "feedback"):
            intent = "feedback" if intent != "spam" else "complaint"
        english = channel in ("reddit", "review")
        city = self.city(brand, english=english)
        lang = city.lang if english or city.lang == "en" or rng.random() < 0.8 else "en"
        if intent == "spam":
            lang = lang if lang in ("es", "pt") and rng.random() < 0.3 else "en"
        customer = self.authors.spammer(channel) if intent == "spam" else self.authors.customer(channel, lang)
        scene = Scene(brand, channel, bank_for(lang), city, self.local_hour(t, city), customer.first)
        scene.mention = rng.random() < 0.65
        if channel == "reddit":
            text = self.writer.longform(intent, scene)
        elif channel == "review":
            text = self.writer.review(intent, scene)
        else:
            text = self.writer.customer(intent, scene)
        location = self.location(city) if channel in self.recent and rng.random() < 0.1 else None
        post = self.post(t, channel, customer, text, lang, location=location)
        if channel in self.recent and intent != "spam":
            self.recent[channel].append((post, intent))
        self.maybe_answer(t, post, intent, scene, customer, mentioned="@" in text and scene.mention)
        return post, intent

    def outage_post(self, t: float, burst: Burst) -> Labeled:
        rng = self.rng
        channel = BURST_CHANNELS[bisect(BURST_CHANNEL_WEIGHTS, rng.random())]
        city = burst.city
        lang = city.lang if city.lang == "en" or rng.random() < 0.85 else "en"
        r = rng.random()
        intent: Intent = "outage_report" if r < 0.88 else "complaint" if r < 0.96 else "question"
        customer = self.authors.customer(channel, lang)
        start_hour = self.local_hour(burst.start, city)
        scene = Scene(burst.brand, channel, bank_for(lang), city, start_hour, customer.first)
        scene.mention = rng.random() < 0.5
        text = (
            self.writer.longform(intent, scene)
            if channel == "reddit"
            else self.writer.customer(intent, scene)
        )
        location = self.location(city) if channel != "reddit" and rng.random() < 0.6 else None
        post = self.post(t, channel, customer, text, lang, location=location)
        if channel in self.recent:
            self.recent[channel].append((post, intent))
        self.maybe_answer(t, post, intent, scene, customer, mentioned=scene.mention)
        return post, intent

    def repost(self, t: float, channel: str) -> Labeled:
        rng = self.rng
        recent = self.recent[channel]
        candidates = [recent[int(rng.random() * len(recent))] for _ in range(3)]
        original, intent = max(candidates, key=lambda c: c[0]["author"]["followers"])
        reposter = self.authors.customer(channel, original["lang"])
        while reposter.author["id"] == original["author"]["id"]:  # nobody reposts themselves here
            reposter = self.authors.customer(channel, original["lang"])
        text = original["text"]
        if channel == "x":
            text = f"RT @{original['author']['handle']}: {text}"
        post = self.post(t, channel, reposter, text, original["lang"], is_repost=True)
        post["repost_of"] = original["id"]  # ingest threads it into the original's conversation
        return post, intent

    def maybe_answer(
        self,
        t: float,
        post: dict[str, Any],
        intent: Intent,
        scene: Scene,
        customer: Persona,
        *,
        mentioned: bool,
    ) -> None:
        rng = self.rng
        if not self.replies or scene.channel not in scene.brand.handles:
            return
        chance = REPLY_CHANCE[intent] * (1.0 if mentioned else 0.75)
        if rng.random() >= chance:
            return
        signature = self.writer.signature(scene.brand) if rng.random() < 0.55 else None
        first = FIRST_REPLY[intent]
        if scene.channel == "review":  # review sites have no DMs: a public reply that moves things to email
            first = {"complaint": "review_sorry", "praise": "review_thanks"}.get(intent, first)
        thread = Thread(scene, customer, post["id"], post["id"], signature, first)
        self.push(t + self.delay(1200, 60, 8 * 3600), REPLY, thread)

    def continue_thread(self, t: float, thread: Thread, *, brand_speaks: bool) -> Labeled:
        rng, scene = self.rng, thread.scene
        scene.hour = self.local_hour(t, scene.city)
        if brand_speaks:
            account = self.authors.brand(scene.brand, scene.channel)
            handle = thread.customer.author["handle"]
            text = self.writer.agent(thread.next_kind, scene, handle, thread.signature)
            post = self.post(t, scene.channel, account, text, scene.bank.lang, reply_to=thread)
            chance, kinds = FOLLOWUPS.get(thread.next_kind, (0.05, (("thanks", 1.0),)))
            if thread.rounds < 3 and rng.random() < chance:
                thread.next_kind = pick(rng, kinds)
                self.push(t + self.delay(480, 30, 6 * 3600), FOLLOWUP, thread)
            return post, "other"
        text = self.writer.followup(thread.next_kind, scene)
        post = self.post(t, scene.channel, thread.customer, text, scene.bank.lang, reply_to=thread)
        intent = FOLLOWUP_INTENT[thread.next_kind]
        thread.rounds += 1
        if rng.random() < ANSWER_CHANCE[thread.next_kind]:
            thread.next_kind = ANSWER_TO[thread.next_kind]
            self.push(t + self.delay(900, 60, 6 * 3600), REPLY, thread)
        return post, intent

    # --- outages and news --------------------------------------------------------------------------------
    def start_burst(self, t: float) -> None:
        rng = self.rng
        weights = list(itertools.accumulate(OUTAGE_PRONE.get(b.sector, 1.0) for b in self.brands))
        brand = self.brands[bisect(weights, rng.random() * weights[-1])]
        markets = brand.markets or DEFAULT_MARKETS
        awake = [
            city for city in markets if 7 <= self.local_hour(t, city) <= 22
        ]  # outages get noticed by day
        city = rng.choice(awake or markets)
        duration = min(rng.uniform(30, 60) * 60, max(60.0, 0.25 * self.span))
        base = self.rate * brand.weight / self.brand_weights[-1]
        self.burst = Burst(brand, city, t, duration, base * rng.uniform(10, 15))
        self.push(t + rng.expovariate(self.burst.peak), BURST_POST, None)
        if self.replies and "x" in brand.handles:
            self.push(t + duration * rng.uniform(0.15, 0.3), STATUS, self.burst)
        self.push(t + duration * rng.uniform(0.3, 0.6), NEWS, (brand, city, "outage_report"))

    def status_post(self, t: float, burst: Burst) -> Labeled:
        scene = Scene(burst.brand, "x", bank_for(burst.city.lang), burst.city, self.local_hour(t, burst.city))
        account = self.authors.brand(burst.brand, "x")
        text = self.writer.agent("status", scene, "", None)
        return self.post(t, "x", account, text, scene.bank.lang), "other"

    def news_post(self, t: float, about: tuple[Brand, City, Intent]) -> Labeled:
        brand, city, intent = about
        outlet = self.authors.outlet(*self.rng.choice(NEWS_OUTLETS))
        scene = Scene(brand, "rss", bank_for("en"), city, self.local_hour(t, city))
        return self.post(t, "rss", outlet, self.writer.news(intent, scene), "en"), intent

    # --- shared ------------------------------------------------------------------------------------------
    def city(self, brand: Brand, *, english: bool) -> City:
        key = (brand.key, english)
        if key not in self.markets:
            markets = brand.markets or DEFAULT_MARKETS
            if english:
                markets = tuple(c for c in markets if c.lang == "en") or markets
            self.markets[key] = (markets, tuple(itertools.accumulate(c.weight for c in markets)))
        markets, weights = self.markets[key]
        return markets[bisect(weights, self.rng.random() * weights[-1])]

    def local_hour(self, t: float, city: City) -> int:
        return int((self.start_ts + t) // 3600 + city.utc_offset) % 24

    def location(self, city: City) -> dict[str, Any]:
        gauss = self.rng.gauss
        return {
            "text": city.name,
            "lat": round(city.lat + gauss(0, 0.03), 4),
            "lon": round(city.lon + gauss(0, 0.05), 4),
        }

    def delay(self, median: float, low: float, high: float) -> float:
        return min(max(self.rng.lognormvariate(math.log(median), 0.9), low), high)

    def post(
        self,
        t: float,
        channel: str,
        persona: Persona,
        text: str,
        lang: str,
        *,
        reply_to: Thread | None = None,
        location: dict[str, Any] | None = None,
        is_repost: bool = False,
    ) -> dict[str, Any]:
        ts = self.start_ts + t
        author = dict(persona.author)
        post_id, url = self.ids.identify(channel, ts, author, reply_to.root_id if reply_to else None)
        post: dict[str, Any] = {
            "id": post_id,
            "channel": channel,
            "text": text,
            "created_at": self.ids.timestamp(int(ts)),
            "author": author,
        }
        if reply_to is not None:
            post["in_reply_to"] = reply_to.last_id
            reply_to.last_id = post_id
        post["lang"] = lang
        post["url"] = url
        if location is not None:
            post["location"] = location
        post["is_repost"] = is_repost
        return post


def bisect(cumulative: Sequence[float], x: float) -> int:
    for i, edge in enumerate(cumulative):
        if x < edge:
            return i
    return len(cumulative) - 1
