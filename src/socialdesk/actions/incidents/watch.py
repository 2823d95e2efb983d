"""The incident detector in the server: one `IncidentDetector` per workspace, in the process that stores
posts (the embedded ingest writer, or the scale-out ingest stage), fed each customer post right after
ingest stored it, inside the same unit of work.

- An `IncidentOpened` stores a `suspected` incident (a row of `problems`, docs/incidents.md) with the
  detector's summary and keywords, audits `incident_opened` (by the system) and emits `incident.opened`.
- A `PostJoined` adds the post and its conversation to the incident while it is not resolved (an agent's
  removal sticks: the detector does not add that conversation again), and emits `incident.updated`.
- A workspace's detector is built on its first batch from the last `rebuild` hours of stored customer
  posts (at most `rebuild_posts`), so a restart does not start cold; incidents it re-finds there are
  matched to the stored ones by key and detection time, never stored twice.

If the unit of work is rolled back after a feed, the detector has still read those posts: they are
stored again only on a retry, which ingest skips as duplicates, so the detector may count them once
more than the database holds. That errs towards an incident, not against one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from socialdesk.actions.care.audit import record
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.incidents.detector import DetectorConfig, DetectorPost, IncidentDetector
from socialdesk.domain.incidents.events import DetectorEvent, IncidentOpened, PostJoined
from socialdesk.domain.incidents.incident import Incident
from socialdesk.domain.post import Direction, Message, Post
from socialdesk.ports.care import IncidentRecord
from socialdesk.ports.uow import UnitOfWork

KEEP_POSTS = 50_000  # message id -> conversation id, for members of the last half hour or so


@dataclass(frozen=True, slots=True)
class StoredPost:
    post: Post
    message_id: int
    conversation_id: int | None
    monitors: tuple[str, ...] = ()


@dataclass
class _Workspace:
    detector: IncidentDetector
    stored: dict[str, int] = field(default_factory=dict)  # detector incident id -> problems.id
    conversation_of: OrderedDict[int, int | None] = field(default_factory=OrderedDict)


def _author(channel: str, handle: str) -> str:
    return f"{channel}:{handle.casefold()}"


def _from_message(m: Message) -> DetectorPost:
    return DetectorPost(
        str(m.id), _author(m.channel, m.author_handle), m.text, m.created_at, m.channel, m.monitors
    )


def title_of(incident: Incident) -> str:
    about = ", ".join(incident.keywords[:3]) or incident.key.split(":", 1)[-1]
    return f"Spike of reports: {about}"[:200]


class IncidentWatch:
    """See the module docstring. Thread-safe: one lock around each workspace's feed."""

    def __init__(
        self,
        config: DetectorConfig | None = None,
        rebuild: timedelta = timedelta(hours=6),
        rebuild_posts: int = 20_000,
    ) -> None:
        self.config = config
        self.rebuild = rebuild
        self.rebuild_posts = rebuild_posts
        self._workspaces: dict[int, _Workspace] = {}
        self._lock = threading.Lock()

    def after_store(
        self, uow: UnitOfWork, workspace_id: int, posts: Sequence[StoredPost], now: datetime
    ) -> None:
        """Feed the customer posts just stored (in time order); store what the detector decides."""
        with self._lock:
            ws = self._workspaces.get(workspace_id)
            if ws is None:
                ws = self._workspaces[workspace_id] = self._build(
                    uow, workspace_id, {p.message_id for p in posts}
                )
            events: list[DetectorEvent] = []
            for p in posts:
                ws.conversation_of[p.message_id] = p.conversation_id
                author = _author(p.post.channel, p.post.author.handle or p.post.author.id)
                dp = DetectorPost(
                    str(p.message_id),
                    author,
                    p.post.text,
                    p.post.created_at,
                    p.post.channel,
                    p.monitors,
                    p.post.is_repost,
                )
                events.extend(ws.detector.feed(dp))
            while len(ws.conversation_of) > KEEP_POSTS:
                ws.conversation_of.popitem(last=False)
            self._apply(uow, workspace_id, ws, events, now)

    def _build(self, uow: UnitOfWork, workspace_id: int, skip: set[int]) -> _Workspace:
        ws = _Workspace(IncidentDetector(self.config))
        recent = uow.messages.recent(workspace_id, self.rebuild_posts)
        if not recent:
            return ws
        since = recent[0].created_at - self.rebuild
        past = sorted(
            (
                m
                for m in recent
                if m.direction is Direction.INBOUND and m.created_at >= since and m.id not in skip
            ),
            key=lambda m: (m.created_at, m.id),
        )
        stored = {(i.detector_key, i.detected_at): i.id for i in uow.incidents.list(workspace_id, None, 200)}
        for m in past:
            ws.conversation_of[m.id] = m.conversation_id
            for event in ws.detector.feed(_from_message(m)):
                if isinstance(event, IncidentOpened):
                    found = stored.get((event.incident.key, event.incident.detected_at))
                    if found is not None:
                        ws.stored[event.incident.id] = found
        return ws

    def _apply(
        self, uow: UnitOfWork, workspace_id: int, ws: _Workspace, events: list[DetectorEvent], now: datetime
    ) -> None:
        joined: dict[int, list[tuple[int | None, int | None]]] = {}
        opened: list[int] = []
        for event in events:
            if isinstance(event, IncidentOpened):
                i = event.incident
                stored = uow.incidents.open(
                    IncidentRecord(
                        id=0,
                        workspace_id=workspace_id,
                        title=title_of(i),
                        created_at=now,
                        status="suspected",
                        detected_at=i.detected_at,
                        summary=i.summary()[:500],
                        keywords=tuple(i.keywords),
                        detector_key=i.key,
                    )
                )
                ws.stored[i.id] = stored.id
                opened.append(stored.id)
                record(uow, workspace_id, now, None, "incident_opened", problem_id=stored.id, key=i.key)
            elif isinstance(event, PostJoined):
                problem_id = ws.stored.get(event.incident_id)
                if problem_id is None:
                    continue  # opened before this process knew it and not found stored
                message_id = int(event.post_id)
                joined.setdefault(problem_id, []).append((ws.conversation_of.get(message_id), message_id))
        for problem_id, members in joined.items():
            current = uow.incidents.get(workspace_id, problem_id)
            if current is None or current.status == "resolved":
                continue
            if (
                uow.incidents.add_members(workspace_id, problem_id, members, now, None)
                and problem_id not in opened
            ):
                uow.emit(Event(workspace_id, EventKind.INCIDENT_UPDATED, {"incident_id": problem_id}))
        for problem_id in opened:
            uow.emit(Event(workspace_id, EventKind.INCIDENT_OPENED, {"incident_id": problem_id}))
