"""The REST API under /api/v1. Views validate input and call actions; actions do the work."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from fastapi.exceptions import RequestValidationError
from nats.errors import Error as NatsError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from socialdesk.actions.answered_elsewhere import check_answered_elsewhere
from socialdesk.actions.care_needs_reply import check_set_needs_reply
from socialdesk.actions.cases import check_change_case_status, check_set_case_priority
from socialdesk.actions.conversations import (
    count_conversations,
    get_conversation_detail,
    list_conversations,
    private_conversations,
)
from socialdesk.actions.post_status import check_post_fate
from socialdesk.actions.replies import check_reply
from socialdesk.actions.reply_brand import brand_handles, brand_ids_named
from socialdesk.actions.roles import check_ingest_allowed
from socialdesk.domain.care import StaleReply
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.conversation import SortKey, sort_key
from socialdesk.domain.people import User
from socialdesk.domain.post import Post, Visibility
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.ports import ConversationQuery
from socialdesk.runtime import Runtime
from socialdesk.web.api.care import router as care_router
from socialdesk.web.api.schemas import (
    AnsweredElsewhereIn,
    CaseNeedsReplyIn,
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
from socialdesk.web.body_limit import body_limit
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import MAX_ID, Id, id_from_text

router = APIRouter()


@router.get("/health", tags=["system"])
def health(runtime: RuntimeDep) -> dict[str, str]:
    """Liveness and database reachability. The one endpoint that needs no login (for load balancers)."""
    with runtime.read_uow() as uow:
        uow.workspaces.get(0)
    return {"status": "ok"}


# The body is read in the endpoint, after the caller is authenticated, so that no one without a
# token can make the server read and parse a body of up to SOCIALDESK_INGEST_MAX_BODY_BYTES.
_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": IngestIn.model_json_schema()}},
    }
}


@router.post("/posts", tags=["ingest"], openapi_extra=_INGEST_BODY)
@body_limit("ingest_max_body_bytes")
async def ingest_posts(request: Request, user: ApiUserDep, runtime: RuntimeDep) -> IngestOut:
    """Ingest normalized posts into the caller's workspace (admins' tokens: posts become customer
    messages). Bad posts are reported; the rest are stored. The caller is authenticated before the
    body (at most `SOCIALDESK_INGEST_MAX_BODY_BYTES`) is read."""
    check_ingest_allowed(user)
    raw = await request.body()
    body = await run_in_threadpool(_ingest_body, raw)
    return await run_in_threadpool(_ingest, body, user, runtime)


def _ingest_body(raw: bytes) -> IngestIn:
    try:
        return IngestIn.model_validate_json(raw)
    except ValidationError as exc:
        # Without `input`: it can be the whole body (megabytes, or bytes that are not UTF-8).
        errors = [
            {**error, "loc": ("body", *error["loc"])}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise RequestValidationError(errors) from None


def _ingest(body: IngestIn, user: User, runtime: Runtime) -> IngestOut:
    posts: list[Post] = []
    at: list[int] = []  # each good post's index in the body
    errors: list[PostErrorOut] = []
    for index, data in enumerate(body.posts):
        parsed = post_from_dict(data)
        if isinstance(parsed, PostError):
            errors.append(PostErrorOut(index=index, field=parsed.field, message=parsed.message))
        else:
            posts.append(parsed)
            at.append(index)
    # The runtime's sink: stored by the embedded ingest writer (grouped with other callers' batches
    # under load), or in the JetStream posts stream for the ingest workers (scale-out).
    accepted = runtime.post_sink().accept(user.workspace_id, posts, history=body.history)
    for refused in accepted.refused:  # posts storing refused (each alone, after their batch failed)
        index = at[refused.index] if 0 <= refused.index < len(at) else -1
        errors.append(PostErrorOut(index=index, field="", message=f"not stored: {refused.reason}"))
    errors.sort(key=lambda e: e.index)
    if not accepted.stored:
        return IngestOut(
            received=len(body.posts), added=0, duplicates=accepted.duplicates, conversations_created=0,
            errors=errors, queued=accepted.queued,
        )  # fmt: skip
    return IngestOut(
        received=len(body.posts),
        added=accepted.added,
        duplicates=accepted.duplicates,
        conversations_created=accepted.conversations_created,
        errors=errors,
        cases_opened=accepted.cases_opened,
        cases_resolved=accepted.cases_resolved,
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
"""A cursor this API gives out is under 120 characters; longer ones are refused before decoding."""


def _decode_cursor(cursor: str, sort: str) -> SortKey:
    """A cursor this API gave out for the same order; anything else is a 422 naming the parameter.
    Every value is checked (type, time zone, range) before any of them is used."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        if not isinstance(data, list) or not data or data[0] != sort:
            raise ValueError("another order")
        key: list[int | datetime] = []
        for value in data[1:]:
            if isinstance(value, int) and not isinstance(value, bool):
                if abs(value) > MAX_ID:
                    raise ValueError("out of range")
                key.append(value)
                continue
            if not isinstance(value, str):
                raise ValueError("not a number or a time")
            when = datetime.fromisoformat(value)
            if when.tzinfo is None:
                raise ValueError("naive")
            key.append(when)
        if len(key) != {"urgency": 3, "waiting": 2, "deadline": 4}[sort]:
            raise ValueError("length")
        return tuple(key)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"cursor: not a cursor this API gave out for sort={sort}"
        ) from None


