"""The streaming incident detector: `IncidentDetector.feed(post) -> events`, one instance per workspace.

Every post is read once, in time order. A post that reports a problem (signature.py) from an author,
not a repost, is a *report*; its *keys* are its topic words (``w:leeds``) and the monitors it matched
(``m:Acme care``). For each key the detector keeps the reports of the last `window` and their distinct
authors, and asks how surprising that many authors are against the key's normal share of reports
(baseline.py: decayed shares) times the reports the window would hold anyway (the larger of the other
reports seen in the window and the hour's seasonal rate). A key is *hot* when at least `min_authors`
distinct authors reported it and ``-log10 P(X >= authors) >= threshold``; it fires when it has been hot
at `persistence` reports in a row and its reports are not all copies of a few texts. One customer
posting twenty times counts once; a meme pasted by many stays below three distinct texts.

When a key fires, an incident opens with that key, and every post of the window that carries it joins
(a post that does not report a problem joins only if it shares another of the incident's keywords);
later posts join the same way. A key that becomes hot while most of its reports already belong to an
open incident is added to that incident instead of opening another (as a join key if it is rare in the
background, else as a keyword only). An incident closes after `quiet` without a new member.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from socialdesk.domain.incidents.baseline import KeyShares, SeasonalRate, poisson_surprise
from socialdesk.domain.incidents.events import (
    DetectorEvent,
    IncidentClosed,
    IncidentOpened,
    PostJoined,
)
from socialdesk.domain.incidents.incident import Incident, Member
from socialdesk.domain.incidents.signature import signature, wording
from socialdesk.domain.post import Post


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    """The detector's settings (docs/incidents.md explains each)."""

    window: timedelta = timedelta(minutes=30)
    min_authors: int = 4
    threshold: float = 6.0
    persistence: int = 2
    min_distinct_texts: int = 3
    quiet: timedelta = timedelta(minutes=60)
    half_life: timedelta = timedelta(days=7)
    prior_rate: float = 1.0
    warmup: timedelta = timedelta(minutes=10)
    share_confidence: float = 1.5
    seasonal_smoothing: float = 0.3
    join_share: float = 0.005
    keyword_share: float = 0.3
    max_keywords: int = 8
    prune_every: int = 10_000


@dataclass(frozen=True, slots=True)
class DetectorPost:
    """What the detector needs of a post."""

    id: str
    author: str
    text: str
    created_at: datetime
    channel: str = ""
    monitors: tuple[str, ...] = ()
    is_repost: bool = False


@dataclass(slots=True)
class Seen:
    """A post inside the window."""

    post: DetectorPost
    at: datetime
    words: frozenset[str]
    keys: tuple[str, ...]
    report: bool
    problem: bool
    text_key: int
    incident: Incident | None = None
    learnt: bool = False  # a warm-up report, counted in the key shares when it came


@dataclass(slots=True)
class KeyWindow:
    reports: deque[Seen] = field(default_factory=deque)
    authors: Counter[str] = field(default_factory=Counter)
    streak: int = 0


def keys_of(words: tuple[str, ...], monitors: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"w:{w}" for w in words) + tuple(f"m:{m}" for m in sorted(set(monitors)))


