"""Events actions emit after their transaction commits; the bus carries them to the live UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    workspace_id: int
    kind: str  # e.g. "conversation.updated", "message.created", "case.status_changed"
    data: dict[str, Any] = field(default_factory=dict)
