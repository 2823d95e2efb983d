"""`/api/v1/analytics/*`: the figures of mission control as JSON, and each chart's data as CSV.

Read-only and per workspace: the caller's workspace is the only one read. `?format=csv` answers a
CSV file whose text cells a spreadsheet would run as formulas (= + - @ tab CR) get a leading
apostrophe; numbers are written as numbers. Definitions of every figure: docs/analytics.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from socialdesk.actions.analytics.figures import (
    DEFAULT_EQUITY_SPAN,
    DEFAULT_WINDOW_MINUTES,
    Equity,
    ResponseFigures,
    Trends,
    get_equity,
    get_now_figures,
    get_trends,
    parse_span,
)
from socialdesk.domain.care import csv_cell
from socialdesk.domain.equity import ResponseStats
from socialdesk.ports.analytics import NowFigures
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Instant

router = APIRouter(prefix="/analytics", tags=["analytics"])

Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]
From = Annotated[Instant | None, Query(alias="from", description="inclusive, with a time zone")]
To = Annotated[Instant | None, Query(alias="to", description="exclusive, with a time zone; default now")]


def csv_value(value: object) -> object:
    """Numbers stay numbers; text (and anything else) is made safe from formula injection."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return csv_cell(value.isoformat() if isinstance(value, datetime) else value)
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return out.getvalue()


