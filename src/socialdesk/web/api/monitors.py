"""Monitors in the REST API: create (queries checked), list with match counts, preview on recent posts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from socialdesk.actions.monitors import check_create_monitor, list_monitors, preview_on_recent
from socialdesk.web.api.schemas import MessageOut
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import InputModel

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


class MonitorOut(BaseModel):
    id: int
    name: str
    query: str
    kind: str
    mode: str
    exclude_authors: list[str]
    exclude_terms: list[str]
    matches: int


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
            now=runtime.clock.now(),
        )
        uow.commit()
    return MonitorOut(
        id=m.id,
        name=m.name,
        query=m.query,
        kind=m.kind.value,
        mode=m.mode.value,
        exclude_authors=list(m.exclude_authors),
        exclude_terms=list(m.exclude_terms),
        matches=0,
    )


@router.get("/monitors")
def monitors(user: ApiUserDep, runtime: RuntimeDep) -> list[MonitorOut]:
    with runtime.uow() as uow:
        found = list_monitors(uow, user)
    return [
        MonitorOut(
            id=f.monitor.id,
            name=f.monitor.name,
            query=f.monitor.query,
            kind=f.monitor.kind.value,
            mode=f.monitor.mode.value,
            exclude_authors=list(f.monitor.exclude_authors),
            exclude_terms=list(f.monitor.exclude_terms),
            matches=f.matches,
        )
        for f in found
    ]


@router.post("/monitors/preview")
def preview(body: PreviewIn, user: ApiUserDep, runtime: RuntimeDep) -> PreviewOut:
    """Try a query on the workspace's 2,000 newest posts before saving it."""
    scan = 2000
    with runtime.uow() as uow:
        ids = preview_on_recent(uow, user, body.query, scan=scan)
        found = [m for i in ids if (m := uow.messages.get(user.workspace_id, i)) is not None]
    return PreviewOut(scanned=scan, matches=[MessageOut.of(m) for m in found[:100]])
