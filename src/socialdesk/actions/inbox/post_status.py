"""The fate of a post a caller fed in: stored (in which conversation), rejected (and why), or unknown.

In the embedded mode a post is stored (or refused) while its `POST /api/v1/posts` waits, so the answer
is stored or unknown (never received, or refused in that answer). In scale-out mode the API only
queues posts; an ingest worker that gives up on one parks it in the dead-letter stream under a
subject of its own (`bus.streams.dead_post_subject`), which is how it is found here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from socialdesk.actions.accounts.roles import check_ingest_allowed
from socialdesk.domain.people import User
from socialdesk.ports.uow import UnitOfWork

PostStatus = Literal["stored", "rejected", "unknown"]


class DeadPostLookup(Protocol):
    def dead_letter_for(self, workspace_id: int, channel: str, external_id: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class PostFate:
    status: PostStatus
    message_id: int | None = None
    conversation_id: int | None = None  # None for a stored post kept for listening only
    reason: str | None = None


def check_post_fate(
    uow: UnitOfWork, user: User, channel: str, external_id: str, dead: DeadPostLookup | None
) -> PostFate:
    """What became of the post (channel, id) in the user's workspace. Only those who may feed posts
    in may ask (admins). A post stored after an earlier attempt was rejected counts as stored."""
    check_ingest_allowed(user)
    key = (channel, external_id)
    ref = uow.messages.find_by_keys(user.workspace_id, [key]).get(key)
    if ref is not None:
        return PostFate("stored", message_id=ref.id, conversation_id=ref.conversation_id)
    letter = dead.dead_letter_for(user.workspace_id, channel, external_id) if dead is not None else None
    if letter is not None:
        return PostFate("rejected", reason=str(letter.get("error") or "rejected by the ingest worker"))
    return PostFate("unknown")
