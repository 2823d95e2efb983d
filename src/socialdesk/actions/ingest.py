"""Ingest: store posts once, thread them into conversations, open and update cases."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from socialdesk.actions.annotate import Ahead, Annotations, Annotator, PostAnnotation
from socialdesk.actions.care_intake import NewCaseIntake, do_care_after_ingest
from socialdesk.actions.incident_watch import StoredPost
from socialdesk.actions.ingest_fold import (
    ConvWork,
    fold_plan,
    new_conversation,
    new_message,
    new_work,
    settle_history,
    updated_conversation,
    work_from,
)
from socialdesk.actions.ingest_threads import do_rejoin_threads, merge_orphans, restat_late_arrivals
from socialdesk.actions.knowledge_sources import community_answers, do_propose_community_answers
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.noise import DEDUPE_WINDOW_SECONDS, dedupe_key, is_spam
from socialdesk.domain.people import BrandAccount, normalize_handle
from socialdesk.domain.post import Author, Direction, Message, Post, Visibility
from socialdesk.domain.thread_plan import Incoming, StoredThreads, plan_threads
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
    threads, stored_ids, early_posts = _stored_threads(uow, workspace_id, fresh, repeats)
    inbound_authors = [(p.channel, p.author) for p in fresh if not brands.is_brand(p)]
    handles = uow.contacts.ensure_handles(workspace_id, inbound_authors, now)

    incoming = [
        Incoming(
            post,
            brands.is_brand(post),
            _opens_conversation(
                post, annotations.posts[i] if annotations else _NO_ANNOTATION, annotations, brands
            )
            and is_spam(spam_rules, post.text, post.author.handle) is None,
            keys[post.key],
        )
        for i, post in enumerate(fresh)
    ]
    plan = plan_threads(incoming, threads)
    by_key = {p.key: p for p in fresh}
    work: dict[int, ConvWork] = {}
    known_ids = plan.known_conversations() | {target for target, _ in plan.merges if target > 0}
    for cid, conv in uow.conversations.get_many(workspace_id, known_ids).items():
        work[cid] = work_from(conv)
    for cid, case in uow.cases.current_for(workspace_id, known_ids).items():
        work[cid].case = case
    for ref, key in plan.opened_by.items():
        work[ref] = new_work(ref, by_key[key])
    notes = {post.key: annotations.posts[i] for i, post in enumerate(fresh)} if annotations else {}

    def contact_of(post: Post) -> int | None:
        return handles[(post.channel, post.author.id)].contact_id

    late, last_post = fold_plan(plan, work, {**early_posts, **by_key}, notes, brands, contact_of)
    attach = [(stored_ids[key], ref) for key, ref in plan.attach]
    merges = plan.merges
    opened_by = plan.opened_by
    pending = [
        (
            post,
            plan.conversation_of.get(post.key),
            Direction.OUTBOUND if brands.is_brand(post) else Direction.INBOUND,
            notes.get(post.key, _NO_ANNOTATION),
        )
        for post in fresh
    ]

    # History import: what the brand answered last is stored resolved (the post that did it, by ref).
    resolved_refs = {w.ref: last_post.get(w.ref) for w in work.values() if history and settle_history(w)}

    # Write: new conversations first (they give real ids), then messages and cases.
    new_works = [w for w in work.values() if w.ref < 0]
    real_ids = uow.conversations.add_many(workspace_id, [new_conversation(w) for w in new_works])
    real = {w.ref: rid for w, rid in zip(new_works, real_ids, strict=True)}

    def real_id(ref: int | None) -> int | None:
        return None if ref is None else real.get(ref, ref)

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
    watch = annotator.incidents if annotator is not None else None
    if watch is not None and not history:  # past conversations being imported are no news
        customers = [
            StoredPost(post, message_id, real_id(ref), note.monitor_names)
            for (post, ref, direction, note), message_id in zip(pending, message_ids, strict=True)
            if direction is Direction.INBOUND
        ]
        if customers:
            watch.after_store(uow, workspace_id, customers, now)
    report.listening_only = sum(1 for _, ref, _, _ in pending if ref is None)
    merge_orphans(uow, workspace_id, [(real.get(t, t), real.get(f, f)) for t, f in merges], now)
    if any(post.in_reply_to for post in fresh):  # a reply the batch threaded apart from its parent
        do_rejoin_threads(uow, workspace_id, fresh, now)
    stored_posts = zip(pending, message_ids, strict=True)
    do_propose_community_answers(  # public answers by others in a customer's thread: for review
        uow, workspace_id, community_answers((p, m, d) for (p, _, d, _), m in stored_posts), now
    )
    restat_late_arrivals(uow, workspace_id, {real.get(r, r) for r in late})
    for cid in sorted(report.conversation_ids):
        uow.emit(Event(workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": cid}))
    # One event per batch naming every stored post (listening-only ones too): how a listener such as
    # the pipeline benchmark tells that an arrival has been stored and reached the inbox.
    uow.emit(Event(workspace_id, EventKind.POSTS_INGESTED, {"posts": [post.id for post, _, _, _ in pending]}))
    return stored


def _stored_threads(
    uow: UnitOfWork, workspace_id: int, fresh: Sequence[Post], repeats: Mapping[str, tuple[int, datetime]]
) -> tuple[StoredThreads, dict[PostKey, int], dict[PostKey, Post]]:
    """What the store holds about the posts a batch touches (for the threading planner), the ids of
    the stored posts it may attach, and the brand's early replies as posts (for the fold)."""
    parent_keys = {(p.channel, p.in_reply_to) for p in fresh if p.in_reply_to}
    parent_keys |= {(p.channel, p.repost_of) for p in fresh if p.repost_of}
    fresh_keys = {p.key for p in fresh}
    stored_parents = uow.messages.find_by_keys(workspace_id, [k for k in parent_keys if k not in fresh_keys])
    stored_ids = {key: ref.id for key, ref in stored_parents.items()}
    # The brand's replies stored before the post they answer (in no conversation): they join its.
    early: dict[PostKey, list[PostKey]] = {}
    early_posts: dict[PostKey, Post] = {}
    for m in uow.messages.find_unthreaded_brand_replies(workspace_id, fresh_keys):
        reply = post_of_message(m)
        early.setdefault((m.channel, m.in_reply_to or ""), []).append(reply.key)
        early_posts[reply.key] = reply
        stored_ids[reply.key] = m.id
    threads = StoredThreads(
        parents={key: ref.conversation_id for key, ref in stored_parents.items()},
        # Replies stored before their parent arrived: the parent joins their conversation.
        reply_threads=uow.messages.find_reply_threads(workspace_id, fresh_keys),
        early_replies=early,
        repeats=repeats,
        repeat_window_seconds=DEDUPE_WINDOW_SECONDS,
    )
    return threads, stored_ids, early_posts


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
