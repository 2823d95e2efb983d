"""SQL repositories of the agent's desk: preferences, saved inbox views, macros (ports_desk.py)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from socialdesk.ports_desk import InboxViewRecord, Macro, MacroFields
from socialdesk.storage import schema as s


class SqlPreferences:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, workspace_id: int, user_id: int) -> dict[str, Any]:
        t = s.user_preferences
        q = select(t.c.data).where(t.c.workspace_id == workspace_id, t.c.user_id == user_id)
        data = self.conn.execute(q).scalar_one_or_none()
        return dict(data) if isinstance(data, dict) else {}

    def put(self, workspace_id: int, user_id: int, data: dict[str, Any], now: datetime) -> None:
        t = s.user_preferences
        where = (t.c.workspace_id == workspace_id, t.c.user_id == user_id)
        changed = self.conn.execute(update(t).where(*where).values(data=data, updated_at=now)).rowcount
        if not changed:
            values = {"workspace_id": workspace_id, "user_id": user_id, "data": data, "updated_at": now}
            self.conn.execute(insert(t).values(**values))


def _view(r: Any) -> InboxViewRecord:
    return InboxViewRecord(r.id, r.workspace_id, r.owner_id, r.team_id, r.name, dict(r.spec), r.created_at)


class SqlInboxViews:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        owner_id: int,
        team_id: int | None,
        name: str,
        spec: dict[str, Any],
        now: datetime,
    ) -> InboxViewRecord:
        values = {
            "workspace_id": workspace_id,
            "owner_id": owner_id,
            "team_id": team_id,
            "name": name,
            "spec": spec,
            "created_at": now,
        }
        new_id = self.conn.execute(insert(s.inbox_views).values(**values)).inserted_primary_key
        assert new_id is not None
        return InboxViewRecord(int(new_id[0]), workspace_id, owner_id, team_id, name, spec, now)

    def get(self, workspace_id: int, view_id: int) -> InboxViewRecord | None:
        t = s.inbox_views
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == view_id)).first()
        return _view(row) if row else None

    def visible_to(
        self, workspace_id: int, user_id: int, team_ids: builtins.list[int]
    ) -> list[InboxViewRecord]:
        t = s.inbox_views
        mine = t.c.owner_id == user_id
        seen = or_(mine, t.c.team_id.in_(team_ids)) if team_ids else mine
        q = select(t).where(t.c.workspace_id == workspace_id, seen).order_by(t.c.name, t.c.id)
        return [_view(r) for r in self.conn.execute(q)]

    def delete(self, workspace_id: int, view_id: int) -> None:
        t = s.inbox_views
        self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == view_id))


def _macro(r: Any) -> Macro:
    fields = MacroFields(r.name, r.body, tuple(r.tags or ()), r.status, r.assign, r.follow_up_hours)
    return Macro(r.id, r.workspace_id, fields, r.created_by, r.updated_at)


def _macro_values(fields: MacroFields) -> dict[str, Any]:
    return {
        "name": fields.name,
        "body": fields.body,
        "tags": list(fields.tags),
        "status": fields.status,
        "assign": fields.assign,
        "follow_up_hours": fields.follow_up_hours,
    }


class SqlMacros:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, fields: MacroFields, created_by: int | None, now: datetime) -> Macro:
        values = {
            **_macro_values(fields),
            "workspace_id": workspace_id,
            "created_by": created_by,
            "updated_at": now,
        }
        new_id = self.conn.execute(insert(s.macros).values(**values)).inserted_primary_key
        assert new_id is not None
        return Macro(int(new_id[0]), workspace_id, fields, created_by, now)

    def get(self, workspace_id: int, macro_id: int) -> Macro | None:
        t = s.macros
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == macro_id)).first()
        return _macro(row) if row else None

    def get_by_name(self, workspace_id: int, name: str) -> Macro | None:
        t = s.macros
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.name == name)).first()
        return _macro(row) if row else None

    def list(self, workspace_id: int) -> builtins.list[Macro]:
        t = s.macros
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.name, t.c.id)
        return [_macro(r) for r in self.conn.execute(q)]

    def update(self, workspace_id: int, macro_id: int, fields: MacroFields, now: datetime) -> None:
        t = s.macros
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == macro_id)
            .values(**_macro_values(fields), updated_at=now)
        )

    def delete(self, workspace_id: int, macro_id: int) -> None:
        t = s.macros
        self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == macro_id))
