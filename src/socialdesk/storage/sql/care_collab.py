"""SQL repositories for notes, notifications, saved replies, approvals, follow-ups, audit and problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from socialdesk.domain.care import ApprovalStatus, FollowUpStatus
from socialdesk.ports.care import Approval, AuditEntry, FollowUp, Note, Notification, Problem, SavedReply
from socialdesk.storage import schema as s


def _insert(conn: Connection, table: Table, values: dict[str, Any]) -> Any:
    return conn.execute(insert(table).values(**values).returning(*table.c)).one()


def _note(r: Any) -> Note:
    return Note(
        r.id,
        r.workspace_id,
        r.conversation_id,
        r.case_id,
        r.author_id,
        r.text,
        tuple(r.mentions),
        r.created_at,
    )


class SqlNotes:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        conversation_id: int,
        case_id: int | None,
        author_id: int,
        text: str,
        mentions: Sequence[int],
        now: datetime,
    ) -> Note:
        values = {
            "workspace_id": workspace_id,
            "conversation_id": conversation_id,
            "case_id": case_id,
            "author_id": author_id,
            "text": text,
            "mentions": list(mentions),
            "created_at": now,
        }
        return _note(_insert(self.conn, s.notes, values))

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Note]:
        t = s.notes
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.conversation_id == conversation_id)
        return [_note(r) for r in self.conn.execute(q.order_by(t.c.id))]

    def move(self, workspace_id: int, from_conversation: int, to_conversation: int) -> None:
        t = s.notes
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.conversation_id == from_conversation)
            .values(conversation_id=to_conversation)
        )


def _notification(r: Any) -> Notification:
    return Notification(r.id, r.workspace_id, r.user_id, r.kind, dict(r.data), r.created_at, r.read_at)


class SqlNotifications:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, user_id: int, kind: str, data: dict[str, Any], now: datetime) -> None:
        values = {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "kind": kind,
            "data": data,
            "created_at": now,
        }
        self.conn.execute(insert(s.notifications).values(**values))

    def list(self, workspace_id: int, user_id: int, unread_only: bool = False) -> list[Notification]:
        t = s.notifications
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.user_id == user_id)
        if unread_only:
            q = q.where(t.c.read_at.is_(None))
        return [_notification(r) for r in self.conn.execute(q.order_by(t.c.id.desc()))]

    def mark_read(self, workspace_id: int, user_id: int, ids: Iterable[int], now: datetime) -> None:
        t = s.notifications
        self.conn.execute(
            update(t)
            .where(
                t.c.workspace_id == workspace_id,
                t.c.user_id == user_id,
                t.c.id.in_(list(ids)),
                t.c.read_at.is_(None),
            )
            .values(read_at=now)
        )


def _saved(r: Any) -> SavedReply:
    return SavedReply(r.id, r.workspace_id, r.owner_id, r.team_id, r.title, r.body)


class SqlSavedReplies:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, workspace_id: int, owner_id: int | None, team_id: int | None, title: str, body: str
    ) -> SavedReply:
        values = {
            "workspace_id": workspace_id,
            "owner_id": owner_id,
            "team_id": team_id,
            "title": title,
            "body": body,
        }
        return _saved(_insert(self.conn, s.saved_replies, values))

    def get(self, workspace_id: int, reply_id: int) -> SavedReply | None:
        t = s.saved_replies
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == reply_id)).first()
        return _saved(row) if row else None

    def list(self, workspace_id: int) -> list[SavedReply]:
        t = s.saved_replies
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.title, t.c.id)
        return [_saved(r) for r in self.conn.execute(q)]

    def update(self, reply: SavedReply) -> None:
        t = s.saved_replies
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == reply.workspace_id, t.c.id == reply.id)
            .values(title=reply.title, body=reply.body)
        )

    def delete(self, workspace_id: int, reply_id: int) -> None:
        t = s.saved_replies
        self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == reply_id))


def _approval(r: Any) -> Approval:
    return Approval(
        id=r.id,
        workspace_id=r.workspace_id,
        message_id=r.message_id,
        conversation_id=r.conversation_id,
        requested_by=r.requested_by,
        reasons=tuple(r.reasons),
        status=ApprovalStatus(r.status),
        created_at=r.created_at,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        comment=r.comment,
    )


class SqlApprovals:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        message_id: int,
        conversation_id: int,
        requested_by: int,
        reasons: Sequence[str],
        now: datetime,
    ) -> Approval:
        values = {
            "workspace_id": workspace_id,
            "message_id": message_id,
            "conversation_id": conversation_id,
            "requested_by": requested_by,
            "reasons": list(reasons),
            "status": ApprovalStatus.PENDING,
            "created_at": now,
            "comment": "",
        }
        return _approval(_insert(self.conn, s.approvals, values))

    def get(self, workspace_id: int, approval_id: int) -> Approval | None:
        t = s.approvals
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == approval_id)
        ).first()
        return _approval(row) if row else None

    def list(self, workspace_id: int, status: ApprovalStatus | None) -> list[Approval]:
        t = s.approvals
        q = select(t).where(t.c.workspace_id == workspace_id)
        if status is not None:
            q = q.where(t.c.status == status)
        return [_approval(r) for r in self.conn.execute(q.order_by(t.c.id))]

    def decide(
        self,
        workspace_id: int,
        approval_id: int,
        status: ApprovalStatus,
        decided_by: int,
        comment: str,
        now: datetime,
    ) -> Approval:
        t = s.approvals
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == approval_id)
            .values(status=status, decided_by=decided_by, decided_at=now, comment=comment)
        )
        found = self.get(workspace_id, approval_id)
        assert found is not None
        return found


def _follow_up(r: Any) -> FollowUp:
    return FollowUp(
        r.id, r.workspace_id, r.conversation_id, r.case_id, r.owner_id, r.due_at, r.note,
        FollowUpStatus(r.status),        r.created_at, r.closed_at,
    )  # fmt: skip


class SqlFollowUps:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        conversation_id: int,
        case_id: int | None,
        owner_id: int,
        due_at: datetime,
        note: str,
        now: datetime,
    ) -> FollowUp:
        values = {
            "workspace_id": workspace_id,
            "conversation_id": conversation_id,
            "case_id": case_id,
            "owner_id": owner_id,
            "due_at": due_at,
            "note": note,
            "status": FollowUpStatus.OPEN,
            "created_at": now,
        }
        return _follow_up(_insert(self.conn, s.follow_ups, values))

    def list(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        status: FollowUpStatus | None = None,
        due_before: datetime | None = None,
        conversation_id: int | None = None,
    ) -> list[FollowUp]:
        t = s.follow_ups
        q = select(t).where(t.c.workspace_id == workspace_id)
        if owner_id is not None:
            q = q.where(t.c.owner_id == owner_id)
        if status is not None:
            q = q.where(t.c.status == status)
        if due_before is not None:
            q = q.where(t.c.due_at <= due_before)
        if conversation_id is not None:
            q = q.where(t.c.conversation_id == conversation_id)
        return [_follow_up(r) for r in self.conn.execute(q.order_by(t.c.due_at, t.c.id))]

    def close(self, workspace_id: int, follow_up_id: int, status: FollowUpStatus, now: datetime) -> None:
        t = s.follow_ups
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == follow_up_id)
            .values(status=status, closed_at=now)
        )


def _audit(r: Any) -> AuditEntry:
    return AuditEntry(
        r.id, r.workspace_id, r.at, r.actor_id, r.action, r.case_id, r.conversation_id, dict(r.data)
    )


class SqlAudit:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        at: datetime,
        actor_id: int | None,
        action: str,
        case_id: int | None,
        conversation_id: int | None,
        data: dict[str, Any],
    ) -> None:
        values = {
            "workspace_id": workspace_id,
            "at": at,
            "actor_id": actor_id,
            "action": action,
            "case_id": case_id,
            "conversation_id": conversation_id,
            "data": data,
        }
        self.conn.execute(insert(s.audit_log).values(**values))

    def for_case(self, workspace_id: int, case_id: int) -> list[AuditEntry]:
        t = s.audit_log
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.case_id == case_id).order_by(t.c.id)
        return [_audit(r) for r in self.conn.execute(q)]

    def between(self, workspace_id: int, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        t = s.audit_log
        q = select(t).where(t.c.workspace_id == workspace_id)
        if start is not None:
            q = q.where(t.c.at >= start)
        if end is not None:
            q = q.where(t.c.at < end)
        return [_audit(r) for r in self.conn.execute(q.order_by(t.c.at, t.c.id))]


class SqlProblems:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, title: str, now: datetime) -> Problem:
        r = _insert(self.conn, s.problems, {"workspace_id": workspace_id, "title": title, "created_at": now})
        return Problem(r.id, r.workspace_id, r.title, r.created_at)

    def get(self, workspace_id: int, problem_id: int) -> Problem | None:
        t = s.problems
        r = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == problem_id)).first()
        return Problem(r.id, r.workspace_id, r.title, r.created_at) if r else None

    def list(self, workspace_id: int) -> list[Problem]:
        t = s.problems
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id)
        return [Problem(r.id, r.workspace_id, r.title, r.created_at) for r in self.conn.execute(q)]
