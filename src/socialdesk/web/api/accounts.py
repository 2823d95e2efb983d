"""Users and API tokens in the REST API: admins manage their workspace's users (role, disabled,
password) and tokens; everyone lists and revokes their own tokens. Never a password or a token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, Field

from socialdesk.actions.accounts.lifecycle import (
    check_revoke_token,
    check_set_active,
    check_set_password,
    check_set_role,
    list_tokens,
    list_users,
)
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.actions.accounts.users import MAX_PASSWORD, MIN_PASSWORD, get_user
from socialdesk.domain.errors import PermissionDenied
from socialdesk.domain.people import Role, User
from socialdesk.ports.accounts import ApiToken
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import MAX_ID, Id, InputModel

router = APIRouter(
    tags=["users"],
    responses={
        401: {"description": "Not authenticated (no, wrong, expired or revoked token; disabled user)."},
        403: {"description": "Not allowed (admins only)."},
        404: {"description": "No such user or token in your workspace (or not yours)."},
        429: {"description": "Too many wrong tokens from this address; retry after Retry-After."},
    },
)


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Literal["admin", "lead", "agent", "knowledge_editor"]
    is_active: bool
    in_training: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role.value,
            is_active=user.is_active,
            in_training=user.in_training,
        )


class UserChangeIn(InputModel):
    role: Literal["admin", "lead", "agent", "knowledge_editor"] | None = Field(
        None, description="The last active admin of the workspace cannot be demoted."
    )
    is_active: bool | None = Field(
        None,
        description="false: the user's sessions end and their tokens are refused at once. "
        "The last active admin cannot be disabled.",
    )


class PasswordIn(InputModel):
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)


class TokenOut(BaseModel):
    id: int
    name: str
    user_id: int
    created_at: datetime
    expires_at: datetime | None
    expired: bool

    @classmethod
    def of(cls, token: ApiToken, now: datetime) -> TokenOut:
        return cls(
            id=token.id,
            name=token.name,
            user_id=token.user_id,
            created_at=token.created_at,
            expires_at=token.expires_at,
            expired=token.expired(now),
        )


def _admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("admins only")


@router.get("/users")
def users(user: ApiUserDep, runtime: RuntimeDep) -> list[UserOut]:
    """The users of the admin's workspace. Admins only."""
    _admin(user)
    with runtime.read_uow() as uow:
        return [UserOut.of(u) for u in list_users(uow, user, user.workspace_id)]


@router.patch("/users/{user_id}")
def change_user(user_id: Id, body: UserChangeIn, user: ApiUserDep, runtime: RuntimeDep) -> UserOut:
    """Set a user's role and/or disable or enable them (audited with before and after). Admins only."""
    _admin(user)
    now = runtime.clock.now()
    with runtime.uow() as uow:
        changed = get_user(uow, user.workspace_id, user_id)
        if body.role is not None:
            changed = check_set_role(uow, user, user.workspace_id, user_id, Role(body.role), now)
        if body.is_active is not None:
            changed = check_set_active(uow, user, user.workspace_id, user_id, body.is_active, now)
    return UserOut.of(changed)


@router.post(
    "/users/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={503: {"description": "Every password hashing slot stayed busy; retry after Retry-After."}},
)
def set_password(user_id: Id, body: PasswordIn, user: ApiUserDep, runtime: RuntimeDep) -> Response:
    """Set a user's password; every web session of theirs ends. Admins only."""
    _admin(user)
    try:
        with runtime.uow() as uow:
            check_set_password(uow, user, user.workspace_id, user_id, body.password, runtime.clock.now())
    except HashingBusy as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "5"}) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens")
def tokens(
    user: ApiUserDep,
    runtime: RuntimeDep,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this user's tokens.")] = None,
) -> list[TokenOut]:
    """API tokens (never the token itself): an admin sees the workspace's, anyone else their own."""
    now = runtime.clock.now()
    with runtime.read_uow() as uow:
        return [TokenOut.of(t, now) for t in list_tokens(uow, user, user.workspace_id, user_id)]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> Response:
    """Revoke a token: an admin any of the workspace's, anyone else their own (another user's token is
    404, as if it did not exist). Revoking the token of this very call works; the next call fails."""
    with runtime.uow() as uow:
        check_revoke_token(uow, user, user.workspace_id, token_id, runtime.clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
