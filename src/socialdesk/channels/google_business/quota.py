"""Business Profile's address and quota. Light on purpose: the descriptor imports it.

The Business Profile APIs allow 300 queries a minute per project by default
(developers.google.com/my-business/content/limits): the read budget counts the GETs against it.
"""

from __future__ import annotations

API = "https://mybusiness.googleapis.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)
QUERIES_PER_MINUTE = 300


def reviews_path(account_id: str, location_id: str) -> str:
    return f"/v4/accounts/{account_id}/locations/{location_id}/reviews"
