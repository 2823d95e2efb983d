"""`socialdesk bench triage`: posts/s of the whole triage step vs plain VADER, same posts, same run.

Two triage figures: the batch path (`Triager.triage_many` on batches of `batch_size` posts, as
the ingest pipeline calls it) and the single-post path (`Triager.triage`, one call per post).
Each repeat times the batch path, the single path and VADER back to back, so drifting load on a
shared machine hits all three alike; every figure is the median over repeats. Throughput is
measured on process CPU time (the machine may be shared) and on wall time; the headline ratio
uses CPU time. Posts are real tweets from the shared data (airline, TWCS, complaints), cycled to
`n` posts. Nothing is cached per post text: the only memos are per whitespace-separated chunk
and per explanation term list, both bounded.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

TARGET_POSTS_PER_S = 10000


def load_bench_posts(n: int) -> list[str]:
    from socialdesk.training import datasets as ds

    texts: list[str] = []
    texts.extend(e.text for e in ds.read_airline().examples)
    texts.extend(e.text for e in ds.read_twcs_needs_reply().examples)
    texts.extend(e.text for e in ds.read_complaints().examples)
    if not texts:
        raise ds.DataMissingError("no posts to benchmark")
    return [texts[i % len(texts)] for i in range(n)]


def _timed(run: Callable[[], object], n: int) -> tuple[float, float]:
    """(posts/s on CPU time, posts/s on wall time) of one call of `run` over `n` posts."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    run()
    cpu = max(time.process_time() - cpu0, 1e-9)
    wall = max(time.perf_counter() - wall0, 1e-9)
    return n / cpu, n / wall


def _summary(rates: Sequence[tuple[float, float]]) -> dict[str, float]:
    return {
        "posts_per_s_cpu": round(statistics.median(r[0] for r in rates), 1),
        "posts_per_s_wall": round(statistics.median(r[1] for r in rates), 1),
    }


CARE_POSTS = 512  # posts the second stage is timed on (it is about 100x slower than the first)


def run_bench(  # noqa: C901 (one closure per timed path; to split with the bench's next change)
    n: int = 20000,
    repeats: int = 3,
    batch_size: int = 256,
    ml: bool = False,
    care: str = "auto",
    care_posts: int = CARE_POSTS,
) -> dict[str, Any]:
    """`care`: time the second stage (`triage.care_model`) too: "auto" when it is installed, "on"
    (an error when it is not), "off". It is timed on the first `care_posts` posts, as ingest runs it
    on posts that reached care: the first stage's batch, then `CareStage.refine` on its dicts."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from socialdesk.triage import Triager

    posts = load_bench_posts(n)
    batches = [posts[i : i + batch_size] for i in range(0, n, batch_size)]
    triager = Triager()
    analyzer = SentimentIntensityAnalyzer()
    triager.triage_many(posts[:batch_size])  # model loaded before timing
    analyzer.polarity_scores(posts[0])

    def batch_path() -> None:
        for batch in batches:
            triager.triage_many(batch)

    def single_path() -> None:
        for post in posts:
            triager.triage(post)

    def vader() -> None:
        for post in posts:
            analyzer.polarity_scores(post)

    ml_triager = None
    if ml:
        from socialdesk.triage.embed_model import load_ml_model

        ml_triager = Triager(load_ml_model())
        ml_triager.triage_many(posts[:batch_size])

    def ml_batch_path() -> None:
        assert ml_triager is not None
        for batch in batches:
            ml_triager.triage_many(batch)

    from socialdesk.training.care_loader import care_stage_for

    stage = care_stage_for(care)
    care_batches = [posts[i : i + batch_size] for i in range(0, min(care_posts, n), batch_size)]
    care_n = sum(len(b) for b in care_batches)

    def care_path() -> None:
        assert stage is not None
        for batch in care_batches:
            stage.refine(batch, [r.to_dict() for r in triager.triage_many(batch)])

    if stage is not None:
        stage.refine(posts[:2], [r.to_dict() for r in triager.triage_many(posts[:2])])  # encoder loaded

    runs: dict[str, list[tuple[float, float]]] = {
        "batch": [],
        "single": [],
        "vader": [],
        "ml": [],
        "care": [],
    }
    for _ in range(repeats):
        runs["batch"].append(_timed(batch_path, n))
        runs["single"].append(_timed(single_path, n))
        runs["vader"].append(_timed(vader, n))
        if ml_triager is not None:
            runs["ml"].append(_timed(ml_batch_path, n))
        if stage is not None:
            runs["care"].append(_timed(care_path, care_n))
    batch, single, baseline = (_summary(runs[k]) for k in ("batch", "single", "vader"))
    extra: dict[str, Any] = {}
    if ml_triager is not None:
        optional = _summary(runs["ml"])
        extra = {
            "triage_ml": optional,
            "ratio_ml_cpu": round(optional["posts_per_s_cpu"] / baseline["posts_per_s_cpu"], 2),
        }
    if stage is not None:
        second = _summary(runs["care"])
        extra["care_stage"] = {**second, "posts": care_n}
        extra["ratio_care_cpu"] = round(second["posts_per_s_cpu"] / baseline["posts_per_s_cpu"], 3)
    else:
        extra["care_stage"] = None
    return {
        "bench": "triage",
        "posts": n,
        "repeats": repeats,
        "batch_size": batch_size,
        "triage": batch,
        "triage_single_post": single,
        "vader_baseline": baseline,
        "ratio_cpu": round(batch["posts_per_s_cpu"] / baseline["posts_per_s_cpu"], 2),
        "ratio_wall": round(batch["posts_per_s_wall"] / baseline["posts_per_s_wall"], 2),
        "ratio_single_cpu": round(single["posts_per_s_cpu"] / baseline["posts_per_s_cpu"], 2),
        **extra,
        "target_posts_per_s": TARGET_POSTS_PER_S,
        "meets_target": batch["posts_per_s_cpu"] >= TARGET_POSTS_PER_S,
        "python": platform.python_version(),
        "note": (
            "single process, one core; median of repeats; triage = whole step via triage_many in "
            "batches (triage_single_post: one triage call per post; triage_ml: the optional [ml] model "
            "through triage_many, with --ml; care_stage: the second stage on posts that reached care, "
            "first stage included, CPU time over all threads); VADER = polarity_scores only"
        ),
    }
