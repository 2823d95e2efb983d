"""Joining threads after the fact: what ingest does when posts arrive out of order.

- `merge_orphans`: replies stored before their parent started a conversation of their own; when the
  parent arrives, that conversation joins the parent's thread.
- `do_rejoin_threads`: after commit, threads two concurrent writers split (each missed the other's
  uncommitted post) are joined, and posts such a race left in no conversation next to their
  thread (a brand reply and the post it answers, a reply and its parent) join it.
- `restat_late_arrivals`: a conversation that received a post older than its last message has its
  waiting time and its case's opening and first-response times worked out again from its messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from socialdesk.actions.care.threads import _restat as restat
from socialdesk.actions.care.threads import do_merge
from socialdesk.domain.case import after_agent_reply
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.post import Direction, Post, Visibility
from socialdesk.ports.inbox import PostKey, ThreadLink
from socialdesk.ports.uow import UnitOfWork

MAX_WALK = 64  # rounds of the walk through a reply tree, one generation each (a thread is rarely 10 deep)


def do_rejoin_threads(uow: UnitOfWork, workspace_id: int, posts: Sequence[Post], now: datetime) -> int:
    """After a batch committed: join threads that concurrent writers split. Two writers storing
    neighbours of one reply tree at once each miss the other's uncommitted posts: a reply starts a
    conversation of its own, a brand reply is left in none, a post is attached to one thread while
    the other writer attaches it to another. Whichever runs this after both committed sees all of
    it: each reply tree the batch's posts belong to (walked up to its root and down to its leaves,
    through the other writers' posts too) ends in one conversation, the one its oldest threaded post
    is in; the others are folded into it (`merge_orphans`) and its posts in no conversation join it.
    A tree wholly in no conversation (listening only) stays so. The caller commits. How many
    conversations merged and posts joined."""
    links = _reply_trees(uow, workspace_id, {p.key for p in posts})
    merges, strays = rejoin_plan(links)
    grown: set[int] = set()
    for message_id, target in strays:
        uow.messages.attach(workspace_id, message_id, target)
        grown.add(target)
    merge_orphans(uow, workspace_id, sorted(merges), now)
    restat_late_arrivals(uow, workspace_id, grown)
    return len(merges) + len(strays)


def _reply_trees(uow: UnitOfWork, workspace_id: int, keys: set[PostKey]) -> list[ThreadLink]:
    """Every stored post of the reply trees these posts are in (a generation a round)."""
    links: dict[PostKey, ThreadLink] = {}
    asked: set[PostKey] = set()
    frontier = set(keys)
    for _ in range(MAX_WALK):
        if not frontier:
            break
        asked |= frontier
        found = [
            link for link in uow.messages.find_thread_links(workspace_id, frontier) if link.key not in links
        ]
        links.update((link.key, link) for link in found)
        frontier = {link.key for link in found} | {link.parent for link in found if link.parent is not None}
        frontier -= asked
    return list(links.values())


def rejoin_plan(links: Sequence[ThreadLink]) -> tuple[set[tuple[int, int]], list[tuple[int, int]]]:
    """What makes each reply tree of `links` one conversation: the merges (target, source) and the
    posts in no conversation to attach (message id, target). Trees that share a conversation (a
    repost or a repeat joins one without answering a post of it) end in one conversation together,
    so no conversation is merged into two. The target is the conversation of the oldest post in
    one. Pure."""
    by_key = {link.key: link for link in links}
    root: dict[PostKey | int, PostKey | int] = {}  # a post's key or a conversation id -> its tree's

    def find(node: PostKey | int) -> PostKey | int:
        while root.get(node, node) != node:
            up = root[node]
            root[node] = root.get(up, up)  # halve the path
            node = up
        return node

    def join(one: PostKey | int, other: PostKey | int) -> None:
        a, b = find(one), find(other)
        if a != b:
            root[a] = b

    for link in links:
        if link.parent is not None and link.parent in by_key:
            join(link.key, link.parent)
        if link.conversation_id is not None:
            join(link.key, link.conversation_id)
    trees: dict[PostKey | int, list[ThreadLink]] = {}
    for link in links:
        trees.setdefault(find(link.key), []).append(link)
    merges: set[tuple[int, int]] = set()
    strays: list[tuple[int, int]] = []
    for tree in trees.values():
        threaded = sorted(
            (t for t in tree if t.conversation_id is not None), key=lambda t: (t.created_at, t.id)
        )
        if not threaded:
            continue  # listening only: the whole tree is in no conversation
        target = threaded[0].conversation_id
        assert target is not None
        merges |= {(target, t.conversation_id) for t in threaded if t.conversation_id not in (None, target)}
        strays += [(t.id, target) for t in sorted(tree, key=lambda t: t.id) if t.conversation_id is None]
    return merges, strays


def merge_orphans(uow: UnitOfWork, workspace_id: int, merges: list[tuple[int, int]], now: datetime) -> None:
    """Replies that arrived before their parent started a conversation of their own: it joins the
    parent's thread. One nobody acted on yet is absorbed (its messages move, it and its case are
    deleted: batches committed out of order leave no empty "merged" conversation behind); one that
    people worked on is merged, visibly, with its case closed as merged."""
    for target_id, source_id in merges:
        convs = uow.conversations.get_many(workspace_id, [target_id, source_id])
        if target_id == source_id or target_id not in convs or source_id not in convs:
            continue
        moved = uow.messages.list_for_conversation(workspace_id, source_id)
        uow.messages.move(workspace_id, [m.id for m in moved], target_id)
        if uow.conversations.discard_untouched(workspace_id, source_id):
            messages = uow.messages.list_for_conversation(workspace_id, target_id)
            uow.conversations.save_many([restat(convs[target_id], messages)])
            uow.emit(Event(workspace_id, EventKind.CONVERSATION_UPDATED, {"conversation_id": target_id}))
        else:
            do_merge(uow, workspace_id, convs[target_id], convs[source_id], now, None)


def restat_late_arrivals(uow: UnitOfWork, workspace_id: int, conversation_ids: Iterable[int]) -> None:
    """Conversations that received posts older than their last message (a parent or a brand reply
    arriving after what followed it): the fold of a batch sees only its own posts, so the customer's
    waiting time, and the case's opening and first response, are worked out again from all the
    messages. Only a conversation's first case is moved (a later one opened after the earlier closed)."""
    for cid in sorted(conversation_ids):
        conv = uow.conversations.get(workspace_id, cid)
        if conv is None:
            continue
        messages = uow.messages.list_for_conversation(workspace_id, cid)
        uow.conversations.save_many([replace(restat(conv, messages), urgency=conv.urgency)])
        cases = uow.cases.list_for_conversation(workspace_id, cid)
        if len(cases) != 1:
            continue
        case = cases[0]
        inbound = [m.created_at for m in messages if m.direction is Direction.INBOUND]
        opened = min([case.opened_at, *inbound])
        answers = [
            m.created_at
            for m in messages
            if m.direction is Direction.OUTBOUND
            and m.visibility is Visibility.PUBLIC
            and m.created_at >= opened
        ]
        first = min(answers, default=None)
        if case.first_response_at is not None and (first is None or case.first_response_at < first):
            first = case.first_response_at
        if (opened, first) != (case.opened_at, case.first_response_at):
            status = after_agent_reply(case.status) if first is not None else case.status
            uow.cases.save_many([replace(case, opened_at=opened, first_response_at=first, status=status)])
