"""What the mission control page shows: big numbers, charts as SVG, the equity table, CSV links.

Charts are drawn by web/ui/charts.py, which escapes every label; the SVG is marked safe here (and
only here) so the templates can place it without a `|safe` filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from markupsafe import Markup

from socialdesk.actions.analytics import (
    DEFAULT_EQUITY_SPAN,
    DEFAULT_TREND_SPAN,
    Equity,
    Span,
    Trends,
    get_equity,
    get_now_figures,
    get_trends,
    parse_span,
)
from socialdesk.actions.assist_analytics import (
    KbAcceptance,
    ScriptedShares,
    get_kb_acceptance,
    get_scripted_shares,
)
from socialdesk.actions.channels import list_channel_accounts
from socialdesk.actions.incidents import OpenIncident, open_incidents
from socialdesk.domain.people import User
from socialdesk.ports import UnitOfWork
from socialdesk.ports_analytics import NowFigures
from socialdesk.web.ui.charts import Bar, Series, bar_chart, line_chart

API = "/api/v1/analytics"
TREND_BUCKET = "1h"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup
    csv_url: str


@dataclass(frozen=True)
class MissionView:
    now: NowFigures
    trends: Trends
    equity: Equity
    charts: list[Chart]
    voice: Chart
    equity_csv_url: str
    now_csv_url: str
    knowledge: KbAcceptance
    scripted: ScriptedShares
    knowledge_csv_url: str
    scripted_csv_url: str
    # Channel accounts that cannot work until a person acts (a revoked token): (account, reason).
    channel_alerts: tuple[tuple[str, str], ...] = ()
    # Incidents not resolved (suspected and confirmed), with how many customers each affects.
    incidents: tuple[OpenIncident, ...] = ()

    @property
    def queue_total(self) -> int:
        return sum(self.now.queue_by_team.values()) + self.now.unrouted


def svg(chart: str) -> Markup:
    """A chart from web/ui/charts.py, which escapes every label itself, as markup for the templates."""
    return Markup(chart)  # noqa: S704 - built by web/ui/charts.py with every piece of text escaped


def _z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _url(path: str, **params: str) -> str:
    return f"{API}/{path}?{urlencode(params)}"


def _minutes(seconds: float | None) -> float | None:
    return round(seconds / 60, 1) if seconds is not None else None


def _labels(span: Span) -> list[str]:
    return [
        at.strftime("%H:%M") if span.bucket_s < 86400 else at.strftime("%d %b") for at in span.bucket_starts()
    ]


def trend_charts(trends: Trends) -> list[Chart]:
    span, points = trends.span, trends.points
    labels = _labels(span)
    base = {"from": _z(span.start), "to": _z(span.end), "bucket": span.bucket, "format": "csv"}
    csv_url = _url("trends", **base)
    charts = [
        ("volume", "Posts per hour" if span.bucket == "1h" else "Posts per bucket",
         [Series("posts", [p.posts for p in points])], (None, None)),
        ("sentiment", "Mean sentiment (-1 to 1)",
         [Series("sentiment", [p.sentiment_mean for p in points])], (-1.0, 1.0)),
        ("frt", "First response (minutes)",
         [Series("median", [_minutes(p.responses.frt_median_s) for p in points]),
          Series("p90", [_minutes(p.responses.frt_p90_s) for p in points])], (None, None)),
        ("sla", "SLA attainment (%)",
         [Series("first response met", [p.responses.sla_attainment for p in points])],
         (0.0, 100.0)),
    ]  # fmt: skip
    return [
        Chart(key, title, svg(line_chart(title, labels, series, y_min=low, y_max=high)), csv_url)
        for key, title, series, (low, high) in charts
    ]


def voice_chart(trends: Trends) -> Chart:
    span = trends.span
    bars = [
        Bar(v.name, v.matches, v.kind, f"{v.share:g}%" if v.share is not None else "") for v in trends.voice
    ]
    title = "Share of voice: brand against competitors"
    url = _url("trends", **{"from": _z(span.start), "to": _z(span.end), "format": "csv", "chart": "voice"})
    return Chart("voice", title, svg(bar_chart(title, bars)), url)


def now_charts(now: NowFigures) -> list[Chart]:
    csv_url = _url("now", minutes=str(now.window_minutes), format="csv")
    out = []
    for key, title, counts in (
        ("channels", f"Posts per minute by channel (last {now.window_minutes} min)", now.posts_by_channel),
        ("monitors", f"Posts per minute by monitor (last {now.window_minutes} min)", now.posts_by_monitor),
    ):
        bars = [
            Bar(name, now.per_minute(n)) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        out.append(Chart(key, title, svg(bar_chart(title, bars)), csv_url))
    return out


def mission_view(uow: UnitOfWork, user: User, now: datetime) -> MissionView:
    trend_span = parse_span(None, None, now, bucket=TREND_BUCKET, default=DEFAULT_TREND_SPAN)
    equity_span = parse_span(None, None, now, bucket="1d", default=DEFAULT_EQUITY_SPAN)
    figures = get_now_figures(uow, user, now)
    trends = get_trends(uow, user, trend_span, now)
    equity = get_equity(uow, user, equity_span, now)
    week = {"from": _z(equity_span.start), "to": _z(equity_span.end), "format": "csv"}
    return MissionView(
        now=figures,
        trends=trends,
        equity=equity,
        charts=now_charts(figures) + trend_charts(trends),
        voice=voice_chart(trends),
        equity_csv_url=_url(
            "equity", **{"from": _z(equity_span.start), "to": _z(equity_span.end), "format": "csv"}
        ),
        now_csv_url=_url("now", minutes=str(figures.window_minutes), format="csv"),
        knowledge=get_kb_acceptance(uow, user, equity_span.start, now, articles=10),  # up to now
        scripted=get_scripted_shares(uow, user, equity_span.start, now),
        knowledge_csv_url=_url("knowledge", **week),
        scripted_csv_url=_url("unscripted", **week),
        channel_alerts=tuple(
            (a.label, a.health.reason) for a in list_channel_accounts(uow, user) if a.health.state == "broken"
        ),
        incidents=tuple(open_incidents(uow, user)),
    )
