"""The handoff to e-mail: refused with the reason without an e-mail account or with a bad address;
without a message it is only recorded, as before."""

from __future__ import annotations

import pytest

from socialdesk.actions.care.threads import check_handoff
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Author, Post
from socialdesk.runtime import Runtime
from tests.channels.integration.conftest import add_account, sqlite_runtime

__all__ = ["sqlite_runtime"]


def _conversation(rt: Runtime) -> tuple[User, int]:
    account = add_account(rt, "rss", "status", {"feed_url": "https://status.example/feed.xml"})
    now = rt.clock.now()
    with rt.uow() as uow:
        do_ingest_posts(
            uow, account.workspace_id, [Post("1", "simulated", "bill wrong", now, Author("u", "u"))], now
        )
        user = uow.users.add(account.workspace_id, "ada@acme.test", "Ada Byron", Role.AGENT, "x", "^AB")
        [message] = uow.messages.recent(account.workspace_id, 1)
    assert message.conversation_id is not None
    return user, message.conversation_id


def test_without_an_email_account_the_handoff_with_a_message_says_how_to_add_one(
    sqlite_runtime: Runtime,
) -> None:
    user, conv = _conversation(sqlite_runtime)
    with pytest.raises(ValidationFailed, match="socialdesk channels add email"), sqlite_runtime.uow() as uow:
        check_handoff(uow, user, conv, "email", sqlite_runtime.clock.now(), message="hi", address="c@x.test")


@pytest.mark.parametrize("address", ["not-an-address", "c@x.test\r\nBcc: all@x.test", "a@b", "<c@x.test>"])
def test_a_bad_address_is_refused(sqlite_runtime: Runtime, address: str) -> None:
    user, conv = _conversation(sqlite_runtime)
    add_account(sqlite_runtime, "email", "help@acme.test", {"imap_host": "imap.acme.test"}, {"password": "p"})
    with pytest.raises(ValidationFailed, match="is not an e-mail address"), sqlite_runtime.uow() as uow:
        check_handoff(uow, user, conv, "email", sqlite_runtime.clock.now(), message="hi", address=address)


def test_without_a_message_the_handoff_is_only_recorded(sqlite_runtime: Runtime) -> None:
    user, conv = _conversation(sqlite_runtime)
    with sqlite_runtime.uow() as uow:
        done = check_handoff(uow, user, conv, "email", sqlite_runtime.clock.now(), address="c@x.test")
        assert done.email is None
        assert uow.outbox.pending(10) == []


def test_an_email_conversation_takes_no_public_reply(sqlite_runtime: Runtime) -> None:
    from socialdesk.actions.inbox.replies import check_reply
    from socialdesk.domain.post import Visibility

    user, _ = _conversation(sqlite_runtime)
    now = sqlite_runtime.clock.now()
    mail = Post(
        "m1@x.test", "email", "help", now, Author("c@x.test", "c@x.test"), visibility=Visibility.PRIVATE
    )
    with sqlite_runtime.uow() as uow:
        do_ingest_posts(uow, user.workspace_id, [mail], now)
        [message] = uow.messages.recent(user.workspace_id, 1)
    with pytest.raises(ValidationFailed, match="answered by email only"), sqlite_runtime.uow() as uow:
        check_reply(
            uow, user, message.conversation_id or 0, "hi", Visibility.PUBLIC, now, confirm_public=True
        )
