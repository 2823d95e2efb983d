"""Who is on a conversation right now: viewing, typing or gone, announced to colleagues at once (kept by
the presence hub, not the database)."""

from __future__ import annotations

from datetime import datetime

from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.care import Presence, PresenceHub
from socialdesk.ports.services import Bus
from socialdesk.ports.uow import UnitOfWork

PRESENCE_STATES = ("viewing", "typing", "left")


def check_set_presence(
    uow: UnitOfWork, hub: PresenceHub, bus: Bus, user: User, conversation_id: int, state: str, now: datetime
) -> list[Presence]:
    """Announce viewing/typing/left; a change is published at once as ``presence.changed`` (no database
    change, so no transaction to wait for)."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    if state not in PRESENCE_STATES:
        raise ValidationFailed(f"presence state: one of {', '.join(PRESENCE_STATES)}")
    if hub.set(user.workspace_id, conv.id, user.id, state, now):
        data = {"conversation_id": conv.id, "user_id": user.id, "state": state}
        bus.publish([Event(user.workspace_id, EventKind.PRESENCE_CHANGED, data)])
    return hub.who(user.workspace_id, conv.id, now)


def get_presence(
    uow: UnitOfWork, hub: PresenceHub, user: User, conversation_id: int, now: datetime
) -> list[Presence]:
    conv = access_conversation_by_id(uow, user, conversation_id)
    return hub.who(user.workspace_id, conv.id, now)
