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

from socialdesk.actions.care_threads import _restat as restat
from socialdesk.actions.care_threads import do_merge
from socialdesk.domain.case import after_agent_reply
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.post import Direction, Post, Visibility
from socialdesk.ports import PostKey, UnitOfWork


def do_rejoin_threads(uow: UnitOfWork, workspace_id: int, posts: Sequence[Post], now: datetime) -> int:
    """After a batch committed: join threads that concurrent writers split. Two writers storing a
    reply and its parent at once each miss the other's uncommitted post, so the reply starts a
    conversation of its own; whichever runs this after both committed sees the split and folds the
    reply's conversation into its parent's (`merge_orphans`). The caller commits. How many merged."""
    keys = {p.key for p in posts}
    parents = {(p.channel, p.in_reply_to) for p in posts if p.in_reply_to}
    attached = _attach_strays(uow, workspace_id, posts, keys | parents)
    refs = uow.messages.find_by_keys(workspace_id, keys | parents)
    merges: set[tuple[int, int]] = set()
    for p in posts:
        mine = refs[p.key].conversation_id if p.key in refs else None
        parent = refs.get((p.channel, p.in_reply_to or ""))
        if mine is not None and parent is not None and parent.conversation_id not in (None, mine):
            merges.add((parent.conversation_id, mine))
    for key, threads in uow.messages.find_reply_threads(workspace_id, keys).items():
        mine = refs[key].conversation_id if key in refs else None
        merges |= {(mine, other) for other in threads if mine is not None and other != mine}
    merge_orphans(uow, workspace_id, sorted(merges), now)
    restat_late_arrivals(uow, workspace_id, attached)
    return len(merges) + len(attached)


def _attach_strays(uow: UnitOfWork, workspace_id: int, posts: Sequence[Post], keys: set[PostKey]) -> set[int]:
    """Posts left in no conversation next to a thread because their neighbour was stored at the same
    moment: a brand reply stored while the post it answers was (neither saw the other, so the reply
    joined nothing), and a post whose reply opened a thread while it was being stored. They join
    the thread. The conversations that grew."""
    refs = uow.messages.find_by_keys(workspace_id, keys)
    grown: set[int] = set()
    for m in uow.messages.find_unthreaded_brand_replies(workspace_id, keys):
        parent = refs.get((m.channel, m.in_reply_to or ""))
        if parent is not None and parent.conversation_id is not None:
            uow.messages.attach(workspace_id, m.id, parent.conversation_id)
            grown.add(parent.conversation_id)
    for p in posts:
        mine = refs.get(p.key)
        parent = refs.get((p.channel, p.in_reply_to or ""))
        if (
            mine is None
            or mine.conversation_id is None
            or parent is None
            or parent.conversation_id is not None
        ):
            continue
        uow.messages.attach(workspace_id, parent.id, mine.conversation_id)
        grown.add(mine.conversation_id)
    return grown


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
