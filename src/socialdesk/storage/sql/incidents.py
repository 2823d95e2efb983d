"""SQL repository for incidents: the `problems` table's incident columns and `problem_members`."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from socialdesk.ports.care import IncidentMember, IncidentRecord, IncidentReply
from socialdesk.storage import schema as s


def _incident(r: Any) -> IncidentRecord:
    return IncidentRecord(
        id=r.id,
        workspace_id=r.workspace_id,
        title=r.title,
        created_at=r.created_at,
        status=r.status,
        owner_id=r.owner_id,
        note=r.note,
        status_text=r.status_text,
        detected_at=r.detected_at,
        summary=r.summary,
        keywords=tuple(r.keywords or ()),
        detector_key=r.detector_key,
        resolved_at=r.resolved_at,
        replies_need_approval=bool(r.replies_need_approval),
    )


def _member(r: Any) -> IncidentMember:
    return IncidentMember(
        r.id, r.problem_id, r.conversation_id, r.message_id, r.added_at, r.added_by, r.removed_at
    )


def _values(i: IncidentRecord) -> dict[str, Any]:
    return {
        "title": i.title,
        "status": i.status,
        "owner_id": i.owner_id,
        "note": i.note,
        "status_text": i.status_text,
        "detected_at": i.detected_at,
        "summary": i.summary,
        "keywords": list(i.keywords),
        "detector_key": i.detector_key,
        "resolved_at": i.resolved_at,
        "replies_need_approval": i.replies_need_approval,
    }


class SqlIncidents:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def open(self, incident: IncidentRecord) -> IncidentRecord:
        t = s.problems
        values = {
            "workspace_id": incident.workspace_id,
            "created_at": incident.created_at,
            **_values(incident),
        }
        return _incident(self.conn.execute(insert(t).values(**values).returning(*t.c)).one())

    def get(self, workspace_id: int, incident_id: int) -> IncidentRecord | None:
        t = s.problems
        r = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == incident_id)
        ).first()
        return _incident(r) if r else None

    def list(self, workspace_id: int, status: str | None = None, limit: int = 100) -> list[IncidentRecord]:
        t = s.problems
        q = select(t).where(t.c.workspace_id == workspace_id)
        if status is not None:
            q = q.where(t.c.status == status)
        return [_incident(r) for r in self.conn.execute(q.order_by(t.c.id.desc()).limit(limit))]

    def save(self, incident: IncidentRecord) -> None:
        t = s.problems
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == incident.workspace_id, t.c.id == incident.id)
            .values(**_values(incident))
        )

    def add_members(
        self,
        workspace_id: int,
        incident_id: int,
        members: Sequence[tuple[int | None, int | None]],
        now: datetime,
        added_by: int | None,
    ) -> int:
        t = s.problem_members
        rows = self.conn.execute(
            select(t.c.id, t.c.conversation_id, t.c.message_id, t.c.removed_at).where(
                t.c.workspace_id == workspace_id, t.c.problem_id == incident_id
            )
        ).all()
        have = {(r.conversation_id, r.message_id): r for r in rows}
        live = {r.conversation_id for r in rows if r.removed_at is None}
        removed_conversations = {r.conversation_id for r in rows if r.removed_at is not None} - live
        added = 0
        for conversation_id, message_id in dict.fromkeys(members):
            found = have.get((conversation_id, message_id))
            if found is not None:
                if found.removed_at is not None and added_by is not None:  # an agent brings it back
                    self.conn.execute(update(t).where(t.c.id == found.id).values(removed_at=None))
                    added += 1
                continue
            if added_by is None and conversation_id in removed_conversations:
                continue  # an agent took this conversation out: the detector leaves it out
            self.conn.execute(
                insert(t).values(
                    workspace_id=workspace_id,
                    problem_id=incident_id,
                    conversation_id=conversation_id,
                    message_id=message_id,
                    added_at=now,
                    added_by=added_by,
                )
            )
            added += 1
        return added

    def remove_conversation(
        self, workspace_id: int, incident_id: int, conversation_id: int, now: datetime
    ) -> int:
        t = s.problem_members
        result = self.conn.execute(
            update(t)
            .where(
                t.c.workspace_id == workspace_id,
                t.c.problem_id == incident_id,
                t.c.conversation_id == conversation_id,
                t.c.removed_at.is_(None),
            )
            .values(removed_at=now)
        )
        return result.rowcount

    def members(self, workspace_id: int, incident_id: int) -> builtins.list[IncidentMember]:
        t = s.problem_members
        q = (
            select(t)
            .where(t.c.workspace_id == workspace_id, t.c.problem_id == incident_id, t.c.removed_at.is_(None))
            .order_by(t.c.id)
        )
        return [_member(r) for r in self.conn.execute(q)]

    def lock(self, workspace_id: int, incident_id: int) -> None:
        t = s.problems
        q = select(t.c.id).where(t.c.workspace_id == workspace_id, t.c.id == incident_id).with_for_update()
        self.conn.execute(q)

    def replies(self, workspace_id: int, incident_id: int, kind: str) -> dict[int, IncidentReply]:
        t = s.incident_replies
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.problem_id == incident_id, t.c.kind == kind)
        return {
            r.conversation_id: IncidentReply(
                r.id,
                r.workspace_id,
                r.problem_id,
                r.conversation_id,
                r.kind,
                r.created_at,
                r.message_id,
                r.follow_up_id,
            )
            for r in self.conn.execute(q.order_by(t.c.id))
        }

    def add_reply(self, reply: IncidentReply) -> None:
        self.conn.execute(
            insert(s.incident_replies).values(
                workspace_id=reply.workspace_id,
                problem_id=reply.problem_id,
                conversation_id=reply.conversation_id,
                kind=reply.kind,
                message_id=reply.message_id,
                follow_up_id=reply.follow_up_id,
                created_at=reply.created_at,
            )
        )

    def reply_progress(self, workspace_id: int, incident_id: int, kind: str) -> dict[str, int]:
        t, m = s.incident_replies, s.messages
        q = (
            select(m.c.delivery, func.count())
            .select_from(t.join(m, (m.c.id == t.c.message_id) & (m.c.workspace_id == t.c.workspace_id)))
            .where(t.c.workspace_id == workspace_id, t.c.problem_id == incident_id, t.c.kind == kind)
            .group_by(m.c.delivery)
        )
        return {str(state or "pending"): int(n) for state, n in self.conn.execute(q)}
