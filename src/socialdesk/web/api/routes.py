"""The REST API under /api/v1. Views validate input and call actions; actions do the work."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from nats.errors import Error as NatsError

from socialdesk.actions.cases import check_change_case_status, check_set_case_priority
from socialdesk.actions.conversations import get_conversation_detail, list_conversations
from socialdesk.actions.post_status import check_post_fate
from socialdesk.actions.replies import check_reply
from socialdesk.actions.roles import check_ingest_allowed
from socialdesk.domain.care import StaleReply
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.conversation import InboxKey, inbox_sort_key
from socialdesk.domain.post import Post, Visibility
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.ports import ConversationQuery
from socialdesk.web.api.care import router as care_router
from socialdesk.web.api.schemas import (
    CaseOut,
    CasePriorityIn,
    CaseStatusIn,
    ConversationDetailOut,
    ConversationOut,
    ConversationPage,
    IngestIn,
    IngestOut,
    MessageOut,
    NoteOut,
    PostErrorOut,
    PostFateOut,
    ProposedFollowUpOut,
    ReplyIn,
    ReplyOut,
)
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import MAX_ID, Id, id_from_text

router = APIRouter()


@router.get("/health", tags=["system"])
def health(runtime: RuntimeDep) -> dict[str, str]:
    """Liveness and database reachability. The one endpoint that needs no login (for load balancers)."""
    with runtime.uow() as uow:
        uow.workspaces.get(0)
    return {"status": "ok"}


@router.post("/posts", tags=["ingest"])
def ingest_posts(body: IngestIn, user: ApiUserDep, runtime: RuntimeDep) -> IngestOut:
    """Ingest normalized posts into the caller's workspace (admins' tokens: posts become customer
    messages). Bad posts are reported; the rest are stored."""
    check_ingest_allowed(user)
    posts: list[Post] = []
    good: list[dict[str, Any]] = []
    errors: list[PostErrorOut] = []
    for index, data in enumerate(body.posts):
        parsed = post_from_dict(data)
        if isinstance(parsed, PostError):
            errors.append(PostErrorOut(index=index, field=parsed.field, message=parsed.message))
        else:
            posts.append(parsed)
            good.append(data)
    if runtime.nats is not None:  # scale-out: the ingest workers store them
        queued = runtime.nats.publish_posts(user.workspace_id, good)
        return IngestOut(
            received=len(body.posts), added=0, duplicates=len(good) - queued, conversations_created=0,
            errors=errors, queued=queued,
        )  # fmt: skip
    # Embedded: the ingest writer stores the batch (grouped with other callers' under load).
    report = runtime.ingest_queue().ingest(user.workspace_id, posts)
    if report.failed:  # posts storing refused (each alone, after their batch failed): by index
        index_of: dict[tuple[object, object], int] = {}
        for index, data in enumerate(body.posts):
            index_of.setdefault((data.get("channel"), data.get("id")), index)
        for key, why in report.failed:
            errors.append(PostErrorOut(index=index_of.get(key, -1), field="", message=f"not stored: {why}"))
        errors.sort(key=lambda e: e.index)
    return IngestOut(
        received=len(body.posts),
        added=report.added,
        duplicates=report.duplicates,
        conversations_created=report.conversations_created,
        errors=errors,
    )


@router.get("/posts/{channel}/{post_id}", tags=["ingest"])
def post_fate(
    channel: Annotated[str, Path(min_length=1, max_length=32, description="The post's channel (x, ...).")],
    post_id: Annotated[str, Path(min_length=1, max_length=200, description="The post's id on it.")],
    user: ApiUserDep,
    runtime: RuntimeDep,
) -> PostFateOut:
    """What became of a post fed in: `stored` (with its conversation), `rejected` (scale-out: the
    ingest worker gave up on it, with the reason) or `unknown` (still queued, or never received).
    Admins, as for `POST /posts`."""
    try:
        with runtime.uow() as uow:
            fate = check_post_fate(uow, user, channel, post_id, runtime.nats)
    except (TimeoutError, NatsError) as exc:  # the dead letters are out of reach: ask again
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, f"the message bus did not answer ({type(exc).__name__})"
        ) from None
    return PostFateOut(
        channel=channel,
        id=post_id,
        status=fate.status,
        message_id=fate.message_id,
        conversation_id=fate.conversation_id,
        reason=fate.reason,
    )


MAX_CURSOR_CHARS = 200
"""A cursor this API gives out is about 80 characters; longer ones are refused before decoding."""


def _decode_cursor(cursor: str) -> InboxKey:
    """The inbox key a `next_cursor` holds: three scalars, checked before any of them is used."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        if not isinstance(decoded, list) or len(decoded) != 3:
            raise ValueError("not three items")
        neg_urgency, waited, ident = decoded
        if not (isinstance(neg_urgency, int) and isinstance(waited, str) and isinstance(ident, int)):
            raise ValueError("not an urgency, a time and an id")
        when = datetime.fromisoformat(waited)
        if when.tzinfo is None:
            raise ValueError("naive")
        if not (abs(neg_urgency) <= MAX_ID and 1 <= ident <= MAX_ID):
            raise ValueError("out of range")
        return neg_urgency, when, ident
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "cursor: not a cursor this API gave out"
        ) from None


def _encode_cursor(key: InboxKey) -> str:
    neg_urgency, waited, ident = key
    return base64.urlsafe_b64encode(json.dumps([neg_urgency, waited.isoformat(), ident]).encode()).decode()


