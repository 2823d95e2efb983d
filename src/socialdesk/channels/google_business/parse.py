"""Google Business Profile reviews (My Business API v4) into normalized post dicts. Pure.

A review (``reviewId``, ``reviewer {displayName, isAnonymous}``, ``starRating`` ``ONE``..``FIVE``,
``comment``, ``createTime``, ``updateTime``) is a post, its own conversation; the owner's reply
(``reviewReply {comment, updateTime}``; one per review, a new one replaces it) is a post
``<reviewId>/reply`` by the location (the account's handle is the location id). A review with stars
only has no comment: its text is empty.
"""

from __future__ import annotations

from typing import Any

from socialdesk.channels.framework import PostDict

NAME = "google_business"
REPLY_SUFFIX = "/reply"
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


class NotAReview(ValueError):
    """The resource is not a review as the API documents it."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def reply_id(review_id: str) -> str:
    return f"{review_id}{REPLY_SUFFIX}"


def review_of(post_id: str) -> str:
    return post_id.removesuffix(REPLY_SUFFIX)


def review(resource: dict[str, Any], location_id: str) -> list[PostDict]:
    review_id = resource.get("reviewId")
    if not isinstance(review_id, str) or not review_id or not resource.get("createTime"):
        raise NotAReview("a review needs a reviewId and a createTime")
    reviewer = _dict(resource.get("reviewer"))
    name = "" if reviewer.get("isAnonymous") else str(reviewer.get("displayName") or "").strip()[:200]
    author: dict[str, Any] = {"id": f"review:{review_id}", "handle": name or "Google user"}
    if name:
        author["name"] = name
    posts: list[PostDict] = [
        {
            "id": review_id,
            "channel": NAME,
            "text": str(resource.get("comment") or "").strip(),
            "created_at": str(resource["createTime"]),
            "author": author,
            "in_reply_to": None,
            "conversation_id": review_id,
            "visibility": "public",
            "rating": STARS.get(str(resource.get("starRating"))),
            "raw": resource,
        }
    ]
    reply = _dict(resource.get("reviewReply"))
    if str(reply.get("comment") or "").strip() and reply.get("updateTime"):
        posts.append(
            {
                "id": reply_id(review_id),
                "channel": NAME,
                "text": str(reply["comment"]).strip(),
                "created_at": str(reply["updateTime"]),
                "author": {"id": location_id, "handle": location_id},
                "in_reply_to": review_id,
                "conversation_id": review_id,
                "visibility": "public",
                "raw": {"reviewReply": reply},
            }
        )
    return posts


def reviews_page(body: Any, location_id: str) -> list[PostDict]:
    """A ``reviews.list`` answer (or one review) as posts; malformed reviews are skipped."""
    page = _dict(body)
    items = page.get("reviews") if "reviews" in page else ([page] if page.get("reviewId") else [])
    out: list[PostDict] = []
    for item in items or []:
        try:
            out.extend(review(_dict(item), location_id))
        except NotAReview:
            continue
    return out
