"""Monitors: create, edit, pause, resume and delete (admins, with the query checked, audited with before
and after), list with match counts, and test a query on stored posts (everyone: a preview changes
nothing).

A monitor may name brand accounts (at most one per network): a conversation it opens on that network
answers from that account unless the customer addressed another. Deleting is soft: the monitor matches
nothing more and leaves the lists, and its matches stay for the history (see docs/monitors.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.care.audit import record_config_change
from socialdesk.actions.inbox.reply_brand import brand_ids_named
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.monitor import Monitor, MonitorKind, MonitorMode
from socialdesk.domain.people import User
from socialdesk.listening import MatchablePost, QueryError, compile_monitors, validate_query
from socialdesk.ports.listening import NewMonitor
from socialdesk.ports.uow import UnitOfWork

MAX_NAME = 200
MAX_QUERY = 4000


def _kind(kind: str) -> MonitorKind:
    try:
        return MonitorKind(kind)
    except ValueError:
        raise ValidationFailed(
            f"monitor kind {kind!r}: one of {', '.join(k.value for k in MonitorKind)}"
        ) from None


def _mode(mode: str) -> MonitorMode:
    try:
        return MonitorMode(mode)
    except ValueError:
        raise ValidationFailed(
            f"monitor mode {mode!r}: one of {', '.join(m.value for m in MonitorMode)}"
        ) from None


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(f"monitor name: 1 to {MAX_NAME} characters")
    return name


def _query(name: str, query: str) -> str:
    if len(query) > MAX_QUERY:
        raise ValidationFailed(f"monitor query: at most {MAX_QUERY} characters")
    try:
        validate_query(query)
    except QueryError as exc:
        raise ValidationFailed(f"monitor {name!r}: {exc}") from None
    return query.strip()


def _authors(authors: Sequence[str]) -> tuple[str, ...]:
    return tuple(a.strip().lstrip("@") for a in authors if a.strip())


def _terms(terms: Sequence[str]) -> tuple[str, ...]:
    return tuple(t.strip() for t in terms if t.strip())


def _brands(uow: UnitOfWork, workspace_id: int, ids: Sequence[int]) -> tuple[int, ...]:
    """The brand accounts a monitor names: the workspace's, at most one per network."""
    accounts = {b.id: b for b in uow.brands.list(workspace_id)}
    known = ", ".join(f"{b.id} (@{b.handle.lstrip('@')} on {b.channel})" for b in accounts.values()) or "none"
    chosen: dict[str, int] = {}
    for account_id in dict.fromkeys(ids):
        account = accounts.get(account_id)
        if account is None:
            raise ValidationFailed(
                f"monitor brand: {account_id} is not one of this workspace's brand accounts: {known}"
            )
        if account.channel in chosen:
            raise ValidationFailed(
                f"monitor brand: at most one account per network, and both {chosen[account.channel]} and "
                f"{account_id} are on {account.channel}"
            )
        chosen[account.channel] = account_id
    return tuple(chosen.values())


def brand_ids_for(uow: UnitOfWork, user: User, names: Sequence[str]) -> tuple[int, ...]:
    """The brand accounts named by id or handle (with or without @; a handle on several networks names
    each of them), for the CLI and the settings form. Raises ValidationFailed naming the choices."""
    found: list[int] = []
    for name in names:
        if name.strip():
            try:
                found.extend(brand_ids_named(uow, user.workspace_id, name))
            except ValidationFailed as exc:
                raise ValidationFailed(f"monitor brand: {exc}") from None
    return tuple(dict.fromkeys(found))


def _state(monitor: Monitor) -> dict[str, Any]:
    """What the audit trail records of a monitor."""
    return {
        "name": monitor.name,
        "query": monitor.query,
        "kind": monitor.kind.value,
        "mode": monitor.mode.value,
        "exclude_authors": list(monitor.exclude_authors),
        "exclude_terms": list(monitor.exclude_terms),
        "brand_account_ids": list(monitor.brand_account_ids),
        "active": monitor.is_active,
    }


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
    brand_account_ids: Sequence[int] = (),
    now: datetime,
) -> Monitor:
    """Validate name, kind, mode, query (a query that cannot be saved says why, with its column) and
    brand accounts (the workspace's, one per network at most).

    Admins only: a care monitor decides which posts open conversations."""
    require_admin(user, "create monitors")
    name = _name(name)
    kind_value, mode_value = _kind(kind), _mode(mode)
    query = _query(name, query)
    if uow.monitors.get_by_name(user.workspace_id, name) is not None:
        raise ValidationFailed(f"a monitor named {name!r} already exists")
    new = NewMonitor(
        name=name,
        query=query,
        kind=kind_value,
        mode=mode_value,
        exclude_authors=_authors(exclude_authors),
        exclude_terms=_terms(exclude_terms),
        brand_account_ids=_brands(uow, user.workspace_id, brand_account_ids),
    )
    return do_create_monitor(uow, user, new, now)


