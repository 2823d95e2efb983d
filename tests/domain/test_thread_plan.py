"""The threading planner against a simple reference: the reply graph's connected parts.

Worlds of a few stored posts (each in a stored conversation or in none) and a batch of new posts
(in any order: redelivery and retries reorder a stream), each answering any earlier post or none.
After the plan (and its merges), a reply and its parent, both in conversations, share one (no split
thread); posts of different parts of the graph never share one (no false merge); every customer
post that may open a conversation is in one; the brand's posts never open one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.post import Author, Post
from socialdesk.domain.thread_plan import FoldKind, Incoming, StoredThreads, ThreadPlan, plan_threads

T0 = datetime(2026, 3, 1, tzinfo=UTC)
Key = tuple[str, str]


@dataclass(frozen=True)
class World:
    """Post i (0..n-1) was written before post i+1; `parent[i]` < i or None. The first `stored`
    posts of `arrival` are stored (with `conversation`), the rest form the batch, in arrival order."""

    parent: list[int | None]
    outbound: list[bool]
    arrival: list[int]
    stored: int
    conversation: dict[int, int | None]  # stored post -> its conversation

    def key(self, i: int) -> Key:
        return ("x", f"p{i}")


@st.composite
def worlds(draw: st.DrawFn) -> World:
    n = draw(st.integers(1, 9))
    parent = [draw(st.none() | st.integers(0, i - 1)) if i else None for i in range(n)]
    outbound = [draw(st.booleans()) for _ in range(n)]
    arrival = draw(st.permutations(range(n)))
    stored = draw(st.integers(0, n - 1))
    drawn = {i: draw(st.none() | st.integers(1, 3)) for i in arrival[:stored]}
    # What was stored obeys the rules already: a stored reply and its stored parent share a thread
    # (or are both in none); two stored threads may still wait for a batch post that links them.
    up = {i: i for i in drawn}

    def find(i: int) -> int:
        while up[i] != i:
            i = up[i]
        return i

    for i in drawn:
        p = parent[i]
        if p is not None and p in drawn:
            up[find(i)] = find(p)
    first: dict[int, int | None] = {}
    for i in sorted(drawn):
        if first.get(find(i)) is None:
            first[find(i)] = drawn[i]
    # In these worlds every customer post may open a conversation, so a stored one is in one; only
    # the brand's stored posts can be in none (announcements, replies stored before their post).
    # (Not planned for: a stored chain of the brand's posts in no conversation, such as an
    # announcement and the brand's own reply to it; the planner is not told stored posts' parents.)
    size: dict[int, int] = {}
    for i in drawn:
        size[find(i)] = size.get(find(i), 0) + 1
    for i in sorted(drawn):
        if first[find(i)] is None and (not outbound[i] or size[find(i)] > 1):
            first[find(i)] = 4
    conversation = {i: first[find(i)] for i in drawn}
    return World(parent, outbound, list(arrival), stored, conversation)


def _post(world: World, i: int) -> Post:
    parent = world.parent[i]
    return Post(
        id=f"p{i}",
        channel="x",
        text=f"post {i}",
        created_at=T0 + timedelta(minutes=i),
        author=Author(id="brand" if world.outbound[i] else f"c{i}", handle="@b"),
        in_reply_to=f"p{parent}" if parent is not None else None,
    )


def _stored_threads(world: World) -> StoredThreads:
    stored = world.arrival[: world.stored]
    batch = set(world.arrival[world.stored :])
    parents = {
        world.key(p): world.conversation[p]
        for i in batch
        if (p := world.parent[i]) is not None and p in world.conversation
    }
    reply_threads: dict[Key, list[int]] = {}
    early: dict[Key, list[Key]] = {}
    for s in sorted(stored):  # oldest reply first
        p = world.parent[s]
        if p is None or p not in batch:
            continue
        conv = world.conversation[s]
        if conv is not None:
            reply_threads.setdefault(world.key(p), []).append(conv)
        elif world.outbound[s]:
            early.setdefault(world.key(p), []).append(world.key(s))
    return StoredThreads(parents=parents, reply_threads=reply_threads, early_replies=early)


def _plan(world: World, *, may_open: bool = True) -> tuple[dict[Key, int], ThreadPlan]:
    """Each post's final conversation after the plan and its merges (posts in none left out)."""
    batch = world.arrival[world.stored :]
    incoming = [Incoming(_post(world, i), world.outbound[i], may_open, f"dedupe-{i}") for i in batch]
    plan = plan_threads(incoming, _stored_threads(world))
    final: dict[Key, int] = {world.key(s): c for s, c in world.conversation.items() if c is not None}
    for key, ref in plan.attach:
        final[key] = ref
    for key, planned in plan.conversation_of.items():
        if planned is not None:
            final[key] = planned
    into: dict[int, int] = {}

    def root(ref: int) -> int:
        while ref in into:
            ref = into[ref]
        return ref

    for target, source in plan.merges:
        if root(source) != root(target):
            into[root(source)] = root(target)
    return {key: root(ref) for key, ref in final.items()}, plan


