"""Demo traffic: realistic, varied customer-care posts for a few fictional brands, as normalized post dicts.

The embedded default of `socialdesk demo` and the source of generated posts for benchmarks. A discrete-event
simulation: customers post at `posts_per_minute` (a Poisson process), now and then one brand has an outage
burst concentrated on one city, care agents answer most posts that need it after minutes to hours, customers
follow up. Everything is drawn from one seeded random generator, so a seed always gives the same posts.

Brand accounts have stable author ids derived from their handle (numeric on x and mastodon, a did on bluesky);
`author.handle` is the brand's handle on that channel (`Brand.handles`). `created_at` is whole seconds.
The simulation itself is in `simulation`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from socialdesk.demo.brands import BRANDS, Brand
from socialdesk.demo.simulation import DEFAULT_START, Simulation
from socialdesk.demo.vocabulary import Intent

__all__ = ["BRANDS", "DEFAULT_START", "Brand", "generate_labeled_posts", "generate_posts", "stream_posts"]


def generate_labeled_posts(
    count: int,
    *,
    seed: int = 0,
    start: datetime | None = None,
    posts_per_minute: float = 60.0,
    brands: Sequence[Brand] = BRANDS,
    include_brand_replies: bool = True,
) -> Iterator[tuple[dict[str, Any], Intent]]:
    """`count` posts in time order, each with its ground-truth intent (brand replies are "other").

    `posts_per_minute` is the rate of new customer posts; brand replies, follow-ups and outage bursts come on
    top. Reposts carry the intent of what they repost.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if not posts_per_minute > 0:
        raise ValueError("posts_per_minute must be > 0")
    if not brands:
        raise ValueError("at least one brand is needed")
    start = start or DEFAULT_START
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    # replies, follow-ups and bursts add about 60% to the customers' own posts
    all_per_minute = posts_per_minute * (1.6 if include_brand_replies else 1.15)
    sim = Simulation(
        seed=seed,
        start=start,
        posts_per_minute=posts_per_minute,
        brands=brands,
        include_brand_replies=include_brand_replies,
        span_seconds=max(count / all_per_minute * 60.0, 1.0),
    )
    return itertools.islice(sim.run(), count)


def generate_posts(
    count: int,
    *,
    seed: int = 0,
    start: datetime | None = None,
    posts_per_minute: float = 60.0,
    brands: Sequence[Brand] = BRANDS,
    include_brand_replies: bool = True,
) -> Iterator[dict[str, Any]]:
    """`count` normalized post dicts in time order (see `generate_labeled_posts`)."""
    labeled = generate_labeled_posts(
        count,
        seed=seed,
        start=start,
        posts_per_minute=posts_per_minute,
        brands=brands,
        include_brand_replies=include_brand_replies,
    )
    return (post for post, _ in labeled)


def stream_posts(
    *,
    seed: int = 0,
    posts_per_minute: float = 60.0,
    speedup: float = 1.0,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    brands: Sequence[Brand] = BRANDS,
    include_brand_replies: bool = True,
) -> Iterator[tuple[float, dict[str, Any]]]:
    """Endless (seconds to wait, post) pairs for a live demo: sleep, then publish the post.

    `created_at` is `now()` when the pair is produced plus the wait: the moment the post is due. Simulated
    time runs `speedup` times faster than the clock (a reply that takes an hour arrives after 1/speedup
    hours). Ids derive from the clock at the start, so a restarted demo repeats no ids of the previous run.
    """
    if not speedup > 0 or not posts_per_minute > 0:
        raise ValueError("speedup and posts_per_minute must be > 0")
    sim = Simulation(
        seed=seed,
        start=now(),
        posts_per_minute=posts_per_minute,
        brands=brands,
        include_brand_replies=include_brand_replies,
        span_seconds=7200.0,
    )
    previous = 0.0
    for post, _ in sim.run():
        wait = max(sim.clock - previous, 0.0) / speedup
        previous = sim.clock
        post["created_at"] = (now() + timedelta(seconds=wait)).isoformat(timespec="seconds")
        yield wait, post
