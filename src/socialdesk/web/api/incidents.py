"""Incidents in the REST API: list and read them, confirm or resolve them (owner, internal note, public
status text), add and remove member conversations (docs/incidents.md, docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from socialdesk.actions.incidents import (
    MAX_NOTE,
    MAX_STATUS_TEXT,
    access_incident,
    check_add_incident_conversations,
    check_remove_incident_conversation,
    check_update_incident,
    incident_members,
    list_incidents,
)
from socialdesk.ports_care import IncidentMember, IncidentRecord
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(tags=["incidents"])
Status = Literal["suspected", "confirmed", "resolved"]


class IncidentOut(BaseModel):
    id: int
    title: str
    status: str
    owner_id: int | None
    note: str
    status_text: str = Field(description="Public: shown on the status endpoint and snippet.")
    created_at: datetime
    detected_at: datetime | None = Field(description="When the detector fired (null: created by an agent).")
    resolved_at: datetime | None
    summary: str
    keywords: list[str]
    key: str | None = Field(description="What fired it: w:WORD or m:MONITOR.")

    @classmethod
    def of(cls, i: IncidentRecord) -> IncidentOut:
        return cls(
            id=i.id, title=i.title, status=i.status, owner_id=i.owner_id, note=i.note,
            status_text=i.status_text, created_at=i.created_at, detected_at=i.detected_at,
            resolved_at=i.resolved_at, summary=i.summary, keywords=list(i.keywords), key=i.detector_key,
        )  # fmt: skip


class MemberOut(BaseModel):
    conversation_id: int | None
    message_id: int | None
    added_at: datetime
    added_by: int | None = Field(description="The agent who added it (null: the detector).")

    @classmethod
    def of(cls, m: IncidentMember) -> MemberOut:
        return cls(
            conversation_id=m.conversation_id,
            message_id=m.message_id,
            added_at=m.added_at,
            added_by=m.added_by,
        )


class IncidentDetailOut(IncidentOut):
    members: list[MemberOut]
    conversation_ids: list[int]


class IncidentChangeIn(InputModel):
    status: Status | None = None
    owner_id: Id | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE, description="Internal: never published.")
    status_text: str | None = Field(
        default=None,
        max_length=MAX_STATUS_TEXT,
        description="Public status text, e.g. 'Engineers are on it.'",
    )


class ConversationsIn(InputModel):
    conversation_ids: list[Id] = Field(min_length=1, max_length=1000)


def _detail(i: IncidentRecord, members: list[IncidentMember]) -> IncidentDetailOut:
    conversations = list(dict.fromkeys(m.conversation_id for m in members if m.conversation_id is not None))
    return IncidentDetailOut(
        **IncidentOut.of(i).model_dump(),
        members=[MemberOut.of(m) for m in members],
        conversation_ids=conversations,
    )


@router.get("/incidents")
def incidents(
    user: ApiUserDep,
    runtime: RuntimeDep,
    status: Annotated[Status | None, Query(description="Only incidents in this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[IncidentOut]:
    """Incidents of the workspace, newest first."""
    with runtime.read_uow() as uow:
        return [IncidentOut.of(i) for i in list_incidents(uow, user, status, limit)]


@router.get("/incidents/{incident_id}")
def incident(incident_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> IncidentDetailOut:
    with runtime.read_uow() as uow:
        i = access_incident(uow, user, incident_id)
        return _detail(i, incident_members(uow, user, incident_id))


@router.patch("/incidents/{incident_id}")
def change_incident(
    incident_id: Id, body: IncidentChangeIn, user: ApiUserDep, runtime: RuntimeDep
) -> IncidentDetailOut:
    """Confirm, resolve or reopen; set the owner, the internal note, the public status text."""
    with runtime.uow() as uow:
        i = check_update_incident(
            uow, user, incident_id, runtime.clock.now(), status=body.status, owner_id=body.owner_id,
            note=body.note, status_text=body.status_text,
        )  # fmt: skip
        out = _detail(i, uow.incidents.members(user.workspace_id, i.id))
        uow.commit()
    return out


@router.post("/incidents/{incident_id}/conversations")
def add_conversations(
    incident_id: Id, body: ConversationsIn, user: ApiUserDep, runtime: RuntimeDep
) -> IncidentDetailOut:
    with runtime.uow() as uow:
        check_add_incident_conversations(uow, user, incident_id, body.conversation_ids, runtime.clock.now())
        i = access_incident(uow, user, incident_id)
        out = _detail(i, uow.incidents.members(user.workspace_id, i.id))
        uow.commit()
    return out


@router.delete("/incidents/{incident_id}/conversations/{conversation_id}", status_code=204)
def remove_conversation(
    incident_id: Id, conversation_id: Id, user: ApiUserDep, runtime: RuntimeDep
) -> Response:
    """Take a conversation out of the incident; the detector will not add it again."""
    with runtime.uow() as uow:
        check_remove_incident_conversation(uow, user, incident_id, conversation_id, runtime.clock.now())
        uow.commit()
    return Response(status_code=204)
