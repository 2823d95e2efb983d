"""An agent's notifications (mentions, missed follow-ups): listing them and marking them read."""

from __future__ import annotations

from datetime import datetime

from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork
from socialdesk.ports_care import Notification


def list_notifications(uow: UnitOfWork, user: User, unread_only: bool) -> list[Notification]:
    return uow.notifications.list(user.workspace_id, user.id, unread_only)


def mark_notifications_read(uow: UnitOfWork, user: User, ids: list[int], now: datetime) -> None:
    uow.notifications.mark_read(user.workspace_id, user.id, ids, now)
