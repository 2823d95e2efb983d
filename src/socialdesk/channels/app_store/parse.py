"""App Store Connect customer reviews (JSON:API) into normalized post dicts. Pure.

A ``customerReviews`` resource (``id``; ``attributes``: ``rating`` 1-5, ``title``, ``body``,
``reviewerNickname``, ``createdDate``, ``territory``) is a post; its conversation is itself. The
developer's response (a ``customerReviewResponses`` resource in ``included``, or the answer of
``GET /v1/customerReviews/{id}/response``: ``attributes.responseBody``, ``lastModifiedDate``) is a post
by the app (the account's handle is the app id) answering the review.
"""

from __future__ import annotations

from typing import Any

from socialdesk.channels.framework import PostDict

NAME = "app_store"


class NotAReview(ValueError):
    """The resource is not a customer review as the API documents it."""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def stars(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def review(resource: dict[str, Any]) -> PostDict:
    attributes = _dict(resource.get("attributes"))
    review_id = resource.get("id")
    if resource.get("type") != "customerReviews" or not isinstance(review_id, str) or not review_id:
        raise NotAReview("a customer review needs type customerReviews and an id")
    if not attributes.get("createdDate"):
        raise NotAReview("a customer review needs attributes.createdDate")
    title = str(attributes.get("title") or "").strip()
    body = str(attributes.get("body") or "").strip()
    nickname = str(attributes.get("reviewerNickname") or "").strip()[:200]
    author: dict[str, Any] = {"id": f"review:{review_id}", "handle": nickname or "App Store user"}
    if nickname:
        author["name"] = nickname
    return {
        "id": review_id,
        "channel": NAME,
        "text": "\n".join(part for part in (title, body) if part),
        "created_at": str(attributes["createdDate"]),
        "author": author,
        "in_reply_to": None,
        "conversation_id": review_id,
        "visibility": "public",
        "rating": stars(attributes.get("rating")),
        "raw": resource,
    }


def response(resource: dict[str, Any], review_id: str, app_id: str) -> PostDict:
    attributes = _dict(resource.get("attributes"))
    response_id = resource.get("id")
    text = str(attributes.get("responseBody") or "").strip()
    changed = attributes.get("lastModifiedDate")
    if resource.get("type") != "customerReviewResponses" or not response_id or not text or not changed:
        raise NotAReview("a response needs type customerReviewResponses, an id, a body and a date")
    return {
        "id": str(response_id),
        "channel": NAME,
        "text": text,
        "created_at": str(changed),
        "author": {"id": app_id, "handle": app_id},
        "in_reply_to": review_id,
        "conversation_id": review_id,
        "visibility": "public",
        "raw": resource,
    }


def reviews_page(body: Any, app_id: str) -> list[PostDict]:
    """A customer reviews list (``data[]``, with ``included`` responses) as posts; malformed items
    are skipped, never the page."""
    page = _dict(body)
    responses = {
        str(r.get("id")): r
        for r in page.get("included") or []
        if _dict(r).get("type") == "customerReviewResponses"
    }
    out: list[PostDict] = []
    for item in page.get("data") or []:
        try:
            out.append(review(_dict(item)))
        except NotAReview:
            continue
        linked = _dict(_dict(_dict(_dict(item).get("relationships")).get("response")).get("data"))
        answer = responses.get(str(linked.get("id")))
        if answer is not None:
            try:
                out.append(response(answer, str(item["id"]), app_id))
            except NotAReview:
                continue
    return out
