"""The secrets a signed-in user presents: API tokens and web sessions, random strings stored only as
their hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from socialdesk.actions.accounts.users import CLI
from socialdesk.actions.care.audit import record
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.uow import UnitOfWork


def hash_secret(secret: str) -> str:
    """API tokens and session ids are long random strings: SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


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
