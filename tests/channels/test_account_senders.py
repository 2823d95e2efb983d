"""The dispatcher's per-account senders follow account changes: a moved account never sends through
the client built for its old host with the old credentials."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialdesk.channels.connect import Connector, FernetSealer
from socialdesk.channels.crypto import new_key
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.mastodon.send import MastodonSender
from socialdesk.channels.senders import AccountSender
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.ports.channels import ChannelAccount
from tests.channels.support import T0

KEY = new_key()


def test_a_changed_account_gets_a_new_sender() -> None:
    sealed = FernetSealer(KEY).seal({"token": "old-host-token"})
    account = ChannelAccount(
        7, 1, "mastodon", "acme", {"instance_url": "https://old.example"}, sealed, True, T0
    )
    accounts = [account]
    senders = AccountSender(
        "mastodon", lambda: accounts, Connector(KEY), SimulatedSender(), refresh_seconds=0
    )
    first = senders.sender_for(1)
    assert isinstance(first, MastodonSender) and first.http.base_url.host == "old.example"
    assert senders.sender_for(1) is first  # unchanged: the same sender

    accounts[0] = replace(account, settings={"instance_url": "https://new.example"}, sealed_credentials=None)
    moved = senders.sender_for(1)
    with pytest.raises(ChannelError, match="no stored token: enter the credentials again"):
        moved.find_sent(None)  # type: ignore[arg-type]

    fresh = FernetSealer(KEY).seal({"token": "new-host-token"})
    accounts[0] = replace(accounts[0], sealed_credentials=fresh)
    again = senders.sender_for(1)
    assert isinstance(again, MastodonSender) and again.http.base_url.host == "new.example"
    assert again.http.headers["authorization"] == "Bearer new-host-token"
