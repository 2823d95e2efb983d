"""The composer's assistance in the REST API: the unscripted guard's check of a reply before it is
sent, and the analytics of knowledge-base suggestions (shown, inserted, sent) and of near-identical
public replies (per agent and per day). Reads only; definitions in docs/knowledge.md."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from socialdesk.actions.analytics import parse_span
from socialdesk.actions.assist_analytics import (
    Acceptance,
    KbAcceptance,
    ScriptedShares,
    get_kb_acceptance,
    get_scripted_shares,
)
from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.replies import MAX_REPLY_CHARS
from socialdesk.actions.reply_brand import brand_choices, current_brand
from socialdesk.actions.unscripted import WINDOW, check_script, hints_for
from socialdesk.web.api.analytics import Format, From, To, csv_response, csv_text
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(tags=["composer assistance"])
DEFAULT_SPAN = timedelta(days=7)


class ReplyCheckIn(InputModel):
    text: str = Field(min_length=1, max_length=MAX_REPLY_CHARS)
    brand_account_id: Id | None = None  # the account it would go out as (default: the conversation's)


class PriorReplyOut(BaseModel):
    message_id: int
    text: str
    created_at: datetime


class ReplyCheckOut(BaseModel):
    similarity: float
    threshold: float
    near_identical: bool
    window_hours: float
    similar_to: PriorReplyOut | None
    hints: list[str]


@router.post("/conversations/{conversation_id}/reply-check")
def reply_check(
    conversation_id: Id, body: ReplyCheckIn, user: ApiUserDep, runtime: RuntimeDep
) -> ReplyCheckOut:
    """How close a public reply would be to its brand's public replies of the last 24 hours; when
    near-identical, how to make it personal. Nothing is stored or sent."""
    threshold = runtime.settings.unscripted_similarity
    with runtime.read_uow() as uow:
        conv = access_conversation_by_id(uow, user, conversation_id)
        picked = [
            b for b in brand_choices(uow, user.workspace_id, conv.channel) if b.id == body.brand_account_id
        ]
        brand = picked[0] if picked else current_brand(uow, conv)
        check = check_script(
            uow, user, brand.handle if brand else "", body.text, runtime.clock.now(), threshold
        )
        hints = hints_for(uow, user, conversation_id, body.text) if check.near_identical else []
    prior = check.prior
    return ReplyCheckOut(
        similarity=round(check.similarity, 4),
        threshold=threshold,
        near_identical=check.near_identical,
        window_hours=WINDOW.total_seconds() / 3600,
        similar_to=PriorReplyOut(message_id=prior.message_id, text=prior.body, created_at=prior.created_at)
        if prior
        else None,
        hints=hints,
    )


def _figures(a: Acceptance) -> dict[str, Any]:
    return {
        "shown": a.shown,
        "inserted": a.inserted,
        "sent": a.sent,
        "insert_rate": a.insert_rate,
        "send_rate": a.send_rate,
    }


def acceptance_json(k: KbAcceptance) -> dict[str, Any]:
    return {
        "from": k.since,
        "to": k.until,
        "overall": _figures(k.overall),
        "articles": [
            {"article_id": r.article_id, "article": r.key, "title": r.title, **_figures(r.figures)}
            for r in k.articles
        ],
    }


@router.get("/analytics/knowledge")
def analytics_knowledge(
    user: ApiUserDep, runtime: RuntimeDep, start: From = None, end: To = None, format: Format = "json"
) -> Any:
    """Knowledge-base suggestions first shown in the range (default: the last 7 days): how many were
    shown, inserted into a reply and sent with it, per article (most shown first) and overall."""
    now = runtime.clock.now()
    span = parse_span(start, end, now, bucket="1d", default=DEFAULT_SPAN)
    until = span.end if end is not None else now  # by default up to this instant
    with runtime.read_uow() as uow:
        found = get_kb_acceptance(uow, user, span.start, until)
    if format == "csv":
        header = ["article", "title", "shown", "inserted", "sent"]
        rows = [[r.key, r.title, r.figures.shown, r.figures.inserted, r.figures.sent] for r in found.articles]
        return csv_response(csv_text(header, rows), "knowledge")
    return acceptance_json(found)


def scripted_json(s: ScriptedShares) -> dict[str, Any]:
    return {
        "from": s.since,
        "to": s.until,
        "public_replies": s.replies,
        "near_identical": s.near_identical,
        "share": s.share,
        "rows": [
            {
                "day": r.day.isoformat(),
                "agent_id": r.user_id,
                "agent": r.agent,
                "public_replies": r.replies,
                "near_identical": r.near_identical,
                "share": r.share,
            }
            for r in s.rows
        ],
    }


@router.get("/analytics/unscripted")
def analytics_unscripted(
    user: ApiUserDep, runtime: RuntimeDep, start: From = None, end: To = None, format: Format = "json"
) -> Any:
    """Public replies sent in the range (default: the last 7 days) per UTC day and agent, and the share
    (percent) that were near-identical to one of their brand's public replies of the 24 hours before."""
    now = runtime.clock.now()
    span = parse_span(start, end, now, bucket="1d", default=DEFAULT_SPAN)
    until = span.end if end is not None else now  # by default up to this instant
    with runtime.read_uow() as uow:
        found = get_scripted_shares(uow, user, span.start, until)
    if format == "csv":
        header = ["day", "agent", "public_replies", "near_identical", "share"]
        rows: list[list[object]] = [
            [r.day.isoformat(), r.agent, r.replies, r.near_identical, r.share] for r in found.rows
        ]
        return csv_response(csv_text(header, rows), "unscripted")
    return scripted_json(found)
