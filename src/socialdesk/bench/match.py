"""Benchmark of the listening matcher: compiled `CompiledMatcher` against the reference evaluator.

Monitors and posts are generated deterministically from a seed: a few thousand brand names (a handful
of real-looking ones and syllable-built ones, mentioned with Zipf-like popularity), their products and
competitors, complaint phrases, hashtags, mentions, URLs, emoji and accented words, and monitors written
the way care teams write them (phrases, wildcards, NEAR, exclusions, fields).
"""

from __future__ import annotations

import gc
import itertools
import platform
import random
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

from socialdesk.bench.match_cli import measure_cli
from socialdesk.listening import MatchablePost, compile_monitors, validate_query
from socialdesk.listening.reference import evaluate_tokens
from socialdesk.listening.tokens import tokenize

KNOWN_BRANDS = (
    "comcast", "xfinity", "verizon", "spectrum", "tmobile", "sprint", "vodafone", "orange", "telstra",
    "rogers", "bell", "virgin", "sky", "starlink", "netflix", "spotify", "delta", "united", "ryanair",
    "easyjet", "lufthansa", "amtrak", "uber", "lyft", "doordash", "paypal", "chase", "monzo", "revolut",
)  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mi", "ne", "tra", "vo", "zen", "qui", "bel", "dor", "fa", "gru", "hex", "ix", "jo",
    "lum", "mar", "nov", "or", "pix", "ri", "sol", "tel", "ul", "vex", "wa", "yo", "zu", "cor", "tek",
)  # fmt: skip
PRODUCT_SUFFIXES = ("plus", "pay", "go", "one", "max", "home", "tv", "mobile")
PRODUCTS = ("router", "modem", "app", "card", "plan", "box", "account", "bill", "flight", "order")
COMMON = (
    "the", "a", "to", "and", "i", "is", "it", "my", "for", "of", "in", "on", "this", "that", "you",
    "with", "so", "not", "just", "me", "have", "be", "at", "was", "but", "are", "all", "from", "they",
    "get", "can", "like", "now", "up", "out", "what", "no", "do", "your", "today", "day", "time",
    "again", "still", "why", "when", "how", "one", "going", "got", "really", "need", "know", "been",
    "im", "dont", "cant", "even", "love", "great", "thanks", "lol", "omg", "please", "help", "home",
    "work", "week", "morning", "night", "people", "back", "new", "good", "bad", "service", "customer",
    "support", "phone", "call", "hour", "hours", "minutes", "wait", "waiting", "since", "never",
    "always", "every",
)  # fmt: skip
COMPLAINTS = (
    "no service", "cable down", "internet down", "is down", "outage", "outages", "not working",
    "refund", "refunds", "refunded", "cancel", "cancelling", "cancelled", "switching", "switch",
    "overcharged", "charged twice", "still waiting", "worst", "broken", "crashed", "crashing",
)  # fmt: skip
EMOJI = ("😡", "🙄", "😤", "🔥", "👏", "❤️", "😂", "💀")
ACCENTED = ("café", "déjà", "Straße", "niño", "São", "über", "naïve", "façade")
CHANNELS = ("x", "mastodon", "bluesky", "reddit", "facebook", "instagram", "review", "email")
LANGS = ("en", "en", "en", "en-US", "es", "fr", "de", "pt-BR", None)
REFERENCE_EVALUATIONS = 2_000_000  # per configuration: reference posts = this / monitors


def _brands(rng: random.Random, count: int) -> list[str]:
    names = list(KNOWN_BRANDS)
    seen = set(names)
    while len(names) < count:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _rare_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))) for _ in range(count)]


