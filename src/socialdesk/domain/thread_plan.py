"""The threading planner: which conversation each post of an ingest batch joins or opens.

Pure: it is given the batch (new posts only, in time order, each with what the caller decided about
it: the brand's own post, one that may open a conversation, its dedupe key) and what the store
already knows about the posts the batch touches (`StoredThreads`, looked up before planning), and it
returns a `ThreadPlan`. The writer (actions/inbox/ingest.py) folds the posts into their conversations in
the plan's order and writes the rows.

The rules, in order, for each post:
1. A reply joins its parent's conversation (the parent in this batch or stored).
2. A post whose replies came first (stored earlier: redelivery and retries reorder a stream; or
   dated before it in this batch) joins the conversation those replies are in; when it already has
   a thread, theirs is merged into it, and so is every other conversation its replies started
   (siblings that each started one).
3. A repost joins the reposted post's conversation.
4. A customer post that continues no thread, and does not answer a known post, joins the
   conversation of the same author's identical post within the dedupe window (a repeat).
5. Otherwise a customer post that may open one opens a new conversation (negative ref). Its parent,
   when that parent is a post in no conversation (a brand announcement), is brought in as context.
6. The brand's replies to a post that arrived before it (stored in no conversation, or earlier in
   this batch) join its conversation, right after it.
The brand's own posts never open a conversation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from socialdesk.domain.post import Post

PostKey = tuple[str, str]  # (channel, external id)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A new post of the batch and what the caller decided about it."""

    post: Post
    outbound: bool  # the brand's own post
    may_open: bool  # a customer post that would open a conversation (care, not spam)
    dedupe_key: str


@dataclass(frozen=True, slots=True)
class StoredThreads:
    """What the store holds about the posts a batch touches."""

    # Stored posts the batch answers or reposts -> their conversation (None: in no conversation).
    parents: Mapping[PostKey, int | None] = field(default_factory=dict)
    # A post of the batch -> the conversations its stored replies are in (the first: the oldest reply's).
    reply_threads: Mapping[PostKey, Sequence[int]] = field(default_factory=dict)
    # A post of the batch -> the brand's stored replies to it that are in no conversation.
    early_replies: Mapping[PostKey, Sequence[PostKey]] = field(default_factory=dict)
    # A dedupe key -> the conversation and time of a stored customer post with it.
    repeats: Mapping[str, tuple[int, datetime]] = field(default_factory=dict)
    repeat_window_seconds: float = 0.0


class FoldKind(Enum):
    OWN = "own"  # the post itself, as its direction says
    CONTEXT = "context"  # a post of the batch in no conversation, brought in as an outbound message
    STORED_CONTEXT = "stored_context"  # a stored post in no conversation, attached (counted only)
    EARLY_REPLY = "early_reply"  # a stored brand reply to the post, attached as an outbound message
    WAITING_REPLY = "waiting_reply"  # a brand reply earlier in the batch than the post it answers


@dataclass(frozen=True, slots=True)
class Fold:
    """One message folded into conversation `ref` (a stored id, or a new conversation's negative ref)."""

    ref: int
    key: PostKey
    kind: FoldKind


@dataclass
class ThreadPlan:
    conversation_of: dict[PostKey, int | None] = field(default_factory=dict)  # each batch post's
    opened_by: dict[int, PostKey] = field(default_factory=dict)  # new ref -> the post opening it
    folds: list[Fold] = field(default_factory=list)  # in the order to apply them
    attach: list[tuple[PostKey, int]] = field(default_factory=list)  # stored posts joining a ref
    merges: list[tuple[int, int]] = field(default_factory=list)  # (target ref, source ref), after writing

    def known_conversations(self) -> set[int]:
        """The stored conversations the plan puts posts into (the writer loads them)."""
        refs = {f.ref for f in self.folds} | {ref for _, ref in self.attach}
        return {ref for ref in refs if ref > 0}


