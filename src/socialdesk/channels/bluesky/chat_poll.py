"""Bluesky chat messages by polling the chat service's log (``chat.bsky.convo.getLog``).

The log lists what happened in all the brand's chats since a cursor (``logCreateMessage`` entries hold
each new message). The first poll asks for the log with no cursor and keeps the cursor it answers, so
only messages from then on come in (older chats are not imported). Each poll hands the new messages
over as private posts, with the members' handles (``chat.bsky.convo.getConvo``, once per chat), and
saves the cursor only after ``on_posts`` returns. Every call goes through the chat proxy header.

An account whose app password may not read direct messages (or a PDS without the chat service) gets an
error from the proxy: chat polling then stops for this client with a warning, and the notifications go
on.
"""

from __future__ import annotations

import logging
from typing import Any

from socialdesk.channels.bluesky.chat import PROXY_HEADERS, Members, log_page, members_by_did
from socialdesk.channels.bluesky.xrpc import XrpcSession
from socialdesk.channels.framework import ChannelAuthError, ChannelError, CursorStore, PostsCallback

log = logging.getLogger(__name__)
GET_LOG = "chat.bsky.convo.getLog"
MAX_PAGES = 20


class ChatLog:
    def __init__(self, session: XrpcSession, cursors: CursorStore) -> None:
        self.session = session
        self.cursors = cursors
        self.enabled = True
        self._members: dict[str, Members] = {}

    @property
    def cursor_key(self) -> str:
        self.session.ensure()
        return f"bluesky:chat:{self.session.did}"

    def poll(self, on_posts: PostsCallback) -> int:
        """Hand over the chat messages since the last poll; returns how many."""
        if not self.enabled:
            return 0
        try:
            return self._poll(on_posts)
        except (ChannelAuthError, ChannelError) as exc:
            self.enabled = False
            log.warning("bluesky chat: not polled any more for %s: %s", self.session.handle, exc)
            return 0

    def _poll(self, on_posts: PostsCallback) -> int:
        key = self.cursor_key
        cursor = self.cursors.get(key)
        entries: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            params = {"cursor": cursor} if cursor else {}
            page = self.session.query(GET_LOG, params, headers=PROXY_HEADERS)
            logs = [e for e in page.get("logs") or [] if isinstance(e, dict)]
            entries.extend(logs)
            following = page.get("cursor")
            if not logs or not following or following == cursor:
                cursor = following or cursor
                break
            cursor = following
        convos = {str(e.get("convoId")) for e in entries if e.get("convoId")}
        members = {convo: self._members_of(convo) for convo in convos}
        posts = log_page({"logs": entries}, members)
        if posts:
            on_posts(posts)
        if cursor:
            self.cursors.set(key, cursor)
        return len(posts)

    def _members_of(self, convo_id: str) -> Members:
        if convo_id not in self._members:
            got = self.session.query("chat.bsky.convo.getConvo", {"convoId": convo_id}, headers=PROXY_HEADERS)
            self._members[convo_id] = members_by_did(got.get("convo") or {})
        return self._members[convo_id]
