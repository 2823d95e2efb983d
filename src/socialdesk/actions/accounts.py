"""Workspaces, users, passwords, API tokens and web sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from socialdesk.actions import password_hashing
from socialdesk.actions.care_audit import record
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import BrandAccount, Role, User, Workspace, default_signature
from socialdesk.domain.post import CHANNELS
from socialdesk.ports import UnitOfWork, WebSession

_hasher = PasswordHasher()
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # longer input is not a password anyone set; don't spend argon2 time on it
CLI = "cli"  # what audit entries of CLI changes (no user actor) say in their `by` field


def hash_password(password: str) -> str:
    """An argon2 hash, made in one of the process's bounded hashing slots (may raise HashingBusy)."""
    with password_hashing.gate().slot():
        return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    with password_hashing.gate().slot():
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"password: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(f"password: at most {MAX_PASSWORD} characters")


def hash_secret(secret: str) -> str:
    """API tokens and session ids are long random strings: SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_create_workspace(uow: UnitOfWork, slug: str, name: str) -> Workspace:
    if not _SLUG.match(slug):
        raise ValidationFailed(f"workspace slug {slug!r}: use lower-case letters, digits and dashes")
    if uow.workspaces.get_by_slug(slug) is not None:
        raise ValidationFailed(f"workspace {slug!r} already exists")
    return uow.workspaces.add(slug, name or slug)


def ensure_workspace(uow: UnitOfWork, slug: str, name: str = "") -> Workspace:
    found = uow.workspaces.get_by_slug(slug)
    return found if found is not None else check_create_workspace(uow, slug, name or slug)


def check_create_user(
    uow: UnitOfWork,
    workspace_id: int,
    email: str,
    name: str,
    password: str,
    role: Role = Role.AGENT,
    *,
    now: datetime | None = None,
    actor_id: int | None = None,
) -> User:
    """Create a user. Given `now` (the CLI, the API: every path a person uses), it is audited as
    `user.created` at that time (``actor_id`` None: the CLI); set-up code without a clock (test
    fixtures) passes none and records nothing."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationFailed(f"email {email!r} is not an email address")
    check_new_password(password)
    if uow.users.get_by_email(email) is not None:
        raise ValidationFailed(f"a user with email {email!r} already exists")
    name = name.strip() or email.split("@")[0]
    user = uow.users.add(workspace_id, email, name, role, hash_password(password), default_signature(name))
    if now is not None:
        by: dict[str, Any] = {"by": CLI} if actor_id is None else {}
        after = {"email": user.email, "name": user.name, "role": user.role.value, "is_active": True}
        record(uow, workspace_id, now, actor_id, "user.created", user_id=user.id, after=after, **by)
    return user


def authenticate_password(uow_factory: Callable[[], UnitOfWork], email: str, password: str) -> User | None:
    """The active user with this email and password, else None. The unit of work is open only for the
    lookup: no database connection is held while the password is hashed."""
    with uow_factory() as uow:
        found = uow.users.get_by_email(email)
    if found is None:
        hash_password(password)  # spend the same time whether or not the user exists
        return None
    user, password_hash = found
    if not password_matches(password_hash, password):
        return None
    return user if user.is_active else None


def do_create_api_token(
    uow: UnitOfWork,
    user: User,
    name: str,
    now: datetime,
    *,
    expires_in: timedelta | None = None,
    actor_id: int | None = None,
) -> str:
    """Create a token and return it; only its hash is stored, so it is shown this once. Audited as
    `token.created` with its id and name, never the token."""
    if expires_in is not None and expires_in <= timedelta(0):
        raise ValidationFailed("token expiry: give a positive duration, such as 30d or 12h")
    expires_at = now + expires_in if expires_in is not None else None
    token = "sdk_" + secrets.token_urlsafe(32)
    stored = uow.tokens.add(user.workspace_id, user.id, name, hash_secret(token), now, expires_at)
    by: dict[str, Any] = {"by": CLI} if actor_id is None else {}
    after = {
        "token_id": stored.id,
        "name": name,
        "user_id": user.id,
        "expires_at": expires_at.isoformat() if expires_at else None,
    }
    record(uow, user.workspace_id, now, actor_id, "token.created", after=after, **by)
    return token


def authenticate_token(uow: UnitOfWork, token: str, now: datetime) -> User | None:
    """The active user of an unexpired token, else None. Looked up afresh on every call (one statement):
    a revoked token or a disabled user is refused at once, whichever process revoked it."""
    found = uow.tokens.owner(hash_secret(token))
    if found is None or found[0].expired(now):
        return None
    user = found[1]
    return user if user.is_active else None


@dataclass(frozen=True)
class NewSession:
    token: str
    session: WebSession


def do_start_session(uow: UnitOfWork, user: User, now: datetime, hours: int) -> NewSession:
    token = secrets.token_urlsafe(32)
    session = uow.sessions.add(
        user.id,
        user.workspace_id,
        hash_secret(token),
        secrets.token_urlsafe(24),
        now + timedelta(hours=hours),
    )
    return NewSession(token, session)


def session_user(uow: UnitOfWork, token: str, now: datetime) -> tuple[User, WebSession] | None:
    """The active user of an unexpired web session, else None; looked up afresh (one statement) on
    every call, as `authenticate_token`."""
    found = uow.sessions.owner(hash_secret(token))
    if found is None or found[0].expires_at <= now:
        return None
    session, user = found
    return (user, session) if user.is_active else None


def do_end_session(uow: UnitOfWork, token: str) -> None:
    uow.sessions.delete(hash_secret(token))


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


def get_user(uow: UnitOfWork, workspace_id: int, user_id: int) -> User:
    user = uow.users.get(workspace_id, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    return user
