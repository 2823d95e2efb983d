"""Each user's inbox preferences: compact rows, the columns shown, the time zone times are shown in.

Personal settings, so no role is needed and nothing is audited; each is checked against what the inbox
knows. An unset time zone shows times in UTC until the browser's zone is saved (the inbox page sends
it once, from a hidden field the page's script fills in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork

# The inbox's columns, in order; the message column is always shown.
INBOX_COLUMNS = ("channel", "brand", "customer", "tags", "status", "urgency", "sla", "assignee", "waiting")
DEFAULT_COLUMNS = ("channel", "brand", "customer", "status", "urgency", "sla", "assignee", "waiting")
MAX_ZONE_NAME = 64
# The snooze choices the inbox and the conversation page offer: hours from now.
SNOOZE_PRESETS = {"1": "1 hour", "4": "4 hours", "24": "Tomorrow (24 hours)", "168": "Next week"}


@dataclass(frozen=True, slots=True)
class DeskPreferences:
    compact: bool = False
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    time_zone: str = ""  # an IANA name; "" not chosen yet (UTC)

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_utc(self.time_zone)


def zone_or_utc(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):  # a zone removed from tzdata since it was saved
        return ZoneInfo("UTC")


def get_preferences(uow: UnitOfWork, user: User) -> DeskPreferences:
    data = uow.preferences.get(user.workspace_id, user.id) if user.id > 0 else {}
    columns = tuple(c for c in data.get("columns", DEFAULT_COLUMNS) if c in INBOX_COLUMNS)
    zone = data.get("time_zone", "")
    return DeskPreferences(bool(data.get("compact", False)), columns, zone if isinstance(zone, str) else "")


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    unknown = [c for c in columns if c not in INBOX_COLUMNS]
    if unknown:
        shown = ", ".join(repr(c[:40]) for c in unknown[:3])
        raise ValidationFailed(f"columns: {shown} unknown; expected some of {', '.join(INBOX_COLUMNS)}")
    return tuple(c for c in INBOX_COLUMNS if c in columns)


def check_time_zone(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    if len(name) > MAX_ZONE_NAME or name.startswith(("/", ".")) or ".." in name:
        raise ValidationFailed(f"time zone {name[:MAX_ZONE_NAME]!r}: expected a name such as Europe/Paris")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(f"time zone {name!r}: unknown; expected a name such as Europe/Paris") from exc
    return name


def check_set_preferences(
    uow: UnitOfWork,
    user: User,
    now: datetime,
    *,
    compact: bool | None = None,
    columns: Sequence[str] | None = None,
    time_zone: str | None = None,
) -> DeskPreferences:
    """Change the preferences given (None: keep); the others stay as saved."""
    if user.id <= 0:
        raise ValidationFailed("preferences belong to a user: the command line has none")
    data = uow.preferences.get(user.workspace_id, user.id)
    if compact is not None:
        data["compact"] = compact
    if columns is not None:
        data["columns"] = list(check_columns(columns))
    if time_zone is not None:
        data["time_zone"] = check_time_zone(time_zone)
    uow.preferences.put(user.workspace_id, user.id, data, now)
    return get_preferences(uow, user)
