"""In-memory repositories of the care workflow, with the same behaviour as storage/sql_care_*.py."""

from __future__ import annotations

import builtins
import copy
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.domain.case import ACTIVE_STATUSES, Case
from socialdesk.domain.people import Team, User
from socialdesk.ports_care import (
    Approval,
    AuditEntry,
    CaseCare,
    FollowUp,
    NewRoutingRule,
    Note,
    Notification,
    Problem,
    RoutingRuleRow,
    SavedReply,
)
from socialdesk.storage.memory_errors import IntegrityError

if TYPE_CHECKING:
    from socialdesk.storage.memory import MemoryUnitOfWork
    from socialdesk.storage.memory_tables import _Tables


class _Repo:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def t(self) -> _Tables:
        return self.uow.t


class MemTeams(_Repo):
    def add(self, workspace_id: int, team: Team) -> Team:
        if any(t.workspace_id == workspace_id and t.name == team.name for t in self.t.teams.values()):
            raise IntegrityError(f"team {team.name!r} exists")
        found = replace(team, id=self.t.new_id("teams"), workspace_id=workspace_id)
        self.t.teams[found.id] = found
        return found

    def get(self, workspace_id: int, team_id: int) -> Team | None:
        t = self.t.teams.get(team_id)
        return t if t and t.workspace_id == workspace_id else None

    def list(self, workspace_id: int) -> list[Team]:
        return [t for t in self.t.teams.values() if t.workspace_id == workspace_id]

    def save(self, team: Team) -> None:
        if self.get(team.workspace_id, team.id) is not None:
            self.t.teams[team.id] = team

    def add_member(self, workspace_id: int, team_id: int, user_id: int) -> None:
        if (workspace_id, team_id, user_id) in self.t.team_members.values():
            raise IntegrityError(f"user {user_id} is already in team {team_id}")
        self.t.team_members[self.t.new_id("team_members")] = (workspace_id, team_id, user_id)

    def remove_member(self, workspace_id: int, team_id: int, user_id: int) -> bool:
        for key, row in list(self.t.team_members.items()):
            if row == (workspace_id, team_id, user_id):
                del self.t.team_members[key]
                return True
        return False

    def members(self, workspace_id: int) -> dict[int, builtins.list[int]]:
        out: dict[int, list[int]] = {}
        for _, (ws, team_id, user_id) in sorted(self.t.team_members.items()):
            if ws == workspace_id:
                out.setdefault(team_id, []).append(user_id)
        return out


class MemAgents(_Repo):
    def save(self, user: User) -> None:
        found = self.t.users.get(user.id)
        if found is None or found[0].workspace_id != user.workspace_id:
            return
        old, password_hash = found
        new = replace(
            old,
            status=user.status,
            capacity=user.capacity,
            in_training=user.in_training,
            skills=user.skills,
            signature=user.signature,
        )
        self.t.users[user.id] = (new, password_hash)


class MemRouting(_Repo):
    def add(self, workspace_id: int, rule: NewRoutingRule) -> RoutingRuleRow:
        row = RoutingRuleRow(
            self.t.new_id("routing_rules"), workspace_id, rule.name, rule.position,
            copy.deepcopy(rule.conditions), rule.team_id, rule.priority, tuple(rule.tags),
            rule.auto_resolve, rule.stop,
        )  # fmt: skip
        self.t.routing_rules[row.id] = row
        return row

    def list(self, workspace_id: int) -> list[RoutingRuleRow]:
        found = [r for r in self.t.routing_rules.values() if r.workspace_id == workspace_id]
        return sorted(found, key=lambda r: (r.position, r.id))

    def delete(self, workspace_id: int, rule_id: int) -> bool:
        rule = self.t.routing_rules.get(rule_id)
        if rule is None or rule.workspace_id != workspace_id:
            return False
        del self.t.routing_rules[rule_id]
        return True


class MemSettings(_Repo):
    def get(self, workspace_id: int, key: str) -> Any | None:
        return copy.deepcopy(self.t.settings.get((workspace_id, key)))

    def put(self, workspace_id: int, key: str, value: Any, now: datetime) -> None:
        self.t.settings[(workspace_id, key)] = copy.deepcopy(value)


