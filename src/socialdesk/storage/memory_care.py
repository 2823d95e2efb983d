"""In-memory repositories of the care workflow, with the same behaviour as storage/sql_care_*.py.

Teams, agents, routing, settings and case care are here; notes, notifications, saved replies,
approvals, follow-ups, audit and problems are in memory_care_collab.py.
"""

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
    CaseCare,
    NewRoutingRule,
    RoutingRuleRow,
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
