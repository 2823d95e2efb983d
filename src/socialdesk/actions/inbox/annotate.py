"""Annotate posts on their way in: which monitors they match, and their triage."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from socialdesk.domain.monitor import Monitor, MonitorMode
from socialdesk.domain.noise import dedupe_key
from socialdesk.domain.post import Post
from socialdesk.listening import CompiledMatcher, MatchablePost, compile_monitors, fold, tokenize
from socialdesk.ports.inbox import PostKey
from socialdesk.ports.uow import UnitOfWork
from socialdesk.triage import TriageRequest, TriageResult

if TYPE_CHECKING:
    from socialdesk.actions.incidents.watch import IncidentWatch


@dataclass(frozen=True, slots=True)
class PostAnnotation:
    monitor_ids: tuple[int, ...] = ()
    monitor_names: tuple[str, ...] = ()
    care: bool = False  # matched at least one care monitor
    # The brand accounts the matched monitors name (care monitors first, then by name): a conversation
    # that addresses no brand account takes the one of these on its network (see BrandDirectory).
    brand_account_ids: tuple[int, ...] = ()
    triage: TriageResult | None = None
    triage_json: str | None = None  # `json.dumps(triage.to_dict())`, when computed ahead


class Ahead(NamedTuple):
    """What is computed for a post ahead of the writer (in the triage process of the embedded ingest
    queue): pure functions of the post, so the writer only stores them."""

    triage: TriageResult | None
    triage_json: str | None  # json.dumps(triage.to_dict()): the text its JSON column stores
    dedupe_key: str


def ahead_of(post: Post, triage: TriageResult | None) -> Ahead:
    return make_ahead(triage, post.channel, post.author.id, post.text)


def make_ahead(triage: TriageResult | None, channel: str, author_id: str, text: str) -> Ahead:
    encoded = None if triage is None else json.dumps(triage.to_dict())
    return Ahead(triage, encoded, dedupe_key(channel, author_id, text))


@dataclass(frozen=True, slots=True)
class Annotations:
    posts: list[PostAnnotation]
    has_care_monitors: bool


def matchable(post: Post) -> MatchablePost:
    return MatchablePost(
        text=post.text,
        author_handle=post.author.handle,
        lang=post.lang,
        channel=post.channel,
        followers=post.author.followers,
        verified=post.author.verified,
        is_repost=post.is_repost,
        is_reply=post.in_reply_to is not None,
    )


class _CompiledWorkspace:
    def __init__(self, monitors: list[Monitor], native: bool | None) -> None:
        self.key = tuple(monitors)
        self.by_id = {m.id: m for m in monitors}
        self.matcher: CompiledMatcher[int] = compile_monitors(
            ((m.id, m.query) for m in monitors), native=native
        )
        self.has_care = any(m.mode is MonitorMode.CARE for m in monitors)


class Annotator:
    """Keeps each workspace's monitors compiled (recompiled when they change) and an optional triager."""

    def __init__(
        self,
        triager: Any | None = None,
        *,
        native_matcher: bool = True,
        care_stage: Any | None = None,
        incidents: IncidentWatch | None = None,
    ) -> None:
        """``native_matcher=False`` keeps to the pure-Python matcher (else the C one where built).

        ``care_stage`` (a `triage.care_model.CareStage`): the second triage stage, run by
        `refine_care` on the posts that reached care only. ``incidents``: the process's incident
        detectors, fed each customer post ingest stores (actions/incidents/watch.py)."""
        self.triager = triager
        self.care_stage = care_stage
        self.incidents = incidents
        self._native: bool | None = None if native_matcher else False
        self._compiled: dict[int, _CompiledWorkspace] = {}

    def _matcher(self, uow: UnitOfWork, workspace_id: int) -> _CompiledWorkspace:
        monitors = uow.monitors.list(workspace_id, active_only=True)
        key = tuple(monitors)  # every field: an edit within one clock tick still recompiles
        found = self._compiled.get(workspace_id)
        if found is None or found.key != key:
            found = _CompiledWorkspace(monitors, self._native)
            self._compiled[workspace_id] = found
        return found

    def annotate(
        self,
        uow: UnitOfWork,
        workspace_id: int,
        posts: Sequence[Post],
        ahead: Mapping[PostKey, Ahead] | None = None,
    ) -> Annotations:
        """Each post's monitors and triage; `ahead` holds triage already computed (by post key), and
        only the posts it lacks are triaged here."""
        compiled = self._matcher(uow, workspace_id)
        matches = (
            compiled.matcher.match_many(matchable(p) for p in posts)
            if compiled.by_id
            else [[] for _ in posts]
        )
        if ahead and self.triager is not None:
            triages, texts = self._triage_missing(posts, ahead)
        else:
            triages, texts = self._triage(posts), [None] * len(posts)
        out = []
        for post, ids, triage, text in zip(posts, matches, triages, texts, strict=True):
            kept = [compiled.by_id[i] for i in ids if not _excluded(compiled.by_id[i], post)]
            if triage is not None and low_rating(post) and not triage.needs_reply:
                triage, text = replace(triage, needs_reply=True, explanation=(*triage.explanation, LOW)), None
            out.append(
                PostAnnotation(
                    monitor_ids=tuple(m.id for m in kept),
                    monitor_names=tuple(sorted(m.name for m in kept)),
                    care=any(m.mode is MonitorMode.CARE for m in kept),
                    brand_account_ids=_brands_of(kept),
                    triage=triage,
                    triage_json=text,
                )
            )
        return Annotations(out, compiled.has_care)

    def refine_care(
        self, annotations: Annotations, posts: Sequence[Post], reached: Sequence[bool]
    ) -> Annotations:
        """The second triage stage on the posts that reached care (`reached[i]`); the others keep
        the fast stage's triage untouched."""
        stage = self.care_stage
        chosen = [i for i, r in enumerate(reached) if r and annotations.posts[i].triage is not None]
        if stage is None or not chosen:
            return annotations
        notes = list(annotations.posts)
        firsts = [notes[i].triage for i in chosen]
        # The stage reads and writes the stored (dict) form; what it changes comes back as a result.
        refined = stage.refine([posts[i].text for i in chosen], [t.to_dict() for t in firsts if t])
        for i, first, triage in zip(chosen, firsts, refined, strict=True):
            assert first is not None  # (chosen only where there is a triage)
            notes[i] = replace(notes[i], triage=_refined_result(first, triage), triage_json=None)
        return Annotations(notes, annotations.has_care_monitors)

    def _triage_missing(
        self, posts: Sequence[Post], ahead: Mapping[PostKey, Ahead]
    ) -> tuple[list[TriageResult | None], list[str | None]]:
        missing = [p for p in posts if p.key not in ahead]
        computed = dict(zip((p.key for p in missing), self._triage(missing), strict=True))
        found = [ahead.get(p.key) for p in posts]
        triages = [computed[p.key] if a is None else a.triage for p, a in zip(posts, found, strict=True)]
        return triages, [None if a is None else a.triage_json for a in found]

    def _triage(self, posts: Sequence[Post]) -> list[TriageResult | None]:
        if self.triager is None:
            return [None] * len(posts)
        return list(self.triager.triage_many([triage_request(p) for p in posts]))


