"""In-memory twins of storage/sql_care_collab.py: notes, notifications, saved replies, approvals,
follow-ups, the audit trail and problems (the rest of the care workflow is in memory_care.py)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from socialdesk.domain.care import ApprovalStatus, FollowUpStatus
from socialdesk.ports_care import Approval, AuditEntry, FollowUp, Note, Notification, Problem, SavedReply
from socialdesk.storage.memory_care import _Repo


class MemNotes(_Repo):
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
        note = Note(
            self.t.new_id("notes"),
            workspace_id,
            conversation_id,
            case_id,
            author_id,
            text,
            tuple(mentions),
            now,
        )
        self.t.notes[note.id] = note
        return note

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Note]:
        return [
            n
            for _, n in sorted(self.t.notes.items())
            if n.workspace_id == workspace_id and n.conversation_id == conversation_id
        ]

    def move(self, workspace_id: int, from_conversation: int, to_conversation: int) -> None:
        for n in self.list_for_conversation(workspace_id, from_conversation):
            self.t.notes[n.id] = replace(n, conversation_id=to_conversation)


class MemNotifications(_Repo):
    def add(self, workspace_id: int, user_id: int, kind: str, data: dict[str, Any], now: datetime) -> None:
        n = Notification(
            self.t.new_id("notifications"), workspace_id, user_id, kind, copy.deepcopy(data), now
        )
        self.t.notifications[n.id] = n

    def list(self, workspace_id: int, user_id: int, unread_only: bool = False) -> list[Notification]:
        return [
            n
            for _, n in sorted(self.t.notifications.items(), reverse=True)
            if n.workspace_id == workspace_id
            and n.user_id == user_id
            and (n.read_at is None or not unread_only)
        ]

    def mark_read(self, workspace_id: int, user_id: int, ids: Iterable[int], now: datetime) -> None:
        for i in ids:
            n = self.t.notifications.get(i)
            if n and n.workspace_id == workspace_id and n.user_id == user_id and n.read_at is None:
                self.t.notifications[i] = replace(n, read_at=now)


class MemSavedReplies(_Repo):
    def add(
        self, workspace_id: int, owner_id: int | None, team_id: int | None, title: str, body: str
    ) -> SavedReply:
        r = SavedReply(self.t.new_id("saved_replies"), workspace_id, owner_id, team_id, title, body)
        self.t.saved_replies[r.id] = r
        return r

    def get(self, workspace_id: int, reply_id: int) -> SavedReply | None:
        r = self.t.saved_replies.get(reply_id)
        return r if r and r.workspace_id == workspace_id else None

    def list(self, workspace_id: int) -> list[SavedReply]:
        found = [r for r in self.t.saved_replies.values() if r.workspace_id == workspace_id]
        return sorted(found, key=lambda r: (r.title, r.id))

    def update(self, reply: SavedReply) -> None:
        if self.get(reply.workspace_id, reply.id) is not None:
            self.t.saved_replies[reply.id] = reply

    def delete(self, workspace_id: int, reply_id: int) -> None:
        if self.get(workspace_id, reply_id) is not None:
            del self.t.saved_replies[reply_id]


class MemApprovals(_Repo):
    def add(
        self,
        workspace_id: int,
        message_id: int,
        conversation_id: int,
        requested_by: int,
        reasons: Sequence[str],
        now: datetime,
    ) -> Approval:
        a = Approval(
            self.t.new_id("approvals"), workspace_id, message_id, conversation_id, requested_by,
            tuple(reasons), ApprovalStatus.PENDING, now,
        )  # fmt: skip
        self.t.approvals[a.id] = a
        return a

    def get(self, workspace_id: int, approval_id: int) -> Approval | None:
        a = self.t.approvals.get(approval_id)
        return a if a and a.workspace_id == workspace_id else None

    def list(self, workspace_id: int, status: ApprovalStatus | None) -> list[Approval]:
        return [
            a
            for _, a in sorted(self.t.approvals.items())
            if a.workspace_id == workspace_id and (status is None or a.status == status)
        ]

    def decide(
        self,
        workspace_id: int,
        approval_id: int,
        status: ApprovalStatus,
        decided_by: int,
        comment: str,
        now: datetime,
    ) -> Approval:
        a = self.get(workspace_id, approval_id)
        assert a is not None
        a = replace(a, status=status, decided_by=decided_by, decided_at=now, comment=comment)
        self.t.approvals[a.id] = a
        return a


class MemFollowUps(_Repo):
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
        f = FollowUp(
            self.t.new_id("follow_ups"),
            workspace_id,
            conversation_id,
            case_id,
            owner_id,
            due_at,
            note,
            FollowUpStatus.OPEN,
            now,
        )
        self.t.follow_ups[f.id] = f
        return f

    def list(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        status: FollowUpStatus | None = None,
        due_before: datetime | None = None,
        conversation_id: int | None = None,
    ) -> list[FollowUp]:
        found = [
            f
            for f in self.t.follow_ups.values()
            if f.workspace_id == workspace_id
            and (owner_id is None or f.owner_id == owner_id)
            and (status is None or f.status == status)
            and (due_before is None or f.due_at <= due_before)
            and (conversation_id is None or f.conversation_id == conversation_id)
        ]
        return sorted(found, key=lambda f: (f.due_at, f.id))

    def close(self, workspace_id: int, follow_up_id: int, status: FollowUpStatus, now: datetime) -> None:
        f = self.t.follow_ups.get(follow_up_id)
        if f and f.workspace_id == workspace_id:
            self.t.follow_ups[f.id] = replace(f, status=status, closed_at=now)


class MemAudit(_Repo):
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
        entry = AuditEntry(
            self.t.new_id("audit"), workspace_id, at, actor_id, action, case_id, conversation_id,
            copy.deepcopy(data),
        )  # fmt: skip
        self.t.audit[entry.id] = entry

    def for_case(self, workspace_id: int, case_id: int) -> list[AuditEntry]:
        return [
            e
            for _, e in sorted(self.t.audit.items())
            if e.workspace_id == workspace_id and e.case_id == case_id
        ]

    def between(self, workspace_id: int, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        found = [
            e
            for e in self.t.audit.values()
            if e.workspace_id == workspace_id
            and (start is None or e.at >= start)
            and (end is None or e.at < end)
        ]
        return sorted(found, key=lambda e: (e.at, e.id))


class MemProblems(_Repo):
    def add(self, workspace_id: int, title: str, now: datetime) -> Problem:
        p = Problem(self.t.new_id("problems"), workspace_id, title, now)
        self.t.problems[p.id] = p
        return p

    def get(self, workspace_id: int, problem_id: int) -> Problem | None:
        p = self.t.problems.get(problem_id)
        return p if p and p.workspace_id == workspace_id else None

    def list(self, workspace_id: int) -> list[Problem]:
        return sorted(
            (p for p in self.t.problems.values() if p.workspace_id == workspace_id), key=lambda p: p.id
        )
