"""Monitors in the REST API: create, edit, pause, resume and delete (queries checked), list with match
counts, preview on recent posts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from socialdesk.actions.listening.monitors import (
    check_create_monitor,
    check_delete_monitor,
    check_update_monitor,
    list_monitors,
    preview_on_recent,
)
from socialdesk.domain.monitor import Monitor
from socialdesk.web.api.schemas import MessageOut
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(tags=["monitors"])


class MonitorIn(InputModel):
    name: str = Field(min_length=1, max_length=200)
    query: str = Field(min_length=1, max_length=4000, description="Boolean query, see docs/monitors.md.")
    kind: Literal["brand", "product", "competitor", "topic"] = "brand"
    mode: Literal["care", "listening"] = Field(
        "care", description="care: matches open conversations in the inbox; listening: only counted."
    )
    exclude_authors: list[str] = Field(default_factory=list, max_length=500)
    exclude_terms: list[str] = Field(default_factory=list, max_length=500)
    brand_account_ids: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="The workspace's brand accounts (at most one per network) a conversation this monitor "
        "opens answers from, when the customer addressed no brand account.",
    )


class MonitorPatch(InputModel):
    """What to change (a field left out stays); ``active: false`` pauses the monitor."""

    name: str | None = Field(None, min_length=1, max_length=200)
    query: str | None = Field(None, min_length=1, max_length=4000)
    kind: Literal["brand", "product", "competitor", "topic"] | None = None
    mode: Literal["care", "listening"] | None = None
    exclude_authors: list[str] | None = Field(None, max_length=500)
    exclude_terms: list[str] | None = Field(None, max_length=500)
    brand_account_ids: list[Id] | None = Field(
        None, max_length=50, description="[]: the monitor names no brand."
    )
    active: bool | None = Field(None, description="false: paused (matches nothing); true: resumed.")


class MonitorOut(BaseModel):
    id: int
    name: str
    query: str
    kind: str
    mode: str
    exclude_authors: list[str]
    exclude_terms: list[str]
    brand_account_ids: list[int]
    active: bool = Field(description="false while paused.")
    matches: int

    @classmethod
    def of(cls, m: Monitor, matches: int) -> MonitorOut:
        return cls(
            id=m.id,
            name=m.name,
            query=m.query,
            kind=m.kind.value,
            mode=m.mode.value,
            exclude_authors=list(m.exclude_authors),
            exclude_terms=list(m.exclude_terms),
            brand_account_ids=list(m.brand_account_ids),
            active=m.is_active,
            matches=matches,
        )


class PreviewIn(InputModel):
    query: str = Field(min_length=1, max_length=4000)


class PreviewOut(BaseModel):
    scanned: int
    matches: list[MessageOut]


@router.post("/monitors", status_code=201)
def create_monitor(body: MonitorIn, user: ApiUserDep, runtime: RuntimeDep) -> MonitorOut:
    """Save a monitor (admins). An invalid query is refused (422) with the problem and its column."""
    with runtime.uow() as uow:
        m = check_create_monitor(
            uow,
            user,
            name=body.name,
            query=body.query,
            kind=body.kind,
            mode=body.mode,
            exclude_authors=body.exclude_authors,
            exclude_terms=body.exclude_terms,
            brand_account_ids=body.brand_account_ids,
            now=runtime.clock.now(),
        )
    return MonitorOut.of(m, 0)


@router.get("/monitors")
def monitors(user: ApiUserDep, runtime: RuntimeDep) -> list[MonitorOut]:
    with runtime.uow() as uow:
        found = list_monitors(uow, user)
    return [MonitorOut.of(f.monitor, f.matches) for f in found]


@router.patch("/monitors/{monitor_id}")
def change_monitor(monitor_id: Id, body: MonitorPatch, user: ApiUserDep, runtime: RuntimeDep) -> MonitorOut:
    """Edit, pause (`{"active": false}`) or resume a monitor (admins; audited with before and after).
    Posts matched so far keep their matches; new posts are matched by the changed monitor."""
    with runtime.uow() as uow:
        m = check_update_monitor(
            uow,
            user,
            monitor_id,
            name=body.name,
            query=body.query,
            kind=body.kind,
            mode=body.mode,
            exclude_authors=body.exclude_authors,
            exclude_terms=body.exclude_terms,
            brand_account_ids=body.brand_account_ids,
            active=body.active,
            now=runtime.clock.now(),
        )
        matches = uow.monitors.match_counts(user.workspace_id).get(m.id, 0)
    return MonitorOut.of(m, matches)


@router.delete("/monitors/{monitor_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_monitor(monitor_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> Response:
    """Delete a monitor (admins; audited with its definition and match count). It matches no more and
    leaves the lists, and its name is free again; its matches stay (the posts it matched keep its name,
    period counts keep them)."""
    with runtime.uow() as uow:
        check_delete_monitor(uow, user, monitor_id, runtime.clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/monitors/preview")
def preview(body: PreviewIn, user: ApiUserDep, runtime: RuntimeDep) -> PreviewOut:
    """Try a query on the workspace's 2,000 newest posts before saving it."""
    scan = 2000
    with runtime.uow() as uow:
        ids = preview_on_recent(uow, user, body.query, scan=scan)
        found = [m for i in ids if (m := uow.messages.get(user.workspace_id, i)) is not None]
    return PreviewOut(scanned=scan, matches=[MessageOut.of(m) for m in found[:100]])