class IncidentDetector:
    """Online incident detection over one workspace's posts; see the module docstring."""

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        c = self.config
        self.shares = KeyShares(c.half_life, c.share_confidence)
        self.seasonal = SeasonalRate(c.prior_rate, c.seasonal_smoothing, c.window)
        self.now: datetime | None = None
        self.warm_until: datetime | None = None
        self.window: deque[Seen] = deque()
        self.reports_in_window = 0
        self.keys: dict[str, KeyWindow] = {}
        self.open: list[Incident] = []
        self.owner: dict[str, Incident] = {}
        self.opened = 0
        self.fed = 0

    # -- the one entry point -------------------------------------------------------------------
    def feed(self, post: DetectorPost) -> list[DetectorEvent]:
        """Read one post (in time order; an earlier one is read as if it came now)."""
        if self.now is None:
            self.shares.origin = post.created_at
            self.warm_until = post.created_at + self.config.warmup
        at = post.created_at if self.now is None else max(self.now, post.created_at)
        self.now = at
        events: list[DetectorEvent] = []
        self._expire(at)
        self._close_quiet(at, events)
        self.seasonal.advance(at)
        seen = self._see(post, at)
        self.window.append(seen)
        for incident in self.open:
            if self._joins(seen, incident):
                self._add_member(incident, seen, events)
                break
        if seen.report:
            self._count(seen, at, events)
        self.fed += 1
        if self.fed % self.config.prune_every == 0:
            self.shares.prune(at, 0.5)
        return events

    def flush(self, at: datetime | None = None) -> list[DetectorEvent]:
        """Close every open incident that has been quiet by `at` (default: the last post's time)."""
        events: list[DetectorEvent] = []
        when = at or self.now
        if when is not None:
            self._close_quiet(when, events)
        return events

    # -- reading a post --------------------------------------------------------------------------
    def _see(self, post: DetectorPost, at: datetime) -> Seen:
        sig = signature(post.text)
        report = sig.problem and not post.is_repost
        text_key = hash(wording(post.text)) if report else 0
        keys = keys_of(sig.words, post.monitors)
        return Seen(post, at, frozenset(sig.words), keys, report, sig.problem, text_key)

    def _expire(self, at: datetime) -> None:
        horizon = at - self.config.window
        window = self.window
        while window and window[0].at <= horizon:
            old = window.popleft()
            if not old.report:
                continue
            self.reports_in_window -= 1
            if not old.learnt:
                self.shares.settle(old.at, old.keys)
            for key in old.keys:
                kw = self.keys[key]
                kw.reports.popleft()
                left = kw.authors[old.post.author] - 1
                if left:
                    kw.authors[old.post.author] = left
                else:
                    del kw.authors[old.post.author]
                if not kw.reports:
                    del self.keys[key]

    def _count(self, seen: Seen, at: datetime, events: list[DetectorEvent]) -> None:
        self.reports_in_window += 1
        if self.warm_until is not None and at < self.warm_until:
            seen.learnt = True
            self.shares.learn(at, seen.keys)
        self.seasonal.count(at)
        for key in seen.keys:
            kw = self.keys.get(key)
            if kw is None:
                kw = self.keys[key] = KeyWindow()
            kw.reports.append(seen)
            kw.authors[seen.post.author] += 1
        ready: list[tuple[float, float, str]] = []
        for key in seen.keys:
            if key in self.owner:
                continue
            kw = self.keys[key]
            enough = len(kw.authors) >= self.config.min_authors
            surprise = self.surprise(key, kw, at) if enough else 0.0
            if not enough or surprise < self.config.threshold:
                kw.streak = 0
                continue
            kw.streak += 1
            if kw.streak < self.config.persistence:
                continue
            if len({s.text_key for s in kw.reports}) < self.config.min_distinct_texts:
                continue
            ready.append((-surprise, self.share(key, kw, at), key))
        # The most surprising key (then the rarest) opens the incident; the others then join it.
        for _, _, key in sorted(ready):
            if key not in self.owner:
                self._fire(key, self.keys[key], seen, at, events)

    # -- the test ----------------------------------------------------------------------------------
    def share(self, key: str, kw: KeyWindow, at: datetime) -> float:
        return self.shares.share(at, key)

    def expected_authors(self, key: str, kw: KeyWindow, at: datetime) -> float:
        c = self.config
        share = self.share(key, kw, at)
        others = self.reports_in_window - len(kw.reports)
        seasonal = self.seasonal.expected_rate(at) * (c.window.total_seconds() / 60.0)
        # The other reports are untouched by a spike of this key: they alone say how many reports the
        # window would hold, when the key's share leaves enough of them to tell.
        return share * max(others / max(1.0 - share, 0.05), seasonal)

    def surprise(self, key: str, kw: KeyWindow, at: datetime) -> float:
        return poisson_surprise(len(kw.authors), self.expected_authors(key, kw, at))

    # -- incidents ---------------------------------------------------------------------------------
    def _fire(self, key: str, kw: KeyWindow, seen: Seen, at: datetime, events: list[DetectorEvent]) -> None:
        c = self.config
        reports = list(kw.reports)
        in_incident = Counter(s.incident.id for s in reports if s.incident is not None)
        if in_incident:
            best_id, n = in_incident.most_common(1)[0]
            # The incident most of the window's reports joined, while it is open (one closed since
            # then is history: a new spike of the key opens a new incident).
            incident = next((i for i in self.open if i.id == best_id), None)
            if incident is not None and n * 2 >= len(reports):
                self.owner[key] = incident
                if self.share(key, kw, at) < c.join_share:
                    incident.join_keys.append(key)
                if key not in incident.keys:
                    incident.keys.append(key)
                return
        self.opened += 1
        counts: Counter[str] = Counter()
        for s in reports:
            counts.update(s.words)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        keywords = [w for w, n in top if n >= c.keyword_share * len(reports)][: c.max_keywords]
        if key.startswith("w:"):
            word = key[2:]
            keywords = [word, *[w for w in keywords if w != word]][: c.max_keywords]
        incident = Incident(
            id=f"incident-{self.opened}",
            key=key,
            detected_at=seen.post.created_at,
            fired_by=seen.post.id,
            keywords=keywords,
            join_keys=[key],
            keys=[key],
            authors_at_detection=len(kw.authors),
            surprise=self.surprise(key, kw, at),
        )
        self.open.append(incident)
        self.owner[key] = incident
        events.append(IncidentOpened(incident))
        for s in self.window:
            if s.incident is None and self._joins(s, incident):
                self._add_member(incident, s, events)

    def _joins(self, seen: Seen, incident: Incident) -> bool:
        if not any(k in seen.keys for k in incident.join_keys):
            return False
        if seen.problem:
            return True
        return len(seen.words.intersection(incident.keywords)) >= 2

    def _add_member(self, incident: Incident, seen: Seen, events: list[DetectorEvent]) -> None:
        seen.incident = incident
        p = seen.post
        incident.members.append(Member(p.id, p.author, p.channel, p.text, p.created_at, seen.report))
        incident.last_member_at = max(incident.last_member_at or seen.at, seen.at)
        events.append(PostJoined(incident.id, p.id, seen.at))

    def _close_quiet(self, at: datetime, events: list[DetectorEvent]) -> None:
        quiet = self.config.quiet
        still: list[Incident] = []
        for incident in self.open:
            last = incident.last_member_at or incident.detected_at
            if at - last >= quiet:
                incident.closed_at = last + quiet
                for key in incident.keys:
                    self.owner.pop(key, None)
                events.append(IncidentClosed(incident.id, incident.closed_at))
            else:
                still.append(incident)
        self.open = still


def detector_post(post: Post, monitors: tuple[str, ...] = ()) -> DetectorPost:
    """A normalized post as the detector reads it: the author is the network's account
    (``channel:author id``), so the same id on two networks is two people."""
    return DetectorPost(
        id=post.id,
        author=f"{post.channel}:{post.author.id}",
        text=post.text,
        created_at=post.created_at,
        channel=post.channel,
        monitors=monitors,
        is_repost=post.is_repost,
    )
