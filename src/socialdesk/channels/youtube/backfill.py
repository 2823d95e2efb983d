"""YouTube's backfill: the channel's comment threads, newest first, back to the start of the range."""

from __future__ import annotations

from socialdesk.channels.backfill import MAX_PAGES, in_range, when
from socialdesk.channels.registry import BackfillRequest
from socialdesk.channels.youtube import parse
from socialdesk.channels.youtube.api import check
from socialdesk.channels.youtube.client import all_replies, missing_replies, threads_params


def backfill(request: BackfillRequest) -> int:
    account, since, until = request.account, request.since, request.until
    channel_id = str(account.settings["channel_id"])
    total = 0
    token: str | None = None
    with request.connector.http(account) as http:
        for _ in range(MAX_PAGES):
            body = check(http.get("/youtube/v3/commentThreads", params=threads_params(channel_id, token)))
            page = []
            for item in body.get("items") or []:
                page.extend(parse.threads_page({"items": [item]}))
                top = (item.get("snippet") or {}).get("topLevelComment") or {}
                if missing_replies(item) and top.get("id"):
                    page.extend(all_replies(http, str(top["id"])))
            posts = in_range(page, since, until)
            if posts:
                request.on_posts(posts)
                total += len(posts)
            token = body.get("nextPageToken")
            tops = [p for p in page if p["in_reply_to"] is None]
            if not token or (tops and min(when(p) for p in tops) < since):
                break
    return total
