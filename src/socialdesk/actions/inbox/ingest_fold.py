"""Ingest's fold of a batch into conversations: the state of each conversation and case a batch
changes, how one message changes it, and the rows ingest writes for them. Pure: no storage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from socialdesk.actions.inbox.annotate import PostAnnotation
from socialdesk.domain.case import Case, CaseStatus, after_agent_reply, after_customer_message
from socialdesk.domain.conversation import Conversation, subject_of
from socialdesk.domain.post import Direction, Post
from socialdesk.domain.sla import AgentReply, CustomerMessage, Reopened, Resolved, SlaEvent
from socialdesk.domain.thread_plan import FoldKind, ThreadPlan
from socialdesk.ports.inbox import NewCase, NewConversation, NewMessage, PostKey

_NO_NOTE = PostAnnotation()


@dataclass
class ConvWork:
    """A conversation being changed by this batch (existing, or new with a negative ref)."""

    ref: int
    channel: str
    contact_id: int | None
    subject: str
    created_at: datetime
    last_message_at: datetime
    waiting_since: datetime | None
    message_count: int
    author_handle: str
    author_name: str
    author_followers: int | None
    last_text: str
    urgency: int = 0
    brand_account_id: int | None = None  # the brand account addressed (see BrandDirectory.addressed)
    existing: Conversation | None = None
    case: Case | None = None
    new_case: NewCase | None = None
    touched_case: bool = False
    opening: tuple[Post, PostAnnotation] | None = None  # the post that opened new_case (for routing)
    sla_events: list[SlaEvent] = field(default_factory=list)  # for `case`
    wants_reply_at: datetime | None = None  # a new message of the open `case` needs a reply (triage)
    new_sla_events: list[SlaEvent] = field(default_factory=list)  # for `new_case`, after it opened


def work_from(conv: Conversation) -> ConvWork:
    return ConvWork(
        ref=conv.id,
        channel=conv.channel,
        contact_id=conv.contact_id,
        subject=conv.subject,
        created_at=conv.created_at,
        last_message_at=conv.last_message_at,
        waiting_since=conv.waiting_since,
        message_count=conv.message_count,
        author_handle=conv.author_handle,
        author_name=conv.author_name,
        author_followers=conv.author_followers,
        last_text=conv.last_text,
        urgency=conv.urgency,
        brand_account_id=conv.brand_account_id,
        existing=conv,
    )


def new_work(ref: int, post: Post) -> ConvWork:
    return ConvWork(
        ref=ref,
        channel=post.channel,
        contact_id=None,
        subject=subject_of(post.text),
        created_at=post.created_at,
        last_message_at=post.created_at,
        waiting_since=None,
        message_count=0,
        author_handle="",
        author_name="",
        author_followers=None,
        last_text="",
    )


def apply_message(
    w: ConvWork,
    post: Post,
    direction: Direction,
    contact_id: int | None,
    urgency: int = 0,
    needs_reply: bool | None = None,
) -> None:
    """Fold one message into its conversation and case.

    A repost of a post of the conversation joins it, but asks nothing: it neither makes the customer
    wait nor opens or reopens a case.
    """
    w.message_count += 1
    if direction is Direction.INBOUND and post.is_repost and w.message_count > 1:
        return
    if post.created_at >= w.last_message_at or w.message_count == 1:
        w.last_message_at = max(w.last_message_at, post.created_at)
        w.last_text = post.text
    if direction is Direction.INBOUND:
        if w.contact_id is None:
            w.contact_id = contact_id
            w.subject = subject_of(post.text)
        w.author_handle, w.author_name = post.author.handle, post.author.name
        if post.author.followers is not None:
            w.author_followers = post.author.followers
        if w.waiting_since is None or post.created_at < w.waiting_since:
            w.waiting_since = post.created_at
        w.urgency = max(w.urgency, urgency)
        _customer_wrote(w, post.created_at, needs_reply)
    else:
        w.waiting_since = None
        w.urgency = 0
        _brand_replied(w, post.created_at)


def _customer_wrote(w: ConvWork, at: datetime, needs_reply: bool | None) -> None:
    if w.new_case is not None:
        w.new_sla_events.append(CustomerMessage(at))
        if at < w.new_case.opened_at:
            w.new_case = replace(w.new_case, opened_at=at)
        if needs_reply and w.new_case.needs_reply is False:  # a later message of the batch asks
            w.new_case = replace(w.new_case, needs_reply=True)
        return
    case = w.case
    if case is None or case.status is CaseStatus.CLOSED:
        w.new_case = NewCase(
            conversation_id=w.ref, status=CaseStatus.NEW, opened_at=at, needs_reply=needs_reply
        )
        return
    if needs_reply and w.wants_reply_at is None:
        w.wants_reply_at = at
    status = after_customer_message(case.status)
    if case.status is CaseStatus.RESOLVED:
        w.sla_events.append(Reopened(at))
    w.sla_events.append(CustomerMessage(at))
    resolved_at = None if status is not case.status else case.resolved_at
    w.case = replace(case, status=status, resolved_at=resolved_at, updated_at=max(at, case.updated_at or at))
    w.touched_case = True


def _brand_replied(w: ConvWork, at: datetime) -> None:
    if w.new_case is not None:
        nc = w.new_case
        w.new_sla_events.append(AgentReply(at))
        if nc.first_response_at is None and at >= nc.opened_at:
            w.new_case = replace(nc, first_response_at=at, status=after_agent_reply(nc.status))
        return
    case = w.case
    if case is None:
        return
    if case.is_active:
        w.sla_events.append(AgentReply(at))
    if case.first_response_at is None and at >= case.opened_at:
        w.case = replace(case, first_response_at=at, status=after_agent_reply(case.status), updated_at=at)
        w.touched_case = True


def settle_history(w: ConvWork) -> bool:
    """History import: a conversation whose newest message (in this batch) is the brand's was answered,
    so its case is stored resolved at that message, keeping its first response; one still waiting
    for the brand stays open. True when this resolved a case."""
    if w.waiting_since is not None:
        return False
    if w.new_case is not None:
        if w.new_case.status is CaseStatus.RESOLVED:
            return False
        w.new_case = replace(w.new_case, status=CaseStatus.RESOLVED, resolved_at=w.last_message_at)
        return True
    case = w.case
    got_messages = w.existing is not None and w.message_count > w.existing.message_count
    if case is None or not case.is_active or not got_messages:
        return False
    at = max(w.last_message_at, case.updated_at or w.last_message_at)
    w.case = replace(case, status=CaseStatus.RESOLVED, resolved_at=w.last_message_at, updated_at=at)
    w.sla_events.append(Resolved(w.last_message_at))
    w.touched_case = True
    return True


class Addressing(Protocol):
    """What the fold asks about the brand (BrandDirectory in actions/inbox/ingest.py)."""

    def is_brand(self, post: Post) -> bool: ...
    def addressed(self, post: Post, monitor_brands: Sequence[int] = ()) -> int | None: ...


def fold_plan(
    plan: ThreadPlan,
    work: dict[int, ConvWork],
    posts: Mapping[PostKey, Post],
    notes: Mapping[PostKey, PostAnnotation],
    brands: Addressing,
    contact_of: Callable[[Post], int | None],
) -> tuple[set[int], dict[int, PostKey]]:
    """Fold the batch's messages into their conversations and cases in the plan's order (`posts`:
    the batch's and the brand's early replies, by key). Returns the stored conversations that got a
    post older than their last message (their clocks are redone after the write) and each
    conversation's newest post of the batch."""
    late: set[int] = set()
    last_post: dict[int, PostKey] = {}
    for fold in plan.folds:
        w = work[fold.ref]
        if fold.kind is FoldKind.STORED_CONTEXT:
            w.message_count += 1
            continue
        post = posts[fold.key]
        if fold.kind is not FoldKind.OWN:  # context and the brand's replies: outbound messages
            apply_message(w, post, Direction.OUTBOUND, None)
            if fold.kind is FoldKind.CONTEXT:
                w.brand_account_id = brands.addressed(post)
            continue
        note = notes.get(post.key, _NO_NOTE)
        outbound = brands.is_brand(post)
        last_post[fold.ref] = post.key
        if w.existing is not None and post.created_at < w.last_message_at:
            late.add(fold.ref)
        urgency = note.triage.urgency if note.triage is not None else 0
        needs_reply = note.triage.needs_reply if note.triage is not None else None
        direction = Direction.OUTBOUND if outbound else Direction.INBOUND
        apply_message(w, post, direction, None if outbound else contact_of(post), urgency, needs_reply)
        if w.brand_account_id is None:
            w.brand_account_id = brands.addressed(post, note.brand_account_ids)
        if w.new_case is not None and w.opening is None:
            w.opening = (post, note)
    return late, last_post