def _encode_cursor(sort: str, key: SortKey) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps([sort, *values]).encode()).decode()


TOTAL_CAP = 1_000  # the list's `total` counts this far (or to the page asked), then says "more"


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
        str | None,
        Query(
            max_length=200,
            description="Text the conversation's posts contain, or the customer's handle or name.",
        ),
    ] = None,
    sla: Annotated[
        Literal["at_risk", "breached", "ok", "paused", "done"] | None,
        Query(description="SLA state of the current case: `at_risk` (warning) or `breached`, ..."),
    ] = None,
    team: Annotated[Id | None, Query(description="Only cases routed to this team.")] = None,
    brand: Annotated[
        str | None,
        Query(max_length=200, description="Only conversations addressed to this brand (id or handle)."),
    ] = None,
    needs_reply: Annotated[
        bool,
        Query(
            description="`true`: only open cases that need a reply and whose customer waits "
            "(the inbox's default view)."
        ),
    ] = False,
    sort: Annotated[
        Literal["urgency", "waiting", "deadline"],
        Query(
            description="`urgency` (most urgent, then longest waiting), `waiting` (longest waiting "
            "first) or `deadline` (SLA breached, at risk, then ok, each by its next SLA time)."
        ),
    ] = "urgency",
    cursor: Annotated[
        str | None, Query(max_length=MAX_CURSOR_CHARS, description="`next_cursor` of the previous page.")
    ] = None,
    offset: Annotated[
        int | None, Query(ge=0, le=1_000_000, description="Rows to skip (instead of `cursor`).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConversationPage:
    """Conversations in the order asked (most urgent first by default), with `total` (exact up to
    1,000 or the end of the page asked; past that `total_capped` is true and `total` a lower bound);
    page with the `next_cursor` (cheapest), or with `offset` (`next_offset`, `prev_offset`)."""
    if cursor and offset is not None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "cursor and offset: give one of them")
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
        needs_reply=needs_reply,
        sort=sort,
        after=_decode_cursor(cursor, sort) if cursor else None,
        offset=offset or 0,
        limit=limit,
    )
    with runtime.read_uow() as uow:
        if brand:
            query = replace(query, brand_account_ids=brand_ids_named(uow, user.workspace_id, brand))
        rows = list_conversations(uow, user, query)
        brands = brand_handles(uow, user.workspace_id)
        # Counted up to a cap (and past the page asked): exact below it, at a bounded cost above it.
        cap = max(TOTAL_CAP, (offset or 0) + limit) + 1
        counted = count_conversations(uow, user, query, cap)
        private = private_conversations(uow, user, [r.conversation.id for r in rows])
    now = runtime.clock.now()
    items = [
        ConversationOut.of(r.conversation, r.case, r.care, now, brands, r.conversation.id in private)
        for r in rows
    ]
    next_cursor = None
    if len(rows) == limit:
        last = rows[-1]
        state, next_check = (last.care.sla_state, last.care.sla_next_check_at) if last.care else (None, None)
        next_cursor = _encode_cursor(sort, sort_key(sort, last.conversation, state, next_check))
    start = offset or 0
    by_offset = cursor is None
    return ConversationPage(
        items=items,
        next_cursor=next_cursor,
        total=min(counted, cap - 1),
        total_capped=counted >= cap,
        offset=start if by_offset else None,
        next_offset=start + limit if by_offset and start + limit < counted else None,
        prev_offset=max(0, start - limit) if by_offset and start > 0 else None,
    )


