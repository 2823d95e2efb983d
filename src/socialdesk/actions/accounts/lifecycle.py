"""The lifecycle of users and API tokens: roles, disabling, passwords, listing and revoking tokens.

Every change is audited with before/after and never a secret (a token appears by id and name only).
`actor` is the admin (or the user themself) making the change; None means the CLI, recorded as
actor None with ``by: "cli"``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.users import (
    CLI,
    check_create_user,
    check_new_password,
    get_user,
    hash_password,
    password_matches,
)
from socialdesk.actions.care.audit import record
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.ports.accounts import ApiToken, WebSession
from socialdesk.ports.uow import UnitOfWork


def _require_admin(actor: User | None, workspace_id: int) -> None:
    if actor is not None and not (actor.is_admin and actor.workspace_id == workspace_id):
        raise PermissionDenied("only an admin of this workspace may manage its users")


def _audit(
    uow: UnitOfWork, workspace_id: int, now: datetime, actor: User | None, action: str, **data: Any
) -> None:
    by: dict[str, Any] = {"by": CLI} if actor is None else {}
    record(uow, workspace_id, now, actor.id if actor else None, action, **data, **by)


def _other_active_admins(uow: UnitOfWork, user: User) -> int:
    return sum(1 for u in uow.users.list(user.workspace_id) if u.is_admin and u.is_active and u.id != user.id)


def _keep_an_admin(uow: UnitOfWork, user: User, change: str) -> None:
    if user.is_admin and user.is_active and _other_active_admins(uow, user) == 0:
        raise ValidationFailed(
            f"{user.email} is the last active admin of this workspace and cannot be {change}: "
            "make another user admin first"
        )


def list_users(uow: UnitOfWork, actor: User | None, workspace_id: int) -> list[User]:
    _require_admin(actor, workspace_id)
    return uow.users.list(workspace_id)


def check_set_role(
    uow: UnitOfWork, actor: User | None, workspace_id: int, user_id: int, role: Role, now: datetime
) -> User:
    _require_admin(actor, workspace_id)
    user = get_user(uow, workspace_id, user_id)
    if user.role is role:
        return user
    if role is not Role.ADMIN:
        _keep_an_admin(uow, user, "demoted")
    return do_set_role(uow, actor, user, role, now)


def do_set_role(uow: UnitOfWork, actor: User | None, user: User, role: Role, now: datetime) -> User:
    uow.users.set_role(user.workspace_id, user.id, role)
    _audit(
        uow, user.workspace_id, now, actor, "user.role_set", user_id=user.id, email=user.email,
        before={"role": user.role.value}, after={"role": role.value},
    )  # fmt: skip
    return get_user(uow, user.workspace_id, user.id)


def check_set_active(
    uow: UnitOfWork, actor: User | None, workspace_id: int, user_id: int, active: bool, now: datetime
) -> User:
    _require_admin(actor, workspace_id)
    user = get_user(uow, workspace_id, user_id)
    if user.is_active is active:
        return user
    if not active:
        _keep_an_admin(uow, user, "disabled")
    return do_set_active(uow, actor, user, active, now)


def do_set_active(uow: UnitOfWork, actor: User | None, user: User, active: bool, now: datetime) -> User:
    """Enable or disable a user. Disabling ends their sessions now; their tokens are refused while the
    user is disabled (every request checks), and work again if the user is enabled."""
    uow.users.set_active(user.workspace_id, user.id, active)
    ended = 0 if active else uow.sessions.delete_for_user(user.workspace_id, user.id)
    _audit(
        uow, user.workspace_id, now, actor, "user.enabled" if active else "user.disabled",
        user_id=user.id, email=user.email, before={"is_active": user.is_active},
        after={"is_active": active}, sessions_ended=ended,
    )  # fmt: skip
    return get_user(uow, user.workspace_id, user.id)


def check_set_password(
    uow: UnitOfWork, actor: User | None, workspace_id: int, user_id: int, password: str, now: datetime
) -> User:
    """An admin (or the CLI) sets a user's password: every session of that user ends."""
    _require_admin(actor, workspace_id)
    user = get_user(uow, workspace_id, user_id)
    check_new_password(password)
    uow.users.set_password_hash(workspace_id, user.id, hash_password(password))
    ended = uow.sessions.delete_for_user(workspace_id, user.id)
    _audit(
        uow, workspace_id, now, actor, "user.password_set", user_id=user.id, email=user.email,
        sessions_ended=ended,
    )  # fmt: skip
    return user


def check_change_password(
    uow: UnitOfWork, user: User, session: WebSession | None, current: str, new: str, now: datetime
) -> int:
    """A user changes their own password; their other sessions end, `session` stays. Returns how many
    sessions ended. A wrong current password raises PermissionDenied (the caller counts it as a
    failed login)."""
    found = uow.users.get_by_email(user.email)
    if found is None or found[0].id != user.id:
        raise NotFound(f"user {user.id}")
    if not password_matches(found[1], current):
        raise PermissionDenied("the current password is wrong")
    check_new_password(new)
    if new == current:
        raise ValidationFailed("the new password is the same as the current one")
    uow.users.set_password_hash(user.workspace_id, user.id, hash_password(new))
    keep = session.id if session is not None else None
    ended = uow.sessions.delete_for_user(user.workspace_id, user.id, keep_id=keep)
    _audit(
        uow, user.workspace_id, now, user, "user.password_changed", user_id=user.id, email=user.email,
        sessions_ended=ended,
    )  # fmt: skip
    return ended


def list_tokens(
    uow: UnitOfWork, actor: User | None, workspace_id: int, user_id: int | None = None
) -> list[ApiToken]:
    """An admin (or the CLI) sees the workspace's tokens, or one user's; anyone else sees their own."""
    if actor is None or actor.is_admin:
        _require_admin(actor, workspace_id)
        return uow.tokens.list(workspace_id, user_id)
    if user_id is not None and user_id != actor.id:
        raise PermissionDenied("you may list only your own tokens")
    return uow.tokens.list(actor.workspace_id, actor.id)


def check_revoke_token(
    uow: UnitOfWork, actor: User | None, workspace_id: int, token_id: int, now: datetime
) -> ApiToken:
    """Delete a token: an admin any of the workspace's, a user their own. Someone else's token is
    'not found', as if it did not exist."""
    if actor is not None and actor.workspace_id != workspace_id:
        raise NotFound(f"token {token_id}")
    token = uow.tokens.get(workspace_id, token_id)
    if token is None or (actor is not None and not actor.is_admin and token.user_id != actor.id):
        raise NotFound(f"token {token_id}")
    uow.tokens.delete(workspace_id, token_id)
    before = {
        "token_id": token.id,
        "name": token.name,
        "user_id": token.user_id,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }
    _audit(uow, workspace_id, now, actor, "token.revoked", before=before, after=None)
    return token


def check_add_user(
    uow: UnitOfWork, actor: User, email: str, name: str, password: str, role: Role, now: datetime
) -> User:
    """An admin adds a user to their workspace with a password they set (audited as `user.created`)."""
    _require_admin(actor, actor.workspace_id)
    return check_create_user(uow, actor.workspace_id, email, name, password, role, now=now, actor_id=actor.id)
