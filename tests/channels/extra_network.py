"""A network that exists only in tests, added through its descriptor alone: nothing else in socialdesk
names it. Tests register it with ``REGISTRY.registered(DESCRIPTOR)`` and show it flows through connect,
the runner, probe, backfill, sending, the API, the channels page and the CLI.

It takes the name of a channel the post format knows and no adapter serves (reddit), so its posts are
valid normalized posts. Its "API" is whatever transport the test's Connector carries (a MockTransport).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from socialdesk.channels.connect import Connector, InboundClient
from socialdesk.channels.framework import PostDict, StopFlag
from socialdesk.channels.probe import ProbeProblem
from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult

NAME = "reddit"
API = "https://reddit.example"


def listing(*numbers: int, at: str = "2026-01-05T09:00:00Z") -> dict[str, Any]:
    """A page of the fake network's API: one comment per number."""
    return {
        "children": [
            {"id": f"c{n}", "body": f"my order {n} is late", "author": f"user{n}", "created": at}
            for n in numbers
        ]
    }


def parse(payload: Any, received_at: datetime, settings: Mapping[str, Any] | None = None) -> list[PostDict]:
    return [
        {
            "id": child["id"],
            "channel": NAME,
            "text": child["body"],
            "created_at": child.get("created") or received_at.isoformat(),
            "author": {"id": child["author"], "handle": child["author"]},
        }
        for child in payload["children"]
    ]


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    token = connector.secret(account, "token").reveal()
    return connector.url_policy.http_client(
        base_url=API, headers={"Authorization": f"Bearer {token}"}, transport=connector.transport
    )


class Poller:
    """Polls ``/r/<subreddit>/comments`` once, hands the page to ``on_posts``, then waits to be stopped."""

    def __init__(self, request: InboundRequest) -> None:
        self.request = request

    def run(self, stop: StopFlag) -> None:
        subreddit = self.request.account.settings["subreddit"]
        with self.request.http() as http:
            page = http.get(f"/r/{subreddit}/comments").json()
        self.request.on_posts(parse(page, datetime.now(UTC)))
        self.request.health.connected()
        while not stop.is_set():
            stop.sleep(0.05)


def _client(request: InboundRequest) -> InboundClient:
    return Poller(request)


SENT: list[OutboxItem] = []  # every item any account's sender sent, in order
_SENT_LOCK = threading.Lock()


class Sender:
    def __init__(self, account: ChannelAccount) -> None:
        self.account = account

    def send(self, item: OutboxItem) -> SendResult:
        with _SENT_LOCK:
            SENT.append(item)
        return SendResult(f"{self.account.handle}-{item.id}")

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        return None


def _sender(connector: Connector, account: ChannelAccount) -> Sender:
    return Sender(account)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    with connector.http(account) as http:
        me = http.get("/api/me")
    if me.status_code != 200:
        raise ProbeProblem(f"the fake network answered HTTP {me.status_code}")
    return f"connected as u/{me.json()['name']}"


def _backfill(request: BackfillRequest) -> int:
    with request.connector.http(request.account) as http:
        page = http.get("/r/{}/comments".format(request.account.settings["subreddit"]), params={"all": 1})
    posts = [
        p
        for p in parse(page.json(), request.now())
        if request.since <= datetime.fromisoformat(p["created_at"].replace("Z", "+00:00")) < request.until
    ]
    if posts:
        request.on_posts(posts)
    return len(posts)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="Reddit (test fake)",
    summary="comments in a subreddit, polled; replies sent as the brand",
    schema=NetworkSchema(
        required_settings=("subreddit",),
        optional_settings=("interval",),
        required_secrets=("token",),
        brand_account=True,
        docs={"subreddit": "the subreddit to read, without r/", "token": "an OAuth token of the brand"},
    ),
    inbound=("poll", "webhook"),
    parse=parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    webhook_path="/api/v1/webhooks/reddit-test/{id}",
)


def fake_api(request: httpx.Request) -> httpx.Response:
    """The fake network: a token check, the brand's own account, two comments in any subreddit."""
    if request.headers.get("authorization") != "Bearer reddit-token":
        return httpx.Response(401, json={"error": "bad token"})
    if request.url.path == "/api/me":
        return httpx.Response(200, json={"name": "AcmeHelp"})
    if request.url.path.endswith("/comments"):
        if request.url.params.get("all"):
            early = listing(7, at="2026-01-04T09:00:00Z")["children"]
            return httpx.Response(200, json={"children": listing(1, 2)["children"] + early})
        return httpx.Response(200, json=listing(1, 2))
    return httpx.Response(404)
