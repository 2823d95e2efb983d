"""Ingest: store posts once, thread them into conversations, open and update cases."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from socialdesk.actions.annotate import Ahead, Annotations, Annotator, PostAnnotation
from socialdesk.actions.care_intake import NewCaseIntake, do_care_after_ingest
from socialdesk.actions.ingest_fold import (
    ConvWork,
    apply_message,
    new_conversation,
    new_message,
    new_work,
    settle_history,
    updated_conversation,
    work_from,
)
from socialdesk.actions.ingest_threads import do_rejoin_threads, merge_orphans, restat_late_arrivals
from socialdesk.domain.events import Event
from socialdesk.domain.noise import DEDUPE_WINDOW_SECONDS, dedupe_key, is_spam
from socialdesk.domain.people import BrandAccount, normalize_handle
from socialdesk.domain.post import Author, Direction, Message, Post, Visibility
from socialdesk.ports import PostKey, UnitOfWork

_MENTION = re.compile(r"(?<![\w@])@([\w.\-]+(?:@[\w.\-]+)?)")
_NO_ANNOTATION = PostAnnotation()


@dataclass
class IngestReport:
    received: int = 0
    added: int = 0
    duplicates: int = 0
    conversations_created: int = 0
    cases_opened: int = 0
    conversation_ids: set[int] = field(default_factory=set)
    listening_only: int = 0
    cases_resolved: int = 0  # history import: cases stored (or set) resolved because the brand answered
    # Posts that could not be stored (each alone, after their batch failed), with why.
    failed: list[tuple[PostKey, str]] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.failed += other.failed
        self.received += other.received
        self.added += other.added
        self.duplicates += other.duplicates
        self.conversations_created += other.conversations_created
        self.cases_opened += other.cases_opened
        self.listening_only += other.listening_only
        self.cases_resolved += other.cases_resolved
        self.conversation_ids |= other.conversation_ids


class BrandDirectory:
    """Tells whether a post's author is one of the workspace's own accounts, and which one a post
    addresses."""

    def __init__(self, accounts: Sequence[BrandAccount]) -> None:
        self.by_handle = {(a.channel, normalize_handle(a.handle)): a.id for a in accounts}
        self.by_id = {(a.channel, a.external_id): a.id for a in accounts if a.external_id}
        self.handles = set(self.by_handle)
        self.channel_of = {a.id: a.channel for a in accounts}
        self.ids = set(self.by_id)
        per_channel: dict[str, list[int]] = {}
        for a in accounts:
            per_channel.setdefault(a.channel, []).append(a.id)
        # A channel with one brand account: every conversation on it addresses that one.
        self.sole = {channel: ids[0] for channel, ids in per_channel.items() if len(ids) == 1}

    def mentioned(self, post: Post) -> int | None:
        """The first of the brand's accounts the post @-mentions on its channel."""
        for word in _MENTION.findall(post.text):
            found = self.by_handle.get((post.channel, normalize_handle(word)))
            if found is not None:
                return found
        return None

    def mentions_brand(self, post: Post) -> bool:
        """The post @-mentions one of the brand's handles on its channel."""
        return self.mentioned(post) is not None

    def author_account(self, post: Post) -> int | None:
        """The brand account that wrote the post, if one did."""
        found = self.by_handle.get((post.channel, normalize_handle(post.author.handle)))
        return found if found is not None else self.by_id.get((post.channel, post.author.id))

    def is_brand(self, post: Post) -> bool:
        return self.author_account(post) is not None

    def addressed(self, post: Post, monitor_brands: Sequence[int] = ()) -> int | None:
        """The brand account a post in a conversation points at: its author when the brand wrote it,
        else the account it mentions, else the account on its channel of a monitor it matched
        (``monitor_brands``), else the channel's only brand account."""
        found = self.author_account(post)
        if found is None:
            found = self.mentioned(post)
        if found is None:
            found = next((b for b in monitor_brands if self.channel_of.get(b) == post.channel), None)
        return found if found is not None else self.sole.get(post.channel)


