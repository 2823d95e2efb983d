"""The brand's own accounts per network: added by set-up code and the CLI (an existing one is returned), or
by an admin from the settings pages (audited)."""

from __future__ import annotations

from datetime import datetime

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.care.audit import record_config_change
from socialdesk.domain.errors import ValidationFailed
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