@router.get("/conversations/{conversation_id}", tags=["conversations"])
def conversation(conversation_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> ConversationDetailOut:
    with runtime.read_uow() as uow:
        detail = get_conversation_detail(uow, user, conversation_id)
        brands = brand_handles(uow, user.workspace_id)
        private = bool(private_conversations(uow, user, [conversation_id]))
    now = runtime.clock.now()
    current = detail.care.get(detail.case.id) if detail.case else None
    return ConversationDetailOut(
        conversation=ConversationOut.of(detail.conversation, detail.case, current, now, brands, private),
        messages=[MessageOut.of(m) for m in detail.messages],
        cases=[CaseOut.of(c, detail.care.get(c.id), now) for c in detail.cases],
        notes=[NoteOut.of(n) for n in detail.notes],
    )


@router.post("/conversations/{conversation_id}/replies", tags=["conversations"], status_code=201)
def reply(conversation_id: Id, body: ReplyIn, user: ApiUserDep, runtime: RuntimeDep) -> ReplyOut:
    """Queue a public reply or a private message; the dispatcher sends it through the outbox.

    Without `visibility`, a conversation whose newest customer message is private (a DM) is answered
    privately; a public reply there answers 409 (`detail.confirm`: `confirm_public`) unless
    `confirm_public`.

    Public replies get the agent's signature and are never shortened: over the network's limit the
    answer is 422 naming it, unless `thread` (numbered parts). A reply needing approval waits (`delivery`:
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
                Visibility(body.visibility) if body.visibility else None,
                runtime.clock.now(),
                seen_message_id=body.seen_message_id,
                confirm_stale=body.confirm_stale,
                confirm_public=body.confirm_public,
                follow_up=follow_up,
                brand_account_id=body.brand_account_id,
                thread=body.thread,
                unscripted_threshold=runtime.settings.unscripted_similarity,
            )
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
        thread=[MessageOut.of(m) for m in result.thread],
    )


@router.post("/conversations/{conversation_id}/answered-elsewhere", tags=["conversations"], status_code=201)
def answered_elsewhere(
    conversation_id: Id, body: AnsweredElsewhereIn, user: ApiUserDep, runtime: RuntimeDep
) -> MessageOut:
    """Record that the customer was answered outside socialdesk (another channel, e-mail, phone), with
    a link or reference: for channels that cannot send (`can_reply` false). It sets the case's first
    response, as a confirmed delivery does; nothing is sent."""
    with runtime.uow() as uow:
        message = check_answered_elsewhere(
            uow, user, conversation_id, body.via, body.reference, runtime.clock.now()
        )
    return MessageOut.of(message)


@router.post("/cases/{case_id}/status", tags=["cases"])
def case_status(case_id: Id, body: CaseStatusIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    with runtime.uow() as uow:
        case = check_change_case_status(uow, user, case_id, CaseStatus(body.status), runtime.clock.now())
    return CaseOut.of(case, None, runtime.clock.now())


@router.post("/cases/{case_id}/priority", tags=["cases"])
def case_priority(case_id: Id, body: CasePriorityIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    """Set the priority by hand: it orders the team's queue and sets the SLA targets."""
    with runtime.uow() as uow:
        case = check_set_case_priority(uow, user, case_id, body.priority, runtime.clock.now())
    return CaseOut.of(case, None, runtime.clock.now())


@router.post("/cases/{case_id}/needs-reply", tags=["cases"])
def case_needs_reply(case_id: Id, body: CaseNeedsReplyIn, user: ApiUserDep, runtime: RuntimeDep) -> CaseOut:
    """Say whether a case needs a reply: `true` starts its SLA clocks (from the oldest unanswered
    customer message), `false` stops them. Audited with before and after."""
    now = runtime.clock.now()
    with runtime.uow() as uow:
        case = check_set_needs_reply(uow, user, case_id, body.needs_reply, now)
        care = uow.care.get_many(user.workspace_id, [case.id]).get(case.id)
    return CaseOut.of(case, care, now)


# The care workflow (routing, SLA, collaboration, approvals, audit) shares the /api/v1 prefix.
router.include_router(care_router)
