"""Google Play Developer API v3 reviews into normalized post dicts. Pure.

A review (``reviewId``, ``authorName``, ``comments[]``) holds the user's comment
(``comments[].userComment``: ``text``, ``lastModified {seconds, nanos}``, ``starRating`` 1-5,
``reviewerLanguage``...) and, once answered, the developer's reply (``comments[].developerComment``).
The conversation is the review; the developer's reply answers it, authored by the app (the account's
handle is the package name, so the brand's reply is recognised as outbound). A review has one reply
at most (a new reply replaces it), so the reply's id is ``<reviewId>/reply``. Reviewers have no
stable public id: the author is keyed by the review (one reviewer reviews an app once).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from socialdesk.channels.framework import PostDict

NAME = "google_play"
REPLY_SUFFIX = "/reply"
STORE = "https://play.google.com/store/apps/details"


class NotAReview(ValueError):
    """The resource is not a review as the API documents it."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def reply_id(review_id: str) -> str:
    return f"{review_id}{REPLY_SUFFIX}"


def review_of(post_id: str) -> str:
    """The review a post id names: a review's own id, or that of the review a reply answers."""
    return post_id.removesuffix(REPLY_SUFFIX)


def timestamp(value: Any) -> datetime:
    """A ``Timestamp`` (``{"seconds": "1452114723", "nanos": 913000000}``) as a UTC datetime."""
    stamp = _dict(value)
    try:
        seconds = int(stamp.get("seconds") or 0)
        nanos = int(stamp.get("nanos") or 0)
    except (TypeError, ValueError):
        raise NotAReview("lastModified.seconds is not a number") from None
    if seconds <= 0:
        raise NotAReview("a comment needs lastModified.seconds")
    return datetime.fromtimestamp(seconds + nanos / 1e9, tz=UTC)


def comment_text(text: Any) -> str:
    """The reviewer's text: Google Play puts a tab between a review's title and body (and before a
    body without a title)."""
    parts = [part.strip() for part in str(text or "").split("\t")]
    return "\n".join(part for part in parts if part)


def stars(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def review(resource: Mapping[str, Any], package_name: str) -> list[PostDict]:
    """One review: the user's comment, then the developer's reply when there is one."""
    review_id = resource.get("reviewId")
    if not isinstance(review_id, str) or not review_id:
        raise NotAReview("a review needs a reviewId")
    comments = [_dict(c) for c in resource.get("comments") or [] if isinstance(c, dict)]
    user = next((_dict(c.get("userComment")) for c in comments if c.get("userComment")), {})
    if not user:
        raise NotAReview("a review needs comments[].userComment")
    name = str(resource.get("authorName") or "").strip()
    author: dict[str, Any] = {"id": f"review:{review_id}", "handle": name[:200] or "Google Play user"}
    if name:
        author["name"] = name[:200]
    url = f"{STORE}?id={package_name}&reviewId={review_id}"
    lang = str(user.get("reviewerLanguage") or "").split("_")[0].split("-")[0][:8] or None
    posts: list[PostDict] = [
        {
            "id": review_id,
            "channel": NAME,
            "text": comment_text(user.get("text")),
            "created_at": timestamp(user.get("lastModified")).isoformat(),
            "author": author,
            "in_reply_to": None,
            "conversation_id": review_id,
            "url": url,
            "lang": lang,
            "visibility": "public",
            "rating": stars(user.get("starRating")),
            "raw": dict(resource),
        }
    ]
    developer = next((_dict(c.get("developerComment")) for c in comments if c.get("developerComment")), {})
    if developer and str(developer.get("text") or "").strip():
        posts.append(
            {
                "id": reply_id(review_id),
                "channel": NAME,
                "text": str(developer.get("text")).strip(),
                "created_at": timestamp(developer.get("lastModified")).isoformat(),
                "author": {"id": package_name, "handle": package_name},
                "in_reply_to": review_id,
                "conversation_id": review_id,
                "url": url,
                "visibility": "public",
                "raw": {"developerComment": developer},
            }
        )
    return posts


def reviews_page(body: Any, package_name: str) -> list[PostDict]:
    """A ``reviews.list`` answer (or one ``reviews.get`` review) as posts; malformed reviews are
    skipped, never the page."""
    page = _dict(body)
    items = page.get("reviews") if "reviews" in page else ([page] if page.get("reviewId") else [])
    out: list[PostDict] = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        try:
            out.extend(review(item, package_name))
        except NotAReview:
            continue
    return out


def when_changed(post: PostDict) -> datetime:
    return datetime.fromisoformat(str(post["created_at"]))
