"""The UI's Jinja2 environment: autoescape on for every template, plus the few display filters."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from starlette.responses import HTMLResponse

from socialdesk.actions.case_snooze import is_asleep
from socialdesk.actions.rules import CORRECTABLE
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.conversation import subject_of
from socialdesk.web.ui.static import static_url

TEMPLATES = Path(__file__).parent / "templates"

STATUS_LABELS = {
    CaseStatus.NEW: "New",
    CaseStatus.OPEN: "Open",
    CaseStatus.PENDING_CUSTOMER: "Pending customer",
    CaseStatus.PENDING_INTERNAL: "Pending internal",
    CaseStatus.RESOLVED: "Resolved",
    CaseStatus.CLOSED: "Closed",
}

# Order of the status buttons on a conversation page.
STATUS_ORDER = list(STATUS_LABELS)


def waiting_for(since: datetime | None, now: datetime) -> str:
    """`3 h 12 min`: how long a customer has waited, coarse enough to read at a glance."""
    if since is None:
        return "—"
    seconds = max(0, int((now - since).total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return f"{seconds} s"
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        rest = minutes - hours * 60
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    rest = hours - days * 24
    return f"{days} d {rest} h" if rest else f"{days} d"


def followers(count: int | None) -> str:
    if count is None:
        return ""
    if count < 10_000:
        return f"{count:,} followers" if count != 1 else "1 follower"
    if count < 1_000_000:
        return f"{count / 1000:.0f}k followers"
    return f"{count / 1_000_000:.1f}M followers"


@pass_context
def timestamp(context: Context, value: datetime | None) -> str:
    """The time in the page's ``zone`` (the user's time zone, a ZoneInfo) when it has one, else UTC."""
    if value is None:
        return ""
    zone = context.get("zone")
    if isinstance(zone, tzinfo) and str(zone) != "UTC":
        local = value.astimezone(zone)
        return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or str(zone))
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def status_label(status: CaseStatus | str) -> str:
    return STATUS_LABELS.get(CaseStatus(status), str(status))


DELIVERY_LABELS = {
    "pending": "Sending…",
    "sent": "Sent",
    "failed": "Not sent",
    "received": "Received",
    "awaiting_approval": "Awaiting approval",
    "returned": "Returned",
    "answered_elsewhere": "Answered elsewhere",
    "bounced": "Bounced",
    "delayed": "Delivery delayed",
    "auto_replied": "Automatic reply received",
}


def delivery_label(delivery: str) -> str:
    return DELIVERY_LABELS.get(delivery, delivery)


def delivery_class(delivery: str) -> str:
    """A CSS class for a delivery state; unknown states get a neutral one (no free text in class names)."""
    return f"delivery-{delivery}" if delivery in DELIVERY_LABELS else "delivery-other"


# Urgency (0-100) in four calm bands; the number is always shown, the colour only helps scanning.
URGENCY_BANDS = ((75, "urgency-top"), (50, "urgency-high"), (25, "urgency-mid"), (0, "urgency-low"))


def urgency_class(urgency: int | None) -> str:
    value = urgency or 0
    return next(name for floor, name in URGENCY_BANDS if value >= floor)


def label(value: str) -> str:
    """`outage_report` -> `Outage report`: a triage label as people read it."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


CATEGORY_CLASSES = frozenset(CORRECTABLE["category"])
SENTIMENT_CLASSES = frozenset(CORRECTABLE["sentiment"])


def category_class(category: str) -> str:
    """A CSS class for a category; unknown values get a neutral one (no free text in class names)."""
    return f"cat-{category}" if category in CATEGORY_CLASSES else "cat-other"


def sentiment_class(sentiment: str) -> str:
    return f"sent-{sentiment}" if sentiment in SENTIMENT_CLASSES else "sent-neutral"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: post text and names are never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["waiting_for"] = waiting_for
    env.filters["followers"] = followers
    env.filters["timestamp"] = timestamp
    env.globals["asleep"] = is_asleep
    env.filters["status_label"] = status_label
    env.filters["first_line"] = subject_of
    env.filters["delivery_label"] = delivery_label
    env.filters["delivery_class"] = delivery_class
    env.filters["urgency_class"] = urgency_class
    env.filters["label"] = label
    env.filters["category_class"] = category_class
    env.filters["sentiment_class"] = sentiment_class
    env.globals["static_url"] = static_url
    return env


env = _environment()


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page. Pages hold customer data, so no shared cache may keep them."""
    html = env.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
