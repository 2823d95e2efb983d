"""X's documented reconnect rules, shared by the stream and the pollers.

* network errors (refused, reset, 20 s without a byte): linear, +250 ms per attempt, up to 16 s;
* HTTP errors worth retrying (5xx, 408, 409...): exponential from 5 s, doubling, up to 320 s;
* HTTP 429: exponential from 60 s, doubling (capped at 15 min, X's rate window), unless the
  ``x-rate-limit-reset`` header (epoch seconds) says exactly when the window reopens;
* HTTP 401/403 (and 400/404, which no retry fixes): no retry, the channel is broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from socialdesk.channels.backoff import Backoff

BROKEN_STATUSES = {400, 401, 403, 404, 410}


@dataclass
class ReconnectPolicy:
    network: Backoff = field(default_factory=lambda: Backoff.linear(0.25, cap=16.0))
    http: Backoff = field(default_factory=lambda: Backoff.exponential(5.0, cap=320.0))
    rate_limited: Backoff = field(default_factory=lambda: Backoff.exponential(60.0, cap=900.0))

    def reset(self) -> None:
        for schedule in (self.network, self.http, self.rate_limited):
            schedule.reset()

    def after_network_error(self) -> float:
        return self.network.next_delay()

    def after_status(self, status: int, headers: httpx.Headers, now_epoch: float) -> float | None:
        """Seconds to wait before retrying after an HTTP error, or ``None``: do not retry."""
        if status in BROKEN_STATUSES:
            return None
        if status == 429:
            scheduled = self.rate_limited.next_delay()
            reset = rate_limit_reset(headers)
            return max(reset - now_epoch, 0.0) if reset is not None else scheduled
        return self.http.next_delay()


def rate_limit_reset(headers: httpx.Headers) -> float | None:
    value = headers.get("x-rate-limit-reset")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def error_detail(response: httpx.Response) -> str:
    """A short reason from X's problem JSON (``title``/``detail``), never the request headers."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(body, dict):
        parts = [str(body.get(k)) for k in ("title", "detail") if body.get(k)]
        errors = body.get("errors")
        if not parts and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            parts = [str(errors[0].get("message") or errors[0].get("detail") or "")]
        if parts:
            return f"HTTP {response.status_code}: " + ": ".join(parts)[:300]
    return f"HTTP {response.status_code}"
