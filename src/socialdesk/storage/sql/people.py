"""SQL repositories for workspaces, users, credentials, brand accounts and contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.sql.selectable import TextualSelect

from socialdesk.domain.assignment import AgentStatus, Skills
from socialdesk.domain.people import BrandAccount, ContactHandle, Role, User, Workspace, normalize_handle
from socialdesk.domain.post import Author
from socialdesk.ports.accounts import ApiToken, WebSession
from socialdesk.ports.inbox import PostKey
from socialdesk.storage import schema as s
from socialdesk.storage.sql import key_sets
from socialdesk.storage.sql.credentials import SESSION_OWNER, TOKEN_OWNER
from socialdesk.storage.sql.fast.bulk import insert_ids
from socialdesk.storage.sql.fast.reads import fetch
from socialdesk.storage.sql.fast.statements import execute_many, insert_statement, prepare


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

    def _change(self, workspace_id: int, user_id: int, **values: object) -> None:
        t = s.users
        where = (t.c.workspace_id == workspace_id, t.c.id == user_id)
        self.conn.execute(update(t).where(*where).values(**values))

    def set_role(self, workspace_id: int, user_id: int, role: Role) -> None:
        self._change(workspace_id, user_id, role=role.value)

    def set_active(self, workspace_id: int, user_id: int, active: bool) -> None:
        self._change(workspace_id, user_id, is_active=active)

    def set_password_hash(self, workspace_id: int, user_id: int, password_hash: str) -> None:
        self._change(workspace_id, user_id, password_hash=password_hash)


def _token(row: Any) -> ApiToken:
    return ApiToken(row.id, row.workspace_id, row.user_id, row.name, row.created_at, row.expires_at)


class SqlTokens:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        workspace_id: int,
        user_id: int,
        name: str,
        token_hash: str,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> ApiToken:
        values = {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "name": name,
            "token_hash": token_hash,
            "created_at": now,
            "expires_at": expires_at,
        }
        new_id = self.conn.execute(insert(s.api_tokens).values(**values)).inserted_primary_key
        assert new_id is not None
        return ApiToken(new_id[0], workspace_id, user_id, name, now, expires_at)

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self.conn.execute(select(s.api_tokens).where(s.api_tokens.c.token_hash == token_hash)).first()
        return _token(row) if row is not None else None

    def owner(self, token_hash: str) -> tuple[ApiToken, User] | None:
        row = self.conn.execute(TOKEN_OWNER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        found = ApiToken(
            row.secret_id,
            row.workspace_id,
            row.id,
            row.token_name,
            row.token_created_at,
            row.secret_expires_at,
        )
        return found, _user(row)

    def get(self, workspace_id: int, token_id: int) -> ApiToken | None:
        t = s.api_tokens
        row = self.conn.execute(select(t).where(t.c.workspace_id == workspace_id, t.c.id == token_id)).first()
        return _token(row) if row is not None else None

    def list(self, workspace_id: int, user_id: int | None = None) -> list[ApiToken]:
        t = s.api_tokens
        q = select(t).where(t.c.workspace_id == workspace_id)
        if user_id is not None:
            q = q.where(t.c.user_id == user_id)
        return [_token(r) for r in self.conn.execute(q.order_by(t.c.id))]

    def delete(self, workspace_id: int, token_id: int) -> bool:
        t = s.api_tokens
        done = self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == token_id))
        return done.rowcount > 0


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

    def owner(self, token_hash: str) -> tuple[WebSession, User] | None:
        row = self.conn.execute(SESSION_OWNER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        return WebSession(
            row.secret_id, row.id, row.workspace_id, row.csrf_token, row.secret_expires_at
        ), _user(row)

    def delete(self, token_hash: str) -> None:
        self.conn.execute(delete(s.web_sessions).where(s.web_sessions.c.token_hash == token_hash))

    def delete_for_user(self, workspace_id: int, user_id: int, keep_id: int | None = None) -> int:
        t = s.web_sessions
        q = delete(t).where(t.c.workspace_id == workspace_id, t.c.user_id == user_id)
        if keep_id is not None:
            q = q.where(t.c.id != keep_id)
        return self.conn.execute(q).rowcount


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

    def remove(self, workspace_id: int, brand_account_id: int) -> bool:
        t = s.brand_accounts
        q = delete(t).where(t.c.workspace_id == workspace_id, t.c.id == brand_account_id)
        return bool(self.conn.execute(q).rowcount)

    def conversation_count(self, workspace_id: int, brand_account_id: int) -> int:
        c = s.conversations
        where = (c.c.workspace_id == workspace_id, c.c.brand_account_id == brand_account_id)
        q = select(func.count()).where(*where)
        return int(self.conn.execute(q).scalar_one())

    def move_conversations(self, workspace_id: int, from_id: int, to_id: int) -> int:
        c = s.conversations
        q = (
            update(c)
            .where(c.c.workspace_id == workspace_id, c.c.brand_account_id == from_id)
            .values(brand_account_id=to_id)
        )
        return int(self.conn.execute(q).rowcount)


class SqlContacts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def ensure_handles(
        self, workspace_id: int, authors: Sequence[tuple[str, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        wanted: dict[PostKey, Author] = {}
        for channel, author in authors:
            wanted[(channel, author.id)] = author  # the latest sighting wins
        keys = list(wanted)
        if not keys:
            return {}
        found = self._find(workspace_id, keys)
        # Sorted, so that two workers storing overlapping authors take the key locks in one order.
        missing = sorted(k for k in keys if k not in found)
        if missing:
            found.update(self._add(workspace_id, [(k, wanted[k]) for k in missing], now))
        changed = sorted(
            (
                (found[k], a)
                for k, a in wanted.items()
                if (found[k].handle, found[k].name, found[k].followers, found[k].verified)
                != (
                    a.handle,
                    a.name,
                    a.followers if a.followers is not None else found[k].followers,
                    a.verified,
                )
            ),
            key=lambda pair: pair[0].id,
        )
        updates = []
        for handle, author in changed:
            followers = author.followers if author.followers is not None else handle.followers
            updates.append(
                {
                    "b_id": handle.id,
                    "v_handle": author.handle,
                    "v_name": author.name,
                    "v_followers": followers,
                    "v_verified": author.verified,
                }
            )
            found[(handle.channel, handle.external_id)] = replace(
                handle, handle=author.handle, name=author.name, followers=followers, verified=author.verified
            )
        execute_many(self.conn, prepare(self.conn.dialect, "contact_handles:update", _handle_update), updates)
        return {k: found[k] for k in keys}

    def _find(self, workspace_id: int, keys: Sequence[PostKey]) -> dict[PostKey, ContactHandle]:
        wanted, params = key_sets.pairs(self.conn, keys)

        def build() -> TextualSelect:
            q = key_sets.probe(
                self.conn,
                wanted,
                "h.*",
                "contact_handles AS h",
                "h.workspace_id = :ws AND h.channel = k.k1 AND h.external_id = k.k2",
            )
            return text(q).columns(*s.contact_handles.c)

        rows = fetch(self.conn, "contact_handles:by_keys", build, {**params, "ws": workspace_id})
        return {(r.channel, r.external_id): _handle(r) for r in rows}

    def _add(
        self, workspace_id: int, new: Sequence[tuple[PostKey, Author]], now: datetime
    ) -> dict[PostKey, ContactHandle]:
        """A contact and a handle for each new author. Another worker may be storing the same author
        at this moment: its handle wins (ON CONFLICT DO NOTHING) and the contact made here for it
        is removed again, so a redelivery or a race never makes two contacts for one handle."""
        contact_rows = [
            {"workspace_id": workspace_id, "name": a.name or a.handle, "created_at": now} for _, a in new
        ]
        contact_ids = insert_ids(self.conn, s.contacts, contact_rows)
        handle_rows = [
            {
                "workspace_id": workspace_id,
                "contact_id": cid,
                "channel": k[0],
                "external_id": k[1],
                "handle": a.handle,
                "name": a.name,
                "followers": a.followers,
                "verified": a.verified,
            }
            for (k, a), cid in zip(new, contact_ids, strict=True)
        ]
        if self.conn.dialect.name == "sqlite":
            # SQLite has one writer at a time (BEGIN IMMEDIATE): nobody else can add these keys now.
            handle_ids = insert_ids(self.conn, s.contact_handles, handle_rows)
            return {
                (str(v["channel"]), str(v["external_id"])): _handle(SimpleNamespace(id=i, **v))
                for v, i in zip(handle_rows, handle_ids, strict=True)
            }
        columns = list(handle_rows[0])
        execute_many(
            self.conn,
            insert_statement(self.conn.dialect, s.contact_handles, columns, skip_conflicts=True),
            handle_rows,
        )
        stored = self._find(workspace_id, [k for k, _ in new])
        unused = set(contact_ids) - {h.contact_id for h in stored.values()}
        if unused:
            t = s.contacts
            self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id.in_(sorted(unused))))
        return stored

    def handles_of(self, workspace_id: int, contact_id: int) -> list[ContactHandle]:
        t = s.contact_handles
        q = select(t).where(t.c.workspace_id == workspace_id, t.c.contact_id == contact_id).order_by(t.c.id)
        return [_handle(r) for r in self.conn.execute(q)]


def _handle_update() -> Any:
    t = s.contact_handles
    return (
        update(t)
        .where(t.c.id == bindparam("b_id"))
        .values(
            handle=bindparam("v_handle"),
            name=bindparam("v_name"),
            followers=bindparam("v_followers"),
            verified=bindparam("v_verified"),
        )
    )


def count_rows(conn: Connection, table: Any, workspace_id: int) -> int:
    q = select(func.count()).select_from(table).where(table.c.workspace_id == workspace_id)
    return int(conn.execute(q).scalar_one())