def do_ingest_posts(
    uow: UnitOfWork,
    workspace_id: int,
    posts: Sequence[Post],
    now: datetime,
    annotator: Annotator | None = None,
    *,
    ahead: Mapping[PostKey, Ahead] | None = None,
    history: bool = False,
) -> IngestReport:
    """Store new posts of one batch; a post already stored (same channel and id) is skipped.

    The caller commits. Posts are processed in time order so replies find their parents. With an
    annotator, posts carry their monitor matches and triage (`ahead`: triage and dedupe keys computed
    ahead, by post key, such as in the triage process of the embedded ingest queue); when the workspace has
    care monitors, only posts that match one, mention a brand account or continue a conversation open
    conversations (the rest are stored for listening only). The brand's own posts never open a
    conversation.

    `history`: the posts are past conversations being imported. One whose newest message is the
    brand's was answered: its case is stored resolved (with its first-response time), neither routed
    nor put on an SLA clock; only conversations still waiting for the brand open cases.
    """
    return _store(uow, workspace_id, posts, now, annotator, ahead, history).report


def do_ingest_batches(
    uow: UnitOfWork,
    workspace_id: int,
    batches: Sequence[Sequence[Post]],
    now: datetime,
    annotator: Annotator | None = None,
    *,
    ahead: Mapping[PostKey, Ahead] | None = None,
    history: bool = False,
) -> list[IngestReport]:
    """Several batches stored as one (a group commit), with each batch's own report.

    A post in more than one batch counts as added in the first and as a duplicate in the others, as
    if the batches had been stored one after another; a new conversation or case counts for the batch
    of the post that opened it.
    """
    everything = [p for batch in batches for p in batch]
    stored = _store(uow, workspace_id, everything, now, annotator, ahead, history)
    reports = []
    claimed: set[PostKey] = set()
    for batch in batches:
        report = IngestReport(received=len(batch))
        mine: set[PostKey] = set()
        for post in batch:
            key = post.key
            if key in stored.conversation_of and key not in claimed:
                claimed.add(key)
                mine.add(key)
                conversation = stored.conversation_of[key]
                if conversation is None:
                    report.listening_only += 1
                else:
                    report.conversation_ids.add(conversation)
        report.added = len(mine)
        report.duplicates = report.received - report.added
        report.conversations_created = sum(1 for key in stored.conversations_opened_by if key in mine)
        report.cases_opened = sum(1 for key in stored.cases_opened_by if key in mine)
        report.cases_resolved = sum(1 for key in stored.resolved_by if key in mine)
        reports.append(report)
    if reports:  # what no post of a batch can claim (none today) counts for the first batch
        reports[0].conversations_created += sum(
            1 for key in stored.conversations_opened_by if key not in claimed
        )
        reports[0].cases_opened += sum(1 for key in stored.cases_opened_by if key not in claimed)
        reports[0].cases_resolved += sum(1 for key in stored.resolved_by if key not in claimed)
    return reports


@dataclass
class _Stored:
    report: IngestReport
    conversation_of: dict[PostKey, int | None] = field(default_factory=dict)  # each stored post's
    conversations_opened_by: list[PostKey | None] = field(default_factory=list)  # each new one's post
    cases_opened_by: list[PostKey | None] = field(default_factory=list)  # each case left open's post
    resolved_by: list[PostKey | None] = field(default_factory=list)  # history: each case resolved's


