"""The dead letters: posts of a workspace the scale-out pipeline gave up on (admins only)."""

from __future__ import annotations

from typing import Any, Protocol

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.domain.people import User

MAX_DEAD_LETTERS = 1000


class DeadLetterReader(Protocol):
    def dead_letters(self, limit: int = 100, workspace_id: int | None = None) -> list[dict[str, Any]]: ...


def list_dead_letters(user: User, reader: DeadLetterReader | None, limit: int) -> list[dict[str, Any]]:
    """The newest dead letters of the admin's workspace, with their error (none in the embedded mode,
    which parks nothing: a failure is answered to the sender). Another workspace's are never shown."""
    require_admin(user, "see the posts the pipeline gave up on")
    if reader is None:
        return []
    return reader.dead_letters(min(max(limit, 1), MAX_DEAD_LETTERS), workspace_id=user.workspace_id)
