"""In-memory analytics repository, with the same answers as storage/sql_analytics.py."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from socialdesk.domain.case import ACTIVE_STATUSES
from socialdesk.domain.equity import first_response_verdict
from socialdesk.domain.monitor import MonitorKind
from socialdesk.domain.post import Direction, Message
from socialdesk.ports_analytics import CaseSample, NowFigures, VoiceCount, VolumeBucket, WaitingConversation

if TYPE_CHECKING:
    from socialdesk.storage.memory import MemoryUnitOfWork
    from socialdesk.storage.memory_tables import _Tables

VOICE_KINDS = (MonitorKind.BRAND, MonitorKind.COMPETITOR)


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _epoch(at: datetime) -> int:
    return math.floor(at.timestamp())


class MemAnalytics:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def t(self) -> _Tables:
        return self.uow.t

    def _inbound(self, workspace_id: int, start: datetime, end: datetime, *, closed: bool) -> list[Message]:
        """Inbound posts with ``start <= created_at < end`` (``<= end`` when ``closed``)."""
        return [
            m
            for m in self.t.messages.values()
            if m.workspace_id == workspace_id
            and m.direction is Direction.INBOUND
            and start <= m.created_at
            and (m.created_at <= end if closed else m.created_at < end)
        ]

    def _matched_by_monitor(self, workspace_id: int, messages: list[Message]) -> dict[int, int]:
        ids = {m.id for m in messages}
        out: dict[int, int] = {}
        for (monitor_id, message_id), ws in self.t.matches.items():
            if ws == workspace_id and message_id in ids:
                out[monitor_id] = out.get(monitor_id, 0) + 1
        return out

    def now_figures(self, workspace_id: int, now: datetime, window_minutes: int) -> NowFigures:
        t = self.t
        posts = self._inbound(workspace_id, now - timedelta(minutes=window_minutes), now, closed=True)
        by_channel: dict[str, int] = {}
        for m in posts:
            _bump(by_channel, m.channel)
        by_monitor = {
            t.monitors[monitor_id].name: n
            for monitor_id, n in self._matched_by_monitor(workspace_id, posts).items()
        }
        active = [
            c for c in t.cases.values() if c.workspace_id == workspace_id and c.status in ACTIVE_STATUSES
        ]
        by_status: dict[str, int] = {}
        teams = {team.id: team.name for team in t.teams.values() if team.workspace_id == workspace_id}
        queue = dict.fromkeys(teams.values(), 0)
        unrouted = at_risk = breached = 0
        for c in active:
            _bump(by_status, c.status.value)
            if c.assignee_id is None and c.team_id in teams:
                _bump(queue, teams[c.team_id])
            elif c.assignee_id is None and c.team_id is None:
                unrouted += 1
            care = t.care.get(c.id)
            state = care.sla_state if care is not None else None
            at_risk += state == "warning"
            breached += state == "breached"
        oldest: WaitingConversation | None = None
        for c in active:
            conv = t.conversations.get(c.conversation_id)
            if conv is None or conv.current_case_id != c.id or conv.waiting_since is None:
                continue
            key = (conv.waiting_since, conv.id)
            if oldest is None or key < (oldest.waiting_since, oldest.conversation_id):
                oldest = WaitingConversation(conv.id, conv.channel, conv.waiting_since)
        agents: dict[str, int] = {}
        for user, _ in t.users.values():
            if user.workspace_id == workspace_id and user.is_active:
                _bump(agents, user.status.value)
        return NowFigures(
            now=now,
            window_minutes=window_minutes,
            posts_by_channel=by_channel,
            posts_by_monitor=by_monitor,
            cases_by_status=by_status,
            queue_by_team=queue,
            unrouted=unrouted,
            oldest_waiting=oldest,
            agents_by_status=agents,
            sla_at_risk=at_risk,
            sla_breached=breached,
        )

    def volume(self, workspace_id: int, start: datetime, end: datetime, bucket_s: int) -> list[VolumeBucket]:
        found: dict[int, tuple[int, int, float]] = {}
        origin = _epoch(start)
        for m in self._inbound(workspace_id, start, end, closed=False):
            index = (_epoch(m.created_at) - origin) // bucket_s
            posts, scored, total = found.get(index, (0, 0, 0.0))
            score = (m.triage or {}).get("sentiment_score")
            if score is not None:
                scored, total = scored + 1, total + float(score)
            found[index] = (posts + 1, scored, total)
        return [VolumeBucket(i, *found[i]) for i in sorted(found)]

    def case_samples(
        self, workspace_id: int, start: datetime, end: datetime, now: datetime
    ) -> list[CaseSample]:
        out = []
        for case in sorted(self.t.cases.values(), key=lambda c: c.id):
            if case.workspace_id != workspace_id or not start <= case.opened_at < end:
                continue
            care = self.t.care.get(case.id)
            if care is not None and care.merged_into_id is not None:
                continue
            conv = self.t.conversations.get(case.conversation_id)
            out.append(
                CaseSample(
                    case_id=case.id,
                    opened_at=case.opened_at,
                    first_response_s=case.first_response_seconds,
                    followers=conv.author_followers if conv is not None else None,
                    sla_met=first_response_verdict(care.sla if care is not None else None, now),
                )
            )
        return out

    def share_of_voice(self, workspace_id: int, start: datetime, end: datetime) -> list[VoiceCount]:
        posts = self._inbound(workspace_id, start, end, closed=False)
        counts = self._matched_by_monitor(workspace_id, posts)
        monitors = [
            m
            for m in self.t.monitors.values()
            if m.workspace_id == workspace_id
            and m.kind in VOICE_KINDS
            and (m.deleted_at is None or counts.get(m.id))  # a deleted one only where it matched
        ]
        monitors.sort(key=lambda m: (VOICE_KINDS.index(m.kind), m.name))
        return [VoiceCount(m.id, m.name, m.kind.value, counts.get(m.id, 0)) for m in monitors]
