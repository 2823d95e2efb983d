"""Monitors: create (admins, with the query checked), list with match counts, and test a query on stored
posts (everyone: a preview changes nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.care_audit import record_config_change
from socialdesk.actions.roles import require_admin
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.domain.people import User
from socialdesk.listening import MatchablePost, QueryError, compile_monitors, validate_query
from socialdesk.ports import NewMonitor, UnitOfWork

MAX_NAME = 200
MAX_QUERY = 4000


def check_create_monitor(
    uow: UnitOfWork,
    user: User,
    *,
    name: str,
    query: str,
    kind: str = "brand",
    mode: str = "care",
    exclude_authors: Sequence[str] = (),
    exclude_terms: Sequence[str] = (),
    now: datetime,
) -> Monitor:
    """Validate name, kind, mode and query (a query that cannot be saved says why, with its column).

    Admins only: a care monitor decides which posts open conversations."""
    require_admin(user, "create monitors")
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(f"monitor name: 1 to {MAX_NAME} characters")
    try:
        kind_value = MonitorKind(kind)
    except ValueError:
        raise ValidationFailed(
            f"monitor kind {kind!r}: one of {', '.join(k.value for k in MonitorKind)}"
        ) from None
    try:
        mode_value = MonitorMode(mode)
    except ValueError:
        raise ValidationFailed(
            f"monitor mode {mode!r}: one of {', '.join(m.value for m in MonitorMode)}"
        ) from None
    if len(query) > MAX_QUERY:
        raise ValidationFailed(f"monitor query: at most {MAX_QUERY} characters")
    try:
        validate_query(query)
    except QueryError as exc:
        raise ValidationFailed(f"monitor {name!r}: {exc}") from None
    if uow.monitors.get_by_name(user.workspace_id, name) is not None:
        raise ValidationFailed(f"a monitor named {name!r} already exists")
    new = NewMonitor(
        name=name,
        query=query.strip(),
        kind=kind_value,
        mode=mode_value,
        exclude_authors=tuple(a.strip().lstrip("@") for a in exclude_authors if a.strip()),
        exclude_terms=tuple(t.strip() for t in exclude_terms if t.strip()),
    )
    return do_create_monitor(uow, user, new, now)


def do_create_monitor(uow: UnitOfWork, user: User, new: NewMonitor, now: datetime) -> Monitor:
    monitor = uow.monitors.add(user.workspace_id, new, now)
    after = {
        "name": monitor.name,
        "query": monitor.query,
        "kind": monitor.kind.value,
        "mode": monitor.mode.value,
        "exclude_authors": list(monitor.exclude_authors),
        "exclude_terms": list(monitor.exclude_terms),
    }
    record_config_change(uow, user, now, "monitor_created", monitor_id=monitor.id, before=None, after=after)
    return monitor


@dataclass(frozen=True)
class MonitorWithCount:
    monitor: Monitor
    matches: int


def list_monitors(uow: UnitOfWork, user: User) -> list[MonitorWithCount]:
    counts = uow.monitors.match_counts(user.workspace_id)
    return [MonitorWithCount(m, counts.get(m.id, 0)) for m in uow.monitors.list(user.workspace_id)]


def preview_query(query: str, posts: Sequence[MatchablePost]) -> list[int]:
    """Indexes of the posts a query matches (raises QueryError if the query is not valid)."""
    matcher = compile_monitors([(0, validate_query(query))])
    return [i for i, hits in enumerate(matcher.match_many(posts)) if hits]


def preview_on_recent(uow: UnitOfWork, user: User, query: str, *, scan: int = 2000) -> list[int]:
    """Ids of the workspace's newest stored messages (up to `scan`) that the query matches."""
    messages = uow.messages.recent(user.workspace_id, scan)
    posts = [
        MatchablePost(
            text=m.text,
            author_handle=m.author_handle,
            lang=m.lang,
            channel=m.channel,
            followers=m.author_followers,
            is_reply=m.in_reply_to is not None,
        )
        for m in messages
    ]
    try:
        hits = preview_query(query, posts)
    except QueryError as exc:
        raise ValidationFailed(f"query: {exc}") from None
    return [messages[i].id for i in hits]
