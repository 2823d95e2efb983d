"""Monitors: saved boolean queries that catch every post about a brand, product, competitor or topic."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class MonitorKind(enum.StrEnum):
    BRAND = "brand"
    PRODUCT = "product"
    COMPETITOR = "competitor"
    TOPIC = "topic"


class MonitorMode(enum.StrEnum):
    CARE = "care"  # matches open conversations in the inbox
    LISTENING = "listening"  # matches are only counted


@dataclass(frozen=True, slots=True)
class Monitor:
    id: int
    workspace_id: int
    name: str
    query: str
    kind: MonitorKind
    mode: MonitorMode
    exclude_authors: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()
    is_active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
