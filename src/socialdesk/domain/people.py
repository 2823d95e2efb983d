"""Workspaces, users, teams, contacts and the brand's own accounts."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialdesk.domain.assignment import AgentStatus, Skills, Strategy


@dataclass(frozen=True, slots=True)
class Workspace:
    """A company. Every other row belongs to exactly one workspace."""

    id: int
    slug: str
    name: str


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEAD = "lead"  # a team lead: an agent who also configures the care workflow (docs/security.md)
    AGENT = "agent"
    # An agent who also reviews and publishes knowledge-base articles.
    KNOWLEDGE_EDITOR = "knowledge_editor"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    workspace_id: int
    email: str
    name: str
    role: Role
    signature: str = ""
    is_active: bool = True
    # Agent fields: routing assigns only to online agents under capacity whose skills fit the case.
    status: AgentStatus = AgentStatus.OFFLINE
    capacity: int = 5
    in_training: bool = False  # every reply of a trainee waits for an approver
    skills: Skills = field(default_factory=Skills)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def configures_care(self) -> bool:
        """Admins and team leads set up teams, routing, SLA, approval rules and agents' routing fields."""
        return self.role in (Role.ADMIN, Role.LEAD)


def default_signature(name: str) -> str:
    """`^AB` from `Ada Byron`: the initials many brands sign public replies with."""
    initials = "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()
    return f"^{initials[:3]}" if initials else ""


@dataclass(frozen=True, slots=True)
class Team:
    """A group of agents sharing a queue, an assignment strategy and business hours."""

    id: int
    workspace_id: int
    name: str
    strategy: Strategy = Strategy.LEAST_LOADED
    fallback: Strategy = Strategy.LEAST_LOADED  # for sticky teams
    # {"timezone": "Europe/Paris", "schedule": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-12-25"]};
    # None: open around the clock (UTC).
    hours: dict[str, Any] | None = None
    rr_last_agent_id: int | None = None  # who got the team's previous round-robin case


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer; one contact can own handles on several channels."""

    id: int
    workspace_id: int
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ContactHandle:
    id: int
    workspace_id: int
    contact_id: int
    channel: str
    external_id: str
    handle: str
    name: str = ""
    followers: int | None = None
    verified: bool = False


@dataclass(frozen=True, slots=True)
class BrandAccount:
    """The company's own handle on a channel: posts by it are outbound."""

    id: int
    workspace_id: int
    channel: str
    handle: str
    external_id: str | None = None


def normalize_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()
