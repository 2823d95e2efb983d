"""`socialdesk bench triage`: posts/s of the whole triage step vs plain VADER, same posts, same run.

Throughput is measured on process CPU time (the machine may be shared) and on wall time; the
headline ratio uses CPU time. Posts are real tweets from the shared data (airline, TWCS,
complaints), cycled to `n` posts.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def load_bench_posts(n: int) -> list[str]:
    from socialdesk.training import datasets as ds

    texts: list[str] = []
    texts.extend(e.text for e in ds.read_airline().examples)
    texts.extend(e.text for e in ds.read_twcs_needs_reply().examples)
    texts.extend(e.text for e in ds.read_complaints().examples)
    if not texts:
        raise ds.DataMissingError("no posts to benchmark")
    return [texts[i % len(texts)] for i in range(n)]


def _measure(fn: Callable[[str], object], posts: Sequence[str], repeats: int) -> dict[str, float]:
    cpu_rates, wall_rates = [], []
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for p in posts:
            fn(p)
        cpu = max(time.process_time() - cpu0, 1e-9)
        wall = max(time.perf_counter() - wall0, 1e-9)
        cpu_rates.append(len(posts) / cpu)
        wall_rates.append(len(posts) / wall)
    return {
        "posts_per_s_cpu": round(statistics.median(cpu_rates), 1),
        "posts_per_s_wall": round(statistics.median(wall_rates), 1),
    }


def run_bench(n: int = 20000, repeats: int = 3) -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from socialdesk.triage import Triager

    posts = load_bench_posts(n)
    triager = Triager()
    analyzer = SentimentIntensityAnalyzer()
    triager.triage(posts[0])  # model loaded before timing
    ours = _measure(triager.triage, posts, repeats)
    vader = _measure(analyzer.polarity_scores, posts, repeats)
    return {
        "bench": "triage",
        "posts": n,
        "repeats": repeats,
        "triage": ours,
        "vader_baseline": vader,
        "ratio_cpu": round(ours["posts_per_s_cpu"] / vader["posts_per_s_cpu"], 2),
        "ratio_wall": round(ours["posts_per_s_wall"] / vader["posts_per_s_wall"], 2),
        "target_posts_per_s": 10000,
        "meets_target": ours["posts_per_s_cpu"] >= 10000,
        "python": platform.python_version(),
        "note": "single process, one core; median of repeats; VADER = vaderSentiment polarity_scores only",
    }
