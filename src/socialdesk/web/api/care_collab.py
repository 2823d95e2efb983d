"""Approvals, presence, notes, notifications, saved replies, the composer count, follow-ups and the
audit trail in the REST API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from socialdesk.actions.care.approvals import (
    check_approve,
    check_return,
    check_set_approval_rules,
    list_approvals,
)
from socialdesk.actions.care.audit import audit_csv, case_audit
from socialdesk.actions.care.follow_ups import check_create_follow_up, list_follow_ups
from socialdesk.actions.care.notes import check_add_note
from socialdesk.actions.care.notifications import list_notifications, mark_notifications_read
from socialdesk.actions.care.presence import check_set_presence, get_presence
from socialdesk.actions.care.saved_replies import (
    check_add_saved_reply,
    check_delete_saved_reply,
    check_update_saved_reply,
    render_saved_reply,
    search_saved_replies,
)
from socialdesk.actions.inbox.replies import APPROVAL_RULES
from socialdesk.actions.inbox.reply_preview import compose_preview
from socialdesk.domain.care import ApprovalStatus
from socialdesk.ports.care import Approval, FollowUp, Presence, PresenceHub, SavedReply
from socialdesk.web.api.schemas import NoteOut
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel, Instant
from socialdesk.web.presence import MemoryPresenceHub

router = APIRouter()


def presence_hub(request: Request) -> PresenceHub:
    """The app's presence hub, set by `create_app` (shared over NATS in scale-out mode: web/presence.py)."""
    hub: PresenceHub | None = getattr(request.app.state, "presence", None)
    if hub is None:
        hub = MemoryPresenceHub()
        request.app.state.presence = hub
    return hub


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{name} needs a time zone")
    return value


class ApprovalOut(BaseModel):
    id: int
    message_id: int
    conversation_id: int
    requested_by: int
    reasons: list[str]
    status: str
    created_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    comment: str
    text: str | None = None

    @classmethod
    def of(cls, a: Approval, text: str | None = None) -> ApprovalOut:
        return cls(
            id=a.id,
            message_id=a.message_id,
            conversation_id=a.conversation_id,
            requested_by=a.requested_by,
            reasons=list(a.reasons),
            status=a.status,
            created_at=a.created_at,
            decided_by=a.decided_by,
            decided_at=a.decided_at,
            comment=a.comment,
            text=text,
        )


class ApproveIn(InputModel):
    text: str | None = Field(default=None, max_length=10_000, description="Edited text to send instead.")


class ReturnIn(InputModel):
    comment: str = Field(min_length=1, max_length=2000)


class ApprovalRuleIn(InputModel):
    kind: Literal["term", "regex", "money"]
    value: str = Field(default="", max_length=200)


@router.get("/approvals", tags=["approvals"])
def approvals(
    user: ApiUserDep,
    runtime: RuntimeDep,
    status_filter: Annotated[
        Literal["pending", "approved", "returned"] | None, Query(alias="status")
    ] = "pending",
) -> list[ApprovalOut]:
    """Replies waiting for an approver (admins), oldest first."""
    with runtime.read_uow() as uow:
        found = list_approvals(uow, user, None if status_filter is None else ApprovalStatus(status_filter))
        texts = {a.id: m.text for a in found if (m := uow.messages.get(user.workspace_id, a.message_id))}
    return [ApprovalOut.of(a, texts.get(a.id)) for a in found]


@router.post("/approvals/{approval_id}/approve", tags=["approvals"])
def approve(approval_id: Id, body: ApproveIn, user: ApiUserDep, runtime: RuntimeDep) -> ApprovalOut:
    """Approve and queue the reply; with `text`, the edited text (signed) is what is sent."""
    with runtime.uow() as uow:
        decided = check_approve(uow, user, approval_id, body.text, runtime.clock.now())
    return ApprovalOut.of(decided)


@router.post("/approvals/{approval_id}/return", tags=["approvals"])
def return_reply(approval_id: Id, body: ReturnIn, user: ApiUserDep, runtime: RuntimeDep) -> ApprovalOut:
    """Send the reply back to its agent with a comment; nothing is sent to the customer."""
    with runtime.uow() as uow:
        decided = check_return(uow, user, approval_id, body.comment, runtime.clock.now())
    return ApprovalOut.of(decided)