class MemCaseCare(_Repo):
    def _case(self, workspace_id: int, case_id: int) -> Case | None:
        c = self.t.cases.get(case_id)
        return c if c and c.workspace_id == workspace_id else None

    def get_many(self, workspace_id: int, case_ids: Iterable[int]) -> dict[int, CaseCare]:
        return {
            i: self.t.care.get(i, CaseCare(i))
            for i in set(case_ids)
            if self._case(workspace_id, i) is not None
        }

    def save(self, workspace_id: int, care: CaseCare) -> None:
        if self._case(workspace_id, care.case_id) is not None:
            self.t.care[care.case_id] = replace(
                care, sla=copy.deepcopy(care.sla), facts=copy.deepcopy(care.facts)
            )

    def due_sla(self, workspace_id: int, now: datetime, limit: int) -> list[int]:
        due = sorted(
            (c.sla_next_check_at, c.case_id)
            for c in self.t.care.values()
            if c.sla_next_check_at is not None
            and c.sla_next_check_at <= now
            and self._case(workspace_id, c.case_id) is not None
        )
        return [case_id for _, case_id in due[:limit]]

    def waiting(self, workspace_id: int, team_ids: Iterable[int]) -> list[Case]:
        teams = set(team_ids)
        found = [
            c
            for c in self.t.cases.values()
            if c.workspace_id == workspace_id
            and c.team_id in teams
            and c.assignee_id is None
            and c.status in ACTIVE_STATUSES
        ]
        return sorted(found, key=lambda c: c.id)

    def loads(self, workspace_id: int) -> dict[int, int]:
        out: dict[int, int] = {}
        for c in self.t.cases.values():
            if c.workspace_id == workspace_id and c.assignee_id is not None and c.status in ACTIVE_STATUSES:
                out[c.assignee_id] = out.get(c.assignee_id, 0) + 1
        return out

    def last_assignee_for_contact(self, workspace_id: int, contact_id: int) -> int | None:
        for c in sorted(self.t.cases.values(), key=lambda c: -c.id):
            conv = self.t.conversations.get(c.conversation_id)
            if (
                c.workspace_id == workspace_id
                and c.assignee_id is not None
                and conv is not None
                and conv.contact_id == contact_id
            ):
                return c.assignee_id
        return None

    def in_problem(self, workspace_id: int, problem_id: int) -> list[int]:
        return sorted(
            c.case_id
            for c in self.t.care.values()
            if c.problem_id == problem_id and self._case(workspace_id, c.case_id) is not None
        )

    def fired_escalations(self, workspace_id: int, case_id: int) -> set[str]:
        return {key for (cid, key), ws in self.t.escalations.items() if cid == case_id and ws == workspace_id}

    def record_escalation(
        self, workspace_id: int, case_id: int, key: str, rule_id: str, actions: Sequence[str], at: datetime
    ) -> None:
        if (case_id, key) in self.t.escalations:
            raise IntegrityError(f"escalation {key} of case {case_id} exists")
        self.t.escalations[(case_id, key)] = workspace_id


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
            tuple(reasons), "pending", now,
        )  # fmt: skip
        self.t.approvals[a.id] = a
        return a

    def get(self, workspace_id: int, approval_id: int) -> Approval | None:
        a = self.t.approvals.get(approval_id)
        return a if a and a.workspace_id == workspace_id else None

    def list(self, workspace_id: int, status: str | None) -> list[Approval]:
        return [
            a
            for _, a in sorted(self.t.approvals.items())
            if a.workspace_id == workspace_id and (status is None or a.status == status)
        ]

    def decide(
        self, workspace_id: int, approval_id: int, status: str, decided_by: int, comment: str, now: datetime
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
            "open",
            now,
        )
        self.t.follow_ups[f.id] = f
        return f

    def list(
        self,
        workspace_id: int,
        *,
        owner_id: int | None = None,
        status: str | None = None,
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

    def close(self, workspace_id: int, follow_up_id: int, status: str, now: datetime) -> None:
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
