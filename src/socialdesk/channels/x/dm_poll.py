"""X direct messages by polling: ``GET /2/dm_events`` (the brand's one-to-one DMs, newest first).

The Account Activity webhook pushes DMs as they happen; without it, the mentions poller asks this
reader too, so DMs still arrive. Pages are walked back until an event already handed over (the cursor
holds the newest event id seen), then the new messages go to ``on_posts`` oldest first and the cursor
moves only after that. The first poll takes one page (the newest 100 events), not X's 30 days.
Every DM is a ``private`` post; the brand's own DMs come back with the brand's handle (outbound).
"""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.framework import CursorStore, PostDict
from socialdesk.channels.x import parse

DM_FIELDS = "id,text,event_type,created_at,dm_conversation_id,sender_id"
USER_FIELDS = "username,name,public_metrics,verified"
MAX_PAGES = 10


class DmPageError(Exception):
    """X answered a DM page with an error status; the poller's retry policy decides what next."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"GET /2/dm_events answered {response.status_code}")
        self.response = response


def _newer(event_id: str, than: str | None) -> bool:
    if not than:
        return True
    if event_id.isdigit() and than.isdigit():
        return int(event_id) > int(than)
    return event_id > than


class XDirectMessages:
    """Reads the DM events after the saved cursor; :meth:`fetch` returns them oldest first."""

    def __init__(self, http: httpx.Client, user_id: str, cursors: CursorStore) -> None:
        self.http = http
        self.cursors = cursors
        self.cursor_key = f"x:dm_events:{user_id}"

    def fetch(self) -> tuple[list[PostDict], str | None]:
        """The new DM posts (oldest first) and the cursor to save once they are handed over."""
        seen = self.cursors.get(self.cursor_key)
        params: dict[str, Any] = {
            "max_results": 100,
            "event_types": "MessageCreate",
            "dm_event.fields": DM_FIELDS,
            "expansions": "sender_id",
            "user.fields": USER_FIELDS,
        }
        fresh: list[PostDict] = []
        newest: str | None = None
        for _ in range(MAX_PAGES):
            resp = self.http.get("/2/dm_events", params=params)
            if resp.status_code != 200:
                raise DmPageError(resp)
            body = resp.json()
            events = body.get("data") or []
            newest = newest or next((str(e["id"]) for e in events if e.get("id")), None)
            new_ids = {str(e["id"]) for e in events if e.get("id") and _newer(str(e["id"]), seen)}
            fresh.extend(p for p in parse.dm_events_page(body) if p["id"] in new_ids)
            next_token = (body.get("meta") or {}).get("next_token")
            if seen is None or len(new_ids) < len(events) or not next_token:
                break
            params["pagination_token"] = next_token
        fresh.reverse()
        return fresh, newest if newest and _newer(newest, seen) else None

    def save(self, cursor: str | None) -> None:
        if cursor:
            self.cursors.set(self.cursor_key, cursor)
