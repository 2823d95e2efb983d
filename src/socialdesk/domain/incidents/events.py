"""What the incident detector tells its caller: an incident opened, a post joined one, one closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialdesk.domain.incidents.incident import Incident


@dataclass(frozen=True, slots=True)
class IncidentOpened:
    incident: Incident


@dataclass(frozen=True, slots=True)
class PostJoined:
    incident_id: str
    post_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class IncidentClosed:
    incident_id: str
    at: datetime


DetectorEvent = IncidentOpened | PostJoined | IncidentClosed