def do_create_monitor(uow: UnitOfWork, user: User, new: NewMonitor, now: datetime) -> Monitor:
    monitor = uow.monitors.add(user.workspace_id, new, now)
    after = _state(monitor)
    del after["active"]
    record_config_change(uow, user, now, "monitor_created", monitor_id=monitor.id, before=None, after=after)
    return monitor


def access_monitor(uow: UnitOfWork, user: User, monitor_id: int) -> Monitor:
    """One of the user's workspace's monitors (another workspace's is not found)."""
    monitor = uow.monitors.get(user.workspace_id, monitor_id)
    if monitor is None:
        raise NotFound(f"monitor {monitor_id}")
    return monitor


def monitor_by_name(uow: UnitOfWork, user: User, name: str) -> Monitor:
    monitor = uow.monitors.get_by_name(user.workspace_id, name.strip())
    if monitor is None:
        raise NotFound(f"monitor {name.strip()!r}")
    return monitor


def check_update_monitor(
    uow: UnitOfWork,
    user: User,
    monitor_id: int,
    *,
    name: str | None = None,
    query: str | None = None,
    kind: str | None = None,
    mode: str | None = None,
    exclude_authors: Sequence[str] | None = None,
    exclude_terms: Sequence[str] | None = None,
    brand_account_ids: Sequence[int] | None = None,
    active: bool | None = None,
    now: datetime,
) -> Monitor:
    """Change what is given (None: keep): edit, pause (``active=False``) or resume a monitor.

    Admins only, like creating. Matches stored so far stay; new posts are matched as changed."""
    require_admin(user, "change monitors")
    monitor = access_monitor(uow, user, monitor_id)
    new_name = _name(name) if name is not None else monitor.name
    if new_name != monitor.name and uow.monitors.get_by_name(user.workspace_id, new_name) is not None:
        raise ValidationFailed(f"a monitor named {new_name!r} already exists")
    changed = replace(
        monitor,
        name=new_name,
        query=_query(new_name, query) if query is not None else monitor.query,
        kind=_kind(kind) if kind is not None else monitor.kind,
        mode=_mode(mode) if mode is not None else monitor.mode,
        exclude_authors=_authors(exclude_authors) if exclude_authors is not None else monitor.exclude_authors,
        exclude_terms=_terms(exclude_terms) if exclude_terms is not None else monitor.exclude_terms,
        brand_account_ids=(
            _brands(uow, user.workspace_id, brand_account_ids)
            if brand_account_ids is not None
            else monitor.brand_account_ids
        ),
        is_active=active if active is not None else monitor.is_active,
    )
    if _state(changed) == _state(monitor):
        return monitor
    return do_update_monitor(uow, user, monitor, changed, now)


def do_update_monitor(uow: UnitOfWork, user: User, before: Monitor, after: Monitor, now: datetime) -> Monitor:
    stored = uow.monitors.update(after, now)
    action = "monitor_changed"
    if _state(replace(before, is_active=after.is_active)) == _state(after):  # only paused or resumed
        action = "monitor_resumed" if after.is_active else "monitor_paused"
    record_config_change(
        uow, user, now, action, monitor_id=before.id, before=_state(before), after=_state(stored)
    )
    return stored


def check_delete_monitor(uow: UnitOfWork, user: User, monitor_id: int, now: datetime) -> Monitor:
    """Delete a monitor (admins), softly: it matches nothing more and leaves the lists (its name is free
    for a new monitor). Its matches stay: the posts it matched keep its name (conversation page, API,
    the inbox's filter by that name), and counts over a period keep them. The audit trail keeps its
    definition and how many posts it had matched."""
    require_admin(user, "delete monitors")
    monitor = access_monitor(uow, user, monitor_id)
    return do_delete_monitor(uow, user, monitor, now)


def do_delete_monitor(uow: UnitOfWork, user: User, monitor: Monitor, now: datetime) -> Monitor:
    matches = uow.monitors.match_counts(user.workspace_id).get(monitor.id, 0)
    uow.monitors.delete(user.workspace_id, monitor.id, now)
    before = {**_state(monitor), "matches": matches}
    record_config_change(uow, user, now, "monitor_deleted", monitor_id=monitor.id, before=before, after=None)
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
