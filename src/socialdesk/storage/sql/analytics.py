"""SQL analytics repository: read-only aggregates, portable across SQLite and PostgreSQL.

Counts and sums are grouped in SQL. Time buckets need a timestamp's epoch seconds, the one thing the two
dialects spell differently (``strftime('%s', ...)`` against ``EXTRACT(EPOCH FROM ...)``): `_epoch` picks
the spelling. SLA verdicts read the first-response clock out of the case's SLA JSON with SQLAlchemy's
portable JSON paths; only clocks still running are fetched whole and judged in Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, and_, cast, extract, func, select

from socialdesk.domain.case import ACTIVE_STATUSES
from socialdesk.domain.equity import first_response_verdict
from socialdesk.domain.monitor import MonitorKind
from socialdesk.domain.post import Direction
from socialdesk.ports.analytics import CaseSample, NowFigures, VoiceCount, VolumeBucket, WaitingConversation
from socialdesk.storage import schema as s

_ACTIVE = [st.value for st in ACTIVE_STATUSES]
_INBOUND = Direction.INBOUND.value
_VOICE_KINDS = [MonitorKind.BRAND.value, MonitorKind.COMPETITOR.value]
_CHUNK = 500


def _epoch(column: Any, dialect: str) -> ColumnElement[int]:
    """Whole seconds since 1970 of a UTC timestamp column (rounded down)."""
    if dialect == "sqlite":  # stored as naive UTC text
        return cast(func.strftime("%s", column), BigInteger)
    return cast(func.floor(extract("epoch", column)), BigInteger)


class SqlAnalytics:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _counts(self, query: Any) -> dict[str, int]:
        return {str(key): int(n) for key, n in self.conn.execute(query)}

    def now_figures(self, workspace_id: int, now: datetime, window_minutes: int) -> NowFigures:
        m, k, c = s.messages, s.cases, s.conversations
        in_window = and_(
            m.c.workspace_id == workspace_id,
            m.c.direction == _INBOUND,
            m.c.created_at >= now - timedelta(minutes=window_minutes),
            m.c.created_at <= now,
        )
        by_channel = select(m.c.channel, func.count()).where(in_window).group_by(m.c.channel)
        mm, mon = s.monitor_matches, s.monitors
        by_monitor = (
            select(mon.c.name, func.count())
            .select_from(mm.join(m, m.c.id == mm.c.message_id).join(mon, mon.c.id == mm.c.monitor_id))
            .where(in_window, mm.c.workspace_id == workspace_id)
            .group_by(mon.c.name)
        )
        active = and_(k.c.workspace_id == workspace_id, k.c.status.in_(_ACTIVE))
        by_status = select(k.c.status, func.count()).where(active).group_by(k.c.status)
        sla = (
            select(k.c.sla_state, func.count())
            .where(active, k.c.sla_state.in_(["warning", "breached"]))
            .group_by(k.c.sla_state)
        )
        sla_counts = self._counts(sla)
        oldest = self.conn.execute(
            select(c.c.id, c.c.channel, c.c.waiting_since)
            .select_from(c.join(k, k.c.id == c.c.current_case_id))
            .where(c.c.workspace_id == workspace_id, c.c.waiting_since.is_not(None), active)
            .order_by(c.c.waiting_since, c.c.id)
            .limit(1)
        ).first()
        u = s.users
        agents = (
            select(u.c.status, func.count())
            .where(u.c.workspace_id == workspace_id, u.c.is_active.is_(True))
            .group_by(u.c.status)
        )
        return NowFigures(
            now=now,
            window_minutes=window_minutes,
            posts_by_channel=self._counts(by_channel),
            posts_by_monitor=self._counts(by_monitor),
            cases_by_status=self._counts(by_status),
            queue_by_team=self._queues(workspace_id),
            unrouted=self.conn.execute(
                select(func.count()).where(active, k.c.assignee_id.is_(None), k.c.team_id.is_(None))
            ).scalar_one(),
            oldest_waiting=WaitingConversation(*oldest) if oldest is not None else None,
            agents_by_status=self._counts(agents),
            sla_at_risk=sla_counts.get("warning", 0),
            sla_breached=sla_counts.get("breached", 0),
        )

    def _queues(self, workspace_id: int) -> dict[str, int]:
        t, k = s.teams, s.cases
        waiting = and_(
            k.c.team_id == t.c.id,
            k.c.workspace_id == workspace_id,
            k.c.assignee_id.is_(None),
            k.c.status.in_(_ACTIVE),
        )
        q = (
            select(t.c.name, func.count(k.c.id))
            .select_from(t.outerjoin(k, waiting))
            .where(t.c.workspace_id == workspace_id)
            .group_by(t.c.id, t.c.name)
        )
        return self._counts(q)

    def volume(self, workspace_id: int, start: datetime, end: datetime, bucket_s: int) -> list[VolumeBucket]:
        m = s.messages
        origin = math.floor(start.timestamp())
        index = ((_epoch(m.c.created_at, self.conn.dialect.name) - origin) // bucket_s).label("bucket")
        q = (
            select(index, func.count(), func.count(m.c.sentiment_score), func.sum(m.c.sentiment_score))
            .where(
                m.c.workspace_id == workspace_id,
                m.c.direction == _INBOUND,
                m.c.created_at >= start,
                m.c.created_at < end,
            )
            .group_by(index)
            .order_by(index)
        )
        return [
            VolumeBucket(int(i), int(n), int(scored), float(total or 0))
            for i, n, scored, total in self.conn.execute(q)
        ]

    def case_samples(
        self, workspace_id: int, start: datetime, end: datetime, now: datetime
    ) -> list[CaseSample]:
        k, c = s.cases, s.conversations
        clock = ("first_response",)
        q = (
            select(
                k.c.id,
                k.c.opened_at,
                k.c.first_response_at,
                c.c.author_followers,
                k.c.sla[(*clock, "started_at")].as_string(),
                k.c.sla[(*clock, "met_at")].as_string(),
                k.c.sla[(*clock, "stopped_at")].as_string(),
                k.c.sla[(*clock, "breached_at")].as_string(),
            )
            .select_from(k.join(c, c.c.id == k.c.conversation_id))
            .where(
                k.c.workspace_id == workspace_id,
                k.c.opened_at >= start,
                k.c.opened_at < end,
                k.c.merged_into_id.is_(None),
            )
            .order_by(k.c.id)
        )
        rows = self.conn.execute(q).all()
        running = [r[0] for r in rows if r[4] is not None and r[5] is None and r[6] is None]
        verdicts = self._running_verdicts(workspace_id, running, now)
        out = []
        for case_id, opened, first, followers, started, met, stopped, breached in rows:
            if started is None:  # no SLA
                verdict = None
            elif met is None and stopped is None:
                verdict = verdicts.get(case_id)
            elif breached is not None:
                verdict = False
            else:
                verdict = True if met is not None else None
            frt = (first - opened).total_seconds() if first is not None else None
            out.append(CaseSample(case_id, opened, frt, followers, verdict))
        return out

    def _running_verdicts(
        self, workspace_id: int, case_ids: Sequence[int], now: datetime
    ) -> dict[int, bool | None]:
        k = s.cases
        out: dict[int, bool | None] = {}
        for i in range(0, len(case_ids), _CHUNK):
            q = select(k.c.id, k.c.sla).where(
                k.c.workspace_id == workspace_id, k.c.id.in_(case_ids[i : i + _CHUNK])
            )
            out.update({case_id: first_response_verdict(sla, now) for case_id, sla in self.conn.execute(q)})
        return out

    def share_of_voice(self, workspace_id: int, start: datetime, end: datetime) -> list[VoiceCount]:
        mon, mm, m = s.monitors, s.monitor_matches, s.messages
        counts = (
            select(mm.c.monitor_id, func.count())
            .select_from(mm.join(m, m.c.id == mm.c.message_id))
            .where(
                mm.c.workspace_id == workspace_id,
                m.c.workspace_id == workspace_id,
                m.c.direction == _INBOUND,
                m.c.created_at >= start,
                m.c.created_at < end,
            )
            .group_by(mm.c.monitor_id)
        )
        found = {int(monitor_id): int(n) for monitor_id, n in self.conn.execute(counts)}
        monitors = self.conn.execute(
            select(mon.c.id, mon.c.name, mon.c.kind, mon.c.deleted_at).where(
                mon.c.workspace_id == workspace_id, mon.c.kind.in_(_VOICE_KINDS)
            )
        ).all()
        # A deleted monitor shows only in periods where it matched something.
        monitors = [r for r in monitors if r.deleted_at is None or found.get(r.id)]
        ordered = sorted(monitors, key=lambda r: (_VOICE_KINDS.index(r.kind), r.name))
        return [VoiceCount(r.id, r.name, r.kind, found.get(r.id, 0)) for r in ordered]
