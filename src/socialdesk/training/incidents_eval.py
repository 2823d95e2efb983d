"""`socialdesk evaluate incidents`: the detector replayed over TWCS days with injected bursts and decoys.

For each seed, one day (incidents_replay.py) goes through `IncidentDetector` post by post. Each
incident is matched to the burst most of its members come from; an incident that no burst supplies
most of its members is *false* (on the background, or raised by a decoy). Per burst:
- delay: the incident's `detected_at` minus the created_at of the burst's 5th post (the first
  incident matched to it; a burst no incident matches is missed);
- membership recall: the burst's posts in its incidents over all its posts (a missed burst counts 0);
- membership precision: the burst's posts in its incidents over all their members.
Recall and precision are summed over every burst of a seed (micro), then the median over seeds.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from socialdesk.domain.incidents.detector import DetectorConfig, IncidentDetector
from socialdesk.domain.incidents.events import IncidentOpened
from socialdesk.domain.incidents.incident import Incident
from socialdesk.training.datasets import read_twcs_rows
from socialdesk.training.incidents_replay import Replay, build_replay

TARGETS = {"max_delay_minutes": 10.0, "min_recall": 0.85, "min_precision": 0.90, "max_false_per_day": 1.0}


@dataclass
class SeedResult:
    seed: int
    posts: int
    bursts: int
    detected: int
    delays_minutes: list[float]
    recall: float
    precision: float
    false_incidents: int
    false_from_decoys: dict[str, int]
    split_incidents: int
    seconds: float
    posts_per_second: float
    missed: list[str] = field(default_factory=list)
    false_examples: list[str] = field(default_factory=list)


def run_detector(replay: Replay, config: DetectorConfig | None = None) -> tuple[list[Incident], float]:
    """Every incident the detector opens over the replay, and the seconds it took."""
    detector = IncidentDetector(config)
    for post in replay.warmup:
        detector.feed(post)
    incidents: list[Incident] = list(detector.open)  # a warm-up incident would be false too
    started = time.perf_counter()
    for post in replay.posts:
        for event in detector.feed(post):
            if isinstance(event, IncidentOpened):
                incidents.append(event.incident)
    return incidents, time.perf_counter() - started


def score(replay: Replay, incidents: list[Incident], seed: int, seconds: float) -> SeedResult:
    burst_of = {b.id: b for b in replay.bursts}
    matched: dict[str, list[Incident]] = {}
    false: list[Incident] = []
    decoys: Counter[str] = Counter()
    for incident in incidents:
        sources = Counter(replay.truth.get(m.post_id, "background") for m in incident.members)
        source, n = sources.most_common(1)[0] if sources else ("background", 0)
        if source in burst_of and n * 2 > len(incident.members):
            matched.setdefault(source, []).append(incident)
        else:
            false.append(incident)
            decoys[source if source.startswith("decoy") else "background"] += 1
    delays: list[float] = []
    caught = members = total = 0
    missed: list[str] = []
    for burst in replay.bursts:
        total += len(burst.post_ids)
        found = matched.get(burst.id, [])
        if not found:
            what = f"{burst.place}, {burst.brand} {burst.service}, {len(burst.post_ids)} posts"
            missed.append(f"{burst.id} ({what})")
            continue
        first = min(i.detected_at for i in found)
        fifth = sorted(burst.times)[min(4, len(burst.times) - 1)]
        delays.append((first - fifth).total_seconds() / 60.0)
        own = set(burst.post_ids)
        ids = {m.post_id for i in found for m in i.members}
        caught += len(ids & own)
        members += len(ids)
    return SeedResult(
        seed=seed,
        posts=len(replay.posts),
        bursts=len(replay.bursts),
        detected=len(matched),
        delays_minutes=[round(d, 2) for d in delays],
        recall=caught / total if total else 1.0,
        precision=caught / members if members else 1.0,
        false_incidents=len(false),
        false_from_decoys=dict(decoys),
        split_incidents=sum(len(v) - 1 for v in matched.values()),
        seconds=round(seconds, 3),
        posts_per_second=round(len(replay.posts) / seconds) if seconds else 0,
        missed=missed,
        false_examples=[f"{i.key}: {i.summary()}" for i in false[:3]],
    )


def evaluate_incidents(seeds: list[int], config: DetectorConfig | None = None) -> dict[str, Any]:
    """Per-seed results and the medians, with the targets they are held to."""
    started = time.perf_counter()
    tweets = read_twcs_rows({})
    results: list[SeedResult] = []
    for seed in seeds:
        replay = build_replay(tweets, seed)
        incidents, seconds = run_detector(replay, config)
        results.append(score(replay, incidents, seed, seconds))
    delays = [d for r in results for d in r.delays_minutes]
    days = len(results)
    recall = round(statistics.median(r.recall for r in results), 3)
    precision = round(statistics.median(r.precision for r in results), 3)
    false_per_day = round(sum(r.false_incidents for r in results) / days, 2)
    bursts = sum(r.bursts for r in results)
    detected = sum(r.detected for r in results)
    scored_seconds = sum(r.seconds for r in results)
    summary: dict[str, Any] = {
        "days": days,
        "bursts": bursts,
        "detected": detected,
        "median_delay_minutes": round(statistics.median(delays), 2) if delays else None,
        "max_delay_minutes": round(max(delays), 2) if delays else None,
        "median_recall": recall,
        "median_precision": precision,
        "false_incidents_per_day": false_per_day,
        "false_on_background_per_day": round(
            sum(r.false_from_decoys.get("background", 0) for r in results) / days, 2
        ),
        "detector_posts_per_second": round(sum(r.posts for r in results) / scored_seconds)
        if scored_seconds
        else None,
        "seconds": round(time.perf_counter() - started, 2),
        "targets": TARGETS,
    }
    summary["meets_targets"] = bool(
        delays
        and detected == bursts
        and max(delays) <= TARGETS["max_delay_minutes"]
        and recall >= TARGETS["min_recall"]
        and precision >= TARGETS["min_precision"]
        and false_per_day <= TARGETS["max_false_per_day"]
    )
    return {"summary": summary, "seeds": [r.__dict__ for r in results]}


def format_report(report: dict[str, Any]) -> str:
    """A table per seed and the summary against the targets."""
    s = report["summary"]
    lines = [
        "seed  posts  bursts  found  delay min (median/max)  recall  precision  false  split  posts/s",
    ]
    for r in report["seeds"]:
        d = r["delays_minutes"]
        delay = f"{statistics.median(d):.1f} / {max(d):.1f}" if d else "-"
        lines.append(
            f"{r['seed']:>4}  {r['posts']:>5}  {r['bursts']:>6}  {r['detected']:>5}  {delay:>22}  "
            f"{r['recall']:>6.3f}  {r['precision']:>9.3f}  {r['false_incidents']:>5}  "
            f"{r['split_incidents']:>5}  {r['posts_per_second']:>7}"
        )
        lines.extend(f"      missed: {m}" for m in r["missed"])
        lines.extend(f"      false: {f}" for f in r["false_examples"])
    t = s["targets"]
    lines += [
        "",
        f"days {s['days']}, bursts found {s['detected']} of {s['bursts']}",
        f"delay after the 5th post: median {s['median_delay_minutes']} min, max {s['max_delay_minutes']} min"
        f" (target <= {t['max_delay_minutes']})",
        f"membership recall (median of days) {s['median_recall']} (target >= {t['min_recall']})",
        f"membership precision (median of days) {s['median_precision']} (target >= {t['min_precision']})",
        f"false incidents per day {s['false_incidents_per_day']} (on the background alone "
        f"{s['false_on_background_per_day']}; target <= {t['max_false_per_day']})",
        f"detector {s['detector_posts_per_second']} posts/s; whole evaluation {s['seconds']} s",
        f"meets the targets: {'yes' if s['meets_targets'] else 'NO'}",
    ]
    return "\n".join(lines)


def evaluate_cold_start(seeds: list[int], config: DetectorConfig | None = None) -> list[dict[str, Any]]:
    """A fresh detector per case (incidents_coldstart.py): per background length and whether the
    burst's place is in the background, bursts found, delays, recall, precision, false incidents."""
    from socialdesk.training.incidents_coldstart import BACKGROUNDS_MINUTES, build_cold_replay

    tweets = read_twcs_rows({})
    rows: list[dict[str, Any]] = []
    for place_in_background in (False, True):
        for minutes in BACKGROUNDS_MINUTES:
            results = []
            for seed in seeds:
                replay = build_cold_replay(tweets, seed, minutes, place_in_background)
                incidents, seconds = run_detector(replay, config)
                results.append(score(replay, incidents, seed, seconds))
            delays = [d for r in results for d in r.delays_minutes]
            rows.append(
                {
                    "background_minutes": minutes,
                    "place_in_background": place_in_background,
                    "bursts": len(results),
                    "detected": sum(r.detected for r in results),
                    "median_delay_minutes": round(statistics.median(delays), 2) if delays else None,
                    "max_delay_minutes": round(max(delays), 2) if delays else None,
                    "late": sum(1 for d in delays if d > TARGETS["max_delay_minutes"]),
                    "recall": round(statistics.mean(r.recall for r in results), 3),
                    "precision": round(statistics.mean(r.precision for r in results), 3),
                    "false_incidents": sum(r.false_incidents for r in results),
                    "false_examples": [f for r in results for f in r.false_examples][:3],
                }
            )
    return rows


def format_cold_start(rows: list[dict[str, Any]]) -> str:
    lines = [
        "",
        "cold start (a fresh detector; one burst of 20-80 posts over 30 min per case):",
        "background  place in bg  found  delay min (median/max)  late  recall  precision  false",
    ]
    for r in rows:
        delay = (
            f"{r['median_delay_minutes']} / {r['max_delay_minutes']}"
            if r["max_delay_minutes"] is not None
            else "-"
        )
        lines.append(
            f"{r['background_minutes']:>7} min  {'yes' if r['place_in_background'] else 'no':>11}  "
            f"{r['detected']:>2}/{r['bursts']:<2}  {delay:>22}  {r['late']:>4}  {r['recall']:>6.3f}  "
            f"{r['precision']:>9.3f}  {r['false_incidents']:>5}"
        )
        lines.extend(f"      false: {f}" for f in r["false_examples"])
    return "\n".join(lines)
