"""The incident detector's rules written the slow, plain way: the spec in code, for property tests.

`ReferenceDetector` keeps every post it was fed and, at each new post, recomputes from that whole
history what `IncidentDetector` keeps incrementally: which reports are inside the window, the distinct
authors per key, the decayed shares (the same weights summed in the same order), the seasonal rate
(every hour folded again from the first), which incidents have gone quiet, and which posts join.
Only the decisions that are state by nature are carried from post to post: each key's run of hot
tests, which incident took which key, and the incidents themselves. tests/domain/incidents holds the
fast detector's events equal to these on generated streams.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.domain.incidents.baseline import (
    FIRST_HOUR_MIN_MINUTES,
    HOURS_PER_WEEK,
    MAX_FOLDED_GAP_HOURS,
    SeasonalRate,
    cautious_rate,
    hour_index,
    hour_start,
    poisson_surprise,
    wilson_upper,
)
from socialdesk.domain.incidents.detector import DetectorConfig, DetectorPost, keys_of
from socialdesk.domain.incidents.events import DetectorEvent, IncidentClosed, IncidentOpened, PostJoined
from socialdesk.domain.incidents.incident import Incident, Member
from socialdesk.domain.incidents.signature import signature, wording


@dataclass(slots=True)
class _Post:
    post: DetectorPost
    at: datetime
    words: frozenset[str]
    keys: tuple[str, ...]
    report: bool
    problem: bool
    text_key: int
    incident: Incident | None = None


class ReferenceDetector:
    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self.history: list[_Post] = []
        self.streak: dict[str, int] = {}
        self.last_report_at: dict[str, datetime] = {}
        self.owner: dict[str, Incident] = {}
        self.incidents: list[Incident] = []
        self.closed: set[str] = set()

    # -- recomputed from the history ---------------------------------------------------------------
    def _window(self, at: datetime) -> list[_Post]:
        return [p for p in self.history if p.at > at - self.config.window]

    def _weight(self, at: datetime) -> float:
        origin = self.history[0].at
        return float(2.0 ** ((at - origin).total_seconds() / self.config.half_life.total_seconds()))

    def _share(self, at: datetime, key: str) -> float:
        """Weighted share of the key among past reports: those that left the window, and those of
        the detector's first `warmup` (counted as they came)."""
        c = self.config
        horizon = at - c.window
        warm_until = self.history[0].at + c.warmup
        total = hits = 0.0
        for p in self.history:
            if p.report and (p.at <= horizon or p.at < warm_until):
                w = self._weight(p.at)
                total += w
                if key in p.keys:
                    hits += w
        w = self._weight(at)
        return wilson_upper(hits / w, total / w, c.share_confidence)

    def _seasonal(self, at: datetime) -> float:
        """The larger of the hour's seasonal figure and the recent rate (baseline.py), from the history."""
        c = self.config
        rate = SeasonalRate(c.prior_rate, c.seasonal_smoothing)
        start = self.history[0].at
        counts = Counter(hour_index(p.at) for p in self.history if p.report)
        arrived = sorted({hour_index(p.at) for p in self.history})
        unfolded = 0  # reports of hours not folded (a first hour watched under 10 minutes)
        for before, after in itertools.pairwise(arrived):
            watched = (hour_start(before + 1) - max(hour_start(before), start)).total_seconds() / 60
            if watched >= FIRST_HOUR_MIN_MINUTES:
                rate.fold(before, counts[before], watched)
                unfolded = 0
            else:
                unfolded += counts[before]
            for empty in range(max(before + 1, after - MAX_FOLDED_GAP_HOURS), after):
                rate.fold(empty, 0)
        unfolded += counts[arrived[-1]]
        hour = hour_index(at)
        if hour % HOURS_PER_WEEK in rate.week:
            seasonal = rate.week[hour % HOURS_PER_WEEK]
        elif hour % 24 in rate.day:
            seasonal = rate.day[hour % 24]
        elif rate.busiest is not None:
            seasonal = rate.busiest
        elif unfolded:
            minutes = max((at - start).total_seconds() / 60, FIRST_HOUR_MIN_MINUTES)
            seasonal = max(c.prior_rate, cautious_rate(unfolded, minutes))
        else:
            seasonal = c.prior_rate
        return max(seasonal, self._recent(at))

    def _recent(self, at: datetime) -> float:
        """Reports per minute in the hour before the window, once 10 minutes of it were watched."""
        end = at - self.config.window
        begin = max(end - timedelta(minutes=60), self.history[0].at)
        minutes = (end - begin).total_seconds() / 60
        if minutes < FIRST_HOUR_MIN_MINUTES:
            return 0.0
        return sum(1 for p in self.history if p.report and begin <= p.at < end) / minutes

    def _surprise(self, key: str, at: datetime) -> tuple[int, float]:
        c = self.config
        reports = [p for p in self._window(at) if p.report]
        mine = [p for p in reports if key in p.keys]
        authors = len({p.post.author for p in mine})
        share = self._share(at, key)
        others = len(reports) - len(mine)
        seasonal = self._seasonal(at) * (c.window.total_seconds() / 60.0)
        expected = share * max(others / max(1.0 - share, 0.05), seasonal)
        return authors, poisson_surprise(authors, expected)

    # -- the decisions -----------------------------------------------------------------------------
    def feed(self, post: DetectorPost) -> list[DetectorEvent]:
        c = self.config
        at = post.created_at if not self.history else max(self.history[-1].at, post.created_at)
        events = self._close_quiet(at)
        sig = signature(post.text)
        report = sig.problem and not post.is_repost
        text_key = hash(wording(post.text)) if report else 0
        seen = _Post(
            post, at, frozenset(sig.words), keys_of(sig.words, post.monitors), report, sig.problem, text_key
        )
        self.history.append(seen)
        for incident in self.open_incidents():
            if self._joins(seen, incident):
                self._add(incident, seen, events)
                break
        if not report:
            return events
        ready: list[tuple[float, float, str]] = []
        for key in seen.keys:
            previous = self.last_report_at.get(key)
            self.last_report_at[key] = at
            if previous is not None and at - c.window >= previous:  # the key's window ran empty
                self.streak[key] = 0
            if key in self.owner:
                continue
            authors, surprise = self._surprise(key, at)
            if authors < c.min_authors or surprise < c.threshold:
                self.streak[key] = 0
                continue
            self.streak[key] = self.streak.get(key, 0) + 1
            if self.streak[key] < c.persistence:
                continue
            mine = [p for p in self._window(at) if p.report and key in p.keys]
            if len({p.text_key for p in mine}) < c.min_distinct_texts:
                continue
            ready.append((-surprise, self._share(at, key), key))
        for _, _, key in sorted(ready):
            if key not in self.owner:
                self._fire(key, seen, at, events)
        return events

    def _close_quiet(self, at: datetime) -> list[DetectorEvent]:
        """Close the open incidents without a member for `quiet`: their keys are free again."""
        events: list[DetectorEvent] = []
        for incident in self.open_incidents():
            last = incident.last_member_at or incident.detected_at
            if at - last >= self.config.quiet:
                incident.closed_at = last + self.config.quiet
                self.closed.add(incident.id)
                for key in incident.keys:
                    self.owner.pop(key, None)
                events.append(IncidentClosed(incident.id, incident.closed_at))
        return events

    def open_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.id not in self.closed]

    def _fire(self, key: str, seen: _Post, at: datetime, events: list[DetectorEvent]) -> None:
        c = self.config
        window = self._window(at)
        mine = [p for p in window if p.report and key in p.keys]
        taken = Counter(p.incident.id for p in mine if p.incident is not None)
        if taken:
            best, n = taken.most_common(1)[0]
            incident = next((i for i in self.open_incidents() if i.id == best), None)
            if incident is not None and n * 2 >= len(mine):
                self.owner[key] = incident
                if self._share(at, key) < c.join_share:
                    incident.join_keys.append(key)
                if key not in incident.keys:
                    incident.keys.append(key)
                return
        counts: Counter[str] = Counter()
        for p in mine:
            counts.update(p.words)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        keywords = [w for w, n in top if n >= c.keyword_share * len(mine)][: c.max_keywords]
        if key.startswith("w:"):
            keywords = [key[2:], *[w for w in keywords if w != key[2:]]][: c.max_keywords]
        authors, surprise = self._surprise(key, at)
        incident = Incident(
            id=f"incident-{len(self.incidents) + 1}",
            key=key,
            detected_at=seen.post.created_at,
            fired_by=seen.post.id,
            keywords=keywords,
            join_keys=[key],
            keys=[key],
            authors_at_detection=authors,
            surprise=surprise,
        )
        self.incidents.append(incident)
        self.owner[key] = incident
        events.append(IncidentOpened(incident))
        for p in window:
            if p.incident is None and self._joins(p, incident):
                self._add(incident, p, events)

    @staticmethod
    def _joins(p: _Post, incident: Incident) -> bool:
        if not any(k in p.keys for k in incident.join_keys):
            return False
        return p.problem or len(p.words.intersection(incident.keywords)) >= 2

    @staticmethod
    def _add(incident: Incident, p: _Post, events: list[DetectorEvent]) -> None:
        p.incident = incident
        q = p.post
        incident.members.append(Member(q.id, q.author, q.channel, q.text, q.created_at, p.report))
        incident.last_member_at = max(incident.last_member_at or p.at, p.at)
        events.append(PostJoined(incident.id, q.id, p.at))