def _parts(world: World) -> dict[Key, int]:
    """The reference: connected parts of the reply graph (stored posts of one stored conversation
    count as linked: they are one thread already)."""
    n = len(world.parent)
    up = list(range(n))

    def find(i: int) -> int:
        while up[i] != i:
            i = up[i]
        return i

    for i, p in enumerate(world.parent):
        if p is not None:
            up[find(i)] = find(p)
    by_conv: dict[int, int] = {}
    for s, c in world.conversation.items():
        if c is not None:
            if c in by_conv:
                up[find(s)] = find(by_conv[c])
            by_conv[c] = s
    return {world.key(i): find(i) for i in range(n)}


@settings(max_examples=400, deadline=None)
@given(worlds())
def test_no_reply_ends_apart_from_its_parent(world: World) -> None:
    final, _ = _plan(world)
    for i, p in enumerate(world.parent):
        if p is not None and world.key(i) in final and world.key(p) in final:
            assert final[world.key(i)] == final[world.key(p)], (i, p)


@settings(max_examples=400, deadline=None)
@given(worlds())
def test_posts_of_different_threads_never_share_a_conversation(world: World) -> None:
    final, _ = _plan(world)
    parts = _parts(world)
    by_conversation: dict[int, set[int]] = {}
    for key, conv in final.items():
        by_conversation.setdefault(conv, set()).add(parts[key])
    assert all(len(found) == 1 for found in by_conversation.values()), by_conversation


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_every_customer_post_is_threaded_and_the_brand_opens_nothing(world: World) -> None:
    final, plan = _plan(world)
    batch = world.arrival[world.stored :]
    assert all(world.key(i) in final for i in batch if not world.outbound[i])
    opened = set(plan.opened_by.values())
    assert not any(world.outbound[int(key[1][1:])] for key in opened)
    for fold in plan.folds:
        if fold.kind is FoldKind.OWN:
            assert plan.conversation_of[fold.key] == fold.ref


@settings(max_examples=200, deadline=None)
@given(worlds())
def test_without_permission_to_open_only_known_threads_grow(world: World) -> None:
    final, plan = _plan(world, may_open=False)
    assert not plan.opened_by
    assert all(conv > 0 for conv in final.values())


def test_a_late_parent_joins_the_thread_its_reply_started_and_siblings_merge() -> None:
    # Posts 1 and 2 both answer 0; they were stored first, each in a thread of its own (3 and 2).
    world = World([None, 0, 0], [False, False, False], [1, 2, 0], 2, {1: 3, 2: 2})
    final, plan = _plan(world)
    assert final == {("x", "p0"): 3, ("x", "p1"): 3, ("x", "p2"): 3}
    assert plan.merges == [(3, 2)]
