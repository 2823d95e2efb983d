"""SQL repository for messages: lookups by key, bulk inserts, triage and delivery updates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text, update
from sqlalchemy.sql.selectable import TextualSelect

from socialdesk.domain.post import Direction, Message, Visibility
from socialdesk.ports.inbox import NewMessage, PostKey, PostRef, ThreadLink
from socialdesk.storage import schema as s
from socialdesk.storage.sql import key_sets
from socialdesk.storage.sql.fast.bulk import chunks as _chunks
from socialdesk.storage.sql.fast.bulk import insert_ids
from socialdesk.storage.sql.fast.reads import fetch
from socialdesk.storage.sql.key_sets import params_have_keys
from socialdesk.storage.sql.people import count_rows


def message_from_row(row: Any) -> Message:
    return Message(
        id=row.id,
        workspace_id=row.workspace_id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        external_id=row.external_id,
        direction=Direction(row.direction),
        visibility=Visibility(row.visibility),
        text=row.text,
        created_at=row.created_at,
        author_handle=row.author_handle,
        author_name=row.author_name,
        author_followers=row.author_followers,
        in_reply_to=row.in_reply_to,
        sent_by_user_id=row.sent_by_user_id,
        delivery=row.delivery,
        lang=row.lang,
        monitors=tuple(row.monitors or ()),
        triage=row.triage,
        rating=row.rating,
    )


_TRIAGE_TEXT = frozenset({"triage"})


def _triage_columns(triage: dict[str, Any] | None) -> dict[str, Any]:
    """The triage fields the inbox sorts and filters on, as columns of their own."""
    if not triage:
        return {
            "needs_reply": None,
            "category": None,
            "sentiment": None,
            "sentiment_score": None,
            "urgency": None,
        }
    return {
        "needs_reply": triage.get("needs_reply"),
        "category": triage.get("category"),
        "sentiment": triage.get("sentiment"),
        "sentiment_score": triage.get("sentiment_score"),
        "urgency": triage.get("urgency"),
    }


class SqlMessages:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find_by_keys(self, workspace_id: int, keys: Iterable[PostKey]) -> dict[PostKey, PostRef]:
        wanted, params = key_sets.pairs(self.conn, keys)
        if not params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            t = s.messages
            q = key_sets.probe(
                self.conn,
                wanted,
                "m.id, m.channel, m.external_id, m.conversation_id",
                "messages AS m",
                "m.workspace_id = :ws AND m.channel = k.k1 AND m.external_id = k.k2",
            )
            return text(q).columns(t.c.id, t.c.channel, t.c.external_id, t.c.conversation_id)

        rows = fetch(self.conn, "messages:by_keys", build, {**params, "ws": workspace_id})
        return {(r.channel, r.external_id): PostRef(r.id, r.conversation_id) for r in rows}

    def find_reply_conversations(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, int]:
        return {key: found[0] for key, found in self.find_reply_threads(workspace_id, parents).items()}

    def find_reply_threads(self, workspace_id: int, parents: Iterable[PostKey]) -> dict[PostKey, list[int]]:
        wanted, params = key_sets.pairs(self.conn, parents)
        if not params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            t = s.messages
            q = key_sets.probe(
                self.conn,
                wanted,
                "m.channel, m.in_reply_to, m.conversation_id",
                "messages AS m",
                "m.workspace_id = :ws AND m.channel = k.k1 AND m.in_reply_to = k.k2 "
                "AND m.conversation_id IS NOT NULL",
            )
            return text(q).columns(t.c.channel, t.c.in_reply_to, t.c.conversation_id)

        out: dict[PostKey, set[int]] = {}
        for r in fetch(self.conn, "messages:replies", build, {**params, "ws": workspace_id}):
            out.setdefault((r.channel, r.in_reply_to), set()).add(r.conversation_id)
        return {key: sorted(found) for key, found in out.items()}  # the oldest conversation first

    def find_thread_links(self, workspace_id: int, keys: Iterable[PostKey]) -> list[ThreadLink]:
        wanted, params = key_sets.pairs(self.conn, keys)
        if not params_have_keys(params):
            return []
        t = s.messages
        columns = "m.id, m.channel, m.external_id, m.conversation_id, m.in_reply_to, m.created_at"
        found: dict[int, ThreadLink] = {}
        for name, match in (("by_keys", "m.external_id"), ("replies", "m.in_reply_to")):

            def build(match: str = match) -> TextualSelect:
                q = key_sets.probe(
                    self.conn,
                    wanted,
                    columns,
                    "messages AS m",
                    f"m.workspace_id = :ws AND m.channel = k.k1 AND {match} = k.k2",
                )
                return text(q).columns(
                    t.c.id, t.c.channel, t.c.external_id, t.c.conversation_id, t.c.in_reply_to, t.c.created_at
                )

            for r in fetch(self.conn, f"messages:links_{name}", build, {**params, "ws": workspace_id}):
                parent = (r.channel, r.in_reply_to) if r.in_reply_to else None
                found[r.id] = ThreadLink(
                    (r.channel, r.external_id), r.id, r.conversation_id, parent, r.created_at
                )
        return list(found.values())

    def find_unthreaded_brand_replies(self, workspace_id: int, parents: Iterable[PostKey]) -> list[Message]:
        wanted, params = key_sets.pairs(self.conn, parents)
        if not params_have_keys(params):
            return []

        def build() -> TextualSelect:
            q = key_sets.probe(
                self.conn,
                wanted,
                ", ".join("m." + c.name for c in s.messages.c),
                "messages AS m",
                "m.workspace_id = :ws AND m.channel = k.k1 AND m.in_reply_to = k.k2 "
                f"AND m.conversation_id IS NULL AND m.direction = '{Direction.OUTBOUND.value}'",
            )
            return text(q).columns(*s.messages.c)

        rows = fetch(self.conn, "messages:unthreaded_brand_replies", build, {**params, "ws": workspace_id})
        return sorted((message_from_row(r) for r in rows), key=lambda m: (m.created_at, m.id))

    def add_many(self, workspace_id: int, messages: Sequence[NewMessage]) -> list[int]:
        if not messages:
            return []
        # On SQLite (with the default JSON encoder) a triage encoded ahead is stored as it is: the
        # same text the JSON column would make of the dict (`json.dumps`; None is "null").
        dialect: Any = self.conn.dialect
        encoded = dialect.name == "sqlite" and dialect._json_serializer is None  # noqa: SLF001 (no getter)
        rows = [
            {
                "workspace_id": workspace_id,
                "conversation_id": m.conversation_id,
                "channel": m.channel,
                "external_id": m.external_id,
                "direction": m.direction.value,
                "visibility": m.visibility.value,
                "text": m.text,
                "created_at": m.created_at,
                "author_handle": m.author_handle,
                "author_name": m.author_name,
                "author_followers": m.author_followers,
                "contact_handle_id": m.contact_handle_id,
                "in_reply_to": m.in_reply_to,
                "lang": m.lang,
                "url": m.url,
                "is_repost": m.is_repost,
                "sent_by_user_id": m.sent_by_user_id,
                "delivery": m.delivery,
                "raw": m.raw,
                "monitors": list(m.monitors) or None,
                "triage": (m.triage_json or json.dumps(m.triage)) if encoded else m.triage,
                "dedupe_key": m.dedupe_key,
                "rating": m.rating,
                **_triage_columns(m.triage),
            }
            for m in messages
        ]
        return insert_ids(self.conn, s.messages, rows, as_text=_TRIAGE_TEXT if encoded else frozenset())

    def get(self, workspace_id: int, message_id: int) -> Message | None:
        t = s.messages
        row = self.conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == message_id)
        ).first()
        return message_from_row(row) if row else None

    def find_by_dedupe_keys(
        self, workspace_id: int, keys: Iterable[str], since: datetime
    ) -> dict[str, tuple[int, datetime]]:
        wanted, params = key_sets.values(self.conn, keys, sql_type="text")
        if not params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            t = s.messages
            found = text(
                key_sets.probe(
                    self.conn,
                    wanted,
                    "m.id, m.dedupe_key, m.conversation_id, m.created_at",
                    "messages AS m",
                    "m.workspace_id = :ws AND m.dedupe_key = k.k1 AND m.created_at >= :since "
                    "AND m.conversation_id IS NOT NULL",
                    order=("created_at", "id"),
                    alias="m",
                )
            ).bindparams(bindparam("since", type_=t.c.created_at.type))
            return found.columns(t.c.id, t.c.dedupe_key, t.c.conversation_id, t.c.created_at)

        out: dict[str, tuple[int, datetime]] = {}
        query_params = {**params, "ws": workspace_id, "since": since}
        for r in fetch(self.conn, "messages:repeats", build, query_params):
            out[r.dedupe_key] = (r.conversation_id, r.created_at)
        return out

    def set_triage(self, workspace_id: int, message_id: int, triage: dict[str, Any]) -> None:
        t = s.messages
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == message_id)
            .values(triage=triage, **_triage_columns(triage))
        )

    def latest_inbound_triage(
        self, workspace_id: int, conversation_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        t = s.messages
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(list(set(conversation_ids))):
            newest = (
                select(func.max(t.c.id))
                .where(
                    t.c.workspace_id == workspace_id,
                    t.c.conversation_id.in_(chunk),
                    t.c.direction == Direction.INBOUND.value,
                    t.c.triage.is_not(None),
                )
                .group_by(t.c.conversation_id)
            )
            q = select(t.c.conversation_id, t.c.triage).where(t.c.id.in_(newest))
            for r in self.conn.execute(q):
                if r.triage:
                    out[r.conversation_id] = r.triage
        return out

    def private_conversations(self, workspace_id: int, conversation_ids: Iterable[int]) -> set[int]:
        t = s.messages
        out: set[int] = set()
        for chunk in _chunks(list(set(conversation_ids))):
            newest = (
                select(func.max(t.c.id))
                .where(
                    t.c.workspace_id == workspace_id,
                    t.c.conversation_id.in_(chunk),
                    t.c.direction == Direction.INBOUND.value,
                )
                .group_by(t.c.conversation_id)
            )
            q = select(t.c.conversation_id).where(
                t.c.id.in_(newest), t.c.visibility == Visibility.PRIVATE.value
            )
            out.update(r.conversation_id for r in self.conn.execute(q))
        return out

    def ratings(self, workspace_id: int, conversation_ids: Iterable[int]) -> dict[int, int]:
        t = s.messages
        out: dict[int, int] = {}
        for chunk in _chunks(list(set(conversation_ids))):
            newest = (
                select(func.max(t.c.id))
                .where(
                    t.c.workspace_id == workspace_id,
                    t.c.conversation_id.in_(chunk),
                    t.c.direction == Direction.INBOUND.value,
                    t.c.rating.is_not(None),
                )
                .group_by(t.c.conversation_id)
            )
            q = select(t.c.conversation_id, t.c.rating).where(t.c.id.in_(newest))
            out.update((r.conversation_id, r.rating) for r in self.conn.execute(q))
        return out

    def recent(self, workspace_id: int, limit: int) -> list[Message]:
        t = s.messages
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.created_at.desc(), t.c.id.desc())
        return [message_from_row(r) for r in self.conn.execute(q.limit(limit))]

    def attach(self, workspace_id: int, message_id: int, conversation_id: int) -> None:
        t = s.messages
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == message_id, t.c.conversation_id.is_(None))
            .values(conversation_id=conversation_id)
        )

    def list_for_conversation(self, workspace_id: int, conversation_id: int) -> list[Message]:
        t = s.messages
        q = (
            select(t)
            .where(t.c.workspace_id == workspace_id, t.c.conversation_id == conversation_id)
            .order_by(t.c.created_at, t.c.id)
        )
        return [message_from_row(r) for r in self.conn.execute(q)]

    def mark_delivered(
        self, workspace_id: int, message_id: int, external_id: str | None, delivery: str
    ) -> None:
        t = s.messages
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == message_id)
            .values(external_id=external_id, delivery=delivery)
        )

    def count(self, workspace_id: int) -> int:
        return count_rows(self.conn, s.messages, workspace_id)

    def set_outbound(self, workspace_id: int, message_id: int, text: str, delivery: str) -> None:
        t = s.messages
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == message_id)
            .values(text=text, delivery=delivery)
        )

    def move(self, workspace_id: int, message_ids: Iterable[int], conversation_id: int) -> None:
        t = s.messages
        ids = list(message_ids)
        for chunk in _chunks(ids):
            self.conn.execute(
                update(t)
                .where(t.c.workspace_id == workspace_id, t.c.id.in_(chunk))
                .values(conversation_id=conversation_id)
            )