def new_conversation(w: ConvWork) -> NewConversation:
    return NewConversation(
        channel=w.channel,
        contact_id=w.contact_id,
        subject=w.subject,
        created_at=w.created_at,
        last_message_at=w.last_message_at,
        waiting_since=w.waiting_since,
        message_count=w.message_count,
        author_handle=w.author_handle,
        author_name=w.author_name,
        author_followers=w.author_followers,
        last_text=w.last_text,
        urgency=w.urgency,
        brand_account_id=w.brand_account_id,
    )


def updated_conversation(w: ConvWork) -> Conversation:
    assert w.existing is not None
    return replace(
        w.existing,
        contact_id=w.contact_id,
        subject=w.subject,
        last_message_at=w.last_message_at,
        waiting_since=w.waiting_since,
        message_count=w.message_count,
        author_handle=w.author_handle,
        author_name=w.author_name,
        author_followers=w.author_followers,
        last_text=w.last_text,
        urgency=w.urgency,
        brand_account_id=w.brand_account_id,
    )


def new_message(
    post: Post,
    conversation_id: int | None,
    direction: Direction,
    handle: object,
    note: PostAnnotation,
    key: str | None = None,
) -> NewMessage:
    contact_handle_id = getattr(handle, "id", None) if direction is Direction.INBOUND else None
    return NewMessage(
        conversation_id=conversation_id,
        channel=post.channel,
        external_id=post.id,
        direction=direction,
        visibility=post.visibility,
        text=post.text,
        created_at=post.created_at,
        author_handle=post.author.handle,
        author_name=post.author.name,
        author_followers=post.author.followers,
        contact_handle_id=contact_handle_id,
        in_reply_to=post.in_reply_to,
        lang=post.lang,
        url=post.url,
        is_repost=post.is_repost,
        raw=post.raw,
        rating=post.rating,
        monitors=note.monitor_names,
        triage=None if note.triage is None else note.triage.to_dict(),
        dedupe_key=key,
        triage_json=note.triage_json,
    )