@router.get("/conversations", tags=["conversations"])
def conversations(
    user: ApiUserDep,
    runtime: RuntimeDep,
    status_filter: Annotated[
        Literal["new", "open", "pending_customer", "pending_internal", "resolved", "closed", "active"] | None,
        Query(alias="status", description="Case status, or `active` for every unresolved one."),
    ] = None,
    channel: str | None = None,
    assignee: Annotated[str | None, Query(max_length=20, description="A user id, `me` or `none`.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text the conversation's posts contain.")
    ] = None,
    sla: Annotated[
        Literal["at_risk", "breached", "ok", "paused", "done"] | None,
        Query(description="SLA state of the current case: `at_risk` (warning) or `breached`, ..."),
    ] = None,
    team: Annotated[Id | None, Query(description="Only cases routed to this team.")] = None,
    cursor: Annotated[
        str | None, Query(max_length=MAX_CURSOR_CHARS, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConversationPage:
    """Conversations, most urgent first, then oldest waiting, with cursor pagination."""
    assignee_id: int | None = None
    unassigned = False
    if assignee == "me":
        assignee_id = user.id
    elif assignee == "none":
        unassigned = True
    elif assignee:
        assignee_id = id_from_text(assignee)
        if assignee_id is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "assignee: a user id, `me` or `none`")
    query = ConversationQuery(
        status=CaseStatus(status_filter) if status_filter and status_filter != "active" else None,
        active_only=status_filter == "active",
        channel=channel,
        assignee_id=assignee_id,
        unassigned=unassigned,
        text=q,
        sla_state={"at_risk": "warning"}.get(sla, sla) if sla else None,
        team_ids=(team,) if team is not None else None,
        after=_decode_cursor(cursor) if cursor else None,
        limit=limit,
    )
    with runtime.uow() as uow:
        rows = list_conversations(uow, user, query)
    now = runtime.clock.now()
    items = [ConversationOut.of(r.conversation, r.case, r.care, now) for r in rows]
    next_cursor = None
    if len(rows) == limit:
        last = rows[-1].conversation
        next_cursor = _encode_cursor(inbox_sort_key(last))
    return ConversationPage(items=items, next_cursor=next_cursor)


@router.get("/conversations/{conversation_id}", tags=["conversations"])
def conversation(conversation_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> ConversationDetailOut:
    with runtime.uow() as uow:
        detail = get_conversation_detail(uow, user, conversation_id)
    now = runtime.clock.now()
    current = detail.care.get(detail.case.id) if detail.case else None
    return ConversationDetailOut(
        conversation=ConversationOut.of(detail.conversation, detail.case, current, now),
        messages=[MessageOut.of(m) for m in detail.messages],
        cases=[CaseOut.of(c, detail.care.get(c.id), now) for c in detail.cases],
        notes=[NoteOut.of(n) for n in detail.notes],
    )


@router.post("/conversations/{conversation_id}/replies", tags=["conversations"], status_code=201)
def reply(conversation_id: Id, body: ReplyIn, user: ApiUserDep, runtime: RuntimeDep) -> ReplyOut:
    """Queue a public reply or a private message; the dispatcher sends it through the outbox.

    Public replies get the agent's signature. A reply needing approval waits (`delivery`:
    `awaiting_approval`). With `seen_message_id`, newer messages in the conversation answer 409 with
    them (`new_messages`) unless `confirm_stale`.
    """
    follow_up = (body.follow_up.due_at, body.follow_up.note) if body.follow_up else None
    if follow_up is not None and follow_up[0].tzinfo is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "follow_up.due_at needs a time zone")
    try:
        with runtime.uow() as uow:
            result = check_reply(
                uow,
                user,
                conversation_id,
                body.text,
                Visibility(body.visibility),
                runtime.clock.now(),
                seen_message_id=body.seen_message_id,
                confirm_stale=body.confirm_stale,
                follow_up=follow_up,
            )
            uow.commit()
    except StaleReply as stale:
        detail = {
            "message": str(stale),
            "new_messages": [MessageOut.of(m).model_dump(mode="json") for m in stale.newer],
        }
        raise HTTPException(status.HTTP_409_CONFLICT, detail) from None
    promise = result.proposed_follow_up
    return ReplyOut(
        **MessageOut.of(result.message).model_dump(),
        approval_id=result.approval.id if result.approval else None,
        proposed_follow_up=ProposedFollowUpOut(due_at=promise.due, phrase=promise.text) if promise else None,
        follow_up_id=result.follow_up.id if result.follow_up else None,
    )


@router.post("/cases/{case_id}/status", tags=["cases"])
def case_status(case_id: Id, body: CaseStatusIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    with runtime.uow() as uow:
        case = check_change_case_status(uow, user, case_id, CaseStatus(body.status), runtime.clock.now())
        uow.commit()
    return CaseOut.of(case, None, runtime.clock.now())


@router.post("/cases/{case_id}/priority", tags=["cases"])
def case_priority(case_id: Id, body: CasePriorityIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    """Set the priority by hand: it orders the team's queue and sets the SLA targets."""
    with runtime.uow() as uow:
        case = check_set_case_priority(uow, user, case_id, body.priority, runtime.clock.now())
        uow.commit()
    return CaseOut.of(case, None, runtime.clock.now())


# The care workflow (routing, SLA, collaboration, approvals, audit) shares the /api/v1 prefix.
router.include_router(care_router)