def plan_threads(batch: Sequence[Incoming], stored: StoredThreads) -> ThreadPlan:  # noqa: C901 (one pass, rules in order; to split)
    """The plan for a batch of new posts in time order (see the module's rules)."""
    plan = ThreadPlan()
    threads: dict[PostKey, int | None] = {}  # posts threaded so far (the batch's, and stored replies)
    repeats = dict(stored.repeats)
    early = {key: list(found) for key, found in stored.early_replies.items()}
    early_parent = {reply: key for key, found in early.items() for reply in found}
    waiting: dict[PostKey, list[PostKey]] = {}  # a later post of the batch -> its earlier brand replies
    answered: dict[PostKey, list[int]] = {}  # a later post of the batch -> threads of its earlier replies
    in_batch = {item.post.key for item in batch}
    parent_of = {
        item.post.key: (item.post.channel, item.post.in_reply_to) for item in batch if item.post.in_reply_to
    }

    def thread_of(key: PostKey | None) -> int | None:
        if key is None:
            return None
        return threads[key] if key in threads else stored.parents.get(key)

    for item in batch:
        post, key = item.post, item.post.key
        parent = (post.channel, post.in_reply_to) if post.in_reply_to else None
        ref = thread_of(parent)
        # Posts of the batch in no conversation that this post answers, up the chain, and the post
        # beyond them: when that one has a thread, this post continues it and brings them along.
        context, beyond = _unthreaded_chain(parent, threads, parent_of) if ref is None else ([], None)
        inherited = thread_of(beyond)
        if ref is None:
            ref = inherited
        replied = [*stored.reply_threads.get(key, ()), *answered.pop(key, ())]
        if ref is None and replied:
            ref = replied[0]
        if ref is not None:
            plan.merges += [(ref, other) for other in dict.fromkeys(replied) if other != ref]
        if ref is None and post.repost_of:
            ref = thread_of((post.channel, post.repost_of))
        known_parent = parent is not None and (parent in threads or parent in stored.parents)
        if ref is None and not item.outbound and not known_parent:  # (a reply starts its parent's thread)
            ref = _repeat_of(repeats.get(item.dedupe_key), post.created_at, stored.repeat_window_seconds)
        opens = ref is None and not item.outbound and item.may_open
        if opens:
            ref = -(len(plan.opened_by) + 1)
            plan.opened_by[ref] = key
        if ref is not None:  # what it answers comes along (a reply never ends apart from its parent)
            for answered_post in reversed(context):  # oldest first: a brand announcement, its thread
                threads[answered_post] = plan.conversation_of[answered_post] = ref
                plan.folds.append(Fold(ref, answered_post, FoldKind.CONTEXT))
                if beyond is not None and answered_post in waiting.get(beyond, ()):
                    waiting[beyond].remove(answered_post)  # it has its thread now
            if context and beyond in in_batch and beyond not in threads:  # the chain's top comes later
                answered.setdefault(beyond, []).append(ref)
            if (
                beyond is not None
                and beyond in stored.parents
                and beyond not in threads
                and inherited is None
            ):
                threads[beyond] = ref  # a stored post in no conversation (its other replies join it here)
                plan.attach.append((beyond, ref))
                plan.folds.append(Fold(ref, beyond, FoldKind.STORED_CONTEXT))
                answers = early_parent.get(beyond)  # a brand reply whose post is in this batch, later
                if answers is not None and beyond in early.get(answers, ()):
                    early[answers].remove(beyond)
                    answered.setdefault(answers, []).append(ref)  # that post joins this thread
        threads[key] = plan.conversation_of[key] = ref
        if ref is not None and parent in in_batch and parent not in threads:  # its post comes later
            answered.setdefault(parent, []).append(ref)
        if ref is None:
            if item.outbound and parent in in_batch and parent not in threads:  # its post comes later
                waiting.setdefault(parent, []).append(key)
            continue
        if not item.outbound:
            repeats[item.dedupe_key] = (ref, post.created_at)
        plan.folds.append(Fold(ref, key, FoldKind.OWN))
        for answer in early.pop(key, ()):  # the brand answered this post before it arrived
            plan.folds.append(Fold(ref, answer, FoldKind.EARLY_REPLY))
            plan.attach.append((answer, ref))
            threads[answer] = ref  # (a later post of the batch may answer it)
        for answer in waiting.pop(key, ()):
            plan.folds.append(Fold(ref, answer, FoldKind.WAITING_REPLY))
            threads[answer] = plan.conversation_of[answer] = ref
    return plan


def _unthreaded_chain(
    start: PostKey | None, threads: Mapping[PostKey, int | None], parent_of: Mapping[PostKey, PostKey]
) -> tuple[list[PostKey], PostKey | None]:
    """From `start` up the chain of parents: the posts of the batch seen so far in no conversation,
    and the first post past them (None when the chain ends)."""
    chain: list[PostKey] = []
    key = start
    while key is not None and key in threads and threads[key] is None and key not in chain:
        chain.append(key)
        key = parent_of.get(key)
    return chain, key


def _repeat_of(found: tuple[int, datetime] | None, at: datetime, window: float) -> int | None:
    """The conversation of the same author's identical post within the dedupe window, if any."""
    if found is None:
        return None
    conversation, seen_at = found
    return conversation if abs((at - seen_at).total_seconds()) <= window else None
