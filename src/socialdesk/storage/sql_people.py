"""SQL repositories for workspaces, users, credentials, brand accounts and contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, tuple_, update

from socialdesk.domain.assignment import AgentStatus, Skills
from socialdesk.domain.people import BrandAccount, ContactHandle, Role, User, Workspace, normalize_handle
from socialdesk.domain.post import Author
from socialdesk.ports import ApiToken, PostKey, WebSession
from socialdesk.storage import schema as s
from socialdesk.storage.bulk import insert_ids


def _user(row: Any) -> User:
    return User(
        id=row.id,
        workspace_id=row.workspace_id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        signature=row.signature,
        is_active=row.is_active,
        status=AgentStatus(row.status),
        capacity=row.capacity,
        in_training=row.in_training,
        skills=skills_from_json(row.skills),
    )


def skills_from_json(data: dict[str, Any] | None) -> Skills:
    data = data or {}
    return Skills(
        languages=frozenset(data.get("languages", ())),
        products=frozenset(data.get("products", ())),
        channels=frozenset(data.get("channels", ())),
    )


def skills_to_json(skills: Skills) -> dict[str, list[str]]:
    return {
        "languages": sorted(skills.languages),
        "products": sorted(skills.products),
        "channels": sorted(skills.channels),
    }


def _handle(row: Any) -> ContactHandle:
    return ContactHandle(
        id=row.id,
        workspace_id=row.workspace_id,
        contact_id=row.contact_id,
        channel=row.channel,
        external_id=row.external_id,
        handle=row.handle,
        name=row.name,
        followers=row.followers,
        verified=row.verified,
    )


class SqlWorkspaces:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, slug: str, name: str) -> Workspace:
        new_id = self.conn.execute(insert(s.workspaces).values(slug=slug, name=name)).inserted_primary_key
        assert new_id is not None
        return Workspace(id=new_id[0], slug=slug, name=name)

    def get(self, workspace_id: int) -> Workspace | None:
        row = self.conn.execute(select(s.workspaces).where(s.workspaces.c.id == workspace_id)).first()
        return Workspace(row.id, row.slug, row.name) if row else None

    def get_by_slug(self, slug: str) -> Workspace | None:
        row = self.conn.execute(select(s.workspaces).where(s.workspaces.c.slug == slug)).first()
        return Workspace(row.id, row.slug, row.name) if row else None

    def list(self) -> list[Workspace]:
        rows = self.conn.execute(select(s.workspaces).order_by(s.workspaces.c.id))
        return [Workspace(r.id, r.slug, r.name) for r in rows]


class SqlUsers:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, workspace_id: int, email: str, name: str, role: Role, password_hash: str, signature: str
    ) -> User:
        values = {
            "workspace_id": workspace_id,
            "email": email.strip().lower(),
            "name": name,
            "role": role.value,
            "password_hash": password_hash,
            "signature": signature,
            "is_active": True,
            "status": "offline",
            "capacity": 5,
            "in_training": False,
            "skills": {},
        }
        row = self.conn.execute(insert(s.users).values(**values).returning(*s.users.c)).one()
        return _user(row)

    def get(self, workspace_id: int, user_id: int) -> User | None:
        q = select(s.users).where(s.users.c.workspace_id == workspace_id, s.users.c.id == user_id)
        row = self.conn.execute(q).first()
        return _user(row) if row else None

    def get_by_email(self, email: str) -> tuple[User, str] | None:
        row = self.conn.execute(select(s.users).where(s.users.c.email == email.strip().lower())).first()
        return (_user(row), row.password_hash) if row else None

    def list(self, workspace_id: int) -> list[User]:
        q = select(s.users).where(s.users.c.workspace_id == workspace_id).order_by(s.users.c.id)
        return [_user(r) for r in self.conn.execute(q)]


class SqlTokens:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, user_id: int, name: str, token_hash: str, now: datetime) -> ApiToken:
        values = {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "name": name,
            "token_hash": token_hash,
            "created_at": now,
        }
        new_id = self.conn.execute(insert(s.api_tokens).values(**values)).inserted_primary_key
        assert new_id is not None
        return ApiToken(id=new_id[0], workspace_id=workspace_id, user_id=user_id, name=name, created_at=now)

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self.conn.execute(select(s.api_tokens).where(s.api_tokens.c.token_hash == token_hash)).first()
        if row is None:
            return None
        return ApiToken(row.id, row.workspace_id, row.user_id, row.name, row.created_at)


class SqlSessions:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, user_id: int, workspace_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> WebSession:
        values = {
            "user_id": user_id,
            "workspace_id": workspace_id,
            "token_hash": token_hash,
            "csrf_token": csrf_token,
            "expires_at": expires_at,
        }
        new_id = self.conn.execute(insert(s.web_sessions).values(**values)).inserted_primary_key
        assert new_id is not None
        return WebSession(new_id[0], user_id, workspace_id, csrf_token, expires_at)

    def get_by_hash(self, token_hash: str) -> WebSession | None:
        q = select(s.web_sessions).where(s.web_sessions.c.token_hash == token_hash)
        row = self.conn.execute(q).first()
        if row is None:
            return None
        return WebSession(row.id, row.user_id, row.workspace_id, row.csrf_token, row.expires_at)

    def delete(self, token_hash: str) -> None:
        self.conn.execute(delete(s.web_sessions).where(s.web_sessions.c.token_hash == token_hash))


class SqlBrands:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, channel: str, handle: str, external_id: str | None) -> BrandAccount:
        values = {
            "workspace_id": workspace_id,
            "channel": channel,
            "handle": handle.lstrip("@"),
            "handle_key": normalize_handle(handle),
            "external_id": external_id,
        }
        new_id = self.conn.execute(insert(s.brand_accounts).values(**values)).inserted_primary_key
        assert new_id is not None
        return BrandAccount(new_id[0], workspace_id, channel, handle.lstrip("@"), external_id)

    def list(self, workspace_id: int) -> list[BrandAccount]:
        t = s.brand_accounts
        rows = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id))
        return [BrandAccount(r.id, r.workspace_id, r.channel, r.handle, r.external_id) for r in rows]


class SqlContacts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        t = s.contact_handles
        wanted: dict[PostKey, Author] = {}
        for channel, author in authors:
            wanted[(channel, author.id)] = author  # the latest sighting wins
        found: dict[PostKey, ContactHandle] = {}
        keys = list(wanted)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = select(t).where(
                t.c.workspace_id == workspace_id, tuple_(t.c.channel, t.c.external_id).in_(chunk)
            )
            for row in self.conn.execute(q):
                found[(row.channel, row.external_id)] = _handle(row)
        missing = [k for k in keys if k not in found]
        if missing:
            contact_rows = [
                {"workspace_id": workspace_id, "name": wanted[k].name or wanted[k].handle, "created_at": now}
                for k in missing
            ]
            contact_ids = insert_ids(self.conn, s.contacts, contact_rows)
            handle_rows = [
                {
                    "workspace_id": workspace_id,
                    "contact_id": cid,
                    "channel": k[0],
                    "external_id": k[1],
                    "handle": wanted[k].handle,
                    "name": wanted[k].name,
                    "followers": wanted[k].followers,
                    "verified": wanted[k].verified,
                }
                for k, cid in zip(missing, contact_ids, strict=True)
            ]
            handle_ids = insert_ids(self.conn, t, handle_rows)
            for values, handle_id in zip(handle_rows, handle_ids, strict=True):
                found[(str(values["channel"]), str(values["external_id"]))] = _handle(
                    SimpleNamespace(id=handle_id, **values)
                )
        changed = [
            (found[k], a)
            for k, a in wanted.items()
            if (found[k].handle, found[k].name, found[k].followers, found[k].verified)
            != (a.handle, a.name, a.followers if a.followers is not None else found[k].followers, a.verified)
        ]
        for handle, author in changed:
            followers = author.followers if author.followers is not None else handle.followers
            self.conn.execute(
                update(t)
                .where(t.c.id == handle.id)
                .values(handle=author.handle, name=author.name, followers=followers, verified=author.verified)
            )
            found[(handle.channel, handle.external_id)] = replace(
                handle, handle=author.handle, name=author.name, followers=followers, verified=author.verified
            )
        return {k: found[k] for k in keys}

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]:
        t = s.contact_handles
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.contact_id == contact_id).order_by(t.c.id)
        return [_handle(r) for r in self.conn.execute(q)]


def count_rows(conn: Connection, table: Any, workspace_id: int) -> int:
    q = select(func.count()).select_from(table).where(table.c.workspace_id == workspace_id)
    return int(conn.execute(q).scalar_one())
