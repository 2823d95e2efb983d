"""The ports of workspaces and the people in them: users, API tokens, web sessions, brand accounts,
contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from socialdesk.domain.people import BrandAccount, ContactHandle, Role, User, Workspace
from socialdesk.domain.post import Author
from socialdesk.ports.inbox import PostKey


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    workspace_id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime | None = None  # None: the token lasts until it is revoked

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    user_id: int
    workspace_id: int
    csrf_token: str
    expires_at: datetime


class WorkspaceRepo(Protocol):
    def add(self, slug: str, name: str) -> Workspace: ...
    def get(self, workspace_id: int) -> Workspace | None: ...
    def get_by_slug(self, slug: str) -> Workspace | None: ...
    def list(self) -> list[Workspace]: ...


class UserRepo(Protocol):
    def add(
        self, workspace_id: int, email: str, name: str, role: Role, password_hash: str, signature: str
    ) -> User: ...
    def get(self, workspace_id: int, user_id: int) -> User | None: ...
    def get_by_email(self, email: str) -> tuple[User, str] | None:
        """The user with this (case-insensitive) email and their password hash."""
        ...

    def list(self, workspace_id: int) -> list[User]: ...
    def set_role(self, workspace_id: int, user_id: int, role: Role) -> None: ...
    def set_active(self, workspace_id: int, user_id: int, active: bool) -> None: ...
    def set_password_hash(self, workspace_id: int, user_id: int, password_hash: str) -> None: ...


class TokenRepo(Protocol):
    def add(
        self,
        workspace_id: int,
        user_id: int,
        name: str,
        token_hash: str,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> ApiToken: ...
    def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def owner(self, token_hash: str) -> tuple[ApiToken, User] | None:
        """The token with this hash and its user, in one look-up (whether active or not)."""
        ...

    def get(self, workspace_id: int, token_id: int) -> ApiToken | None: ...
    def list(self, workspace_id: int, user_id: int | None = None) -> list[ApiToken]:
        """The workspace's tokens (or one user's), oldest first."""
        ...

    def delete(self, workspace_id: int, token_id: int) -> bool: ...


class SessionRepo(Protocol):
    def add(
        self, user_id: int, workspace_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> WebSession: ...
    def get_by_hash(self, token_hash: str) -> WebSession | None: ...
    def owner(self, token_hash: str) -> tuple[WebSession, User] | None:
        """The session with this hash and its user, in one look-up (whether active or not)."""
        ...

    def delete(self, token_hash: str) -> None: ...
    def delete_for_user(self, workspace_id: int, user_id: int, keep_id: int | None = None) -> int:
        """End a user's sessions (all, or all but `keep_id`); returns how many ended."""
        ...


class BrandAccountRepo(Protocol):
    def add(self, workspace_id: int, channel: str, handle: str, external_id: str | None) -> BrandAccount: ...
    def list(self, workspace_id: int) -> list[BrandAccount]: ...
    def remove(self, workspace_id: int, brand_account_id: int) -> bool: ...
    def conversation_count(self, workspace_id: int, brand_account_id: int) -> int:
        """How many conversations have this account as their brand (the one they were addressed to)."""
        ...

    def move_conversations(self, workspace_id: int, from_id: int, to_id: int) -> int:
        """Make `to_id` the brand of every conversation whose brand is `from_id`; how many moved."""
        ...


class ContactRepo(Protocol):
    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        """Find or create a contact handle for each (channel, author); refresh name and followers."""
        ...

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]: ...