def _store(
    uow: UnitOfWork,
    workspace_id: int,
    posts: Sequence[Post],
    now: datetime,
    annotator: Annotator | None,
    ahead: Mapping[PostKey, Ahead] | None,
    history: bool = False,
) -> _Stored:
    report = IngestReport(received=len(posts))
    stored = _Stored(report)
    unique: dict[PostKey, Post] = {}
    for post in posts:
        unique.setdefault(post.key, post)
    existing = uow.messages.find_by_keys(workspace_id, unique)
    fresh = sorted((p for k, p in unique.items() if k not in existing), key=lambda p: (p.created_at, p.id))
    report.duplicates = len(posts) - len(fresh)
    if not fresh:
        return stored

    brands = BrandDirectory(uow.brands.list(workspace_id))
    spam_rules = uow.rules.spam_rules(workspace_id)
    known = ahead or {}
    keys = {
        p.key: known[p.key].dedupe_key if p.key in known else dedupe_key(p.channel, p.author.id, p.text)
        for p in fresh
    }
    earliest = fresh[0].created_at - timedelta(seconds=DEDUPE_WINDOW_SECONDS)
    repeats: dict[str, tuple[int, datetime]] = dict(
        uow.messages.find_by_dedupe_keys(workspace_id, set(keys.values()), earliest)
    )
    annotations = annotator.annotate(uow, workspace_id, fresh, ahead) if annotator else None
    if annotator is not None and annotations is not None and annotator.care_stage is not None:
        annotations = annotator.refine_care(
            annotations,
            fresh,
            [reached_care(p, n, brands) for p, n in zip(fresh, annotations.posts, strict=True)],
        )
    parent_keys = {(p.channel, p.in_reply_to) for p in fresh if p.in_reply_to}
    parent_keys |= {(p.channel, p.repost_of) for p in fresh if p.repost_of}
    fresh_keys = {p.key for p in fresh}
    stored_parents = uow.messages.find_by_keys(workspace_id, [k for k in parent_keys if k not in fresh_keys])
    # Replies stored before their parent arrived: the parent joins their conversation.
    reply_threads = uow.messages.find_reply_threads(workspace_id, fresh_keys)
    adopted = {key: found[0] for key, found in reply_threads.items()}
    # The brand's replies stored before the post they answer (in no conversation): they join its.
    early_replies: dict[PostKey, list[Post]] = {}
    stored_ids: dict[PostKey, int] = {}
    for m in uow.messages.find_unthreaded_brand_replies(workspace_id, fresh_keys):
        early_replies.setdefault((m.channel, m.in_reply_to or ""), []).append(post_of_message(m))
        stored_ids[(m.channel, m.external_id or "")] = m.id
    inbound_authors = [(p.channel, p.author) for p in fresh if not brands.is_brand(p)]
    handles = uow.contacts.ensure_handles(workspace_id, inbound_authors, now)

    known_ids = {ref.conversation_id for ref in stored_parents.values() if ref.conversation_id is not None}
    known_ids |= set(adopted.values())
    known_ids |= {conversation for conversation, _ in repeats.values()}
    work: dict[int, ConvWork] = {}
    for cid, conv in uow.conversations.get_many(workspace_id, known_ids).items():
        work[cid] = work_from(conv)
    for cid, case in uow.cases.current_for(workspace_id, known_ids).items():
        work[cid].case = case

    def thread_of(key: PostKey | None) -> int | None:
        if key is None:
            return None
        if key in conv_of:
            return conv_of[key]
        return stored_parents[key].conversation_id if key in stored_parents else None

    conv_of: dict[PostKey, int | None] = {}
    late: set[int] = set()  # existing conversations that got a post older than their last message
    waiting: dict[PostKey, list[int]] = {}  # a later post of the batch -> its brand replies (pending index)
    merges: list[tuple[int, int]] = []  # (target ref, source conversation id)
    by_key = {p.key: p for p in fresh}
    brought: dict[PostKey, int] = {}
    attach: list[tuple[int, int]] = []
    new_refs = 0
    opened_by: dict[int, PostKey] = {}  # new conversation ref -> the post that opened it
    last_post: dict[int, PostKey] = {}  # conversation ref -> its newest post of this batch
    pending: list[tuple[Post, int | None, Direction, PostAnnotation]] = []
    for index, post in enumerate(fresh):
        note = annotations.posts[index] if annotations else _NO_ANNOTATION
        outbound = brands.is_brand(post)
        parent = (post.channel, post.in_reply_to) if post.in_reply_to else None
        ref = thread_of(parent)
        orphans = adopted.get(post.key)
        if ref is None:
            ref = orphans
        elif orphans is not None and orphans != ref:
            # Replies to this post arrived first and started their own conversation: fold it into
            # this post's thread once the batch is written (redelivery can reorder a stream).
            merges.append((ref, orphans))
        if ref is not None:  # sibling replies that arrived first may each have started one
            merges += [(ref, other) for other in reply_threads.get(post.key, ())[1:] if other != ref]
        if ref is None and post.repost_of:
            ref = thread_of((post.channel, post.repost_of))
        known_parent = parent is not None and (parent in conv_of or parent in stored_parents)
        if ref is None and not outbound and not known_parent:  # (a reply starts its parent's thread)
            ref = _repeat_of(repeats.get(keys[post.key]), post.created_at)
        if (
            ref is None
            and not outbound
            and _opens_conversation(post, note, annotations, brands)
            and is_spam(spam_rules, post.text, post.author.handle) is None
        ):
            new_refs += 1
            ref = -new_refs
            work[ref] = new_work(ref, post)
            opened_by[ref] = post.key
            # A customer answering a post that is in no conversation (say, a brand announcement)
            # brings that post into the new conversation as its context.
            if parent in conv_of:
                conv_of[parent] = ref
                brought[parent] = ref
                apply_message(work[ref], by_key[parent], Direction.OUTBOUND, None)
                work[ref].brand_account_id = brands.addressed(by_key[parent])
            elif parent in stored_parents:
                attach.append((stored_parents[parent].id, ref))
                work[ref].message_count += 1
        conv_of[post.key] = ref
        if ref is not None and not outbound:
            repeats[keys[post.key]] = (ref, post.created_at)
        direction = Direction.OUTBOUND if outbound else Direction.INBOUND
        if ref is not None:
            last_post[ref] = post.key
            if work[ref].existing is not None and post.created_at < work[ref].last_message_at:
                late.add(ref)  # older than what the conversation holds: its clocks are redone after
            contact_id = None if outbound else handles[(post.channel, post.author.id)].contact_id
            urgency = int(note.triage.get("urgency", 0)) if note.triage else 0
            needs_reply = (
                bool(note.triage["needs_reply"]) if note.triage and "needs_reply" in note.triage else None
            )
            apply_message(work[ref], post, direction, contact_id, urgency, needs_reply)
            if work[ref].brand_account_id is None:
                work[ref].brand_account_id = brands.addressed(post, note.brand_account_ids)
            if work[ref].new_case is not None and work[ref].opening is None:
                work[ref].opening = (post, note)
            # The brand answered this post before it arrived: the answer joins, as a first response.
            for early in early_replies.pop(post.key, ()):
                apply_message(work[ref], early, Direction.OUTBOUND, None)
                attach.append((stored_ids[early.key], ref))
                conv_of[early.key] = ref  # (a later post of the batch may answer it)
            for index in waiting.pop(post.key, ()):
                early, _, early_direction, early_note = pending[index]
                apply_message(work[ref], early, Direction.OUTBOUND, None)
                pending[index] = (early, ref, early_direction, early_note)
                conv_of[early.key] = ref
        elif outbound and parent in fresh_keys and parent not in conv_of:  # its post comes later
            waiting.setdefault(parent, []).append(len(pending))
        pending.append((post, ref, direction, note))

    # History import: what the brand answered last is stored resolved (the post that did it, by ref).
    resolved_refs = {w.ref: last_post.get(w.ref) for w in work.values() if history and settle_history(w)}

    # Write: new conversations first (they give real ids), then messages and cases.
    new_works = [w for w in work.values() if w.ref < 0]
    real_ids = uow.conversations.add_many(workspace_id, [new_conversation(w) for w in new_works])
    real = {w.ref: rid for w, rid in zip(new_works, real_ids, strict=True)}

    def real_id(ref: int | None) -> int | None:
        return None if ref is None else real.get(ref, ref)

    pending = [(post, ref if ref is not None else brought.get(post.key), d, n) for post, ref, d, n in pending]
    message_ids = uow.messages.add_many(
        workspace_id,
        [
            new_message(
                post,
                real_id(ref),
                direction,
                handles.get((post.channel, post.author.id)),
                note,
                keys[post.key],
            )
            for post, ref, direction, note in pending
        ],
    )
    for message_id, ref in attach:
        uow.messages.attach(workspace_id, message_id, real.get(ref, ref))
    matches = [
        (monitor_id, message_id)
        for (_, _, _, note), message_id in zip(pending, message_ids, strict=True)
        for monitor_id in note.monitor_ids
    ]
    uow.monitors.record_matches(workspace_id, matches, now)
    opened = [w for w in work.values() if w.new_case]
    new_cases = [replace(w.new_case, conversation_id=real.get(w.ref, w.ref)) for w in opened if w.new_case]
    case_ids = uow.cases.add_many(workspace_id, new_cases)
    changed = [w for w in work.values() if w.existing is not None]
    uow.conversations.save_many(  # counts raised on the stored rows: another writer's messages count too
        [updated_conversation(w) for w in changed],
        added_messages={w.ref: w.message_count - w.existing.message_count for w in changed if w.existing},
    )
    uow.cases.save_many([w.case for w in work.values() if w.case is not None and w.touched_case])
    do_care_after_ingest(
        uow,
        workspace_id,
        [
            NewCaseIntake(case_id, nc, w.opening, w.contact_id, w.waiting_since, w.new_sla_events)
            for w, case_id, nc in zip(opened, case_ids, new_cases, strict=True)
            if nc.resolved_at is None  # a past, answered conversation is neither routed nor timed
        ],
        [(w.case.id, e) for w in work.values() if w.case is not None for e in w.sla_events],
        now,
        wants_reply=[(w.case.id, w.wants_reply_at) for w in work.values() if w.case and w.wants_reply_at],
    )

    report.added = len(pending)
    report.conversations_created = len(new_works)
    report.cases_opened = sum(1 for nc in new_cases if nc.resolved_at is None)
    report.cases_resolved = len(resolved_refs)
    report.conversation_ids = {real[r] if r < 0 else r for _, r, _, _ in pending if r is not None}
    stored.conversation_of = {post.key: real_id(ref) for post, ref, _, _ in pending}
    stored.conversations_opened_by = [opened_by.get(w.ref) for w in new_works]
    stored.cases_opened_by = [
        w.opening[0].key if w.opening else opened_by.get(w.ref)
        for w in opened
        if w.new_case is not None and w.new_case.resolved_at is None
    ]
    stored.resolved_by = list(resolved_refs.values())
    report.listening_only = sum(1 for _, ref, _, _ in pending if ref is None)
    merge_orphans(uow, workspace_id, [(real.get(t, t), src) for t, src in merges], now)
    if any(post.in_reply_to for post in fresh):  # a reply the batch threaded apart from its parent
        do_rejoin_threads(uow, workspace_id, fresh, now)
    restat_late_arrivals(uow, workspace_id, {real.get(r, r) for r in late})
    for cid in sorted(report.conversation_ids):
        uow.emit(Event(workspace_id, "conversation.updated", {"conversation_id": cid}))
    # One event per batch naming every stored post (listening-only ones too): how a listener such as
    # the pipeline benchmark tells that an arrival has been stored and reached the inbox.
    uow.emit(Event(workspace_id, "posts.ingested", {"posts": [post.id for post, _, _, _ in pending]}))
    return stored


