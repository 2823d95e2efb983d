"""Workspaces and users, with their passwords (API tokens and web sessions: credentials.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from socialdesk.actions.accounts import password_hashing
from socialdesk.actions.care.audit import record
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import Role, User, Workspace, default_signature
from socialdesk.ports.uow import UnitOfWork

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


def get_user(uow: UnitOfWork, workspace_id: int, user_id: int) -> User:
    user = uow.users.get(workspace_id, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    return user
