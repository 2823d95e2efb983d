"""Hide, show again or delete a customer's comment from its conversation, on the network itself.

The request is checked first (actions/inbox/moderation.py), then the network is asked through the workspace's
channel account on that network (its sender, when that sender is a ``CommentModerator``), and only
what the network did is audited. A network that cannot do it answers 409 saying so; a refusal of the
network (a revoked token, an unknown comment) answers 502 with its reason.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from socialdesk.actions.inbox.moderation import check_moderate_comment, do_record_moderation
from socialdesk.channels.framework import ChannelError
from socialdesk.ports.services import CommentModerator
from socialdesk.runtime import Runtime
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(tags=["conversations"])


class ModerateIn(InputModel):
    action: Literal["hide", "unhide", "delete"]


class ModerateOut(BaseModel):
    message_id: int
    action: str
    done: bool


def comment_moderator(runtime: Runtime, channel: str, workspace_id: int) -> CommentModerator | None:
    """The workspace's account on ``channel`` when it can hide and delete comments there, else None."""
    sender = runtime.senders.get(channel)
    pick = getattr(sender, "sender_for", None)
    found = pick(workspace_id) if callable(pick) else sender
    return found if isinstance(found, CommentModerator) else None


def moderate_on_network(moderator: CommentModerator, comment_id: str, action: str) -> None:
    if action == "delete":
        moderator.delete_comment(comment_id)
    else:
        moderator.hide_comment(comment_id, hidden=action == "hide")


@router.post("/conversations/{conversation_id}/messages/{message_id}/moderate")
async def moderate_comment(
    conversation_id: Id, message_id: Id, body: ModerateIn, user: ApiUserDep, runtime: RuntimeDep
) -> ModerateOut:
    """Hide (``hide``), show again (``unhide``) or delete (``delete``, admins and team leads) a
    customer's public comment on the network. 409 when its network offers none of this."""
    with runtime.read_uow() as uow:
        message = check_moderate_comment(uow, user, conversation_id, message_id, body.action)
    moderator = comment_moderator(runtime, message.channel, user.workspace_id)
    if moderator is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"comments on {message.channel} cannot be hidden or deleted from socialdesk (no connected "
            "account there that can)",
        )
    try:
        await run_in_threadpool(moderate_on_network, moderator, str(message.external_id), body.action)
    except ChannelError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, f"{message.channel} refused: {exc}") from None
    with runtime.uow() as uow:
        do_record_moderation(uow, user, message, body.action, runtime.clock.now())
    return ModerateOut(message_id=message.id, action=body.action, done=True)
