"""App Store Connect's address and rate limit. Light on purpose: the descriptor imports it.

The API allows 3,600 requests an hour per key (the ``X-Rate-Limit`` header: ``user-hour-lim:3600;
user-hour-rem:...``); the read budget counts every GET against it.
"""

from __future__ import annotations

API = "https://api.appstoreconnect.apple.com"
HOURLY_REQUESTS = 3_600


def reviews_path(app_id: str) -> str:
    return f"/v1/apps/{app_id}/customerReviews"
