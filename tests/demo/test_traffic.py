"""The demo traffic generator: deterministic, schema-shaped, consistent threads, a realistic mix."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialdesk.demo.traffic import (
    BRANDS,
    DEFAULT_START,
    Brand,
    generate_labeled_posts,
    generate_posts,
    stream_posts,
)

Post = dict[str, Any]
CHANNELS = {"x", "mastodon", "bluesky", "reddit", "rss", "review"}
INTENTS = {"complaint", "question", "outage_report", "praise", "feedback", "spam", "other"}
BRAND_HANDLES = {(channel, handle) for brand in BRANDS for channel, handle in brand.handles.items()}


@pytest.fixture(scope="module")
def labeled() -> list[tuple[Post, str]]:
    return list(generate_labeled_posts(10_000, seed=7))


@pytest.fixture(scope="module")
def posts(labeled: list[tuple[Post, str]]) -> list[Post]:
    return [post for post, _ in labeled]


def is_brand(post: Post) -> bool:
    return (post["channel"], post["author"]["handle"]) in BRAND_HANDLES


def brand_of(post: Post) -> str | None:
    text = post["text"].lower()
    for brand in BRANDS:
        handles = brand.handles.values()
        if (
            brand.alias in text
            or post["author"]["handle"] in handles
            or any(h.lower() in text for h in handles)
        ):
            return brand.key
    return None


def check_post(post: Post) -> None:
    """A minimal check of the normalized post format (the published JSON Schema is stricter)."""
    required = {"id", "channel", "text", "created_at", "author", "lang", "is_repost"}
    optional = {"in_reply_to", "url", "location", "repost_of"}
    assert required <= post.keys() <= required | optional, post.keys()
    assert ("repost_of" in post) is post["is_repost"]  # a repost names what it reposts
    assert isinstance(post["id"], str)
    assert post["id"]
    assert post["channel"] in CHANNELS
    assert isinstance(post["text"], str)
    assert post["text"].strip()
    created = datetime.fromisoformat(post["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert post["created_at"].endswith("+00:00")
    author = post["author"]
    assert author.keys() == {"id", "handle", "name", "followers", "verified"}
    assert all(isinstance(author[key], str) and author[key] for key in ("id", "handle", "name"))
    assert type(author["followers"]) is int
    assert author["followers"] >= 0
    assert type(author["verified"]) is bool
    assert isinstance(post.get("in_reply_to", ""), str)
    assert re.fullmatch(r"[a-z]{2}", post["lang"])
    assert post.get("url", "https://").startswith("https://")
    if "location" in post:
        location = post["location"]
        assert location.keys() == {"text", "lat", "lon"}
        assert -90 <= location["lat"] <= 90
        assert -180 <= location["lon"] <= 180
    assert type(post["is_repost"]) is bool


def test_a_seed_always_gives_the_same_posts() -> None:
    first = list(generate_posts(1500, seed=3))
    assert first == list(generate_posts(1500, seed=3))
    assert first != list(generate_posts(1500, seed=4))


def test_generate_posts_is_the_labeled_stream_without_labels() -> None:
    assert list(generate_posts(800, seed=1)) == [post for post, _ in generate_labeled_posts(800, seed=1)]


def test_yields_exactly_count_posts_from_start() -> None:
    start = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    posts = list(generate_posts(321, start=start, posts_per_minute=600))
    assert len(posts) == 321
    assert datetime.fromisoformat(posts[0]["created_at"]) >= start
    assert list(generate_posts(0)) == []
    assert next(generate_posts(1))["created_at"] >= DEFAULT_START.isoformat()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"count": -1},
        {"count": 5, "posts_per_minute": 0},
        {"count": 5, "brands": ()},
        {"count": 5, "start": datetime(2026, 1, 1)},  # noqa: DTZ001 (a naive start is what is refused)
    ],
)
def test_rejects_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"must|brand"):
        generate_posts(**kwargs)


def test_every_post_has_the_normalized_shape(posts: list[Post]) -> None:
    for post in posts:
        check_post(post)


def test_ids_are_unique_within_a_channel(posts: list[Post]) -> None:
    keys = [(post["channel"], post["id"]) for post in posts]
    assert len(keys) == len(set(keys))


def test_replies_answer_earlier_posts_of_the_same_channel(posts: list[Post]) -> None:
    seen: set[tuple[str, str]] = set()
    replies = 0
    for post in posts:
        if "in_reply_to" in post:
            assert (post["channel"], post["in_reply_to"]) in seen, post
            replies += 1
        seen.add((post["channel"], post["id"]))
    assert replies > len(posts) / 10


def test_posts_come_in_time_order(posts: list[Post]) -> None:
    times = [datetime.fromisoformat(post["created_at"]) for post in posts]
    assert times == sorted(times)


def test_followers_are_heavy_tailed(posts: list[Post]) -> None:
    followers = [post["author"]["followers"] for post in posts if not is_brand(post)]
    assert statistics.median(followers) < 1000
    assert max(followers) > 50_000
    assert any(post["author"]["verified"] for post in posts if not is_brand(post))


def test_the_mix_has_every_intent_and_several_languages(labeled: list[tuple[Post, str]]) -> None:
    intents = Counter(intent for _, intent in labeled)
    assert set(intents) == INTENTS
    langs = Counter(post["lang"] for post, _ in labeled)
    assert {"en", "es", "fr", "de", "pt", "ja"} <= set(langs)
    assert langs["en"] > len(labeled) / 2
    channels = Counter(post["channel"] for post, _ in labeled)
    assert set(channels) == CHANNELS
    assert channels.most_common(1)[0][0] == "x"


def test_the_mix_has_what_real_traffic_has(posts: list[Post]) -> None:
    texts = [post["text"] for post in posts]
    named_not_mentioned = [
        post
        for post in posts
        if not is_brand(post)
        and any(
            brand.name.lower() in post["text"].lower()
            and f"@{brand.handles['x'].lower()}" not in post["text"].lower()
            for brand in BRANDS
        )
    ]
    assert len(named_not_mentioned) > 100
    assert sum(post["is_repost"] for post in posts) > 50
    assert sum("location" in post for post in posts) > 100
    assert any(
        re.search(r"\b07700 ?900 ?\d{3}\b|\(\d{3}\) 555-01\d\d", text) for text in texts
    )  # phone numbers
    assert any(re.search(r"\b[\w.]+@example\.(com|org|net)\b", text) for text in texts)  # email addresses
    assert any("https://" in text for text in texts)
    assert any(re.search(r"#\w+", text) for text in texts)
    assert any(re.search(r"(\w)\1\1", text) for text in texts)  # elongation: "sooo"
    assert any(re.search("[\U0001f300-\U0001faff]", text) for text in texts)
    assert any("\n" in post["text"] for post in posts if post["channel"] in ("reddit", "review"))


def test_an_outage_burst_concentrates_on_one_brand(labeled: list[tuple[Post, str]]) -> None:
    windows: dict[str, Counter[int]] = defaultdict(Counter)
    for post, _ in labeled:
        brand = brand_of(post)
        if brand:
            windows[brand][int(datetime.fromisoformat(post["created_at"]).timestamp() // 600)] += 1
    ratios = {brand: max(c.values()) / statistics.median(c.values()) for brand, c in windows.items()}
    assert max(ratios.values()) > 2.0, ratios  # the other brands stay around 1.2
    outage = [post for post, intent in labeled if intent == "outage_report" and "location" in post]
    city, count = Counter(post["location"]["text"] for post in outage).most_common(1)[0]
    assert count > len(outage) / 2, city


def test_brands_answer_from_their_own_accounts(posts: list[Post]) -> None:
    by_key = {(post["channel"], post["id"]): post for post in posts}
    brand_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    answered = 0
    for post in posts:
        parent = by_key.get((post["channel"], post.get("in_reply_to", "")))
        if parent is None:
            continue
        assert is_brand(post) != is_brand(parent), (parent, post)  # customer and brand take turns
        if is_brand(post):
            answered += 1
            brand_ids[(post["channel"], post["author"]["handle"])].add(post["author"]["id"])
            if post["channel"] == "x":
                assert post["text"].startswith(f"@{parent['author']['handle']} ")
    assert answered > 1000
    assert all(len(ids) == 1 for ids in brand_ids.values())  # stable author ids
    # customer -> brand -> customer -> brand
    deep = [
        post
        for post in posts
        if is_brand(post)
        and "in_reply_to" in post
        and "in_reply_to" in by_key[(post["channel"], post["in_reply_to"])]
        and not is_brand(by_key[(post["channel"], post["in_reply_to"])])
    ]
    assert deep, "no customer -> brand -> customer -> brand thread"


def test_most_posts_that_need_an_answer_get_one(labeled: list[tuple[Post, str]]) -> None:
    answered = {post["in_reply_to"] for post, _ in labeled if is_brand(post) and "in_reply_to" in post}
    first_half = labeled[: len(labeled) // 2]  # later posts may still be waiting for their answer
    needy = [
        post
        for post, intent in first_half
        if intent in ("complaint", "question", "outage_report")
        and "in_reply_to" not in post
        and not post["is_repost"]
    ]
    share = sum(post["id"] in answered for post in needy) / len(needy)
    assert 0.5 < share < 0.85


def test_without_brand_replies_nobody_answers() -> None:
    posts = list(generate_posts(2000, seed=2, include_brand_replies=False))
    assert not any(is_brand(post) or "in_reply_to" in post for post in posts)


def test_custom_brands() -> None:
    acme = Brand(key="acme", name="Acme Phones", handles={"x": "AcmeHelp"})
    posts = list(generate_posts(1500, seed=5, brands=[acme]))
    roots = [  # customers' posts; reviews are on the brand's own page and may not name it
        post
        for post in posts
        if "in_reply_to" not in post
        and not post["is_repost"]
        and post["channel"] != "review"
        and post["author"]["handle"] != "AcmeHelp"
    ]
    assert all("acme" in post["text"].lower() for post in roots)
    replies = [post for post in posts if post["author"]["handle"] == "AcmeHelp"]
    assert replies
    assert all(post["channel"] == "x" for post in replies)


def test_stream_posts_paces_and_stamps_with_the_clock() -> None:
    now = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    def take(speedup: float) -> list[tuple[float, Post]]:
        now[0] = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        out = []
        for wait, post in itertools.islice(stream_posts(seed=1, speedup=speedup, now=clock), 300):
            now[0] += timedelta(seconds=wait)  # the consumer sleeps, then publishes
            assert post["created_at"] == now[0].isoformat(timespec="seconds")
            check_post(post)
            out.append((wait, post))
        return out

    slow, fast = take(1.0), take(10.0)
    assert all(wait >= 0 for wait, _ in slow)
    assert sum(w for w, _ in slow) == pytest.approx(10 * sum(w for w, _ in fast))
    assert [p["id"] for _, p in slow] == [p["id"] for _, p in fast]
    assert 3 < sum(w for w, _ in slow) / 60 < 10  # 300 posts at about 60 a minute


def test_reposts_name_a_post_generated_before_them(labeled: list[tuple[Post, str]]) -> None:
    generated = [post for post, _ in labeled]
    reposts = [p for p in generated if p["is_repost"]]
    assert reposts, "the demo generates reposts"
    seen: set[tuple[str, str]] = set()
    for post in generated:
        if post["is_repost"]:
            assert (post["channel"], post["repost_of"]) in seen, post
        seen.add((post["channel"], post["id"]))
