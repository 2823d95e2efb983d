"""What the inbox and the case panel show of a case's SLA: one countdown to the nearest deadline.

The case stores its clocks (see actions/care/sla.py); this turns the clock that runs out first into
"12m left" or "breached 3m ago", with a CSS class and the deadline for the page's ticking script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialdesk.actions.care.sla import sla_view
from socialdesk.ports.care import CaseCare

CLOCK_NAMES = {
    "first_response": "first response",
    "next_response": "next response",
    "resolution": "resolution",
}


@dataclass(frozen=True, slots=True)
class Countdown:
    label: str  # "12m left", "breached 3m ago", "paused"
    state: str  # ok, warning, breached, paused: the CSS class is sla-<state>
    clock: str  # which clock, as people say it
    deadline: datetime | None  # set while a clock runs (the page's script keeps the label current)


def span(seconds: float) -> str:
    """`45s`, `12m`, `3h 5m`, `2d 4h`: short enough for an inbox cell."""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    minutes, hours, days = s // 60, s // 3600, s // 86400
    if minutes < 60:
        return f"{minutes}m"
    if hours < 24:
        rest = minutes - hours * 60
        return f"{hours}h {rest}m" if rest else f"{hours}h"
    rest = hours - days * 24
    return f"{days}d {rest}h" if rest else f"{days}d"


def _running(clocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    live = [c for c in clocks if c["finished_at"] is None and c["deadline"] is not None]
    return min(live, key=lambda c: c["deadline"], default=None)


def countdown(care: CaseCare | None, now: datetime) -> Countdown | None:
    """The countdown of the case's clock that runs out first; None when the case has no live SLA."""
    view = sla_view(care, now)
    if view is None:
        return None
    clocks: list[dict[str, Any]] = view["clocks"]
    clock = _running(clocks)
    if clock is None:
        paused = [c for c in clocks if c["finished_at"] is None]
        if paused:
            return Countdown("paused", "paused", CLOCK_NAMES.get(paused[0]["kind"], ""), None)
        return None
    deadline: datetime = clock["deadline"]
    name = CLOCK_NAMES.get(clock["kind"], str(clock["kind"]))
    left = (deadline - now).total_seconds()
    if left < 0 or clock["state"] == "breached":
        return Countdown(f"breached {span(-left)} ago", "breached", name, deadline)
    state = "warning" if clock["state"] == "warning" else "ok"
    return Countdown(f"{span(left)} left", state, name, deadline)
