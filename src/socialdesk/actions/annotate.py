"""Annotate posts on their way in: which monitors they match, and their triage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socialdesk.domain.monitor import Monitor, MonitorMode
from socialdesk.domain.post import Post
from socialdesk.listening import CompiledMatcher, MatchablePost, compile_monitors, fold, tokenize
from socialdesk.ports import PostKey, UnitOfWork
from socialdesk.triage import TriageRequest


@dataclass(frozen=True, slots=True)
class PostAnnotation:
    monitor_ids: tuple[int, ...] = ()
    monitor_names: tuple[str, ...] = ()
    care: bool = False  # matched at least one care monitor
    triage: dict[str, Any] | None = None


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
        self.key = tuple((m.id, m.updated_at, m.is_active) for m in monitors)
        self.by_id = {m.id: m for m in monitors}
        self.matcher: CompiledMatcher[int] = compile_monitors(
            ((m.id, m.query) for m in monitors), native=native
        )
        self.has_care = any(m.mode is MonitorMode.CARE for m in monitors)


class Annotator:
    """Keeps each workspace's monitors compiled (recompiled when they change) and an optional triager."""

    def __init__(self, triager: Any | None = None, *, native_matcher: bool = True) -> None:
        """``native_matcher=False`` keeps to the pure-Python matcher (else the C one where built)."""
        self.triager = triager
        self._native: bool | None = None if native_matcher else False
        self._compiled: dict[int, _CompiledWorkspace] = {}

    def _matcher(self, uow: UnitOfWork, workspace_id: int) -> _CompiledWorkspace:
        monitors = uow.monitors.list(workspace_id, active_only=True)
        key = tuple((m.id, m.updated_at, m.is_active) for m in monitors)
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
        triaged: Mapping[PostKey, dict[str, Any] | None] | None = None,
    ) -> Annotations:
        """Each post's monitors and triage; `triaged` holds triage already computed (by post key),
        and only the posts it lacks are triaged here."""
        compiled = self._matcher(uow, workspace_id)
        matches = (
            compiled.matcher.match_many(matchable(p) for p in posts)
            if compiled.by_id
            else [[] for _ in posts]
        )
        triages = self._triage_missing(posts, triaged) if triaged else self._triage(posts)
        out = []
        for post, ids, triage in zip(posts, matches, triages, strict=True):
            kept = [compiled.by_id[i] for i in ids if not _excluded(compiled.by_id[i], post)]
            out.append(
                PostAnnotation(
                    monitor_ids=tuple(m.id for m in kept),
                    monitor_names=tuple(sorted(m.name for m in kept)),
                    care=any(m.mode is MonitorMode.CARE for m in kept),
                    triage=triage,
                )
            )
        return Annotations(out, compiled.has_care)

    def _triage_missing(
        self, posts: Sequence[Post], triaged: Mapping[PostKey, dict[str, Any] | None]
    ) -> list[dict[str, Any] | None]:
        if self.triager is None:
            return [None] * len(posts)
        missing = [p for p in posts if p.key not in triaged]
        computed = dict(zip((p.key for p in missing), self._triage(missing), strict=True))
        return [triaged[p.key] if p.key in triaged else computed[p.key] for p in posts]

    def _triage(self, posts: Sequence[Post]) -> list[dict[str, Any] | None]:
        if self.triager is None:
            return [None] * len(posts)
        return [result.to_dict() for result in self.triager.triage_many([triage_request(p) for p in posts])]


def triage_request(post: Post) -> TriageRequest:
    """What triage is told of a post."""
    return TriageRequest(
        text=post.text,
        lang_hint=post.lang,
        is_reply=post.in_reply_to is not None,
        author_handle=post.author.handle,
        followers=post.author.followers,
    )


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
