"""Ingest benchmark: batched ingest against one-post-per-transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest_stream import ingest_records
from socialdesk.config import Settings, environment_bench_database_url
from socialdesk.demo.traffic import BRANDS, generate_posts
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.runtime import Runtime, build_runtime


def make_posts(count: int, seed: int = 11) -> list[Post]:
    posts = []
    for data in generate_posts(count, seed=seed):
        post = post_from_dict(data)
        if isinstance(post, PostError):
            raise RuntimeError(f"the generator produced a bad post: {post}")
        posts.append(post)
    return posts


def _fresh_workspace(runtime: Runtime, slug: str) -> int:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, slug)
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
    return ws.id


def _rate(runtime: Runtime, slug: str, posts: list[Post], batch_size: int) -> dict[str, Any]:
    ws_id = _fresh_workspace(runtime, slug)
    started = time.perf_counter()
    report = ingest_records(
        runtime.uow,
        ws_id,
        enumerate(posts),
        runtime.clock,
        batch_size=batch_size,
        annotator=runtime.annotator,
    )
    seconds = time.perf_counter() - started
    return {
        "posts": len(posts),
        "added": report.added,
        "seconds": round(seconds, 3),
        "posts_per_s": round(len(posts) / seconds),
    }


def bench_database(url: str, posts: list[Post], baseline_posts: int) -> dict[str, Any]:
    runtime = build_runtime(Settings(database_url=url))
    try:
        batched = _rate(runtime, "bench-batched", posts, batch_size=1000)
        rowwise = _rate(runtime, "bench-rowwise", posts[:baseline_posts], batch_size=1)
    finally:
        runtime.close()
    return {
        "batched": batched,
        "row_by_row": rowwise,
        "ratio": round(batched["posts_per_s"] / rowwise["posts_per_s"], 1),
    }


@contextlib.contextmanager
def _postgres_url() -> Iterator[str]:
    configured = environment_bench_database_url()
    if configured:
        yield configured
        return
    from socialdesk.storage.embedded_pg import embedded_postgres

    with embedded_postgres() as url:
        yield url


def run(count: int = 100_000, baseline_posts: int = 5_000, postgres: bool = True) -> dict[str, Any]:
    posts = make_posts(count)
    result: dict[str, Any] = {
        "benchmark": "ingest",
        "posts": count,
        "baseline": (
            f"the same ingest with one post per transaction (row by row), on the first {baseline_posts} posts"
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        result["sqlite"] = bench_database(f"sqlite:///{Path(folder) / 'bench.db'}", posts, baseline_posts)
    if postgres:
        with _postgres_url() as url:
            result["postgresql"] = bench_database(url, posts, baseline_posts)
    return result
