"""The repositories of the agent's desk: each user's preferences, saved inbox views, macros.

Part of the ports (see ports.py): the SQL implementation is storage/sql_desk.py, checked on SQLite and
PostgreSQL by tests/storage/test_desk_contract.py. Every method takes the workspace.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class InboxViewRecord:
    """A saved inbox view: ``spec`` holds its filters, columns and sort (actions/inbox_views.py)."""

    id: int
    workspace_id: int
    owner_id: int
    team_id: int | None  # shared with this team; None: its owner's only
    name: str
    spec: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MacroFields:
    """What a macro does (actions/macros.py): reply, tags, status, assignment, follow-up."""

    name: str
    body: str  # the reply ("" for none); {customer} and {agent} are filled in
    tags: tuple[str, ...] = ()
    status: str | None = None  # a case status; None: leave it
    assign: str | None = None  # "me", "nobody" or a user id; None: leave it
    follow_up_hours: int | None = None  # a follow-up due this many hours after it is applied


@dataclass(frozen=True, slots=True)
class Macro:
    id: int
    workspace_id: int
    fields: MacroFields
    created_by: int | None
    updated_at: datetime


class PreferenceRepo(Protocol):
    def get(self, workspace_id: int, user_id: int) -> dict[str, Any]:
        """The user's preferences ({} when none are saved)."""
        ...

    def put(self, workspace_id: int, user_id: int, data: dict[str, Any], now: datetime) -> None: ...


class InboxViewRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        owner_id: int,
        team_id: int | None,
        name: str,
        spec: dict[str, Any],
        now: datetime,
    ) -> InboxViewRecord: ...
    def get(self, workspace_id: int, view_id: int) -> InboxViewRecord | None: ...
    def visible_to(
        self, workspace_id: int, user_id: int, team_ids: builtins.list[int]
    ) -> list[InboxViewRecord]:
        """The user's own views and those shared with these teams, by name."""
        ...

    def delete(self, workspace_id: int, view_id: int) -> None: ...


class MacroRepo(Protocol):
    def add(self, workspace_id: int, fields: MacroFields, created_by: int | None, now: datetime) -> Macro: ...
    def get(self, workspace_id: int, macro_id: int) -> Macro | None: ...
    def get_by_name(self, workspace_id: int, name: str) -> Macro | None: ...
    def list(self, workspace_id: int) -> builtins.list[Macro]: ...
    def update(self, workspace_id: int, macro_id: int, fields: MacroFields, now: datetime) -> None: ...
    def delete(self, workspace_id: int, macro_id: int) -> None: ...
