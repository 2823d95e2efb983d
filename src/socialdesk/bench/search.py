"""`socialdesk bench search`: the inbox search's p50/p95 over N posts (default 3,000,000), on SQLite
and PostgreSQL, by the full-text indexes and by the `lower() LIKE` scan the inbox used before, timed
in the same run on the same database (the ratio).

Each query is the inbox's: a page of 50 conversations in urgency order whose message text, or the
customer's handle or name, matches. The mix: words from the most frequent to the rarest, two words,
a phrase, a prefix, accented words typed without accents, a handle and a name. The FTS side runs
each query `requests` times, the LIKE side `like_requests` times (a scan of millions of rows takes
seconds), after one untimed run of every query on each side (a warm cache for both).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, exists, func, or_, select

from socialdesk.bench.search_data import DEFAULT_CACHE, postgres_database, say, sqlite_database, vocabulary
from socialdesk.ports import ConversationQuery
from socialdesk.storage import inbox_order
from socialdesk.storage import schema as s
from socialdesk.storage.engine import normalize_url
from socialdesk.storage.sql_threads import SqlConversations

TARGET_P95_MS = 100.0


def queries() -> dict[str, str]:
    """Name -> typed text. Ranks are in the Zipf vocabulary of search_data (0 the most frequent)."""
    words = vocabulary()
    return {
        "very_common_word": words[0],  # "the": in most posts
        "common_word": "refund",
        "mid_word": words[500],
        "rare_word": words[5_000],
        "very_rare_word": words[30_000],
        "two_words": "router down",
        "phrase": '"still waiting"',
        "prefix": "deliv*",
        "accents_folded": "echec",
        "accented_rare_words": "conexão señal",
        "handle": "@cust123457",
        "name": "Lefèvre",
    }


def _quantiles(ms: list[float]) -> dict[str, Any]:
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"requests": len(ms), "p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2)}


def _like_page(conversations: SqlConversations, ws: int, typed: str) -> list[int]:
    """The inbox's search as it was before the full-text indexes (storage/sql_threads.py at 0.x):
    `lower(text) LIKE '%typed%'` on every message, the handle and the name."""
    c, m = s.conversations, s.messages
    folded = typed.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = "%" + folded + "%"
    who = "%" + folded.lstrip("@") + "%"
    q = (
        select(c.c.id)
        .where(
            c.c.workspace_id == ws,
            or_(
                func.lower(c.c.author_handle).like(who, escape="\\"),
                func.lower(c.c.author_name).like(who, escape="\\"),
                exists().where(
                    m.c.workspace_id == ws,
                    m.c.conversation_id == c.c.id,
                    func.lower(m.c.text).like(pattern, escape="\\"),
                ),
            ),
        )
        .order_by(*inbox_order.order_by("urgency"))
        .limit(50)
    )
    return [r[0] for r in conversations.conn.execute(q)]


def _fts_page(conversations: SqlConversations, ws: int, typed: str) -> list[int]:
    rows = conversations.query(ws, ConversationQuery(text=typed, limit=50))
    return [r.conversation.id for r in rows]


def _time(
    engine: Engine, ws: int, page: Callable[[SqlConversations, int, str], list[int]], typed: str, n: int
) -> tuple[list[float], int]:
    ms: list[float] = []
    found = 0
    with engine.connect() as conn:
        conversations = SqlConversations(conn)
        for _ in range(n):
            started = time.perf_counter()
            found = len(page(conversations, ws, typed))
            ms.append((time.perf_counter() - started) * 1000)
        conn.rollback()
    return ms, found


def measure(
    url: str, requests: int, like_requests: int, progress: Callable[[str], None] = say
) -> dict[str, Any]:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            ws = conn.execute(
                select(s.workspaces.c.id).where(s.workspaces.c.slug == "bench-search")
            ).scalar_one()
            posts = conn.execute(select(func.count()).select_from(s.messages)).scalar_one()
        fts_all: list[float] = []
        like_all: list[float] = []
        per_query: dict[str, Any] = {}
        for name, typed in queries().items():
            _time(engine, ws, _fts_page, typed, 1)  # untimed: warm the cache
            fts_ms, fts_found = _time(engine, ws, _fts_page, typed, requests)
            like_ms: list[float] = []
            like_found = 0
            if like_requests:
                _time(engine, ws, _like_page, typed, 1)
                like_ms, like_found = _time(engine, ws, _like_page, typed, like_requests)
            fts_all += fts_ms
            like_all += like_ms
            per_query[name] = {
                "typed": typed,
                "fts": {**_quantiles(fts_ms), "rows": fts_found},
                **({"like": {**_quantiles(like_ms), "rows": like_found}} if like_ms else {}),
            }
            progress(
                f"{name}: fts p50 {per_query[name]['fts']['p50_ms']} ms"
                + (f", like p50 {per_query[name]['like']['p50_ms']} ms" if like_ms else "")
            )
        out: dict[str, Any] = {"posts": posts, "fts": _quantiles(fts_all)}
        if like_all:
            out["like"] = _quantiles(like_all)
            out["ratio_p50_like_to_fts"] = round(out["like"]["p50_ms"] / max(out["fts"]["p50_ms"], 1e-3), 1)
            out["ratio_p95_like_to_fts"] = round(out["like"]["p95_ms"] / max(out["fts"]["p95_ms"], 1e-3), 1)
        out["fts_p95_under_target"] = out["fts"]["p95_ms"] < TARGET_P95_MS
        out["queries"] = per_query
        return out
    finally:
        engine.dispose()


def run(
    posts: int,
    requests: int,
    like_requests: int,
    *,
    sqlite: bool = True,
    postgres: bool = True,
    cache: Path = DEFAULT_CACHE,
) -> dict[str, Any]:
    result: dict[str, Any] = {"posts": posts, "target_p95_ms": TARGET_P95_MS}
    if sqlite:
        url = sqlite_database(posts, cache)
        result["sqlite"] = measure(url, requests, like_requests)
    if postgres:
        from socialdesk.storage.embedded_pg import start_kept_postgres

        kept = start_kept_postgres(cache / "postgres")
        try:
            url = postgres_database(posts, cache, kept.url)
            result["postgresql"] = measure(url, requests, like_requests)
        finally:
            kept.stop()
    return result
