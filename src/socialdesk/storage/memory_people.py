"""In-memory repositories: workspaces, users, credentials, brand accounts and contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from socialdesk.domain.people import (
    BrandAccount,
    Contact,
    ContactHandle,
    Role,
    User,
    Workspace,
    normalize_handle,
)
from socialdesk.domain.post import Author
from socialdesk.ports import (
    ApiToken,
    PostKey,
    WebSession,
)
from socialdesk.storage.memory_errors import IntegrityError
from socialdesk.storage.memory_tables import _Repo


class _Workspaces(_Repo):
    def add(self, slug: str, name: str) -> Workspace:
        if any(w.slug == slug for w in self.t.workspaces.values()):
            raise IntegrityError(f"workspace slug {slug!r} exists")
        ws = Workspace(self.t.new_id("workspaces"), slug, name)
        self.t.workspaces[ws.id] = ws
        return ws

    def get(self, workspace_id: int) -> Workspace | None:
        return self.t.workspaces.get(workspace_id)

    def get_by_slug(self, slug: str) -> Workspace | None:
        return next((w for w in self.t.workspaces.values() if w.slug == slug), None)

    def list(self) -> list[Workspace]:
        return sorted(self.t.workspaces.values(), key=lambda w: w.id)


class _Users(_Repo):
    def add(
        self, workspace_id: int, email: str, name: str, role: Role, password_hash: str, signature: str
    ) -> User:
        email = email.strip().lower()
        if any(u.email == email for u, _ in self.t.users.values()):
            raise IntegrityError(f"user {email!r} exists")
        user = User(self.t.new_id("users"), workspace_id, email, name, role, signature)
        self.t.users[user.id] = (user, password_hash)
        return user

    def get(self, workspace_id: int, user_id: int) -> User | None:
        found = self.t.users.get(user_id)
        return found[0] if found and found[0].workspace_id == workspace_id else None

    def get_by_email(self, email: str) -> tuple[User, str] | None:
        email = email.strip().lower()
        return next((pair for pair in self.t.users.values() if pair[0].email == email), None)

    def list(self, workspace_id: int) -> list[User]:
        return sorted(
            (u for u, _ in self.t.users.values() if u.workspace_id == workspace_id), key=lambda u: u.id
        )

    def _found(self, workspace_id: int, user_id: int) -> tuple[User, str] | None:
        found = self.t.users.get(user_id)
        return found if found is not None and found[0].workspace_id == workspace_id else None

    def set_role(self, workspace_id: int, user_id: int, role: Role) -> None:
        if found := self._found(workspace_id, user_id):
            self.t.users[user_id] = (replace(found[0], role=role), found[1])

    def set_active(self, workspace_id: int, user_id: int, active: bool) -> None:
        if found := self._found(workspace_id, user_id):
            self.t.users[user_id] = (replace(found[0], is_active=active), found[1])

    def set_password_hash(self, workspace_id: int, user_id: int, password_hash: str) -> None:
        if found := self._found(workspace_id, user_id):
            self.t.users[user_id] = (found[0], password_hash)


class _Tokens(_Repo):
    def add(
        self,
        workspace_id: int,
        user_id: int,
        name: str,
        token_hash: str,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> ApiToken:
        token = ApiToken(self.t.new_id("tokens"), workspace_id, user_id, name, now, expires_at)
        self.t.tokens[token_hash] = token
        return token

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        return self.t.tokens.get(token_hash)

    def get(self, workspace_id: int, token_id: int) -> ApiToken | None:
        return next(
            (t for t in self.t.tokens.values() if t.id == token_id and t.workspace_id == workspace_id), None
        )

    def list(self, workspace_id: int, user_id: int | None = None) -> list[ApiToken]:
        found = (
            t
            for t in self.t.tokens.values()
            if t.workspace_id == workspace_id and (user_id is None or t.user_id == user_id)
        )
        return sorted(found, key=lambda t: t.id)

    def delete(self, workspace_id: int, token_id: int) -> bool:
        for key, token in list(self.t.tokens.items()):
            if token.id == token_id and token.workspace_id == workspace_id:
                del self.t.tokens[key]
                return True
        return False


class _Sessions(_Repo):
    def add(
        self, user_id: int, workspace_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> WebSession:
        session = WebSession(self.t.new_id("sessions"), user_id, workspace_id, csrf_token, expires_at)
        self.t.sessions[token_hash] = session
        return session

    def get_by_hash(self, token_hash: str) -> WebSession | None:
        return self.t.sessions.get(token_hash)

    def delete(self, token_hash: str) -> None:
        self.t.sessions.pop(token_hash, None)

    def delete_for_user(self, workspace_id: int, user_id: int, keep_id: int | None = None) -> int:
        ended = [
            key
            for key, s in self.t.sessions.items()
            if s.workspace_id == workspace_id and s.user_id == user_id and s.id != keep_id
        ]
        for key in ended:
            del self.t.sessions[key]
        return len(ended)


class _Brands(_Repo):
    def add(self, workspace_id: int, channel: str, handle: str, external_id: str | None) -> BrandAccount:
        key = normalize_handle(handle)
        for b in self.t.brands.values():
            if (b.workspace_id, b.channel, normalize_handle(b.handle)) == (workspace_id, channel, key):
                raise IntegrityError(f"brand account {handle!r} exists")
        brand = BrandAccount(self.t.new_id("brands"), workspace_id, channel, handle.lstrip("@"), external_id)
        self.t.brands[brand.id] = brand
        return brand

    def list(self, workspace_id: int) -> list[BrandAccount]:
        return [b for b in self.t.brands.values() if b.workspace_id == workspace_id]


class _Contacts(_Repo):
    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        wanted: dict[PostKey, Author] = {}
        for channel, author in authors:
            wanted[(channel, author.id)] = author
        out: dict[PostKey, ContactHandle] = {}
        for (channel, ext_id), a in wanted.items():
            key = (workspace_id, channel, ext_id)
            found = self.t.handles.get(key)
            if found is None:
                contact = Contact(self.t.new_id("contacts"), workspace_id, a.name or a.handle, now)
                self.t.contacts[contact.id] = contact
                found = ContactHandle(
                    self.t.new_id("handles"), workspace_id, contact.id, channel, ext_id, a.handle, a.name,
                    a.followers, a.verified,
                )  # fmt: skip
            else:
                followers = a.followers if a.followers is not None else found.followers
                found = replace(found, handle=a.handle, name=a.name, followers=followers, verified=a.verified)
            self.t.handles[key] = found
            out[(channel, ext_id)] = found
        return out

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]:
        return sorted(
            (
                h
                for h in self.t.handles.values()
                if h.workspace_id == workspace_id and h.contact_id == contact_id
            ),
            key=lambda h: h.id,
        )
