"""X's backfill: the mentions timeline with ``start_time``/``end_time`` (X keeps about the last 800)."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.backfill import MAX_PAGES, in_range
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.registry import BackfillRequest
from socialdesk.channels.x import parse as x_parse
from socialdesk.channels.x.client import TWEET_FIELDS, USER_FIELDS
from socialdesk.channels.x.policy import error_detail


def backfill(request: BackfillRequest) -> int:
    account, since, until = request.account, request.since, request.until
    params: dict[str, Any] = {
        "expansions": "author_id",
        "tweet.fields": TWEET_FIELDS,
        "user.fields": USER_FIELDS,
        "max_results": 100,
        "start_time": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_time": until.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    total = 0
    with request.connector.http(account) as http:
        for _ in range(MAX_PAGES):
            resp = http.get(f"/2/users/{account.settings['user_id']}/mentions", params=params)
            if resp.status_code != 200:
                raise ChannelError(error_detail(resp))
            body = resp.json()
            posts = in_range(x_parse.tweets_page(body), since, until)
            if posts:
                request.on_posts(posts)
                total += len(posts)
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
            params["pagination_token"] = token
    return total
