"""`socialdesk bench incidents`: posts/s of the incident detector, beside two baselines in the same run.

The posts are the evaluation's replayed days (training/incidents_replay.py: a day before as warm-up,
then a day of TWCS background with bursts and decoys), fed one by one as the server would.
Figures, on process CPU time (the machine may be shared), median of `repeats`:
- `detector_posts_per_s`: `IncidentDetector.feed` over every post;
- `signature_posts_per_s`: the text signature alone (normalising, words, problem words), the floor
  any detector reading the text pays;
- `reference_posts_per_s`: the plain reference detector (domain/incidents/reference.py), which
  recomputes from the whole history at each post, on the first `reference_posts` posts only (it slows
  as history grows), with the fast detector timed on the same posts for the ratio.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from socialdesk.domain.incidents.detector import DetectorPost, IncidentDetector
from socialdesk.domain.incidents.reference import ReferenceDetector
from socialdesk.domain.incidents.signature import signature


def _cpu_rate(run: Callable[[], object], n: int) -> float:
    cpu0 = time.process_time()
    run()
    return n / max(time.process_time() - cpu0, 1e-9)


def _feed_all(make: Callable[[], IncidentDetector | ReferenceDetector], posts: list[DetectorPost]) -> None:
    detector = make()
    for post in posts:
        detector.feed(post)


def run(days: int, repeats: int = 3, reference_posts: int = 600) -> dict[str, Any]:
    from socialdesk.training.datasets import read_twcs_rows
    from socialdesk.training.incidents_replay import build_replay

    tweets = read_twcs_rows({})
    posts: list[DetectorPost] = []
    for seed in range(1, days + 1):
        replay = build_replay(tweets, seed)
        posts.extend(replay.warmup if seed == 1 else [])
        posts.extend(replay.posts)
    # Later days follow on in time: shift each replay's day after the one before.
    posts = _one_timeline(posts)
    head = posts[:reference_posts]
    detector, sig, fast_head, ref_head = [], [], [], []
    for _ in range(repeats):
        detector.append(_cpu_rate(lambda: _feed_all(IncidentDetector, posts), len(posts)))
        sig.append(_cpu_rate(lambda: [signature(p.text) for p in posts], len(posts)))
        fast_head.append(_cpu_rate(lambda: _feed_all(IncidentDetector, head), len(head)))
        ref_head.append(_cpu_rate(lambda: _feed_all(ReferenceDetector, head), len(head)))
    fast, floor = statistics.median(detector), statistics.median(sig)
    on_head, reference = statistics.median(fast_head), statistics.median(ref_head)
    return {
        "posts": len(posts),
        "days": days,
        "detector_posts_per_s": round(fast),
        "signature_posts_per_s": round(floor),
        "detector_share_of_signature_speed": round(fast / floor, 2),
        "reference_posts": len(head),
        "detector_posts_per_s_on_reference_posts": round(on_head),
        "reference_posts_per_s": round(reference),
        "ratio_to_reference": round(on_head / reference, 1),
        "repeats": repeats,
        "clock": "process CPU time",
        "python": platform.python_version(),
    }


def _one_timeline(posts: list[DetectorPost]) -> list[DetectorPost]:
    from dataclasses import replace
    from datetime import timedelta

    out: list[DetectorPost] = []
    shift = timedelta(0)
    last = None
    for post in posts:
        if last is not None and post.created_at + shift < last - timedelta(hours=12):
            shift += timedelta(days=1)  # the next replayed day starts again on the same date
        moved = replace(post, created_at=post.created_at + shift)
        last = moved.created_at if last is None else max(last, moved.created_at)
        out.append(moved)
    return out
