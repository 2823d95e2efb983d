"""find_sent pages back through the brand's statuses to the item's first attempt (the issue: one page
of 40 missed a reply posted before a crash, and it went out twice)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.channels.mastodon.client import mastodon_http
from socialdesk.channels.mastodon.send import MastodonSender
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendUnconfirmed
from tests.channels.mastodon.fake_network import BRAND_ID, FakeMastodonNetwork, fake_mastodon
from tests.channels.support import LOOPBACK


@pytest.fixture
def network() -> Iterator[FakeMastodonNetwork]:
    with fake_mastodon() as found:
        yield found


def _item(text: str, attempted_at: datetime | None) -> OutboxItem:
    payload = {"text": text, "in_reply_to": "555", "conversation_id": 1}
    created = datetime.now(UTC) - timedelta(hours=1)
    return OutboxItem(1, 1, 1, "mastodon", "k", payload, "sending", 0, created, attempted_at=attempted_at)


def _sender(network: FakeMastodonNetwork, pages: int = 25) -> MastodonSender:
    http = mastodon_http(network.url, "t", policy=LOOPBACK)
    return MastodonSender(http, BRAND_ID, find_pages=pages)


def test_a_reply_posted_before_200_others_is_found(network: FakeMastodonNetwork) -> None:
    started = datetime.now(UTC)
    sender = _sender(network)
    posted = sender.send(_item("the one that went out before the crash", None))
    for n in range(200):  # the restarted relay sent others meanwhile: five pages of 40
        sender.send(_item(f"another reply {n}", None))
    found = sender.find_sent(_item("the one that went out before the crash", started))
    assert found == posted


def test_not_found_once_the_timeline_passes_the_first_attempt(network: FakeMastodonNetwork) -> None:
    sender = _sender(network)
    for n in range(100):
        sender.send(_item(f"another reply {n}", None))
    assert sender.find_sent(_item("never sent", datetime.now(UTC) + timedelta(minutes=5))) is None
    assert sender.find_sent(_item("never sent", datetime.now(UTC))) is None  # to the timeline's start


def test_a_budget_that_runs_out_says_so_rather_than_risk_a_second_post(network: FakeMastodonNetwork) -> None:
    started = datetime.now(UTC)
    sender = _sender(network, pages=2)
    for n in range(120):
        sender.send(_item(f"another reply {n}", None))
    with pytest.raises(SendUnconfirmed, match="80 latest Mastodon statuses"):
        sender.find_sent(_item("the one that may have gone out", started))
