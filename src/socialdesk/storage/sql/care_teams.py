"""SQL repositories for teams and their members, agents' fields, routing rules and workspace settings."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from socialdesk.domain.assignment import Strategy
from socialdesk.domain.people import Team, User
from socialdesk.ports.care import NewRoutingRule, RoutingRuleRow
from socialdesk.storage import schema as s
from socialdesk.storage.sql.people import skills_to_json


def _team(row: Any) -> Team:
    return Team(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        strategy=Strategy(row.strategy),
        fallback=Strategy(row.fallback),
        hours=row.hours,
        rr_last_agent_id=row.rr_last_agent_id,
    )


class SqlTeams:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, team: Team) -> Team:
        values = {
            "workspace_id": workspace_id,
            "name": team.name,
            "strategy": team.strategy.value,
            "fallback": team.fallback.value,
            "hours": team.hours,
            "rr_last_agent_id": team.rr_last_agent_id,
        }
        row = self.conn.execute(insert(s.teams).values(**values).returning(*s.teams.c)).one()
        return _team(row)

    def get(self, workspace_id: int, team_id: int) -> Team | None:
        t = s.teams
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == team_id)).first()
        return _team(row) if row else None

    def list(self, workspace_id: int) -> list[Team]:
        t = s.teams
        return [_team(r) for r in self.conn.execute(select(t).where(t.c.workspace_id == workspace_id))]

    def save(self, team: Team) -> None:
        t = s.teams
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == team.workspace_id, t.c.id == team.id)
            .values(
                name=team.name,
                strategy=team.strategy.value,
                fallback=team.fallback.value,
                hours=team.hours,
                rr_last_agent_id=team.rr_last_agent_id,
            )
        )

    def add_member(self, workspace_id: int, team_id: int, user_id: int) -> None:
        values = {"workspace_id": workspace_id, "team_id": team_id, "user_id": user_id}
        self.conn.execute(insert(s.team_members).values(**values))

    def remove_member(self, workspace_id: int, team_id: int, user_id: int) -> bool:
        t = s.team_members
        done = self.conn.execute(
            delete(t).where(t.c.workspace_id == workspace_id, t.c.team_id == team_id, t.c.user_id == user_id)
        )
        return bool(done.rowcount)

    def members(self, workspace_id: int) -> dict[int, builtins.list[int]]:
        t = s.team_members
        out: dict[int, list[int]] = {}
        for r in self.conn.execute(select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id)):
            out.setdefault(r.team_id, []).append(r.user_id)
        return out


class SqlAgents:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def save(self, user: User) -> None:
        t = s.users
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == user.workspace_id, t.c.id == user.id)
            .values(
                status=user.status.value,
                capacity=user.capacity,
                in_training=user.in_training,
                skills=skills_to_json(user.skills),
                signature=user.signature,
            )
        )


def _rule(r: Any) -> RoutingRuleRow:
    return RoutingRuleRow(
        id=r.id,
        workspace_id=r.workspace_id,
        name=r.name,
        position=r.position,
        conditions=dict(r.conditions),
        team_id=r.team_id,
        priority=r.priority,
        tags=tuple(r.tags),
        auto_resolve=r.auto_resolve,
        stop=r.stop,
    )


class SqlRouting:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, rule: NewRoutingRule) -> RoutingRuleRow:
        values = {
            "workspace_id": workspace_id,
            "name": rule.name,
            "position": rule.position,
            "conditions": rule.conditions,
            "team_id": rule.team_id,
            "priority": rule.priority,
            "tags": list(rule.tags),
            "auto_resolve": rule.auto_resolve,
            "stop": rule.stop,
        }
        return _rule(
            self.conn.execute(insert(s.routing_rules).values(**values).returning(*s.routing_rules.c)).one()
        )

    def list(self, workspace_id: int) -> list[RoutingRuleRow]:
        t = s.routing_rules
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.position, t.c.id)
        return [_rule(r) for r in self.conn.execute(q)]

    def delete(self, workspace_id: int, rule_id: int) -> bool:
        t = s.routing_rules
        done = self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == rule_id))
        return bool(done.rowcount)


class SqlSettings:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, workspace_id: int, key: str) -> Any | None:
        t = s.workspace_settings
        q = select(t.c.value).where(t.c.workspace_id == workspace_id, t.c.key == key)
        return self.conn.execute(q).scalar_one_or_none()

    def put(self, workspace_id: int, key: str, value: Any, now: datetime) -> None:
        t = s.workspace_settings
        done = self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.key == key)
            .values(value=value, updated_at=now)
        )
        if not done.rowcount:
            self.conn.execute(
                insert(t).values(workspace_id=workspace_id, key=key, value=value, updated_at=now)
            )