@router.get("/approval-rules", tags=["approvals"])
def approval_rules(user: ApiUserDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    with runtime.read_uow() as uow:
        found: list[dict[str, Any]] = uow.settings.get(user.workspace_id, APPROVAL_RULES) or []
    return found


@router.put("/approval-rules", tags=["approvals"])
def set_approval_rules(
    body: list[ApprovalRuleIn], user: ApiUserDep, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    """Replies matching any rule wait for an approver: a term, a regex, or `money` (any amount)."""
    with runtime.uow() as uow:
        return check_set_approval_rules(uow, user, [r.model_dump() for r in body], runtime.clock.now())


class PresenceIn(InputModel):
    state: Literal["viewing", "typing", "left"]


class PresenceOut(BaseModel):
    user_id: int
    state: str
    since: datetime

    @classmethod
    def of(cls, p: Presence) -> PresenceOut:
        return cls(user_id=p.user_id, state=p.state, since=p.since)


@router.post("/conversations/{conversation_id}/presence", tags=["collaboration"])
def set_presence(
    conversation_id: Id, body: PresenceIn, request: Request, user: ApiUserDep, runtime: RuntimeDep
) -> list[PresenceOut]:
    """Announce that you view or type in a conversation (repeat every ~10 s; forgotten after 30 s)."""
    with runtime.uow() as uow:
        found = check_set_presence(
            uow, presence_hub(request), runtime.bus, user, conversation_id, body.state, runtime.clock.now()
        )
    return [PresenceOut.of(p) for p in found]


@router.get("/conversations/{conversation_id}/presence", tags=["collaboration"])
def presence(
    conversation_id: Id, request: Request, user: ApiUserDep, runtime: RuntimeDep
) -> list[PresenceOut]:
    with runtime.read_uow() as uow:
        found = get_presence(uow, presence_hub(request), user, conversation_id, runtime.clock.now())
    return [PresenceOut.of(p) for p in found]


class NoteIn(InputModel):
    text: str = Field(min_length=1, max_length=10_000)


@router.post("/conversations/{conversation_id}/notes", tags=["collaboration"], status_code=201)
def add_note(conversation_id: Id, body: NoteIn, user: ApiUserDep, runtime: RuntimeDep) -> NoteOut:
    """An internal note (never sent); @-mentioned colleagues are notified."""
    with runtime.uow() as uow:
        note = check_add_note(uow, user, conversation_id, body.text, runtime.clock.now())
    return NoteOut.of(note)


class NotificationOut(BaseModel):
    id: int
    kind: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class ReadIn(InputModel):
    ids: list[Id] = Field(max_length=1000)


@router.get("/notifications", tags=["collaboration"])
def notifications(user: ApiUserDep, runtime: RuntimeDep, unread: bool = False) -> list[NotificationOut]:
    """Your notifications, newest first: mentions, returned replies, missed follow-ups, SLA escalations."""
    with runtime.read_uow() as uow:
        found = list_notifications(uow, user, unread)
    return [
        NotificationOut(id=n.id, kind=n.kind, data=n.data, created_at=n.created_at, read_at=n.read_at)
        for n in found
    ]


@router.post("/notifications/read", tags=["collaboration"], status_code=204)
def read_notifications(body: ReadIn, user: ApiUserDep, runtime: RuntimeDep) -> None:
    with runtime.uow() as uow:
        mark_notifications_read(uow, user, body.ids, runtime.clock.now())


class SavedReplyIn(InputModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    scope: Literal["personal", "team", "workspace"] = "personal"
    team_id: Id | None = None


class SavedReplyOut(BaseModel):
    id: int
    title: str
    body: str
    owner_id: int | None
    team_id: int | None

    @classmethod
    def of(cls, r: SavedReply) -> SavedReplyOut:
        return cls(id=r.id, title=r.title, body=r.body, owner_id=r.owner_id, team_id=r.team_id)


@router.get("/saved-replies", tags=["collaboration"])
def saved_replies(
    user: ApiUserDep, runtime: RuntimeDep, q: Annotated[str | None, Query(max_length=200)] = None
) -> list[SavedReplyOut]:
    """Your saved replies, your teams' and everyone's, searched by title and body."""
    with runtime.read_uow() as uow:
        return [SavedReplyOut.of(r) for r in search_saved_replies(uow, user, q)]


@router.post("/saved-replies", tags=["collaboration"], status_code=201)
def add_saved_reply(body: SavedReplyIn, user: ApiUserDep, runtime: RuntimeDep) -> SavedReplyOut:
    """Variables: `{{customer.name}}`, `{{customer.handle}}`, `{{agent.name}}`, `{{agent.signature}}`."""
    with runtime.uow() as uow:
        saved = check_add_saved_reply(
            uow, user, body.title, body.body, body.scope, body.team_id, runtime.clock.now()
        )
    return SavedReplyOut.of(saved)


class SavedReplyPatch(InputModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=10_000)


@router.patch("/saved-replies/{reply_id}", tags=["collaboration"])
def change_saved_reply(
    reply_id: Id, body: SavedReplyPatch, user: ApiUserDep, runtime: RuntimeDep
) -> SavedReplyOut:
    """Change a saved reply's title or body: your own, your team's, or (admins) everyone's; audited."""
    with runtime.uow() as uow:
        saved = check_update_saved_reply(uow, user, reply_id, body.title, body.body, runtime.clock.now())
    return SavedReplyOut.of(saved)


@router.delete("/saved-replies/{reply_id}", tags=["collaboration"], status_code=204)
def delete_saved_reply(reply_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> None:
    """Delete a saved reply (who may: as for changing it); audited with what it said."""
    with runtime.uow() as uow:
        check_delete_saved_reply(uow, user, reply_id, runtime.clock.now())


@router.post("/saved-replies/{reply_id}/render", tags=["collaboration"])
def render(reply_id: Id, conversation_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> dict[str, str]:
    with runtime.read_uow() as uow:
        return {"text": render_saved_reply(uow, user, reply_id, conversation_id)}


class ComposeOut(BaseModel):
    text: str = Field(description="The reply as it would be sent: signed, never shortened.")
    count: int
    limit: int | None
    remaining: int | None = Field(description="Negative when over the limit: refused, or sent as a thread.")
    thread_parts: int = Field(
        default=1, description="Posts it takes as a thread (`thread: true`); 0: too long for one."
    )


@router.get("/compose/count", tags=["collaboration"])
def compose_count(
    user: ApiUserDep,
    channel: Annotated[str, Query(max_length=32)],
    text: Annotated[str, Query(max_length=10_000)] = "",
    sign: bool = True,
) -> ComposeOut:
    """Length as the network counts it (X weighted 280, Mastodon 500, Bluesky 300 graphemes)."""
    p = compose_preview(user, channel, text, sign)
    return ComposeOut(
        text=p.text, count=p.count, limit=p.limit, remaining=p.remaining, thread_parts=p.thread_parts
    )


class FollowUpCreate(InputModel):
    conversation_id: Id
    due_at: Instant
    note: str = Field(default="", max_length=2000)


class FollowUpOut(BaseModel):
    id: int
    conversation_id: int
    case_id: int | None
    owner_id: int
    due_at: datetime
    note: str
    status: str

    @classmethod
    def of(cls, f: FollowUp) -> FollowUpOut:
        return cls(
            id=f.id,
            conversation_id=f.conversation_id,
            case_id=f.case_id,
            owner_id=f.owner_id,
            due_at=f.due_at,
            note=f.note,
            status=f.status,
        )


@router.post("/follow-ups", tags=["follow-ups"], status_code=201)
def create_follow_up(body: FollowUpCreate, user: ApiUserDep, runtime: RuntimeDep) -> FollowUpOut:
    """Confirm a follow-up (say, the `proposed_follow_up` of a reply); you own it."""
    due = _aware(body.due_at, "due_at")
    assert due is not None
    with runtime.uow() as uow:
        follow = check_create_follow_up(uow, user, body.conversation_id, due, body.note, runtime.clock.now())
    return FollowUpOut.of(follow)


@router.get("/follow-ups", tags=["follow-ups"])
def follow_ups(
    user: ApiUserDep,
    runtime: RuntimeDep,
    due: Annotated[Literal["now", "all"], Query(description="`now`: only those due already.")] = "all",
) -> list[FollowUpOut]:
    """Your open follow-ups, earliest due first."""
    with runtime.read_uow() as uow:
        found = list_follow_ups(uow, user, due == "now", runtime.clock.now())
    return [FollowUpOut.of(f) for f in found]


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    case_id: int | None
    conversation_id: int | None
    data: dict[str, Any]


@router.get("/cases/{case_id}/audit", tags=["audit"])
def audit(case_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> list[AuditOut]:
    """Everything that happened to a case: routing, assignment, status, replies, approvals, notes..."""
    with runtime.read_uow() as uow:
        found = case_audit(uow, user, case_id)
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            actor_id=e.actor_id,
            action=e.action,
            case_id=e.case_id,
            conversation_id=e.conversation_id,
            data=e.data,
        )
        for e in found
    ]


@router.get("/audit.csv", tags=["audit"], response_class=Response)
def audit_export(
    user: ApiUserDep,
    runtime: RuntimeDep,
    start: Annotated[Instant | None, Query(alias="from")] = None,
    end: Annotated[Instant | None, Query(alias="to")] = None,
) -> Response:
    """The workspace's audit trail as CSV (admins), `from` inclusive, `to` exclusive."""
    with runtime.read_uow() as uow:
        text = audit_csv(uow, user, _aware(start, "from"), _aware(end, "to"))
    headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
