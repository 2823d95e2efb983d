"""Ingest gives each conversation the brand account the customer addressed (issue 15, item 1), on every
back-end: the account mentioned, the account answering in the thread, or the network's only one."""

from __future__ import annotations

from collections.abc import Callable

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.ports.inbox import ConversationQuery
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]


def test_the_brand_mentioned_answering_or_alone_is_the_conversations(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "holding").id
        net = check_add_brand_account(uow, ws, "x", "NetLinkHelp").id
        air = check_add_brand_account(uow, ws, "x", "@SkyWaysAir").id
        masto = check_add_brand_account(uow, ws, "mastodon", "SkyWaysAir@mastodon.social").id
        do_ingest_posts(
            uow,
            ws,
            [
                post("@skywaysair my bag is lost", id="m1", author="ann"),
                post("nobody answers", id="q1", author="bob"),
                post("we can help, DM us", id="r1", author="NetLinkHelp", reply_to="q1", minutes=2),
                post("unsure who to ask", id="u1", author="cat"),
                post("anyone?", id="t1", author="dan", channel="mastodon"),
            ],
            T0,
        )
        uow.commit()
    with uow_factory() as uow:
        rows = uow.conversations.query(ws, ConversationQuery(limit=10))
        brand_of = {r.conversation.author_handle: r.conversation.brand_account_id for r in rows}
        assert brand_of == {"ann": air, "bob": net, "cat": None, "dan": masto}
        only_air = uow.conversations.query(ws, ConversationQuery(brand_account_ids=(air,)))
        assert [r.conversation.author_handle for r in only_air] == ["ann"]
