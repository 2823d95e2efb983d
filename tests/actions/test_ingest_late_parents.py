"""A brand reply that arrives before the post it answers joins that post's conversation when the post
arrives, as the first response: across batches and within one, on every back-end (PostgreSQL too)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.post import Direction, Post
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]


def _setup(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "@AcmeCares")
        uow.commit()
    return ws.id


def _ingest(uow_factory: Factory, ws: int, *batches: list[Post]) -> None:
    for batch in batches:
        with uow_factory() as uow:
            do_ingest_posts(uow, ws, batch, T0)
            uow.commit()


CUSTOMER = post("my router is dead", id="10")
ANSWER = post("Sorry! DM us", id="11", author="AcmeCares", reply_to="10", minutes=7)
FOLLOW_UP = post("done, sent you a DM", id="12", reply_to="11", minutes=9)


@pytest.mark.parametrize(
    "batches",
    [
        pytest.param([[ANSWER], [CUSTOMER]], id="reply-batch-before-its-post"),
        pytest.param([[ANSWER], [CUSTOMER, FOLLOW_UP]], id="reply-before-post-and-follow-up"),
        pytest.param([[ANSWER, CUSTOMER]], id="one-batch-reply-listed-first"),
        pytest.param([[FOLLOW_UP], [ANSWER], [CUSTOMER]], id="newest-first-three-batches"),
        pytest.param([[FOLLOW_UP, ANSWER], [CUSTOMER]], id="answer-and-follow-up-before-the-post"),
    ],
)
def test_an_early_brand_reply_joins_its_post_as_the_first_response(
    uow_factory: Factory, batches: list[list[Post]]
) -> None:
    ws = _setup(uow_factory)
    _ingest(uow_factory, ws, *batches)
    ids = sorted({p.id for batch in batches for p in batch})
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", i) for i in ids])
        conv_id = refs[("x", "10")].conversation_id
        assert conv_id is not None
        assert {i: refs[("x", i)].conversation_id for i in ids} == dict.fromkeys(ids, conv_id)
        messages = uow.messages.list_for_conversation(ws, conv_id)
        assert [m.external_id for m in messages] == ids
        assert messages[1].direction is Direction.OUTBOUND
        case = uow.cases.current_for(ws, [conv_id])[conv_id]
        assert case.first_response_seconds == 7 * 60
        conv = uow.conversations.get(ws, conv_id)
        assert conv is not None
        assert conv.message_count == len(ids)
        if "12" in ids:
            assert conv.waiting_since == FOLLOW_UP.created_at
        else:  # answered: the customer is not waiting
            assert conv.waiting_since is None
            assert case.status is CaseStatus.OPEN
        assert uow.conversations.count(ws) == 1


def test_a_reply_dated_before_its_post_in_one_batch_still_joins(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    skewed = post("Sorry! DM us", id="11", author="AcmeCares", reply_to="10", minutes=-1)  # clocks differ
    _ingest(uow_factory, ws, [skewed, CUSTOMER])
    with uow_factory() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", "10"), ("x", "11")])
        conv_id = refs[("x", "10")].conversation_id
        assert conv_id is not None and refs[("x", "11")].conversation_id == conv_id
        conv = uow.conversations.get(ws, conv_id)
        assert conv is not None and conv.message_count == 2
