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
    # The brand accounts a conversation this monitor opens answers from, at most one per network: a
    # post on network N that addresses no brand account takes the one on N (none on N: no brand).
    brand_account_ids: tuple[int, ...] = ()
    deleted_at: datetime | None = None  # deleted: matches nothing, left out of lists; matches kept
