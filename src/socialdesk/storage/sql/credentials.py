"""Who is behind an API token or a web session, in one statement each.

Every authenticated request asks it, so it is one indexed join (the secret's hash is unique, the user
by primary key) built once at import and found in SQLAlchemy's statement cache, rather than two
lookups. Nothing is cached between requests: a revoked token, an ended session or a disabled user is
refused by the very next request, in every process (the CLI revokes from a process of its own)."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select

from socialdesk.storage import schema as s

_u, _t, _w = s.users, s.api_tokens, s.web_sessions

# A users row, with the secret's columns beside it (read by `sql_people.SqlTokens.owner` and
# `SqlSessions.owner`).
TOKEN_OWNER = (
    select(
        _u,
        _t.c.id.label("secret_id"),
        _t.c.name.label("token_name"),
        _t.c.created_at.label("token_created_at"),
        _t.c.expires_at.label("secret_expires_at"),
    )
    .select_from(_t.join(_u, and_(_u.c.id == _t.c.user_id, _u.c.workspace_id == _t.c.workspace_id)))
    .where(_t.c.token_hash == bindparam("token_hash"))
)

SESSION_OWNER = (
    select(
        _u,
        _w.c.id.label("secret_id"),
        _w.c.csrf_token.label("csrf_token"),
        _w.c.expires_at.label("secret_expires_at"),
    )
    .select_from(_w.join(_u, and_(_u.c.id == _w.c.user_id, _u.c.workspace_id == _w.c.workspace_id)))
    .where(_w.c.token_hash == bindparam("token_hash"))
)
