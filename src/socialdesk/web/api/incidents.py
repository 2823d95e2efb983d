"""Incidents in the REST API: list and read them, confirm or resolve them (owner, internal note, public
status text), add and remove member conversations (docs/incidents.md, docs/api.md)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from socialdesk.actions.incidents.outreach import (
    ANSWER,
    FIXED,
    check_answer_everyone,
    incident_drafts,
    reply_progress,
)
from socialdesk.actions.incidents.workflow import (
    MAX_NOTE,
    MAX_STATUS_TEXT,
    access_incident,
    check_add_incident_conversations,
    check_remove_incident_conversation,
    check_update_incident,
    incident_members,
    list_incidents,
)
from socialdesk.domain.incidents.outreach import parse_pace
from socialdesk.domain.people import User
from socialdesk.ports.care import IncidentMember, IncidentRecord
from socialdesk.ports.uow import UnitOfWork
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
    replies_need_approval: bool = Field(description="Its replies to customers wait for an approver.")

    @classmethod
    def of(cls, i: IncidentRecord) -> IncidentOut:
        return cls(
            id=i.id, title=i.title, status=i.status, owner_id=i.owner_id, note=i.note,
            status_text=i.status_text, created_at=i.created_at, detected_at=i.detected_at,
            resolved_at=i.resolved_at, summary=i.summary, keywords=list(i.keywords), key=i.detector_key,
            replies_need_approval=i.replies_need_approval,
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
    answers: dict[str, int] = Field(
        default_factory=dict, description="Answer everyone affected: replies by delivery state."
    )
    follow_ups: dict[str, int] = Field(
        default_factory=dict,
        description="The follow-ups when fixed: by delivery state, and `for_agents` (queued for agents).",
    )


class DraftOut(BaseModel):
    conversation_id: int
    channel: str
    customer: str
    private: bool = Field(description="Sent as a private message (the customer wrote privately).")
    text: str
    problem: str = Field(description="Why it cannot be sent (empty: it will be).")
    done: bool = Field(description="Already queued by this incident: not again.")


class AnswerReportOut(BaseModel):
    queued: int
    held: int = Field(description="Waiting for an approver.")
    already: int = Field(description="Answered before: not again.")
    skipped: list[str]


class IncidentChangeIn(InputModel):
    status: Status | None = None
    owner_id: Id | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE, description="Internal: never published.")
    status_text: str | None = Field(
        default=None,
        max_length=MAX_STATUS_TEXT,
        description="Public status text, e.g. 'Engineers are on it.'",
    )
    replies_need_approval: bool | None = None
    notify_team_id: Id | None = Field(
        default=None, description="With status confirmed: the team whose members are notified."
    )


class ConversationsIn(InputModel):
    conversation_ids: list[Id] = Field(min_length=1, max_length=1000)


def _detail(uow: UnitOfWork, user: User, i: IncidentRecord) -> IncidentDetailOut:
    members = incident_members(uow, user, i.id)
    conversations = list(dict.fromkeys(m.conversation_id for m in members if m.conversation_id is not None))
    return IncidentDetailOut(
        **IncidentOut.of(i).model_dump(),
        members=[MemberOut.of(m) for m in members],
        conversation_ids=conversations,
        answers=reply_progress(uow, user, i.id, ANSWER),
        follow_ups=reply_progress(uow, user, i.id, FIXED),
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
        return _detail(uow, user, access_incident(uow, user, incident_id))


@router.patch("/incidents/{incident_id}")
def change_incident(
    incident_id: Id, body: IncidentChangeIn, user: ApiUserDep, runtime: RuntimeDep
) -> IncidentDetailOut:
    """Confirm (optionally notifying a team), resolve (following up with every affected customer, as
    SOCIALDESK_INCIDENT_FOLLOWUP says) or reopen; set the owner, the internal note, the public status
    text, whether its replies need approval. Status, owner and approval: admins and team leads."""
    settings = runtime.settings
    with runtime.uow() as uow:
        i = check_update_incident(
            uow, user, incident_id, runtime.clock.now(), status=body.status, owner_id=body.owner_id,
            note=body.note, status_text=body.status_text, replies_need_approval=body.replies_need_approval,
            notify_team_id=body.notify_team_id, follow_up=settings.incident_followup,
            pace=parse_pace(settings.incident_reply_pace),
        )  # fmt: skip
        return _detail(uow, user, i)


@router.post("/incidents/{incident_id}/conversations")
def add_conversations(
    incident_id: Id, body: ConversationsIn, user: ApiUserDep, runtime: RuntimeDep
) -> IncidentDetailOut:
    with runtime.uow() as uow:
        check_add_incident_conversations(uow, user, incident_id, body.conversation_ids, runtime.clock.now())
        return _detail(uow, user, access_incident(uow, user, incident_id))


@router.delete("/incidents/{incident_id}/conversations/{conversation_id}", status_code=204)
def remove_conversation(
    incident_id: Id, conversation_id: Id, user: ApiUserDep, runtime: RuntimeDep
) -> Response:
    """Take a conversation out of the incident; the detector will not add it again."""
    with runtime.uow() as uow:
        check_remove_incident_conversation(uow, user, incident_id, conversation_id, runtime.clock.now())
    return Response(status_code=204)


@router.get("/incidents/{incident_id}/drafts")
def drafts(incident_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> list[DraftOut]:
    """The reply each affected customer would get from "answer everyone" (written for the caller:
    their signature), to review before sending."""
    with runtime.read_uow() as uow:
        return [DraftOut(**asdict(d)) for d in incident_drafts(uow, user, incident_id)]


@router.post("/incidents/{incident_id}/answer-everyone")
def answer_everyone(incident_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> AnswerReportOut:
    """Queue the drafts (admins and team leads; a confirmed incident): each customer once, whatever
    how often this is called, at each network's pace (SOCIALDESK_INCIDENT_REPLY_PACE)."""
    pace = parse_pace(runtime.settings.incident_reply_pace)
    with runtime.uow() as uow:
        report = check_answer_everyone(uow, user, incident_id, runtime.clock.now(), pace)
    return AnswerReportOut(
        queued=report.queued, held=report.held, already=report.already, skipped=report.skipped
    )
