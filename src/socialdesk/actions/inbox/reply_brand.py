"""Which brand account answers a conversation: the one the customer addressed, or the agent's pick.

A workspace may hold several brands on one network (an airline and an internet provider on X). A
reply never leaves from "the first account on the channel": it goes out as the conversation's brand
account, which ingest derived from the thread (the account mentioned, messaged or answering), or as
the account the agent picked among the workspace's accounts on that network. Picking one stores it on
the conversation, so the next reply (and the inbox's brand filter) follows the choice.
"""

from __future__ import annotations

from dataclasses import replace

from socialdesk.domain.conversation import Conversation
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import BrandAccount, normalize_handle
from socialdesk.ports.uow import UnitOfWork

__all__ = ["brand_choices", "brand_handles", "brand_ids_named", "current_brand", "resolve_reply_brand"]


def brand_choices(uow: UnitOfWork, workspace_id: int, channel: str) -> list[BrandAccount]:
    """The workspace's brand accounts on ``channel``, in the order they were added."""
    return sorted((b for b in uow.brands.list(workspace_id) if b.channel == channel), key=lambda b: b.id)


def current_brand(uow: UnitOfWork, conv: Conversation) -> BrandAccount | None:
    """The brand account a reply in ``conv`` goes out as when the agent picks none (None: must pick)."""
    choices = brand_choices(uow, conv.workspace_id, conv.channel)
    found = next((b for b in choices if b.id == conv.brand_account_id), None)
    if found is None and len(choices) == 1:
        found = choices[0]
    return found


def resolve_reply_brand(uow: UnitOfWork, conv: Conversation, chosen_id: int | None) -> BrandAccount | None:
    """The brand account to reply as; with ``chosen_id``, that account, kept as the conversation's.

    Raises :class:`ValidationFailed` naming the choices when the pick is not an account of the
    workspace on the conversation's network, or when none was picked and the conversation's brand is
    unknown among several. ``None`` only when the workspace has no brand account on the network.
    """
    choices = brand_choices(uow, conv.workspace_id, conv.channel)
    names = ", ".join(f"{b.id} (@{b.handle.lstrip('@')})" for b in choices) or "none"
    if chosen_id is not None:
        chosen = next((b for b in choices if b.id == chosen_id), None)
        if chosen is None:
            raise ValidationFailed(
                f"brand_account_id {chosen_id} is not one of this workspace's {conv.channel} "
                f"accounts: {names}"
            )
        if conv.brand_account_id != chosen.id:
            fresh = uow.conversations.get(conv.workspace_id, conv.id) or conv
            uow.conversations.save_many([replace(fresh, brand_account_id=chosen.id)])
        return chosen
    found = current_brand(uow, conv)
    if found is None and choices:
        raise ValidationFailed(
            f"this conversation's brand is unknown and the workspace has {len(choices)} {conv.channel} "
            f"accounts: choose one to send as (brand_account_id: {names})"
        )
    return found


def brand_handles(uow: UnitOfWork, workspace_id: int) -> dict[int, str]:
    """Each brand account's handle by id, for lists that show a conversation's brand."""
    return {b.id: b.handle for b in uow.brands.list(workspace_id)}


def brand_ids_named(uow: UnitOfWork, workspace_id: int, brand: str) -> tuple[int, ...]:
    """The brand accounts ``brand`` names: an id, or a handle (with or without @, on any network).

    Raises :class:`ValidationFailed` listing the workspace's brands when it names none.
    """
    accounts = uow.brands.list(workspace_id)
    wanted = brand.strip()
    if wanted.isdigit():
        found = tuple(b.id for b in accounts if b.id == int(wanted))
    else:
        key = normalize_handle(wanted)
        found = tuple(b.id for b in accounts if normalize_handle(b.handle) == key)
    if not found:
        known = ", ".join(f"{b.id} (@{b.handle.lstrip('@')} on {b.channel})" for b in accounts) or "none"
        raise ValidationFailed(f"brand {brand!r} is not one of this workspace's brand accounts: {known}")
    return found