MONITOR_TEMPLATES = (
    "{b} OR @{b} OR #{b}",
    '({b} OR {b}{s}) AND ("no service" OR outage* OR down OR "cable down")',
    "{b} AND refund* AND NOT (giveaway OR contest)",
    "{b} NEAR/5 (cancel OR cancelling OR switch*)",
    '"{b} support" OR @{b}support OR @{b}help',
    "{b} AND lang:en AND followers:>1000",
    '({c} OR {c2}) AND (switch* OR switching OR "moving to") AND NOT is:repost',
    '#{b}fail OR #{b}down OR "{b} sucks"',
    "channel:reddit AND {b} AND NOT (job OR hiring)",
    "{b} AND verified:true",
    "author:{b}cares",
    '{b} {p} (broken OR "not working" OR crash*)',
    '"{b}{s}" OR {b}{s}* OR #{b}{s}',
    '{b} AND (overcharged OR "charged twice" OR bill*) AND NOT is:reply',
)


def generate_monitors(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` (name, query) pairs; about 1 in 100 is field-only and checked on every post."""
    rng = random.Random(seed)
    brands = _brands(rng, max(len(KNOWN_BRANDS), count // 3))
    monitors: list[tuple[str, str]] = []
    for number in range(count):
        if number % 100 == 99:
            lang = rng.choice(("en", "es", "fr"))
            query = f"lang:{lang} AND followers:>{rng.choice((50_000, 100_000))} AND verified:true"
        else:
            template = MONITOR_TEMPLATES[number % len(MONITOR_TEMPLATES)]
            brand = brands[(number // len(MONITOR_TEMPLATES)) % len(brands)]
            query = template.format(
                b=brand,
                s=rng.choice(PRODUCT_SUFFIXES),
                c=rng.choice(brands),
                c2=rng.choice(brands),
                p=rng.choice(PRODUCTS),
            )
        monitors.append((f"m{number:05d}", query))
    return monitors


def _brand_text(rng: random.Random, brand: str, words: Sequence[str]) -> list[str]:
    parts = [rng.choice((brand, brand.capitalize(), "@" + brand, "#" + brand, brand.upper()))]
    parts.append(rng.choice(COMPLAINTS))
    if rng.random() < 0.3:
        parts.append(rng.choice(PRODUCTS))
    parts.extend(rng.choices(words, k=rng.randint(4, 14)))
    if rng.random() < 0.3:
        parts.append(rng.choice(("#" + brand + "fail", "#" + brand + "down", "@" + brand + "help")))
    rng.shuffle(parts)
    return parts


def generate_posts(count: int, seed: int = 11, brand_count: int = 3334) -> list[MatchablePost]:
    """``count`` posts: 40% about a brand (Zipf-like popularity), the rest chatter (long-tail words)."""
    rng = random.Random(seed)
    brands = _brands(random.Random(7), max(len(KNOWN_BRANDS), brand_count))
    brand_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(brands))))
    words = list(COMMON) * 60 + _rare_words(rng, 5000)
    posts = []
    for _ in range(count):
        if rng.random() < 0.4:
            parts = _brand_text(rng, rng.choices(brands, cum_weights=brand_weights)[0], words)
        else:
            parts = rng.choices(words, k=rng.randint(8, 24))
        if rng.random() < 0.15:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(EMOJI))
        if rng.random() < 0.05:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(ACCENTED))
        if rng.random() < 0.1:
            parts.append(f"https://t.co/{rng.randrange(36**6):x}")
        text = " ".join(parts)
        if rng.random() < 0.2:
            text = text.replace(" ", ", ", 1) + rng.choice(("!", "?!", "...", "."))
        posts.append(
            MatchablePost(
                text=text,
                author_handle=f"user{rng.randrange(100_000)}",
                lang=rng.choice(LANGS),
                channel=rng.choice(CHANNELS),
                followers=None if rng.random() < 0.05 else int(rng.paretovariate(1.2) * 50),
                verified=rng.random() < 0.02,
                is_repost=rng.random() < 0.2,
                is_reply=rng.random() < 0.3,
            )
        )
    return posts


def _reference_rate(
    monitors: Sequence[tuple[str, str]], posts: Sequence[MatchablePost]
) -> tuple[float, list[list[str]]]:
    roots = [(name, validate_query(text).root) for name, text in sorted(monitors)]
    started = time.process_time()
    found = []
    for post in posts:
        tokens = tokenize(post.text)
        found.append([name for name, root in roots if evaluate_tokens(root, post, tokens)])
    return len(posts) / (time.process_time() - started), found


def measure(
    monitors: Sequence[tuple[str, str]], posts: Sequence[MatchablePost], cli: bool = True
) -> dict[str, Any]:
    """Figures for one set of monitors over the posts (with ``cli``, also `socialdesk match`'s)."""
    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    compile_monitors(monitors)
    compile_seconds, compile_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    matcher = compile_monitors(monitors)
    memory = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()

    started, started_cpu = time.perf_counter(), time.process_time()
    results = matcher.match_many(posts)
    fast_rate = len(posts) / (time.process_time() - started_cpu)
    fast_wall_rate = len(posts) / (time.perf_counter() - started)

    python_rate, python_agrees = fast_rate, True
    if matcher.stats()["native"]:  # the pure-Python matcher too, for comparison
        python = compile_monitors(monitors, native=False)
        started_cpu = time.process_time()
        python_results = python.match_many(posts)
        python_rate = len(posts) / (time.process_time() - started_cpu)
        python_agrees = python_results == results

    sample = posts[: max(100, min(len(posts), REFERENCE_EVALUATIONS // max(1, len(monitors))))]
    reference_rate, expected = _reference_rate(monitors, sample)
    end_to_end: dict[str, Any] = {}
    if cli:
        end_to_end = measure_cli(monitors, posts, expected=results)
        end_to_end["cli_to_core_ratio"] = round(end_to_end["cli_posts_per_s"] / fast_rate, 2)
    return {
        "monitors": len(monitors),
        "fast_posts_per_s": round(fast_rate),
        "fast_posts_per_s_wall_clock": round(fast_wall_rate),
        "reference_posts_per_s": round(reference_rate, 1),
        "reference_sample_posts": len(sample),
        "ratio": round(fast_rate / reference_rate, 1),
        "engine": "c" if matcher.stats()["native"] else "python",
        "python_matcher_posts_per_s": round(python_rate),
        "python_matcher_agrees": python_agrees,
        "agree_with_reference": results[: len(sample)] == expected,
        "matches_per_post": round(sum(map(len, results)) / max(1, len(results)), 3),
        **end_to_end,
        "compile_s": round(compile_seconds, 3),
        "compile_cpu_s": round(compile_cpu, 3),
        "matcher_memory_mb": round(memory / 2**20, 1),
        "index": matcher.stats(),
    }


def run(
    posts: int = 200_000, monitor_counts: Sequence[int] = (1000, 10_000), seed: int = 7, cli: bool = True
) -> dict[str, Any]:
    """The benchmark: one entry per monitor count, all over the same generated posts."""
    generated = generate_posts(posts, seed=seed + 4)
    return {
        "benchmark": "match",
        "posts": posts,
        "seed": seed,
        "python": platform.python_version(),
        "note": (
            "posts/s are per CPU-second of this single-threaded process (time.process_time; the wall-clock "
            "figure is beside it); fast = CompiledMatcher.match_many over all posts, with the C matcher "
            "when it was built (engine), else the pure-Python one (cold word cache); "
            "python_matcher = the pure-Python CompiledMatcher on the same posts; "
            "reference = every query evaluated against every post (tokenized once per post) on the first "
            "reference_sample_posts posts, reported in posts/s; ratio = fast / reference; "
            "memory = tracemalloc growth while compiling; "
            "cli = `socialdesk match` end to end in a new process (monitors JSON and posts JSONL in, "
            "JSONL out to a file: startup, imports, compile, decoding, matching, writing), posts per "
            "CPU-second of that process and wall clock; cli_to_core_ratio = cli / fast, same run; "
            "cli_agrees = its output equals the fast matcher's results"
        ),
        "results": [
            measure(generate_monitors(count, seed=seed), generated, cli=cli) for count in monitor_counts
        ],
    }