def csv_response(text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


# --- now ----------------------------------------------------------------------------------------


def now_json(f: NowFigures) -> dict[str, Any]:
    oldest = f.oldest_waiting
    return {
        "now": f.now,
        "window_minutes": f.window_minutes,
        "posts_per_minute": f.posts_per_minute,
        "posts_per_minute_by_channel": {k: f.per_minute(n) for k, n in sorted(f.posts_by_channel.items())},
        "posts_per_minute_by_monitor": {k: f.per_minute(n) for k, n in sorted(f.posts_by_monitor.items())},
        "open_cases": f.open_cases,
        "open_cases_by_status": dict(sorted(f.cases_by_status.items())),
        "queue_by_team": dict(sorted(f.queue_by_team.items())),
        "queue_unrouted": f.unrouted,
        "oldest_waiting": None
        if oldest is None
        else {
            "conversation_id": oldest.conversation_id,
            "channel": oldest.channel,
            "waiting_since": oldest.waiting_since,
            "waiting_s": int((f.now - oldest.waiting_since).total_seconds()),
        },
        "agents_online": f.agents_online,
        "agents_by_status": dict(sorted(f.agents_by_status.items())),
        "sla_at_risk": f.sla_at_risk,
        "sla_breached": f.sla_breached,
    }


def now_csv(f: NowFigures) -> str:
    rows: list[tuple[str, str, float]] = [("posts_per_minute", "all", f.posts_per_minute)]
    rows += [
        ("posts_per_minute_by_channel", k, f.per_minute(n)) for k, n in sorted(f.posts_by_channel.items())
    ]
    rows += [
        ("posts_per_minute_by_monitor", k, f.per_minute(n)) for k, n in sorted(f.posts_by_monitor.items())
    ]
    rows += [("open_cases_by_status", k, n) for k, n in sorted(f.cases_by_status.items())]
    rows += [("queue_by_team", k, n) for k, n in sorted(f.queue_by_team.items())]
    rows += [("queue_unrouted", "", f.unrouted), ("agents_online", "", f.agents_online)]
    rows += [("sla_at_risk", "", f.sla_at_risk), ("sla_breached", "", f.sla_breached)]
    if f.oldest_waiting is not None:
        rows.append(
            (
                "oldest_waiting_s",
                f.oldest_waiting.channel,
                int((f.now - f.oldest_waiting.waiting_since).total_seconds()),
            )
        )
    return csv_text(("figure", "key", "value"), rows)


@router.get("/now")
def analytics_now(
    user: ApiUserDep,
    runtime: RuntimeDep,
    minutes: Annotated[
        int, Query(ge=1, le=1440, description="window of the post rates")
    ] = DEFAULT_WINDOW_MINUTES,
    format: Format = "json",
) -> Any:
    """What is happening now: post rates, open cases, queues, longest wait, agents online, SLA risk."""
    with runtime.read_uow() as uow:
        figures = get_now_figures(uow, user, runtime.clock.now(), minutes)
    return csv_response(now_csv(figures), "now") if format == "csv" else now_json(figures)


# --- trends -------------------------------------------------------------------------------------


def responses_json(r: ResponseFigures) -> dict[str, Any]:
    return {
        "cases": r.cases,
        "responded": r.responded,
        "frt_median_s": r.frt_median_s,
        "frt_p90_s": r.frt_p90_s,
        "sla_met": r.sla_met,
        "sla_missed": r.sla_missed,
        "sla_attainment": r.sla_attainment,
    }


def trends_json(t: Trends) -> dict[str, Any]:
    return {
        "from": t.span.start,
        "to": t.span.end,
        "bucket": t.span.bucket,
        "posts": t.posts,
        "sentiment_mean": t.sentiment_mean,
        **responses_json(t.responses),
        "buckets": [
            {
                "start": p.start,
                "posts": p.posts,
                "sentiment_mean": p.sentiment_mean,
                **responses_json(p.responses),
            }
            for p in t.points
        ],
        "share_of_voice": [
            {"monitor": v.name, "kind": v.kind, "matches": v.matches, "share": v.share} for v in t.voice
        ],
    }


BUCKET_COLUMNS = ("start", "posts", "sentiment_mean", "cases", "responded", "frt_median_s", "frt_p90_s")


def trends_csv(t: Trends) -> str:
    rows = [
        (p.start, p.posts, p.sentiment_mean, p.responses.cases, p.responses.responded,
         p.responses.frt_median_s, p.responses.frt_p90_s, p.responses.sla_met, p.responses.sla_missed,
         p.responses.sla_attainment)
        for p in t.points
    ]  # fmt: skip
    return csv_text((*BUCKET_COLUMNS, "sla_met", "sla_missed", "sla_attainment"), rows)


def voice_csv(t: Trends) -> str:
    return csv_text(
        ("monitor", "kind", "matches", "share"), ((v.name, v.kind, v.matches, v.share) for v in t.voice)
    )


@router.get("/trends")
def analytics_trends(
    user: ApiUserDep,
    runtime: RuntimeDep,
    start: From = None,
    end: To = None,
    bucket: Annotated[str | None, Query(description="1m, 5m, 15m, 1h (default), 6h or 1d")] = None,
    format: Format = "json",
    chart: Annotated[Literal["buckets", "voice"], Query(description="which table the CSV holds")] = "buckets",
) -> Any:
    """Per bucket: post volume, mean sentiment, first-response times and SLA attainment; share of voice."""
    now = runtime.clock.now()
    span = parse_span(start, end, now, bucket=bucket)
    with runtime.read_uow() as uow:
        trends = get_trends(uow, user, span, now)
    if format == "csv":
        return (
            csv_response(voice_csv(trends), "share-of-voice")
            if chart == "voice"
            else csv_response(trends_csv(trends), "trends")
        )
    return trends_json(trends)


# --- equity -------------------------------------------------------------------------------------


def stats_json(s: ResponseStats) -> dict[str, Any]:
    return {
        "cases": s.cases,
        "responded": s.responded,
        "response_rate": s.response_rate,
        "median_frt_s": s.median_frt_s,
    }


def equity_json(e: Equity) -> dict[str, Any]:
    r = e.report
    return {
        "from": e.span.start,
        "to": e.span.end,
        "tiers": [{"tier": t.key, "label": t.label, **stats_json(t.stats)} for t in r.tiers],
        "ordinary": stats_json(r.ordinary),
        "influencer": stats_json(r.influencer),
        "alert": r.alert,
        "reasons": list(r.reasons),
    }


def equity_csv(e: Equity) -> str:
    rows = [
        (t.key, t.label, t.stats.cases, t.stats.responded, t.stats.response_rate, t.stats.median_frt_s)
        for t in e.report.tiers
    ]
    return csv_text(("tier", "label", "cases", "responded", "response_rate", "median_frt_s"), rows)


@router.get("/equity")
def analytics_equity(
    user: ApiUserDep, runtime: RuntimeDep, start: From = None, end: To = None, format: Format = "json"
) -> Any:
    """Response rate and median first-response time per follower tier, and the equity alert."""
    now = runtime.clock.now()
    span = parse_span(start, end, now, bucket="1d", default=DEFAULT_EQUITY_SPAN)
    with runtime.read_uow() as uow:
        equity = get_equity(uow, user, span, now)
    return csv_response(equity_csv(equity), "equity") if format == "csv" else equity_json(equity)