def _refined_result(first: TriageResult, refined: Mapping[str, Any]) -> TriageResult:
    """The first stage's result with the labels the second stage set (its stored dict form)."""
    return replace(
        first,
        needs_reply=bool(refined["needs_reply"]),
        category=str(refined["category"]),
        sentiment=str(refined["sentiment"]),
        sentiment_score=float(refined["sentiment_score"]),
        urgency=int(refined["urgency"]),
        explanation=tuple(str(line) for line in refined.get("explanation", ())),
    )


LOW = "a review of 1 or 2 stars needs a reply"


def low_rating(post: Post) -> bool:
    """A review of 1 or 2 stars: it needs a reply, whatever its words say."""
    return post.rating is not None and post.rating <= 2


def triage_request(post: Post) -> TriageRequest:
    """What triage is told of a post."""
    return TriageRequest(
        text=post.text,
        lang_hint=post.lang,
        is_reply=post.in_reply_to is not None,
        author_handle=post.author.handle,
        followers=post.author.followers,
    )


def _brands_of(monitors: list[Monitor]) -> tuple[int, ...]:
    named = sorted(
        (m for m in monitors if m.brand_account_ids), key=lambda m: (m.mode is not MonitorMode.CARE, m.name)
    )
    return tuple(dict.fromkeys(b for m in named for b in m.brand_account_ids))


def _excluded(monitor: Monitor, post: Post) -> bool:
    """A monitor's own exclusion list: authors (handles) and terms (whole words)."""
    if monitor.exclude_authors:
        handle = fold(post.author.handle.lstrip("@"))
        if any(fold(a.lstrip("@")) == handle for a in monitor.exclude_authors):
            return True
    if monitor.exclude_terms:
        words = {t.word for t in tokenize(post.text)}
        return any(fold(term) in words for term in monitor.exclude_terms)
    return False
