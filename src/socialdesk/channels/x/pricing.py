"""What X's pay-per-use API charges for one exchange (docs.x.com, "X API pay-per-usage pricing").

Reads are billed per resource returned (posts, users, DM events), writes per request (a post costs more
when its text carries a URL). Only successful answers are billed. We count every resource in the
answer, expansions (``includes``) too, so the figure never undercounts what X may bill; X's own
de-duplication of a resource read twice in a UTC day is not modelled (we may overcount, never under).

The filtered stream's answer is never read here (it does not end): its posts are charged by the stream
client as they arrive (`charge_stream_posts`).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from socialdesk.domain.api_spend import Charge, PriceTable

if TYPE_CHECKING:
    import httpx

# The documented unit prices in US dollars (docs.x.com/x-api/getting-started/pricing, 2026); an install
# overrides them with SOCIALDESK_API_PRICES ("x:post_read=0.005,...") when X changes them.
PRICES: dict[str, Decimal] = {
    "post_read": Decimal("0.005"),
    "user_read": Decimal("0.010"),
    "dm_read": Decimal("0.010"),
    "post_create": Decimal("0.015"),
    "post_create_url": Decimal("0.200"),
    "dm_create": Decimal("0.015"),
    "delete": Decimal("0.010"),
}

_URL = re.compile(r"https?://|\bwww\.", re.IGNORECASE)


def _count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    return 1 if isinstance(value, dict) else 0


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.read() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _request_json(request: httpx.Request) -> dict[str, Any]:
    try:
        body = json.loads(request.content or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def read_charge(prices: PriceTable, path: str, body: dict[str, Any]) -> Charge:
    """Every resource in a read's answer at its price: the main ``data`` by the endpoint's kind, and
    the expanded users and posts of ``includes``."""
    main = _count(body.get("data"))
    if "/dm_events" in path or "/dm_conversations" in path:
        kind = "dm_read"
    elif path.startswith("/2/users") and "/mentions" not in path and "/tweets" not in path:
        kind = "user_read"
    else:
        kind = "post_read"
    found = body.get("includes")
    includes: dict[str, Any] = found if isinstance(found, dict) else {}
    users, posts = _count(includes.get("users")), _count(includes.get("tweets"))
    reads = main + users + posts
    usd = prices[kind] * main + prices["user_read"] * users + prices["post_read"] * posts
    return Charge(reads=reads, usd=usd)


def write_charge(prices: PriceTable, method: str, path: str, sent: dict[str, Any]) -> Charge:
    """One write request at its price: a post (more with a URL), a DM, or a delete."""
    if method == "DELETE":
        return Charge(writes=1, usd=prices["delete"])
    if "/dm_conversations" in path:
        return Charge(writes=1, usd=prices["dm_create"])
    if path.rstrip("/") == "/2/tweets":
        with_url = bool(_URL.search(str(sent.get("text") or "")))
        return Charge(writes=1, usd=prices["post_create_url" if with_url else "post_create"])
    return Charge()  # stream rules and other writes X does not list as billed


def charge(prices: PriceTable, request: httpx.Request, response: httpx.Response) -> Charge:
    """What X bills for this exchange (the descriptor's pricing rule)."""
    if not 200 <= response.status_code < 300:
        return Charge()
    path = request.url.path
    if request.method in ("POST", "PUT", "DELETE"):
        return write_charge(prices, request.method, path, _request_json(request))
    if path.endswith("/stream"):
        return Charge()  # never read a stream here: `charge_stream_posts` counts what it delivers
    return read_charge(prices, path, _body(response))


def charge_stream_posts(prices: PriceTable, posts: int, users: int = 0) -> Charge:
    """The filtered stream's delivered posts (and their expanded authors)."""
    return Charge(reads=posts + users, usd=prices["post_read"] * posts + prices["user_read"] * users)
