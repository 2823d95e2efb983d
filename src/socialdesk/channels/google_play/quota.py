"""Google Play's addresses and quota. Light on purpose (no HTTP library): the descriptor imports it.

The Reply to Reviews API allows 200 GET requests an hour (listing and reading reviews) and 2,000 POST
requests a day (replies) per app (developers.google.com/android-publisher/reply-to-reviews#quotas):
the read budget counts the GETs against the hourly 200; the token endpoint spends none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

API = "https://androidpublisher.googleapis.com"
PREFIX = "/androidpublisher/v3/applications/"
HOURLY_READS = 200


def reviews_path(package_name: str) -> str:
    return f"{PREFIX}{package_name}/reviews"


def quota_cost(request: httpx.Request) -> int:
    """One read for a GET of the API; replies (POST) and the token endpoint spend none of it."""
    return 1 if request.method == "GET" and request.url.path.startswith(PREFIX) else 0
