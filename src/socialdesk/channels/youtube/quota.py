"""YouTube's addresses and quota: what each request costs in units, and when the daily quota resets.

Light on purpose (no HTTP library): the network's descriptor imports it when the registry loads.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import httpx

API = "https://www.googleapis.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)
PREFIX = "/youtube/v3/"
DAILY_QUOTA = 10_000
LIST_COST, WRITE_COST = 1, 50
QUOTA_DAY = ZoneInfo("America/Los_Angeles")  # the quota resets at midnight Pacific Time


def quota_cost(request: httpx.Request) -> int:
    """Quota units the request spends: 1 for a list, 50 for a write; the token endpoint spends none."""
    if not request.url.path.startswith(PREFIX):
        return 0
    return LIST_COST if request.method == "GET" else WRITE_COST


def next_quota_day(now: datetime) -> datetime:
    """When the daily quota is reset after ``now``: the next midnight in Pacific Time."""
    local = now.astimezone(QUOTA_DAY)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(now.tzinfo)
