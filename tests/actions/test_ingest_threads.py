"""The plan of the join after commit (`rejoin_plan`): each reply tree ends in one conversation."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from socialdesk.actions.inbox.ingest_threads import rejoin_plan
from socialdesk.ports.inbox import ThreadLink
from tests.conftest import T0


def _link(n: int, conversation: int | None, parent: int | None = None) -> ThreadLink:
    key = ("x", f"p{n}")
    return ThreadLink(
        key, n, conversation, None if parent is None else ("x", f"p{parent}"), T0 + timedelta(minutes=n)
    )


def _apply(links: list[ThreadLink]) -> dict[int, int | None]:
    """The conversation of each post after the plan, as `do_rejoin_threads` writes it: strays are
    attached, then each merge moves the source's posts unless either conversation is gone."""
    merges, strays = rejoin_plan(links)
    conversation = {link.id: link.conversation_id for link in links}
    for message_id, target in strays:
        assert conversation[message_id] is None
        conversation[message_id] = target
    alive = {c for c in conversation.values() if c is not None}
    for target, source in sorted(merges):
        if target == source or target not in alive or source not in alive:
            continue
        conversation = {m: target if c == source else c for m, c in conversation.items()}
        alive.discard(source)
    return conversation


def test_a_reply_tree_split_three_ways_ends_in_its_oldest_posts_thread() -> None:
    # The kill test's split: the customer's post (0) in a thread, the brand's reply (1) in none, the
    # customer's answer (2) in a thread it opened while the reply was not committed.
    links = [_link(0, 7), _link(1, None, parent=0), _link(2, 9, parent=1)]
    assert rejoin_plan(links) == ({(7, 9)}, [(1, 7)])
    assert set(_apply(links).values()) == {7}


def test_a_tree_wholly_in_no_conversation_stays_so() -> None:
    links = [_link(0, None), _link(1, None, parent=0), _link(2, 5)]  # 2 is a tree of its own
    assert rejoin_plan(links) == (set(), [])


def test_trees_sharing_a_conversation_end_in_one() -> None:
    # 0 <- 1 in threads 4 and 5; 2 <- 3 in threads 5 and 6 (a repost folded 3 into 5): one target for
    # all, so thread 5 is not merged into two.
    links = [_link(0, 4), _link(1, 5, parent=0), _link(2, 6), _link(3, 5, parent=2)]
    merges, strays = rejoin_plan(links)
    assert merges == {(4, 5), (4, 6)} and strays == []
    assert set(_apply(links).values()) == {4}


@st.composite
def _forests(draw: st.DrawFn) -> list[ThreadLink]:
    size = draw(st.integers(1, 12))
    links = []
    for n in range(size):
        parent = draw(st.none() | st.integers(0, n - 1)) if n else None
        links.append(_link(n, draw(st.none() | st.integers(1, 4)), parent))
    return draw(st.permutations(links))


@given(_forests())
def test_every_reply_tree_ends_in_one_conversation_or_none(links: list[ThreadLink]) -> None:
    after = _apply(list(links))
    by_key = {link.key: link for link in links}
    for link in links:
        if link.parent is not None and link.parent in by_key:
            assert after[link.id] == after[by_key[link.parent].id]  # no split thread
        if link.conversation_id is not None:
            assert after[link.id] is not None  # nothing threaded is left in none