def post_of_message(m: Message) -> Post:
    """A stored message as the post ingest folds into its conversation (what `apply_message` reads)."""
    author = Author(id="", handle=m.author_handle, name=m.author_name, followers=m.author_followers)
    return Post(
        id=m.external_id or "", channel=m.channel, text=m.text, created_at=m.created_at, author=author
    )


def post_author(post: Post) -> PostKey:
    return (post.channel, post.author.id)


def _repeat_of(found: tuple[int, datetime] | None, at: datetime) -> int | None:
    """The conversation of the same author's identical post within the dedupe window, if any."""
    if found is None:
        return None
    conversation, seen_at = found
    return conversation if abs((at - seen_at).total_seconds()) <= DEDUPE_WINDOW_SECONDS else None


def reached_care(post: Post, note: PostAnnotation, brands: BrandDirectory) -> bool:
    """A customer post that matched a care monitor, mentions a brand account or is a direct message:
    the posts the second triage stage reads (`Annotator.refine_care`)."""
    if brands.is_brand(post):
        return False
    return note.care or post.visibility is Visibility.PRIVATE or brands.mentions_brand(post)


def _opens_conversation(
    post: Post, note: PostAnnotation, annotations: Annotations | None, brands: BrandDirectory
) -> bool:
    """Whether a customer post that continues no thread starts a conversation in the inbox."""
    if annotations is None or not annotations.has_care_monitors:
        return True  # no care monitors configured: every customer post is care
    return note.care or brands.mentions_brand(post)
