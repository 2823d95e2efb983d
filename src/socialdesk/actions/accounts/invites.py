"""Inviting a user by a one-time link: the admin names them, the invited person sets their password.

The invited user exists at once, disabled and with a random password nobody knows, so they can neither
log in nor use a token until they accept. The link carries a random secret; only its SHA-256 is kept
(as a workspace setting `invite:<digest>`), with the user and an expiry. Accepting sets the password,
enables the user and spends the invitation; an expired, spent or unknown link is refused the same way.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.actions.accounts.lifecycle import check_add_user
from socialdesk.actions.accounts.users import check_new_password, hash_password
from socialdesk.actions.care.audit import record
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.ports.uow import UnitOfWork

INVITE_HOURS = 72
_PREFIX = "invite:"
INVALID = (
    "this invitation link is not valid: it was used, has expired or never existed;"
    " ask your admin for a new one"
)


@dataclass(frozen=True, slots=True)
class Invitation:
    user: User
    token: str  # shown once, in the link; never stored
    expires_at: datetime


def _key(token: str) -> str:
    return _PREFIX + hashlib.sha256(token.encode()).hexdigest()[:40]


def check_invite_user(
    uow: UnitOfWork, actor: User, email: str, name: str, role: Role, now: datetime
) -> Invitation:
    """An admin invites someone: a disabled user now, and a link valid for `INVITE_HOURS` hours."""
    user = check_add_user(uow, actor, email, name, secrets.token_urlsafe(32), role, now)
    return do_invite(uow, actor, user, now)


def do_invite(uow: UnitOfWork, actor: User, user: User, now: datetime) -> Invitation:
    uow.users.set_active(user.workspace_id, user.id, False)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=INVITE_HOURS)
    uow.settings.put(
        user.workspace_id, _key(token), {"user_id": user.id, "expires_at": expires_at.isoformat()}, now
    )
    record(
        uow, user.workspace_id, now, actor.id, "user.invited",
        user_id=user.id, email=user.email, expires_at=expires_at.isoformat(),
    )  # fmt: skip
    return Invitation(user, token, expires_at)


def invited_user(uow: UnitOfWork, workspace_id: int, token: str, now: datetime) -> User:
    """The user a live invitation link names, else `NotFound` (one answer for every reason)."""
    if not 20 <= len(token) <= 100:
        raise NotFound(INVALID)
    found = uow.settings.get(workspace_id, _key(token)) or {}
    if not found.get("user_id") or datetime.fromisoformat(found["expires_at"]) <= now:
        raise NotFound(INVALID)
    user = uow.users.get(workspace_id, int(found["user_id"]))
    if user is None or user.is_active:
        raise NotFound(INVALID)
    return user


def check_accept_invite(
    uow: UnitOfWork, workspace_id: int, token: str, password: str, confirm: str, now: datetime
) -> User:
    """The invited person sets their password: the user is enabled and the link is spent."""
    user = invited_user(uow, workspace_id, token, now)
    check_new_password(password)
    if password != confirm:
        raise ValidationFailed("the two passwords differ")
    uow.users.set_password_hash(workspace_id, user.id, hash_password(password))
    uow.users.set_active(workspace_id, user.id, True)
    uow.settings.put(workspace_id, _key(token), {"used_at": now.isoformat()}, now)
    record(uow, workspace_id, now, user.id, "user.invite_accepted", user_id=user.id, email=user.email)
    return user
