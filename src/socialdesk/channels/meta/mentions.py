"""Instagram @mentions: the webhook names only the comment (or the media, for a caption), so the post
is read back from the Graph API as the mentioned account (``mentioned_comment`` / ``mentioned_media``)."""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.framework import ChannelError
from socialdesk.channels.meta.fields import MalformedWebhook, ident, moment, obj, text
from socialdesk.channels.meta.graph import check
from socialdesk.channels.meta.parse import MentionRef
from socialdesk.ingest.validate import PostError

PostDict = dict[str, Any]
_COMMENT_FIELDS = "{id,text,timestamp,username,from,media{id}}"
_MEDIA_FIELDS = "{id,caption,timestamp,username,permalink}"


def _author(found: dict[str, Any], path: str) -> dict[str, Any]:
    username = text(found, "username", path)
    sender = found.get("from")
    author_id = ident(obj(sender, f"{path}.from"), "id", f"{path}.from") if sender is not None else None
    if not (username or author_id):
        raise MalformedWebhook(f"{path}.username", "Graph named no author")
    return {"id": author_id or username, "handle": username or author_id}


def fetch_mention(http: httpx.Client, ref: MentionRef, channel: str) -> PostDict:
    """The mentioning comment or caption as a post; ChannelError / MalformedWebhook say what failed."""
    if ref.comment_id:
        fields = f"mentioned_comment.comment_id({ref.comment_id}){_COMMENT_FIELDS}"
        path = "mentioned_comment"
    else:
        fields = f"mentioned_media.media_id({ref.media_id}){_MEDIA_FIELDS}"
        path = "mentioned_media"
    found = obj(check(http.get(f"/{ref.account_id}", params={"fields": fields})).get(path), path)
    post_id = ident(found, "id", path) or ""
    media = found.get("media")
    media_id = (
        ident(obj(media, f"{path}.media"), "id", f"{path}.media") if media is not None else ref.media_id
    )
    post: PostDict = {
        "id": post_id,
        "channel": channel,
        "text": text(found, "text" if ref.comment_id else "caption", path) or "",
        "created_at": moment(found.get("timestamp"), f"{path}.timestamp"),
        "author": _author(found, path),
        "conversation_id": media_id,
        "raw": found,
    }
    if ref.comment_id:
        post["in_reply_to"] = media_id
    return post


def fetch_mentions(
    http: httpx.Client, refs: list[MentionRef], channel: str
) -> tuple[list[PostDict], list[PostError]]:
    """Each mention read back; one that cannot be is reported (its position among the mentions, 1-based)."""
    posts: list[PostDict] = []
    errors: list[PostError] = []
    for position, ref in enumerate(refs, start=1):
        try:
            posts.append(fetch_mention(http, ref, channel))
        except MalformedWebhook as exc:
            errors.append(PostError(position, f"mentions.{exc.path}", exc.problem))
        except (ChannelError, httpx.HTTPError, ValueError) as exc:
            errors.append(PostError(position, "mentions", f"could not read the mention back: {exc}"))
    return posts, errors
