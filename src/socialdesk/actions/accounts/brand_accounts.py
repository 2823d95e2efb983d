"""The brand's own accounts per network: added by set-up code and the CLI (an existing one is returned), or
by an admin from the settings pages (audited), and removed by an admin: the conversations addressed to
a removed account move to another brand account of the same network, or the removal is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.care.audit import record_config_change
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import BrandAccount, User, normalize_handle
from socialdesk.domain.post import CHANNELS
from socialdesk.ports.uow import UnitOfWork


def check_add_brand_account(
    uow: UnitOfWork, workspace_id: int, channel: str, handle: str, external_id: str | None = None
) -> BrandAccount:
    if channel not in CHANNELS:
        raise ValidationFailed(f"channel {channel!r}: expected one of {', '.join(CHANNELS)}")
    if not handle.strip().lstrip("@"):
        raise ValidationFailed("brand account handle is empty")
    for account in uow.brands.list(workspace_id):
        if account.channel == channel and account.handle.casefold() == handle.lstrip("@").casefold():
            return account
    return uow.brands.add(workspace_id, channel, handle, external_id)


def check_add_brand(uow: UnitOfWork, user: User, channel: str, handle: str, now: datetime) -> BrandAccount:
    """Add one of the brand's accounts (its posts are outbound replies, never new conversations).

    Unlike the set-up path (`check_add_brand_account`, which returns an existing account), a person
    adding one that is already there is told so."""
    require_admin(user, "add brand accounts")
    wanted = normalize_handle(handle)
    accounts = uow.brands.list(user.workspace_id)
    if any(a.channel == channel and normalize_handle(a.handle) == wanted for a in accounts):
        raise ValidationFailed(f"@{wanted} on {channel} is already a brand account")
    account = check_add_brand_account(uow, user.workspace_id, channel, handle.strip().lstrip("@"))
    after = {"channel": account.channel, "handle": account.handle}
    record_config_change(
        uow, user, now, "brand_account_added", brand_account_id=account.id, before=None, after=after
    )
    return account


@dataclass(frozen=True)
class BrandRemoval:
    """What removing a brand account does: its conversations (``conversations`` of them) move to
    ``successor``, the first other account of the same network by handle; none there means a refusal."""

    account: BrandAccount
    conversations: int
    successor: BrandAccount | None

    @property
    def refusal(self) -> str | None:
        if self.conversations and self.successor is None:
            return (
                f"@{self.account.handle} on {self.account.channel} is still the brand of "
                f"{_conversations(self.conversations)} and there is no other {self.account.channel} brand "
                "account to move them to; add one first"
            )
        return None

    @property
    def outcome(self) -> str:
        done = f"Removed @{self.account.handle} on {self.account.channel}"
        if self.conversations and self.successor is not None:
            return f"{done}; {_conversations(self.conversations)} moved to @{self.successor.handle}."
        return f"{done}."


def _conversations(count: int) -> str:
    return f"{count} conversation{'' if count == 1 else 's'}"


def check_brand_removal(uow: UnitOfWork, user: User, brand_account_id: int) -> BrandRemoval:
    """What removing this account would do (admins only; another workspace's account is not found)."""
    require_admin(user, "remove brand accounts")
    accounts = uow.brands.list(user.workspace_id)
    account = next((a for a in accounts if a.id == brand_account_id), None)
    if account is None:
        raise NotFound(f"brand account {brand_account_id}")
    others = sorted(
        (a for a in accounts if a.channel == account.channel and a.id != account.id),
        key=lambda a: (a.handle.casefold(), a.id),
    )
    count = uow.brands.conversation_count(user.workspace_id, account.id)
    return BrandRemoval(account, count, others[0] if others else None)


def check_remove_brand(uow: UnitOfWork, user: User, brand_account_id: int, now: datetime) -> BrandRemoval:
    """Remove one of the brand's accounts, moving its conversations as `check_brand_removal` says, or
    refuse (`ValidationFailed`) while conversations have it as their brand and nowhere to go."""
    removal = check_brand_removal(uow, user, brand_account_id)
    if removal.refusal is not None:
        raise ValidationFailed(removal.refusal)
    return do_remove_brand(uow, user, removal, now)


def do_remove_brand(uow: UnitOfWork, user: User, removal: BrandRemoval, now: datetime) -> BrandRemoval:
    account, successor = removal.account, removal.successor
    moved = 0
    if successor is not None and removal.conversations:
        moved = uow.brands.move_conversations(user.workspace_id, account.id, successor.id)
    uow.brands.remove(user.workspace_id, account.id)
    before = {"channel": account.channel, "handle": account.handle}
    moves = {"conversations_moved": moved, "moved_to": successor.id} if moved and successor else {}
    subject = {"brand_account_id": account.id, **moves}
    record_config_change(uow, user, now, "brand_account_removed", before=before, after=None, **subject)
    return BrandRemoval(account, moved, successor)
